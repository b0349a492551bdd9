package main

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

func TestDecodeSettingsIsStrict(t *testing.T) {
	cases := []struct {
		name    string
		raw     map[string]any
		problem string // "" = decodes cleanly
		check   func(settings) bool
	}{
		{"bool as yes", map[string]any{"enabled": "yes"}, `the setting "Enable forwarding" (Enabled) must be true or false, not "yes"`, nil},
		{"bool as true string", map[string]any{"Enabled": "true"}, `the setting "Enable forwarding" (Enabled) must be true or false, not "true"`, nil},
		{"string as number", map[string]any{"triggerwords": 123.0}, "the setting \"Trigger words\" (TriggerWords) must be text, not the number 123", nil},
		{"string as list", map[string]any{"triggerwords": []any{"a"}}, "the setting \"Trigger words\" (TriggerWords) must be text, not a list", nil},
		{"number as bool", map[string]any{"retrywindowminutes": true}, "the setting \"Retry for (minutes)\" (RetryWindowMinutes) must be a whole number, not true", nil},
		{"number as object", map[string]any{"channelcooldownseconds": map[string]any{}}, "(ChannelCooldownSeconds) must be a whole number, not an object", nil},
		{"keys in any case", map[string]any{"TRIGGERWORDS": "fire", "enabled": false}, "", func(s settings) bool { return s.TriggerWords == "fire" && !s.Enabled }},
		{"number as digits", map[string]any{"retrywindowminutes": "30"}, "", func(s settings) bool { return s.RetryWindowMinutes.n == 30 }},
		{"number as JSON number", map[string]any{"retrywindowminutes": 45.0}, "", func(s settings) bool { return s.RetryWindowMinutes.n == 45 }},
		{"null keeps the default", map[string]any{"enabled": nil, "triggerwords": nil}, "", func(s settings) bool { return s.Enabled && s.TriggerWords == defaultSettings().TriggerWords }},
		{"unknown keys ignored", map[string]any{"oldsetting": 5.0}, "", nil},
		{"a mistyped secret is not quoted", map[string]any{"token": 123456.0}, `the setting "PagerTree token" (Token) must be text, not a number`, nil},
		{"masked token is text", map[string]any{"token": model.FakeSetting}, "", func(s settings) bool { return s.Token == model.FakeSetting }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, problems := decodeSettings(c.raw, defaultSettings())
			if c.problem == "" {
				if len(problems) != 0 {
					t.Fatalf("problems %v", problems)
				}
				if c.check != nil && !c.check(s) {
					t.Fatalf("decoded %+v", s)
				}
				return
			}
			if len(problems) != 1 || !strings.Contains(problems[0].Text, c.problem) || !strings.Contains(c.problem, "("+problems[0].Key+")") {
				t.Fatalf("problems %v, want %q", problems, c.problem)
			}
		})
	}
}

// The runtime path (older servers, config from file or environment): a wrongly typed value
// pauses forwarding with the sentence instead of silently turning a setting off.
func TestRuntimeCheckPausesOnWrongTypes(t *testing.T) {
	raw := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	raw["enabled"] = "yes"
	raw["triggerwords"] = 123.0
	c := configFromRaw(raw, "ua", testGuard)
	if c.forwarding() || c.Client != nil {
		t.Fatal("must pause")
	}
	want := `the setting "Enable forwarding" (Enabled) must be true or false, not "yes"; the setting "Trigger words" (TriggerWords) must be text, not the number 123`
	if !strings.HasPrefix(c.Problem, want) {
		t.Fatalf("problem %q", c.Problem)
	}
}

func TestRetryWindowOverflowShowsTheRange(t *testing.T) {
	for _, v := range []any{1000000000.0, "1000000000", 1e300, -5.0} {
		raw := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
		raw["retrywindowminutes"] = v
		c := configFromRaw(raw, "ua", testGuard)
		if !strings.Contains(c.Problem, "the retry window must be between 1 and 1440 minutes") && !strings.Contains(c.Problem, "whole number") {
			t.Fatalf("%v: %q", v, c.Problem)
		}
		if c.RetryWindow < 0 || c.RetryWindow > 1440*60e9 {
			t.Fatalf("%v: retry window %v computed from an out-of-range value", v, c.RetryWindow)
		}
	}
}

