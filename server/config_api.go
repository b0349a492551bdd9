package main

import (
	"fmt"
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

// normalizeAPIBaseURL applies the rule for URLs that get a secret (checkOutgoingURL) to the API
// URL ("" means PagerTree's), which also may not hold a query or fragment.
func normalizeAPIBaseURL(raw string, guard *pagertreeclient.Guard) (base, host string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = pagertreeclient.DefaultAPIBaseURL
	}
	u, err := checkOutgoingURL(raw, "the PagerTree API URL", "leave it as "+pagertreeclient.DefaultAPIBaseURL+" unless you use a PagerTree test server", guard)
	if err != nil {
		return "", "", err
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", "", fmt.Errorf("the PagerTree API URL must not contain a query or fragment")
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

// actor is what acts on delivered alerts (acknowledge, resolve) with this configuration's
// clients: the REST API when a key is set, else the Webhook integration, else nothing.
func (c *runtimeConfig) actor() pagertreeclient.Actor {
	if c == nil {
		return pagertreeclient.Actor{}
	}
	return pagertreeclient.Actor{API: c.REST.API, Integration: c.Client}
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
