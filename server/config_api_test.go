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
	if cfg.REST.API != nil || !strings.Contains(cfg.REST.Problem, "must use https") || !strings.Contains(apiStatus(cfg.REST), "must use https") || !cfg.forwarding() {
		t.Fatalf("bad URL: %+v, forwarding %v", cfg.REST, cfg.forwarding())
	}
	// Whoever reads apiUnavailable (non-admins too) is not shown the URL rule or the setting's name.
	if why := cfg.REST.apiUnavailable(); why != "the plugin's PagerTree API settings need fixing" {
		t.Fatalf("for anyone: %q", why)
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

// Servers without the save hook (before 8.0, or settings from a file) get the save's
// sentences at runtime: the API is not used, and /pagertree status says why.
func TestAPIProblemsAtRuntimeInTheSaveWords(t *testing.T) {
	cases := []struct {
		name  string
		tweak func(*settings)
		says  string
	}{
		{"key with a line break", func(s *settings) { s.APIKey = "ptk\nX: y" }, "the PagerTree API key holds a space, line break or control character: paste the key again exactly as PagerTree shows it"},
		{"URL with a fragment", func(s *settings) { s.APIKey, s.APIBaseURL = savedKey, "https://api.pagertree.com/#x" }, "the PagerTree API URL must not contain a query or fragment"},
		{"PagerTree team members without a key", func(s *settings) { s.WhoMayPress = "pagertree_users" }, errPressNeedsKey.Error()},
		{"thread replies as comments without a key", func(s *settings) { s.SendRepliesAsComments = true }, errCommentsNeedKey.Error()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := baseSettings("https://api.pagertree.com/integration/int_abc")
			c.tweak(&s)
			cfg := buildConfig(s, "ua", testGuard)
			saved := saveProblems(storedSettings(s), "ua", testGuard)
			if cfg.REST.API != nil || !cfg.forwarding() || apiStatus(cfg.REST) != "needs fixing: "+c.says || len(saved) != 1 || saved[0].Text != c.says {
				t.Fatalf("status %q, save %q", apiStatus(cfg.REST), saved)
			}
		})
	}
}
