package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
)

func TestBuildConfig(t *testing.T) {
	cases := []struct {
		name    string
		tweak   func(*settings)
		problem string // "" = valid
	}{
		{"defaults with endpoint", nil, ""},
		{"no endpoint", func(s *settings) { s.EndpointURL = "" }, "no PagerTree endpoint URL"},
		{"relative URL", func(s *settings) { s.EndpointURL = "api.pagertree.com/int_1" }, "not an absolute"},
		{"ftp URL", func(s *settings) { s.EndpointURL = "ftp://api.pagertree.com/x" }, "not an absolute"},
		{"plain http to a remote host", func(s *settings) { s.EndpointURL = "http://api.pagertree.com/x" }, "must use https"},
		{"plain http to loopback", func(s *settings) { s.EndpointURL = "http://127.0.0.1:9/x" }, ""},
		{"credentials in URL", func(s *settings) { s.EndpointURL = "https://u:p@api.pagertree.com/x" }, "user name or password"},
		{"no triggers", func(s *settings) { s.TriggerWords = " , ," }, "no trigger words"},
		{"phrase in first-word mode", func(s *settings) { s.MatchMode = "first_word_is"; s.TriggerWords = "db down" }, "has a space"},
		{"unknown match mode", func(s *settings) { s.MatchMode = "fuzzy" }, "match mode"},
		{"unknown format", func(s *settings) { s.Format = "email" }, "integration format"},
		{"bad alias target", func(s *settings) { s.UrgencyAliases = "p1=urgent" }, "not low, medium, high or critical"},
		{"bad default urgency", func(s *settings) { s.DefaultUrgency = "urgent" }, "default urgency"},
		{"bad channel id", func(s *settings) { s.ChannelAllowList = "town-square" }, "not a channel id"},
		{"negative cooldown", func(s *settings) { s.ChannelCooldownSeconds = flexInt{n: -1, set: true} }, "cooldown"},
		{"retry window zero", func(s *settings) { s.RetryWindowMinutes = flexInt{n: 0, set: true} }, "retry window"},
		{"bad emoji", func(s *settings) { s.ReactionEmoji = "rotating light!" }, "emoji"},
		{"emoji with colons", func(s *settings) { s.ReactionEmoji = ":fire:" }, ""},
		{"unknown status updates", func(s *settings) { s.StatusUpdates = "replies_only" }, "status updates"},
		{"card only", func(s *settings) { s.StatusUpdates = "card_only" }, ""},
		{"alert lifetime zero", func(s *settings) { s.AlertLifetimeDays = flexInt{n: 0, set: true} }, "alerts can be followed for 1 to 365 days"},
		{"alert lifetime as text", func(s *settings) { s.AlertLifetimeDays = flexInt{bad: "a month"} }, "alert lifetime"},
		{"unknown press rule", func(s *settings) { s.WhoMayPress = "everyone" }, "who may acknowledge and resolve"},
		{"unknown updates mode", func(s *settings) { s.UpdatesArrive = "sometimes" }, "how PagerTree's updates arrive"},
		{"poll interval too short", func(s *settings) { s.PollSeconds = flexInt{n: 1, set: true} }, "poll interval"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := baseSettings("https://api.pagertree.com/integration/int_abc")
			if c.tweak != nil {
				c.tweak(&s)
			}
			cfg := buildConfig(s, "ua", testGuard)
			if c.problem == "" {
				if cfg.Problem != "" || cfg.Client == nil || !cfg.forwarding() {
					t.Fatalf("want valid, got problem %q", cfg.Problem)
				}
				return
			}
			if !strings.Contains(cfg.Problem, c.problem) || cfg.Client != nil || cfg.forwarding() {
				t.Fatalf("problem %q, want it to mention %q", cfg.Problem, c.problem)
			}
			if strings.Contains(cfg.Problem, token) {
				t.Fatal("the token leaked into the problem text")
			}
		})
	}
}

func TestBuildConfigValues(t *testing.T) {
	s := baseSettings("https://api.pagertree.com/integration/int_abc")
	s.ReactionEmoji = ":fire:"
	s.ChannelCooldownSeconds = flexInt{n: 30, set: true}
	s.ChannelAllowList = publicID + "\n" + privateID
	cfg := buildConfig(s, "ua", testGuard)
	if cfg.ReactionEmoji != "fire" || cfg.Cooldown != 30*time.Second || len(cfg.AllowList) != 2 || cfg.EndpointHost != "api.pagertree.com" || !cfg.TokenSet || cfg.RetryWindow != time.Hour {
		t.Fatalf("%+v", cfg)
	}
	if !strings.HasPrefix(cfg.state(), "on") {
		t.Fatal(cfg.state())
	}
	if f := cfg.Followup; !f.StatusReplies || f.AlertLifetime != 30*24*time.Hour || f.WhoMayPress != followup.PressChannelMembers ||
		f.Updates.Mode != followup.UpdatesPushed || f.Updates.Every != 30*time.Second || f.Actor.Integration != cfg.Client {
		t.Fatalf("follow-up defaults: %+v", f)
	}
	s.Enabled = false
	if st := buildConfig(s, "ua", testGuard).state(); !strings.HasPrefix(st, "off") {
		t.Fatal(st)
	}
}

