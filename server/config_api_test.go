package main

import (
	"strings"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestNormalizeAPIBaseURL(t *testing.T) {
	cases := []struct{ in, base, problem string }{
		{"", "https://api.pagertree.com", ""},
		{" https://API.PagerTree.com/ ", "https://api.pagertree.com", ""},
		{"https://pt.example.com/prefix/", "https://pt.example.com/prefix", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"http://api.pagertree.com", "", "must use https"},
		{"http://localhost:8080", "", "plain http is only allowed for a host listed in"}, // issue 10: listed hosts only
		{"https://169.254.169.254/", "", "AllowedUntrustedInternalConnections"},
		{"api.pagertree.com", "", "not an absolute"},
		{"https://u:p@api.pagertree.com", "", "user name"},
		{"https://api.pagertree.com/?x=1", "", "query"},
	}
	for _, c := range cases {
		base, _, err := normalizeAPIBaseURL(c.in, testGuard)
		if c.problem == "" && (err != nil || base != c.base) {
			t.Errorf("%q: %q %v", c.in, base, err)
		}
		if c.problem != "" && (err == nil || !strings.Contains(err.Error(), c.problem)) {
			t.Errorf("%q: want %q, got %v", c.in, c.problem, err)
		}
	}
}

func TestAPISettingsNeverPauseForwarding(t *testing.T) {
	s := baseSettings("https://api.pagertree.com/integration/int_abc")
	cfg := buildConfig(s, "ua", testGuard)
	if cfg.REST.API != nil || cfg.REST.KeySet || !strings.Contains(cfg.REST.apiUnavailable(), "no PagerTree API key") || !cfg.forwarding() {
		t.Fatalf("no key: %+v", cfg.REST)
	}
	s.APIKey, s.APIBaseURL = savedKey, "http://pagertree.example"
	cfg = buildConfig(s, "ua", testGuard)
	if cfg.REST.API != nil || !strings.Contains(cfg.REST.apiUnavailable(), "must use https") || !cfg.forwarding() {
		t.Fatalf("bad URL: %+v, forwarding %v", cfg.REST, cfg.forwarding())
	}
	if strings.Contains(cfg.REST.apiUnavailable(), savedKey) || strings.Contains(apiStatus(cfg.REST), savedKey) {
		t.Fatal("the key leaked")
	}
	s.APIBaseURL = ""
	cfg = buildConfig(s, "ua", testGuard)
	if cfg.REST.API == nil || cfg.REST.Host != "api.pagertree.com" || apiStatus(cfg.REST) != "API key set · api.pagertree.com" {
		t.Fatalf("%+v", cfg.REST)
	}
}

func TestActorFollowsTheConfiguration(t *testing.T) {
	s := baseSettings("https://api.pagertree.com/integration/int_abc")
	s.Format = "webhook"
	target := pagertreeclient.Target{ThirdpartyID: "p1", Format: paging.FormatWebhook}
	if d := buildConfig(s, "ua", testGuard).Followup.Actor.Decide(target); d.Route != pagertreeclient.RouteWebhook {
		t.Fatal(d.Route)
	}
	s.APIKey = savedKey
	if d := buildConfig(s, "ua", testGuard).Followup.Actor.Decide(target); d.Route != pagertreeclient.RouteAPI {
		t.Fatal(d.Route)
	}
	s.APIKey, s.Format = "", "mattermost"
	if d := buildConfig(s, "ua", testGuard).Followup.Actor.Decide(target); d.Route != pagertreeclient.RouteNone || !strings.Contains(d.Why, "no PagerTree API key") {
		t.Fatal(d.Route, d.Why)
	}
	// Settings that pause forwarding leave no integration client to act through.
	s.Format, s.EndpointURL = "webhook", ""
	if d := buildConfig(s, "ua", testGuard).Followup.Actor.Decide(target); d.Route != pagertreeclient.RouteNone {
		t.Fatal(d.Route)
	}
}
