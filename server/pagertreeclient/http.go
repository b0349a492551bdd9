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
func newHTTPClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
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
