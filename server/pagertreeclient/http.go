package pagertreeclient

import (
	"net"
	"net/http"
	"time"
)

// newHTTPClient is the one place both PagerTree clients (integration endpoint and REST API)
// get their transport, so timeouts and outgoing-connection rules apply to both alike.
// Redirects are not followed: PagerTree does not redirect its API or integration URLs, a
// redirected POST would lose its body, and a redirect must not carry a credential elsewhere.
// guard (Mattermost's rule for internal addresses) checks every address dialled; nil allows
// any, for tests only.
func newHTTPClient(timeout time.Duration, guard *Guard) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	dial := dialer.DialContext
	if guard != nil {
		dial = guard.dialContext(dialer)
	}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dial,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
	}
	return &http.Client{
		Timeout:       timeout,
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