func TestEndpointAndTheInternalAddressRule(t *testing.T) {
	guard := pagertreeclient.NewGuard("127.0.0.1 stand-in.lan 10.0.0.0/8")
	cases := []struct {
		endpoint, problem string
	}{
		{"https://api.pagertree.com/integration/int_1", ""},
		{"https://169.254.169.254/latest/meta-data", "169.254.169.254 is internal"},
		{"https://192.168.1.10/x", "AllowedUntrustedInternalConnections"},
		{"https://[::1]/x", "::1 is internal"},
		{"https://localhost/x", "localhost is internal"},
		{"https://10.1.2.3/x", ""},    // inside a listed range
		{"http://127.0.0.1:9/x", ""},  // listed: http allowed (the e2e stand-in)
		{"http://stand-in.lan/x", ""}, // listed by name
		{"http://localhost:9/x", "must use https (plain http is only allowed for a host listed in"},
		{"http://api.pagertree.com/x", "must use https"},
		{"http://10.1.2.3/x", "must use https"}, // a range allows the address, not clear text
	}
	for _, c := range cases {
		s := baseSettings(c.endpoint)
		cfg := buildConfig(s, "ua", guard)
		if c.problem == "" {
			if cfg.Problem != "" {
				t.Errorf("%s: %q", c.endpoint, cfg.Problem)
			}
			continue
		}
		if !strings.Contains(cfg.Problem, c.problem) {
			t.Errorf("%s: problem %q, want %q", c.endpoint, cfg.Problem, c.problem)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.pagertree.com/integration/int_hidden": "https://api.pagertree.com/…",
		"//api.pagertree.com/integration/int_hidden":       "api.pagertree.com/…",
		"api.pagertree.com/integration/int_hidden":         "api.pagertree.com/…",
		"api.pagertree.com:443/integration/int_hidden":     "api.pagertree.com:443/…",
		"https://exa mple.com/int_hidden":                  "https://exa mple.com/…",
		"ftp://someone@host/int_hidden":                    "ftp://host/…",
		"not a url":                                        "not a url",
	} {
		got := redactURL(in)
		if strings.Contains(got, "int_hidden") || strings.HasPrefix(got, "://") {
			t.Errorf("redactURL(%q) = %q leaks the path or shows a bare ://", in, got)
		}
		if got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
	cfg := buildConfig(baseSettings("//api.pagertree.com/integration/int_hidden"), "ua", testGuard)
	if !strings.Contains(cfg.Problem, `"api.pagertree.com/…"`) {
		t.Fatalf("scheme-less endpoint shown as %q", cfg.Problem)
	}
}

// saveEnv is a plugin with a mock API whose stored config holds stored (nil: none).
// saveEnv is a server holding stored as the plugin's settings: GetConfig masks every secret,
// set or not, as the server's does; LoadPluginConfiguration gives the plugin its own unmasked.
func saveEnv(t *testing.T, stored map[string]any, allowed string) (*Plugin, *plugintest.API) {
	api := &plugintest.API{}
	cfg := serverConfig("https://chat.example.com", allowed)
	if stored != nil {
		masked := map[string]any{}
		for k, v := range stored {
			masked[k] = v
			if k == "token" || k == "apikey" {
				masked[k] = model.FakeSetting
			}
		}
		cfg.PluginSettings.Plugins[manifest.Id] = masked
	}
	api.On("GetConfig").Return(cfg).Maybe()
	api.On("LoadPluginConfiguration", mock.Anything).Run(func(args mock.Arguments) {
		m := map[string]any{}
		for k, v := range stored {
			m[k] = v
		}
		*args.Get(0).(*map[string]any) = m
	}).Return(nil).Maybe()
	p := &Plugin{}
	p.SetAPI(api)
	t.Cleanup(func() { api.AssertExpectations(t) })
	return p, api
}

func newServerConfig(plugin map[string]any, allowed string) *model.Config {
	c := serverConfig("https://chat.example.com", allowed)
	c.PluginSettings.Plugins[manifest.Id] = plugin
	return c
}

func TestConfigurationWillBeSaved(t *testing.T) {
	valid := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	with := func(k string, v any) map[string]any {
		m := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
		m[k] = v
		return m
	}
	cases := []struct {
		name    string
		next    map[string]any
		allowed string
		refused string // "" = saved
	}{
		{"valid", with("triggerwords", "fire, outage"), "", ""},
		{"masked token placeholder is not invalid", with("token", model.FakeSetting), "", ""},
		{"bool as yes", with("enabled", "yes"), "", `The PagerTree settings were not saved: the setting "Enable forwarding" (Enabled) must be true or false, not "yes".`},
		{"string as number", with("triggerwords", 123.0), "", "the setting \"Trigger words\" (TriggerWords) must be text, not the number 123"},
		{"no triggers", with("triggerwords", " , "), "", "no trigger words are set"},
		{"retry window", with("retrywindowminutes", 1000000000.0), "", "the retry window must be between 1 and 1440 minutes, not 1000000000"},
		{"metadata endpoint", with("endpointurl", "https://169.254.169.254/x"), "", "AllowedUntrustedInternalConnections"},
		{"loopback listed in the new config", with("endpointurl", "http://127.0.0.1:9/x"), "127.0.0.1", ""},
		{"loopback not listed", with("endpointurl", "http://127.0.0.1:9/x"), "", "must use https"},
		{"no endpoint while disabled is fine", func() map[string]any { m := with("endpointurl", ""); m["enabled"] = false; return m }(), "", ""},
		{"no endpoint while enabled", with("endpointurl", ""), "", "no PagerTree endpoint URL is set"},
		// The REST API's settings are refused in the words the runtime check uses (apiProblems).
		{"API URL not http(s)", with("apibaseurl", "ftp://x"), "", `the PagerTree API URL "ftp://x/…" is not an absolute http(s) URL`},
		{"API URL internal", with("apibaseurl", "https://169.254.169.254"), "", "AllowedUntrustedInternalConnections"},
		{"API URL with a query", with("apibaseurl", "https://api.pagertree.com/?a=b"), "", "the PagerTree API URL must not contain a query or fragment"},
		{"API URL with user info", with("apibaseurl", "https://u:p@api.pagertree.com"), "", "the PagerTree API URL must not contain a user name or password"},
		{"API URL plain http unlisted", with("apibaseurl", "http://pagertree.example"), "", "the PagerTree API URL must use https"},
		{"API key with a line break", with("apikey", "ptk_a\nX-Other: 1"), "", "the PagerTree API key holds a space, line break or control character"},
		{"API key with a tab", with("apikey", "ptk\tb"), "", "the PagerTree API key holds a space"},
		{"API key padded is fine", with("apikey", "  ptk_ok \n"), "", ""},
		{"PagerTree team members without a key", with("whomaypress", "pagertree_users"), "", `"PagerTree team members", which needs a PagerTree API key`},
		{"PagerTree team members with a key", func() map[string]any { m := with("whomaypress", "pagertree_users"); m["apikey"] = "ptk_ok"; return m }(), "", ""},
		{"thread replies as comments without a key", with("sendrepliesascomments", true), "", `"Send thread replies to PagerTree as comments" is on, which needs a PagerTree API key`},
		{"thread replies as comments with a key", func() map[string]any { m := with("sendrepliesascomments", true); m["apikey"] = "ptk_ok"; return m }(), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, _ := saveEnv(t, valid, c.allowed)
			got, err := p.ConfigurationWillBeSaved(newServerConfig(c.next, c.allowed))
			if got != nil {
				t.Fatal("the hook never rewrites the config")
			}
			if c.refused == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var appErr *model.AppError
			if !errors.As(err, &appErr) || appErr.StatusCode != http.StatusBadRequest || !appErr.SkipTranslation {
				t.Fatalf("want a 400 AppError shown as is, got %#v", err)
			}
			if !strings.Contains(appErr.Message, c.refused) || !strings.HasPrefix(appErr.Message, "The PagerTree settings were not saved: ") {
				t.Fatalf("message %q, want %q", appErr.Message, c.refused)
			}
		})
	}
}

func TestConfigurationWillBeSavedLetsOtherSettingsThrough(t *testing.T) {
	// An invalid PagerTree section is already stored (from a file, or an older server);
	// saving some other setting with it unchanged is not blocked.
	bad := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	bad["enabled"] = "yes"
	bad["token"] = "real-secret"
	p, _ := saveEnv(t, bad, "")
	next := map[string]any{}
	for k, v := range bad {
		next[k] = v
	}
	next["token"], next["apikey"] = model.FakeSetting, model.FakeSetting // what the console sends back
	if _, err := p.ConfigurationWillBeSaved(newServerConfig(next, "")); err != nil {
		t.Fatalf("unchanged PagerTree settings must not block: %v", err)
	}
	// No PagerTree section at all: nothing to check.
	p2, _ := saveEnv(t, nil, "")
	if _, err := p2.ConfigurationWillBeSaved(serverConfig("https://chat.example.com", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := p2.ConfigurationWillBeSaved(nil); err != nil {
		t.Fatal(err)
	}
}

// The guard follows the server config: OnConfigurationChange runs on every config change.
func TestGuardFollowsServerConfigChanges(t *testing.T) {
	api := &plugintest.API{}
	allowLogs(api)
	s := baseSettings("http://127.0.0.1:9/x")
	api.On("LoadPluginConfiguration", mock.Anything).Run(func(args mock.Arguments) {
		*args.Get(0).(*map[string]any) = storedSettings(s)
	}).Return(nil)
	listed := serverConfig("https://chat.example.com", "127.0.0.1")
	api.On("GetConfig").Return(listed).Once()
	api.On("GetConfig").Return(serverConfig("https://chat.example.com", "")).Once()
	p := &Plugin{}
	p.SetAPI(api)
	if err := p.OnConfigurationChange(); err != nil || !p.config.Load().forwarding() {
		t.Fatalf("listed: %v %q", err, p.config.Load().Problem)
	}
	if err := p.OnConfigurationChange(); err != nil || p.config.Load().forwarding() || !strings.Contains(p.config.Load().Problem, "AllowedUntrustedInternalConnections") {
		t.Fatalf("unlisted: %v %q", err, p.config.Load().Problem)
	}
	api.AssertExpectations(t)
}

func TestConfigurationWillBeSavedChecksTheExternalAlertsChannel(t *testing.T) {
	valid := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	goneID, dmID := "gonegonegonegonegonegonego", "dmdmdmdmdmdmdmdmdmdmdmdmdm"
	cases := []struct {
		name, value string
		channel     *model.Channel
		appErr      *model.AppError
		refused     string
	}{
		{"a public channel", publicID, &model.Channel{Id: publicID, Type: model.ChannelTypeOpen}, nil, ""},
		{"not an id", "town-square", nil, nil, `is "town-square", which is not a channel id`},
		{"missing", goneID, nil, model.NewAppError("GetChannel", "not_found", nil, "", http.StatusNotFound), "does not exist"},
		{"archived", publicID, &model.Channel{Id: publicID, Name: "old", Type: model.ChannelTypeOpen, DeleteAt: 5}, nil, "(~old) is archived"},
		{"direct message", dmID, &model.Channel{Id: dmID, Type: model.ChannelTypeDirect}, nil, "not a direct or group message"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, api := saveEnv(t, valid, "")
			if c.channel != nil || c.appErr != nil {
				api.On("GetChannel", c.value).Return(c.channel, c.appErr).Once()
			}
			next := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
			next["externalalertschannel"] = c.value
			_, err := p.ConfigurationWillBeSaved(newServerConfig(next, ""))
			if c.refused == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.refused) {
				t.Fatalf("got %v, want %q", err, c.refused)
			}
		})
	}
}
