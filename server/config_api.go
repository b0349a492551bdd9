package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// apiConfig is the PagerTree REST API part of the configuration. It is independent of
// forwarding: a bad API setting never pauses paging, and paging settings never disable it.
type apiConfig struct {
	API     *pagertreeclient.API // nil when no key is set or the URL is invalid
	KeySet  bool
	BaseURL string // normalized; the only URL the saved key is ever sent to
	Host    string
	Problem string // one sentence when the key is set but cannot be used
}

// buildAPIConfig validates the API key and base URL settings.
func buildAPIConfig(s settings, userAgent string, guard *pagertreeclient.Guard) apiConfig {
	c := apiConfig{KeySet: strings.TrimSpace(s.APIKey) != ""}
	base, host, err := normalizeAPIBaseURL(s.APIBaseURL, guard)
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	c.BaseURL, c.Host = base, host
	if c.KeySet {
		c.API = pagertreeclient.NewAPI(base, strings.TrimSpace(s.APIKey), pagertreeclient.DefaultTimeout, userAgent, guard)
	}
	return c
}

// normalizeAPIBaseURL wants an absolute https URL without credentials, query or fragment
// ("" means PagerTree's). Mattermost's rule for internal addresses applies as for the endpoint:
// plain http only for a host listed in AllowedUntrustedInternalConnections, an internal IP
// literal only when allowed there.
func normalizeAPIBaseURL(raw string, guard *pagertreeclient.Guard) (base, host string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = pagertreeclient.DefaultAPIBaseURL
	}
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", "", fmt.Errorf("the PagerTree API URL %q is not an absolute http(s) URL: leave it as %s unless you use a PagerTree test server", redactURL(raw), pagertreeclient.DefaultAPIBaseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("the PagerTree API URL must not contain a user name, password, query or fragment")
	}
	if u.Scheme == "http" && !guard.HostListed(u.Hostname()) {
		return "", "", fmt.Errorf("the PagerTree API URL must use https (plain http is only allowed for a host listed in %s)", pagertreeclient.AllowSettingName)
	}
	if err := guard.CheckLiteral(u.Hostname()); err != nil {
		return "", "", err
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), u.Host, nil
}

// apiUnavailable says in one sentence why the REST API cannot be used, or "" when it can.
func (c apiConfig) apiUnavailable() string {
	switch {
	case c.Problem != "" && c.KeySet:
		return "the PagerTree API settings need fixing: " + c.Problem
	case !c.KeySet:
		return "no PagerTree API key is set in the plugin settings"
	}
	return ""
}

// apiStatus says whether the REST API is usable, for /pagertree status (never the key itself).
func apiStatus(c apiConfig) string {
	if why := c.apiUnavailable(); why != "" {
		if !c.KeySet {
			return "no API key (on-call and acting on alerts are off)"
		}
		return why
	}
	return "API key set · " + c.Host
}
