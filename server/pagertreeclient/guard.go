package pagertreeclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"unicode"
)

// AllowSettingName is how an admin finds the setting that lets the plugin reach an internal host.
const AllowSettingName = "\"Allow untrusted internal connections to\" (ServiceSettings.AllowedUntrustedInternalConnections, System Console > Environment > Developer)"

// Guard applies Mattermost's rule for outgoing integrations to the endpoint: loopback, private,
// link-local, unspecified and other non-public addresses — and this server's own addresses — are
// refused unless listed in ServiceSettings.AllowedUntrustedInternalConnections. Like the server,
// a listed host name or IP is matched against the URL's host as written, and a listed CIDR range
// against the address actually dialled. Immutable; built from the server config on every change.
type Guard struct {
	hosts  map[string]bool
	ranges []*net.IPNet
	// ownIPs lists this machine's interface addresses (a test seam).
	ownIPs func() ([]net.IP, error)
}

// NewGuard parses the setting's value: entries separated by spaces or commas.
func NewGuard(allowed string) *Guard {
	g := &Guard{hosts: map[string]bool{}, ownIPs: interfaceIPs}
	for _, entry := range strings.FieldsFunc(allowed, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if _, n, err := net.ParseCIDR(entry); err == nil {
			g.ranges = append(g.ranges, n)
			continue
		}
		g.hosts[strings.ToLower(entry)] = true
	}
	return g
}

// HostListed reports whether host (a name or IP literal as written in the URL, without brackets
// or port) is listed by name, so the server's rule lets it through whatever it resolves to.
func (g *Guard) HostListed(host string) bool {
	return g != nil && g.hosts[strings.ToLower(strings.Trim(host, "[]"))]
}

// Allows reports whether the plugin may connect to host (as written in the URL) when it
// resolves to ip. Listed hosts pass; otherwise a public ip that is not this server's own passes,
// and an internal one only inside a listed range.
func (g *Guard) Allows(host string, ip net.IP) bool {
	if g.HostListed(host) {
		return true
	}
	return g.allowsIP(ip)
}

func (g *Guard) allowsIP(ip net.IP) bool {
	if g == nil {
		return true
	}
	if !IsInternal(ip) && !g.isOwn(ip) {
		return true
	}
	for _, n := range g.ranges {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

func (g *Guard) isOwn(ip net.IP) bool {
	ips, err := g.ownIPs()
	if err != nil {
		return true // cannot tell: refuse, as the server does
	}
	for _, own := range ips {
		if own.Equal(ip) {
			return true
		}
	}
	return false
}

// CheckLiteral is the settings-time check: a URL host that is an IP literal (or a name that
// always means this machine) must be allowed. Other names are checked when dialled.
func (g *Guard) CheckLiteral(host string) error {
	h := strings.ToLower(strings.Trim(host, "[]"))
	if g.HostListed(h) {
		return nil
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return &ForbiddenError{Address: h}
	}
	if ip := net.ParseIP(h); ip != nil && !g.allowsIP(ip) {
		return &ForbiddenError{Address: ip.String()}
	}
	return nil
}

// ForbiddenError is a refused address; its text names the setting that allows it.
type ForbiddenError struct {
	Address string
}

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("the endpoint's address %s is internal (loopback, private, link-local or otherwise not public), "+
		"and Mattermost only lets integrations reach such a host when it is listed in %s", e.Address, AllowSettingName)
}

// IsForbidden reports whether err is (or wraps) a refused address.
func IsForbidden(err error) (*ForbiddenError, bool) {
	var f *ForbiddenError
	ok := errors.As(err, &f)
	return f, ok
}

// dialContext dials through base, refusing addresses the guard does not allow. The check runs
// in the dialer's Control hook on the address being connected to, after name resolution, so a
// name that resolves differently at dial time (DNS rebinding) cannot slip past it. A proxy from
// the environment is dialled (and checked) instead of the endpoint, as in the server.
func (g *Guard) dialContext(base *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if g.HostListed(host) {
			return base.DialContext(ctx, network, addr)
		}
		d := *base
		var refused atomic.Pointer[ForbiddenError] // Control runs concurrently for IPv4 and IPv6
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ipText, _, splitErr := net.SplitHostPort(address)
			if splitErr != nil {
				return splitErr
			}
			if ip := net.ParseIP(ipText); ip == nil || !g.allowsIP(ip) {
				f := &ForbiddenError{Address: ipText}
				refused.Store(f)
				return f
			}
			return nil
		}
		conn, err := d.DialContext(ctx, network, addr)
		if f := refused.Load(); err != nil && f != nil {
			// Every address the name had was refused or failed: say the refusal, which is
			// the one an admin can act on.
			return nil, f
		}
		return conn, err
	}
}

// internalRanges are the non-public ranges Mattermost's own outgoing connections refuse
// (RFC 1918, loopback, link-local, shared, documentation, benchmarking, multicast, reserved,
// and their IPv6 counterparts).
var internalRanges = func() []*net.IPNet {
	cidrs := []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
		"::/128", "::1/128", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "64:ff9b::/96",
		"fc00::/7", "fe80::/10", "ff00::/8",
	}
	out := make([]*net.IPNet, 0, len(cidrs))
	for _, c := range cidrs {
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			panic(err)
		}
		out = append(out, n)
	}
	return out
}()

// IsInternal reports whether ip is not a public unicast address.
func IsInternal(ip net.IP) bool {
	if ip4 := ip.To4(); ip4 != nil {
		ip = ip4 // ::ffff:127.0.0.1 is loopback too
	}
	for _, n := range internalRanges {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

func interfaceIPs() ([]net.IP, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	ips := make([]net.IP, 0, len(addrs))
	for _, a := range addrs {
		switch v := a.(type) {
		case *net.IPNet:
			ips = append(ips, v.IP)
		case *net.IPAddr:
			ips = append(ips, v.IP)
		}
	}
	return ips, nil
}
