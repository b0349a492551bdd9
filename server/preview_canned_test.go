package main

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// The browser test's stand-in answers the panel's previews from a file of canned answers
// instead of a copy of the rules. This test keeps the file true: each answer is what the
// server's preview says for its request.
func TestBrowserStandInPreviewsAreTheServers(t *testing.T) {
	raw, err := os.ReadFile("../webapp/tests-browser/canned_previews.json")
	if err != nil {
		t.Fatal(err)
	}
	var canned []struct {
		Request  json.RawMessage `json:"request"`
		Response map[string]any  `json:"response"`
	}
	if err := json.Unmarshal(raw, &canned); err != nil {
		t.Fatal(err)
	}
	if len(canned) == 0 {
		t.Fatal("no canned previews")
	}
	for _, c := range canned {
		var req screenRequest
		if err := decodeStrict(c.Request, &req); err != nil {
			t.Fatal(err)
		}
		saved := storedSettings(baseSettings("https://api.pagertree.com/integration/int_abc"))
		merged, err := screenSettings(saved, req.Settings, false)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(preview(configFromRaw(merged, "ua", testGuard), botID, req))
		var got map[string]any
		_ = json.Unmarshal(out, &got)
		if !reflect.DeepEqual(got, c.Response) {
			t.Errorf("%s:\nthe server answers %s", c.Request, out)
		}
	}
}
