package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// FuzzScreenRequest feeds arbitrary bodies to the plugin API's request decoding, the settings
// overlay and the strict settings decoding. They must never panic, must answer every refused
// body with a sentence, and must never put the saved token on an endpoint it was not saved for.
func FuzzScreenRequest(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"message":"outage"}`, `{"message":5}`, `[1]`, `{"message":"x"} junk`, `{"settings":7}`,
		`{"settings":{"EndpointURL":"http://evil.example/x","Token":"` + model.FakeSetting + `"}}`,
		`{"settings":{"enabled":"yes","triggerwords":123,"retrywindowminutes":"1e9"}}`,
		`{"settings":{"RetryWindowMinutes":1e308,"ChannelCooldownSeconds":-1.5}}`,
		`{"settings":{"endpointurl":"https://api.pagertree.com/integration/int_1"},"channel_type":"P","from_bot":true}`,
	} {
		f.Add([]byte(seed))
	}
	saved := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req screenRequest
		if err := decodeStrict(body, &req); err != nil {
			var re *requestError
			if !errors.As(err, &re) || !strings.HasSuffix(re.msg, ".") || strings.Contains(re.msg, "  ") {
				t.Fatalf("refusal is not a sentence: %v", err)
			}
			return
		}
		merged, err := screenSettings(saved, req.Settings, true)
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || re.field != "Token" || re.msg != "Enter the token again: the saved token is only sent to the saved endpoint." {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		s, _ := decodeSettings(merged, defaultSettings())
		if s.Token == token && !savedSecretMayGo(saved["endpointurl"].(string), s.EndpointURL) {
			t.Fatalf("the saved token would go to %q", s.EndpointURL)
		}
		c := configFromRaw(merged, "fuzz", testGuard)
		if c.RetryWindow < 0 || c.Cooldown < 0 {
			t.Fatalf("negative duration from %s", body)
		}
		if _, err := json.Marshal(preview(c, "bot", req)); err != nil {
			t.Fatal(err)
		}
	})
}