func TestFlexIntAcceptsNumbersAndStrings(t *testing.T) {
	for in, want := range map[string]int{`60`: 60, `"45"`: 45, `30.0`: 30, `" 5 "`: 5} {
		var f flexInt
		if err := json.Unmarshal([]byte(in), &f); err != nil {
			t.Fatal(err)
		}
		if v, err := f.value("x", 0); err != nil || v != want {
			t.Errorf("%s -> %d, %v", in, v, err)
		}
	}
	var f flexInt
	_ = json.Unmarshal([]byte(`"soon"`), &f)
	if _, err := f.value("the retry window", 60); err == nil || !strings.Contains(err.Error(), "soon") {
		t.Fatalf("bad number: %v", err)
	}
	_ = json.Unmarshal([]byte(`null`), &f)
	if v, _ := f.value("x", 7); v != 7 {
		t.Fatal("null takes the default")
	}
}

func TestInvalidConfigIsLoggedOnceWithoutSecrets(t *testing.T) {
	_, env := standInAndEnv(t, func(s *settings) { s.TriggerWords = "" })
	calls := 0
	for _, c := range env.api.Calls {
		if c.Method == "LogError" {
			calls++
			msg := c.Arguments.String(0)
			if !strings.Contains(msg, "paused") || !strings.Contains(msg, "trigger words") || strings.Contains(msg, token) {
				t.Fatalf("log %q", msg)
			}
		}
	}
	_ = env.p.OnConfigurationChange() // same problem again: not logged twice
	n := 0
	for _, c := range env.api.Calls {
		if c.Method == "LogError" {
			n++
		}
	}
	if calls != 1 || n != 1 {
		t.Fatalf("logged %d then %d times", calls, n)
	}
}

// TestManifest validates plugin.json with the server library's own manifest checks.
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("../plugin.json")
	if err != nil {
		t.Fatal(err)
	}
	var m model.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if err := m.IsValid(); err != nil {
		t.Fatalf("plugin.json is not a valid manifest: %v", err)
	}
	if m.Id != "pagertree" || manifest.Id != m.Id || manifest.Version != m.Version {
		t.Fatalf("id %q, embedded %q %q", m.Id, manifest.Id, manifest.Version)
	}
	for _, p := range []string{"linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"} {
		if m.Server.Executables[p] == "" {
			t.Errorf("no executable for %s", p)
		}
	}
	// The oldest server the end-to-end suite passes on (e2e/mmserver/7.4); 7.3 and older are refused.
	if ok, err := m.MeetMinServerVersion("7.4.0"); !ok || err != nil {
		t.Fatalf("min_server_version: %v %v", ok, err)
	}
	if ok, _ := m.MeetMinServerVersion("7.0.0"); ok {
		t.Fatal("min_server_version lets Mattermost 7.0 load the plugin; it has no EnsureBotUser")
	}
	// Every setting key in plugin.json is read by the settings struct, and vice versa.
	fields := map[string]bool{}
	b, _ := json.Marshal(defaultSettings()) //nolint:gosec // G117: only the keys are read; the defaults hold no secret
	var asMap map[string]any
	_ = json.Unmarshal(b, &asMap)
	for k := range asMap {
		fields[strings.ToLower(k)] = true
	}
	for _, s := range m.SettingsSchema.Settings {
		if s.Type == "custom" && !fields[strings.ToLower(s.Key)] {
			continue // display-only panels (test button, preview, history)
		}
		if !fields[strings.ToLower(s.Key)] {
			t.Errorf("setting %s is not read by the server", s.Key)
		}
		delete(fields, strings.ToLower(s.Key))
		if (strings.EqualFold(s.Key, "Token") || strings.EqualFold(s.Key, "APIKey")) && !s.Secret {
			t.Errorf("%s must be a secret setting", s.Key)
		}
	}
	if len(fields) != 0 {
		t.Errorf("settings read by the server but missing from plugin.json: %v", fields)
	}
	// The defaults come from plugin.json's settings_schema.
	d := defaultSettings()
	if !d.Enabled || d.TriggerWords != "outage, sev-1, #page" || d.MatchMode != "whole_word" || d.ReactionEmoji != "rotating_light" ||
		d.WatchPrivateChannels || !d.OneAlertPerThread {
		t.Errorf("defaults %+v", d)
	}
	if v, err := d.RetryWindowMinutes.value("x", 0); err != nil || v != 60 {
		t.Errorf("retry window default %d %v", v, err)
	}
}
