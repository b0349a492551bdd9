package pagertreeclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestIsInternal(t *testing.T) {
	for _, tc := range []struct {
		ip       string
		internal bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true}, {"::ffff:127.0.0.1", true},
		{"10.1.2.3", true}, {"172.16.0.1", true}, {"172.31.255.255", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"fe80::1", true}, {"fd00::1", true}, {"0.0.0.0", true}, {"::", true},
		{"100.64.0.1", true}, {"224.0.0.1", true}, {"255.255.255.255", true}, {"198.18.0.1", true},
		{"8.8.8.8", false}, {"172.32.0.1", false}, {"52.1.2.3", false}, {"2606:4700::1111", false},
	} {
		if got := IsInternal(net.ParseIP(tc.ip)); got != tc.internal {
			t.Errorf("IsInternal(%s) = %v, want %v", tc.ip, got, tc.internal)
		}
	}
}

func noOwnIPs() ([]net.IP, error) { return nil, nil }

func TestGuardFollowsTheServersRule(t *testing.T) {
	g := NewGuard("pagertree.internal, 127.0.0.1  10.0.0.0/8,::1")
	g.ownIPs = func() ([]net.IP, error) { return []net.IP{net.ParseIP("52.9.9.9")}, nil }
	for _, tc := range []struct {
		host, ip string
		ok       bool
	}{
		{"api.pagertree.com", "52.1.2.3", true},      // public
		{"api.pagertree.com", "52.9.9.9", false},     // this server's own public address
		{"evil.example", "169.254.169.254", false},   // metadata service
		{"evil.example", "127.0.0.1", false},         // a name for loopback, not listed by name
		{"evil.example", "10.2.3.4", true},           // inside a listed range
		{"PagerTree.Internal", "192.168.5.5", true},  // listed by name: any address
		{"127.0.0.1", "127.0.0.1", true},             // listed IP written in the URL
		{"localhost", "127.0.0.1", false},            // the listed IP does not cover a name
		{"::1", "::1", true}, {"[::1]", "::1", true}, // IPv6 literal
		{"192.168.0.1", "192.168.0.1", false},             // unlisted private literal
		{"evil.example", "::ffff:169.254.169.254", false}, // mapped IPv4
		{"api.pagertree.com", "2606:4700::1111", true},    // public IPv6
	} {
		if got := g.Allows(tc.host, net.ParseIP(tc.ip)); got != tc.ok {
			t.Errorf("Allows(%s, %s) = %v, want %v", tc.host, tc.ip, got, tc.ok)
		}
	}
	if NewGuard("").Allows("x", net.ParseIP("127.0.0.1")) {
		t.Error("nothing listed: loopback refused")
	}
}

func TestCheckLiteral(t *testing.T) {
	g := NewGuard("127.0.0.1 10.0.0.0/8")
	g.ownIPs = noOwnIPs
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{"api.pagertree.com", true}, {"169.254.169.254", false}, {"127.0.0.1", true}, {"10.9.9.9", true},
		{"192.168.1.1", false}, {"localhost", false}, {"app.localhost", false}, {"[::1]", false}, {"8.8.8.8", true},
	} {
		err := g.CheckLiteral(tc.host)
		if (err == nil) != tc.ok {
			t.Errorf("CheckLiteral(%s) = %v, want ok=%v", tc.host, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "AllowedUntrustedInternalConnections") {
			t.Errorf("the refusal must name the setting: %v", err)
		}
	}
}

// A name that resolves to loopback is refused at dial time: the check sees the address
// actually connected to, not the name in the URL.
func TestDialRefusesTheAddressActuallyDialled(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	_, port, _ := net.SplitHostPort(u.Host)

	guard := NewGuard("")
	guard.ownIPs = noOwnIPs
	// "localhost" resolves to 127.0.0.1 (or ::1): refused although the URL holds a name.
	for _, endpoint := range []string{"http://localhost:" + port + "/int", srv.URL + "/int"} {
		o := New(endpoint, "tok", paging.FormatMattermost, time.Second, "", guard).Send(context.Background(), alert())
		if o.Class != paging.Permanent || o.StatusCode != 0 || !strings.Contains(o.Meaning, "AllowedUntrustedInternalConnections") {
			t.Fatalf("%s: %+v", endpoint, o)
		}
	}
	if hits != 0 {
		t.Fatalf("the refused endpoint was reached %d times", hits)
	}

	// Listed by IP (the e2e harness's setting): allowed.
	listed := NewGuard("127.0.0.1")
	if o := New(srv.URL+"/int", "tok", paging.FormatMattermost, time.Second, "", listed).Send(context.Background(), alert()); o.Class != paging.Delivered {
		t.Fatalf("listed: %+v", o)
	}
	// Listed as a range: the dialled address is inside it.
	ranged := NewGuard("127.0.0.0/8")
	if o := New("http://localhost:"+port+"/int", "tok", paging.FormatMattermost, time.Second, "", ranged).Send(context.Background(), alert()); o.Class != paging.Delivered {
		t.Fatalf("range: %+v", o)
	}
	if hits != 2 {
		t.Fatalf("hits = %d, want 2", hits)
	}
}

func TestMetadataAddressRefusedWithoutConnecting(t *testing.T) {
	g := NewGuard("")
	start := time.Now()
	o := New("https://169.254.169.254/latest/meta-data", "tok", paging.FormatWebhook, 5*time.Second, "", g).Send(context.Background(), alert())
	// The address is for admins (Error); the meaning, which may reach the poster, names the setting.
	if o.Class != paging.Permanent || !strings.Contains(o.Error, "169.254.169.254") ||
		strings.Contains(o.Meaning, "169.254") || !strings.Contains(o.Meaning, "AllowedUntrustedInternalConnections") {
		t.Fatalf("%+v", o)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("the refusal must come before any connection attempt, not after a timeout")
	}
}

// The REST API client refuses an internal API URL for good, naming the setting that allows it.
func TestRESTInternalAddressIsNotTransient(t *testing.T) {
	api := NewAPI("https://169.254.169.254", "key", 5*time.Second, "", NewGuard(""))
	_, _, err := api.Teams(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Kind != KindInternal || ae.Retryable() ||
		!strings.Contains(ae.Sentence(), "AllowedUntrustedInternalConnections") || strings.Contains(ae.Sentence(), "169.254") {
		t.Fatalf("%v", err)
	}
}
