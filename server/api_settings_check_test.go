package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// The panel's sentences per field are the server's: the same check that refuses a save.
func TestCheckSettingsSentences(t *testing.T) {
	saved := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	saved["apikey"] = savedKey
	cases := []struct {
		name   string
		screen map[string]any
		fields map[string]string // key → the whole sentence ("" = no sentence for that key)
		hints  map[string]string // key → part of the hint ("" = no hint)
	}{
		{"a PagerTree endpoint is clean", map[string]any{"EndpointURL": "https://api.pagertree.com/integration/int_1"},
			map[string]string{"EndpointURL": ""}, map[string]string{"EndpointURL": "", "Token": ""}},
		{"plain http to PagerTree", map[string]any{"EndpointURL": "http://api.pagertree.com/integration/int_1"},
			map[string]string{"EndpointURL": `The endpoint URL must use https (plain http is only allowed for a host listed in "Allow untrusted internal connections to" (ServiceSettings.AllowedUntrustedInternalConnections, System Console > Environment > Developer)).`},
			map[string]string{"EndpointURL": ""}},
		{"not a URL", map[string]any{"endpointurl": "api.pagertree.com/integration/int_1"},
			map[string]string{"EndpointURL": `The endpoint URL "api.pagertree.com/…" is not an absolute http(s) URL: copy it again from the PagerTree integration.`}, nil},
		{"credentials", map[string]any{"EndpointURL": "https://u:p@api.pagertree.com/x"}, //nolint:gosec // a refused test URL, no credential
			map[string]string{"EndpointURL": "The endpoint URL must not contain a user name or password."}, nil},
		{"IPv6 loopback", map[string]any{"EndpointURL": "https://[::1]:8443/x"},
			map[string]string{"EndpointURL": `The endpoint's address ::1 is internal (loopback, private, link-local or otherwise not public), and Mattermost only lets integrations reach such a host when it is listed in "Allow untrusted internal connections to" (ServiceSettings.AllowedUntrustedInternalConnections, System Console > Environment > Developer).`}, nil},
		{"IPv6 private", map[string]any{"EndpointURL": "https://[fd00::1]/x"},
			map[string]string{"EndpointURL": "The endpoint's address fd00::1 is internal"}, nil},
		{"IPv6 public: accepted, not PagerTree", map[string]any{"EndpointURL": "https://[2606:4700:4700::1111]/x"},
			map[string]string{"EndpointURL": ""}, map[string]string{"EndpointURL": "2606:4700:4700::1111 is not a PagerTree host: PagerTree endpoints start with https://api.pagertree.com/integration/."}},
		{"http to a listed stand-in: accepted with a warning", map[string]any{"EndpointURL": "http://127.0.0.1:9/x"},
			map[string]string{"EndpointURL": ""}, map[string]string{"EndpointURL": "Plain http sends the token in clear: it is allowed because 127.0.0.1 is listed in"}},
		{"another host", map[string]any{"EndpointURL": "https://hooks.example.com/x", "Token": "typed"},
			map[string]string{"EndpointURL": ""}, map[string]string{"EndpointURL": "hooks.example.com is not a PagerTree host", "Token": ""}},
		{"the saved token stays with the saved endpoint", map[string]any{"EndpointURL": "https://api.pagertree.com/integration/int_2", "Token": model.FakeSetting},
			nil, map[string]string{"Token": "Enter the token again: the saved token is only sent to the saved endpoint."}},
		{"no endpoint while forwarding is on", map[string]any{"EndpointURL": ""},
			map[string]string{"EndpointURL": "No PagerTree endpoint URL is set: paste the Endpoint URL of your PagerTree integration."}, map[string]string{"EndpointURL": ""}},
		{"no endpoint while forwarding is off: may be saved", map[string]any{"EndpointURL": "", "Enabled": false},
			map[string]string{"EndpointURL": ""}, map[string]string{"EndpointURL": "No endpoint yet: nothing is sent to PagerTree until you paste one."}},
		{"API URL over http", map[string]any{"APIBaseURL": "http://api.pagertree.com"},
			map[string]string{"APIBaseURL": `The PagerTree API URL must use https (plain http is only allowed for a host listed in`}, nil},
		{"API URL with a query", map[string]any{"APIBaseURL": "https://api.pagertree.com/?x=1"},
			map[string]string{"APIBaseURL": "The PagerTree API URL must not contain a query or fragment."}, nil},
		{"API URL elsewhere: the saved key stays", map[string]any{"APIBaseURL": "https://pt.example.com", "APIKey": model.FakeSetting},
			map[string]string{"APIBaseURL": ""}, map[string]string{"APIBaseURL": "pt.example.com is not a PagerTree host", "APIKey": "The saved API key is only sent to the saved PagerTree API URL; type the key again"}}, //nolint:gosec // a sentence, no credential
		{"API URL as saved, with a slash", map[string]any{"APIBaseURL": "https://api.pagertree.com/"},
			map[string]string{"APIBaseURL": ""}, map[string]string{"APIBaseURL": "", "APIKey": ""}},
		{"no triggers", map[string]any{"TriggerWords": " , ;"},
			map[string]string{"TriggerWords": "No trigger words are set: add at least one, such as outage."}, nil},
		{"a trigger with a space in a first-word mode", map[string]any{"TriggerWords": "db down", "MatchMode": "first_word_is"},
			map[string]string{"TriggerWords": `Trigger "db down" has a space, but match mode "first_word_is" compares only the first word of a message: use single words or the whole_word mode.`}, nil},
		{"a refused alias: the first one is the sentence", map[string]any{"UrgencyAliases": "sev-1=critical, p1=, p2=urgent"},
			map[string]string{"UrgencyAliases": `Urgency alias "p1" has no urgency after the =: use low, medium, high or critical.`}, nil},
		{"aliases the panel once refused are accepted", map[string]any{"UrgencyAliases": "a=b=low, p1=high, P1=low"},
			map[string]string{"UrgencyAliases": ""}, nil},
		{"allow-list", map[string]any{"ChannelAllowList": publicID + ", town-square"},
			map[string]string{"ChannelAllowList": `The channel allow-list holds "town-square", which is not a channel id (26 letters and digits).`}, nil},
		{"a wrongly typed value", map[string]any{"TriggerWords": 7.0},
			map[string]string{"TriggerWords": `The setting "Trigger words" (TriggerWords) must be text, not the number 7.`}, nil},
		{"a number that is not one", map[string]any{"RetryWindowMinutes": "soon"},
			map[string]string{"RetryWindowMinutes": `The retry window is "soon", which is not a whole number.`}, nil},
		{"two problems of one setting: one sentence", map[string]any{"ChannelAllowList": "ops, dev"},
			map[string]string{"ChannelAllowList": `The channel allow-list holds "ops", which is not a channel id (26 letters and digits); the channel allow-list holds "dev", which is not a channel id (26 letters and digits).`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			merged, err := screenSettings(saved, c.screen, false)
			if err != nil {
				t.Fatal(err)
			}
			res := checkSettings(saved, c.screen, merged, "ua", testGuard)
			for k, want := range c.fields {
				if got := res.Fields[k]; (want == "") != (got == "") || !strings.HasPrefix(got, want) {
					t.Errorf("fields[%s] = %q, want %q", k, got, want)
				}
			}
			for k, want := range c.hints {
				if got := res.Hints[k]; (want == "") != (got == "") || !strings.Contains(got, want) {
					t.Errorf("hints[%s] = %q, want %q", k, got, want)
				}
			}
			// The panel's sentences are exactly what Save refuses (APIBaseURL is not checked at save).
			want := map[string][]string{}
			for _, pr := range saveProblems(merged, "ua", testGuard) {
				want[pr.Key] = append(want[pr.Key], pr.Text)
			}
			for k, texts := range want {
				if res.Fields[k] != sentence(strings.Join(texts, "; ")) {
					t.Errorf("fields[%s] = %q, save says %q", k, res.Fields[k], texts)
				}
			}
			for k := range res.Fields {
				if _, ok := want[k]; !ok && k != "APIBaseURL" {
					t.Errorf("fields[%s] = %q, but Save accepts it", k, res.Fields[k])
				}
			}
		})
	}
}

