package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"
)

func TestSecretBindingRefusal(t *testing.T) {
	const endpoint = "https://api.pagertree.com/integration/int_1"
	cases := []struct {
		name                string
		b                   boundSecret
		secret, saved, next string
		kept                bool
		refused             string // "" = allowed
	}{
		{"token, same endpoint", tokenBinding, "tok", endpoint, endpoint, true, ""},
		{"token, host case only", tokenBinding, "tok", endpoint, "https://API.pagertree.com/integration/int_1", true, ""},
		{"token, other host", tokenBinding, "tok", endpoint, "https://evil.example/integration/int_1", true, "enter the token again: the saved token is only sent to the saved endpoint"},
		{"token, other path", tokenBinding, "tok", endpoint, "https://api.pagertree.com/integration/int_2", true, "only sent to the saved endpoint"},
		{"token, user info added", tokenBinding, "tok", endpoint, "https://x@api.pagertree.com/integration/int_1", true, "only sent to the saved endpoint"},
		{"token typed for another host", tokenBinding, "tok", endpoint, "https://evil.example/x", false, ""},
		{"no token saved", tokenBinding, "", endpoint, "https://evil.example/x", true, ""},
		{"key, same URL (default spelled out)", apiKeyBinding, "k", "", "https://api.pagertree.com/", true, ""},
		{"key, other host", apiKeyBinding, "k", "", "https://evil.example", true, "the saved API key is only sent to the saved PagerTree API URL; type the key again to use it with evil.example"},
		{"key, other path", apiKeyBinding, "k", "https://pt.example/a", "https://pt.example/b", true, "only sent to the saved PagerTree API URL"},
		{"key, saved URL invalid", apiKeyBinding, "k", "ftp://x", "https://pt.example", true, "type the key again"},
		{"key typed for another host", apiKeyBinding, "k", "", "https://evil.example", false, ""},
		{"no key saved", apiKeyBinding, " ", "", "https://evil.example", true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.b.refusal(c.secret, c.saved, c.next, c.kept, testGuard)
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

// One rule, one sentence: the save says what "Send test alert" and "Check API key" say.
func TestSaveRefusesASecretBehindItsMaskInTheButtonsWords(t *testing.T) {
	stored := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	stored["apikey"] = savedKey
	cases := []struct {
		name   string
		change map[string]any
		button func() error // the same change pressed as the button
		saved  bool
	}{
		{"endpoint moved, token masked", map[string]any{"endpointurl": "https://evil.example/integration/int_1", "token": model.FakeSetting},
			func() error {
				_, err := screenSettings(stored, map[string]any{"EndpointURL": "https://evil.example/integration/int_1", "Token": model.FakeSetting}, true)
				return err
			}, false},
		{"API URL moved, key masked", map[string]any{"apibaseurl": "https://evil.example", "apikey": model.FakeSetting},
			func() error {
				s, _ := decodeSettings(stored, defaultSettings())
				u, k := "https://evil.example", model.FakeSetting
				req := checkAPIKeyRequest{}
				req.Settings.APIBaseURL, req.Settings.APIKey = &u, &k
				_, _, err := apiForCheck(s, req, "ua", testGuard)
				return err
			}, false},
		{"endpoint moved, token typed", map[string]any{"endpointurl": "https://evil.example/integration/int_1", "token": "typed"}, nil, true},
		{"API URL moved, key typed", map[string]any{"apibaseurl": "https://pt.example", "apikey": "typed"}, nil, true},
		{"key masked, URL unchanged", map[string]any{"apikey": model.FakeSetting, "triggerwords": "fire"}, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next := map[string]any{}
			for k, v := range stored {
				next[k] = v
			}
			for k, v := range c.change {
				next[k] = v
			}
			p, _ := saveEnv(t, stored, "")
			_, err := p.ConfigurationWillBeSaved(newServerConfig(next, ""))
			if c.saved {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var appErr *model.AppError
			if !errors.As(err, &appErr) {
				t.Fatalf("saved, want a refusal: %v", err)
			}
			pressed := c.button()
			var re *requestError
			words := ""
			if errors.As(pressed, &re) {
				words = strings.TrimSuffix(re.msg, ".")
			} else if pressed != nil {
				words = pressed.Error()
			}
			if words == "" || !strings.Contains(strings.ToLower(appErr.Message), strings.ToLower(words)) {
				t.Fatalf("save said %q, the button %q", appErr.Message, words)
			}
		})
	}
}

// The server masks every secret in GetConfig, set or not (and the console sends the mask back for
// an empty one too): with no key saved, a new API URL is saved whatever the key field shows.
func TestSaveWithNoSecretSavedMovesTheURLFreely(t *testing.T) {
	stored := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	stored["token"], stored["apikey"] = "", ""
	next := map[string]any{}
	for k, v := range stored {
		next[k] = v
	}
	next["token"], next["apikey"] = model.FakeSetting, model.FakeSetting
	next["apibaseurl"], next["endpointurl"] = "https://pt.example", "https://api.pagertree.com/integration/int_2"
	p, api := saveEnv(t, stored, "")
	if _, err := p.ConfigurationWillBeSaved(newServerConfig(next, "")); err != nil {
		t.Fatalf("refused: %v", err)
	}
	api.AssertCalled(t, "LoadPluginConfiguration", mock.Anything)
}
