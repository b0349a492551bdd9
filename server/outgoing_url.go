package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// checkOutgoingURL is the one rule for a URL the plugin sends a secret to (the integration's
// endpoint with its token, the REST API with its key): absolute http(s) without a user name or
// password. Plain http only for a host listed in Mattermost's AllowedUntrustedInternalConnections
// (a stand-in on a trusted network): on any other host it would send the secret in clear. An IP
// literal (or localhost) must pass the guard now; names are checked on the address dialled.
// what names the setting in sentences ("the endpoint URL"), fix says how to put a garbled one right.
func checkOutgoingURL(raw, what, fix string, guard *pagertreeclient.Guard) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%s %q is not an absolute http(s) URL: %s", what, redactURL(raw), fix)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%s must not contain a user name or password", what)
	}
	if u.Scheme == "http" && !guard.HostListed(u.Hostname()) {
		return nil, fmt.Errorf("%s must use https (plain http is only allowed for a host listed in %s)", what, pagertreeclient.AllowSettingName)
	}
	if err := guard.CheckLiteral(u.Hostname()); err != nil {
		return nil, err
	}
	return u, nil
}

// outgoingURLHint is the warning (not a refusal) about an acceptable URL for a secret, for the
// panel: plain http (allowed only because the host is listed) sends the secret in clear, and a
// host outside PagerTree's domain is most likely a mistake. secret names what is sent
// ("the token"); usual says what PagerTree's own URL looks like, in a sentence.
func outgoingURLHint(u *url.URL, secret, usual string) string {
	host := strings.ToLower(u.Hostname())
	switch {
	case u.Scheme == "http":
		return fmt.Sprintf("Plain http sends %s in clear: it is allowed because %s is listed in %s; PagerTree itself needs https.", secret, host, pagertreeclient.AllowSettingName)
	case host != "pagertree.com" && !strings.HasSuffix(host, ".pagertree.com"):
		return fmt.Sprintf("%s is not a PagerTree host: %s", host, usual)
	}
	return ""
}