// Lists are shown as the server reads them: the triggers the matcher keeps, every alias item.
func TestCheckSettingsLists(t *testing.T) {
	saved := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	screen := map[string]any{
		"TriggerWords":     "Outage, outage\n db   down; hi, help",
		"UrgencyAliases":   "sev-1=Critical, broken, =high, p1=, a=b=low, P1=high, SEV-1 : low",
		"ChannelAllowList": publicID + ";" + privateID,
	}
	merged, _ := screenSettings(saved, screen, false)
	res := checkSettings(saved, screen, merged, "ua", testGuard)
	got, _ := json.Marshal(res.Lists)
	want := `{"TriggerWords":[{"text":"Outage"},{"text":"db down"},{"text":"hi","hint":"\"hi\" is very short and will page on ordinary talk."},{"text":"help","hint":"\"help\" is a common word and will page on ordinary talk."}],` +
		`"ChannelAllowList":["` + publicID + `","` + privateID + `"],` +
		`"UrgencyAliases":[` +
		`{"alias":"sev-1","urgency":"critical","hint":"\"sev-1\" is listed again further down: the last one counts."},` +
		`{"alias":"broken","urgency":"","problem":"Urgency alias \"broken\" must look like alias=level, for example sev-1=critical."},` +
		`{"alias":"","urgency":"high","problem":"Urgency alias \"=high\" has no alias before the =: it must look like alias=level, for example sev-1=critical."},` +
		`{"alias":"p1","urgency":"","problem":"Urgency alias \"p1\" has no urgency after the =: use low, medium, high or critical."},` +
		`{"alias":"a=b","urgency":"low"},` +
		`{"alias":"P1","urgency":"high"},` +
		`{"alias":"SEV-1","urgency":"low"}]}`
	if string(got) != want {
		t.Errorf("lists\n got %s\nwant %s", got, want)
	}
	if c := strings.Join(res.Choices["UrgencyAliases"], ","); c != "low,medium,high,critical" {
		t.Errorf("choices %q", c)
	}
	// In a first-word mode case counts: both spellings are kept.
	screen["MatchMode"] = "first_word_is"
	screen["TriggerWords"] = "Outage, outage"
	merged, _ = screenSettings(saved, screen, false)
	if l := checkSettings(saved, screen, merged, "ua", testGuard).Lists.TriggerWords; len(l) != 2 {
		t.Errorf("first_word_is keeps %+v", l)
	}
}

