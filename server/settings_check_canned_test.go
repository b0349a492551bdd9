package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The browser test's stand-in answers the settings check from canned_settings_checks.json; each
// entry is part of the real server's answer, for the settings it names, and is checked here, so
// the panel is tested against the server's rules without a copy of them in TypeScript.
func TestBrowserStandInSettingsChecksAreTheServers(t *testing.T) {
	raw, err := os.ReadFile("../webapp/tests-browser/canned_settings_checks.json")
	if err != nil {
		t.Fatal(err)
	}
	var canned []struct {
		Settings map[string]any `json:"settings"`
		Answer   map[string]any `json:"answer"`
	}
	if err := json.Unmarshal(raw, &canned); err != nil {
		t.Fatal(err)
	}
	if len(canned) == 0 {
		t.Fatal("no canned settings checks")
	}
	saved := storedSettings(baseSettings("https://api.pagertree.com/integration/int_abc"))
	for _, c := range canned {
		merged, err := screenSettings(saved, c.Settings, false)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(checkSettings(saved, c.Settings, merged, "ua", testGuard))
		var server map[string]map[string]any
		_ = json.Unmarshal(out, &server)
		// The canned answer must hold, for each setting it names, exactly the server's part.
		for key := range c.Settings {
			for _, part := range []string{"fields", "hints", "lists", "choices"} {
				cannedPart, _ := c.Answer[part].(map[string]any)
				want, inCanned := cannedPart[key]
				got, inReal := server[part][key]
				if inCanned != inReal || !reflect.DeepEqual(want, got) {
					t.Errorf("%v: %s[%s] is canned as %v, the server answers %v", c.Settings, part, key, want, got)
				}
			}
			if strings.ToLower(key) == key {
				t.Errorf("%v: name settings as plugin.json does (%s)", c.Settings, key)
			}
		}
	}
}