func TestSettingsCheckRoute(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	w := call(env, "POST", "/api/v1/settings/check", adminID,
		`{"settings":{"EndpointURL":"http://api.pagertree.com/x","Token":"`+model.FakeSetting+`","ExternalAlertsChannel":"`+dmID+`","UrgencyAliases":"p1=soon"}}`)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	var res settingsCheck
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Fields["EndpointURL"], "The endpoint URL must use https") ||
		res.Fields["ExternalAlertsChannel"] != "The channel for alerts that did not come from Mattermost must be a public or private channel, not a direct or group message." ||
		res.Fields["UrgencyAliases"] != `Urgency alias "p1" points to "soon", which is not low, medium, high or critical.` ||
		res.Hints["Token"] == "" || len(res.Lists.TriggerWords) != 3 {
		t.Fatalf("%s", w.Body.String())
	}
	if strings.Contains(w.Body.String(), token) {
		t.Fatal("the saved token is in the answer")
	}
	// Save refuses the same settings with the same sentences.
	var saved map[string]any
	_ = env.p.API.LoadPluginConfiguration(&saved)
	merged, _ := screenSettings(saved, map[string]any{"EndpointURL": "http://api.pagertree.com/x", "ExternalAlertsChannel": dmID, "UrgencyAliases": "p1=soon"}, false)
	_, err := env.p.ConfigurationWillBeSaved(newServerConfig(merged, testAllowed))
	for _, k := range []string{"EndpointURL", "ExternalAlertsChannel", "UrgencyAliases"} {
		part := strings.TrimSuffix(res.Fields[k], ".")
		part = strings.ToLower(part[:1]) + part[1:]
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("save says %v, the panel %q", err, res.Fields[k])
		}
	}

	for _, c := range []struct {
		method, user, body string
		code               int
		says               string
	}{
		{"POST", aliceID, `{}`, 403, "System Admins"},
		{"GET", adminID, ``, 405, "POST only"},
		{"POST", adminID, `{"settings":[]}`, 400, "The field settings has the wrong type"},
		{"POST", adminID, `{"settings":{}} x`, 400, "something after the JSON object"},
	} {
		w := call(env, c.method, "/api/v1/settings/check", c.user, c.body)
		if w.Code != c.code || !strings.Contains(errorOf(t, w), c.says) {
			t.Errorf("%s %s: %d %s", c.method, c.body, w.Code, w.Body.String())
		}
	}
	if pt.count() != 0 {
		t.Fatal("a settings check reached PagerTree")
	}
}
