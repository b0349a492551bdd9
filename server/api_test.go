package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

func call(e *testEnv, method, path, user, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if user != "" {
		r.Header.Set("Mattermost-User-ID", user)
	}
	w := httptest.NewRecorder()
	e.p.ServeHTTP(nil, w, r)
	return w
}

func errorOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var body map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body["error"] == "" {
		t.Fatalf("want a JSON error, got %d %q", w.Code, w.Body.String())
	}
	return body["error"]
}

func TestAPIAccessAndBadInput(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	cases := []struct {
		name, method, path, user, body string
		code                           int
		says                           string
	}{
		{"unauthenticated", "POST", "/api/v1/preview", "", `{}`, 401, "Log in"},
		{"non-admin", "POST", "/api/v1/test", aliceID, `{}`, 403, "System Admins"},
		{"non-admin history", "GET", "/api/v1/deliveries", aliceID, ``, 403, "System Admins"},
		{"bad JSON", "POST", "/api/v1/preview", adminID, `{"message":`, 400, "not valid JSON"},
		{"wrong type", "POST", "/api/v1/preview", adminID, `{"message": 5}`, 400, "The field message has the wrong type: it must be text, not number."},
		{"settings not an object", "POST", "/api/v1/preview", adminID, `{"settings": 7}`, 400, "The field settings has the wrong type"},
		{"not an object", "POST", "/api/v1/preview", adminID, `[1]`, 400, "must be a JSON object"},
		{"trailing garbage", "POST", "/api/v1/preview", adminID, `{"message":"outage"} {"message":"x"}`, 400, "something after the JSON object"},
		{"trailing junk", "POST", "/api/v1/test", adminID, `{}xyz`, 400, "something after the JSON object"},
		{"wrong settings type", "POST", "/api/v1/test", adminID, `{"settings": {"TriggerWords": 7}}`, 422, "the setting \"Trigger words\" (TriggerWords) must be text, not the number 7"},
		{"too large", "POST", "/api/v1/preview", adminID, `{"message":"` + strings.Repeat("x", 1100<<10) + `"}`, 413, "larger than 1 MB"},
		{"bad n", "GET", "/api/v1/deliveries?n=-2", adminID, ``, 400, "whole number"},
		{"unknown route", "GET", "/api/v1/nope", adminID, ``, 404, "no such"},
		{"wrong method", "GET", "/api/v1/test", adminID, ``, 405, "POST only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := call(env, c.method, c.path, c.user, c.body)
			if w.Code != c.code {
				t.Fatalf("status %d, want %d: %s", w.Code, c.code, w.Body.String())
			}
			if msg := errorOf(t, w); !strings.Contains(msg, c.says) {
				t.Fatalf("error %q, want it to say %q", msg, c.says)
			}
		})
	}
	if pt.count() != 0 {
		t.Fatal("a refused request reached PagerTree")
	}
}

func TestAPIPreview(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	cases := []struct {
		body      string
		wouldPage bool
		reason    string
		urgency   string
		source    string
	}{
		{`{"message":"db slow, outage urgency:high"}`, true, "", "high", "explicit"},
		{`{"message":"sev-1 payments"}`, true, "", "critical", "alias"},
		{`{"message":"all fine"}`, false, "no trigger word", "", "default"},
		{`{"message":"see ` + "`outage`" + `"}`, false, "only inside code", "", "default"},
		{`{"message":"outage","channel_type":"P"}`, false, "private", "", "default"},
		{`{"message":"outage","channel_type":"D"}`, false, "direct", "", "default"},
		{`{"message":"outage","from_bot":true}`, false, "bot", "", "default"},
		// On-screen settings win over the saved ones, before Save.
		{`{"message":"the db is slow","settings":{"TriggerWords":"slow","DefaultUrgency":"medium"}}`, true, "", "medium", "default"},
		{`{"message":"outage","settings":{"WatchPrivateChannels":true},"channel_type":"P"}`, true, "", "", "default"},
		{`{"message":"outage","settings":{"UrgencyAliases":"p1=urgent"}}`, false, "not valid", "", "default"},
		// The allow-list counts: a channel outside it does not page, one inside does.
		{`{"message":"outage","channel_id":"` + publicID + `","settings":{"ChannelAllowList":"` + privateID + `"}}`, false, "allow-list", "", "default"},
		{`{"message":"outage","channel_id":"` + privateID + `","settings":{"ChannelAllowList":"` + privateID + `"}}`, true, "", "", "default"},
		{`{"message":"outage","settings":{"ChannelAllowList":"` + privateID + `"}}`, true, "", "", "default"},
		{`{"message":"outage","settings":{"Enabled":false}}`, false, "disabled", "", "default"},
	}
	for _, c := range cases {
		w := call(env, "POST", "/api/v1/preview", adminID, c.body)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", c.body, w.Code, w.Body.String())
		}
		var res previewResponse
		_ = json.Unmarshal(w.Body.Bytes(), &res)
		if res.WouldPage != c.wouldPage || !strings.Contains(res.Reason, c.reason) || string(res.Urgency.Urgency) != c.urgency || string(res.Urgency.Source) != c.source {
			t.Errorf("%s -> %+v", c.body, res)
		}
	}
	w := call(env, "POST", "/api/v1/preview", adminID, `{"message":"db slow: outage and more outage"}`)
	var res previewResponse
	_ = json.Unmarshal(w.Body.Bytes(), &res)
	if len(res.Matches) != 2 || res.Matches[0].Start != 9 || res.Matches[0].End != 15 || res.PagerTreeReads != "low" || res.PagerTreeText != "db slow: outage and more outage" {
		t.Fatalf("%+v", res)
	}
	if pt.count() != 0 {
		t.Fatal("a preview reached PagerTree")
	}
}

func TestAPITestUsesOnScreenValuesAndTheSavedSecret(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	send := func(body string) testResponse {
		w := call(env, "POST", "/api/v1/test", adminID, body)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", body, w.Code, w.Body.String())
		}
		var res testResponse
		_ = json.Unmarshal(w.Body.Bytes(), &res)
		return res
	}
	if r := send(`{"settings":{"Token":"` + model.FakeSetting + `"}}`); r.StatusCode != 200 || r.Class != "delivered" {
		t.Fatalf("placeholder token must use the saved one: %+v", r)
	}
	if r := send(`{"settings":{"Token":"typed-but-wrong"}}`); r.StatusCode != 403 || !strings.Contains(r.Meaning, "token") {
		t.Fatalf("on-screen token must be used: %+v", r)
	}
	if r := send(`{"settings":{"Format":"webhook","Token":"` + token + `"}}`); r.StatusCode != 200 || r.Format != "webhook" {
		t.Fatalf("%+v", r)
	}
	if !strings.Contains(pt.bodies[2], `"event_type":"create"`) {
		t.Fatalf("webhook format body %s", pt.bodies[2])
	}
	w := call(env, "POST", "/api/v1/test", adminID, `{"settings":{"EndpointURL":"http://example.com/x","Token":""}}`)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(errorOf(t, w), "https") {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	w = call(env, "GET", "/api/v1/deliveries?n=2", adminID, "")
	var hist struct {
		Entries []map[string]any `json:"entries"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &hist)
	if w.Code != 200 || len(hist.Entries) != 2 || hist.Entries[0]["format"] != "webhook" {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	if strings.Contains(w.Body.String(), token) {
		t.Fatal("the token reached the history API")
	}
}

// Issue 10, point 1: the saved token goes only to the saved endpoint.
func TestAPITestSendsTheSavedTokenOnlyToTheSavedEndpoint(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	foreign := newFakePagerTree(t) // another host: an attacker's capture server
	for _, body := range []string{
		`{"settings":{"EndpointURL":"` + foreign.srv.URL + `/x","Token":"` + model.FakeSetting + `"}}`,
		`{"settings":{"EndpointURL":"` + foreign.srv.URL + `/x"}}`,                                                // no Token key
		`{"settings":{"endpointurl":"` + pt.srv.URL + `/other-integration","token":"` + model.FakeSetting + `"}}`, // same host, other path
		`{"settings":{"EndpointURL":"` + strings.Replace(pt.srv.URL, "http:", "https:", 1) + `"}}`,                // other scheme
		`{"settings":{"EndpointURL":"` + pt.srv.URL + `?x=1"}}`,                                                   // other query
	} {
		w := call(env, "POST", "/api/v1/test", adminID, body)
		var res map[string]string
		_ = json.Unmarshal(w.Body.Bytes(), &res)
		if w.Code != http.StatusBadRequest || res["error"] != "Enter the token again: the saved token is only sent to the saved endpoint." || res["field"] != "Token" {
			t.Fatalf("%s: %d %s", body, w.Code, w.Body.String())
		}
	}
	if foreign.count() != 0 || pt.count() != 0 {
		t.Fatalf("requests reached a host: foreign %d, saved %d", foreign.count(), pt.count())
	}
	// The saved endpoint (host case and surrounding spaces aside) still gets the saved token.
	same := pt.srv.URL
	w := call(env, "POST", "/api/v1/test", adminID, `{"settings":{"EndpointURL":" `+strings.ToUpper(same[:4])+same[4:]+` ","Token":"`+model.FakeSetting+`"}}`)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"status_code":200`) {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	// A token typed on screen may go anywhere the admin points it.
	w = call(env, "POST", "/api/v1/test", adminID, `{"settings":{"EndpointURL":"`+foreign.srv.URL+`/x","Token":"typed"}}`)
	if w.Code != 200 || foreign.count() != 1 || !strings.Contains(foreign.bodies[0], `"token":"typed"`) || strings.Contains(foreign.bodies[0], token) {
		t.Fatalf("%d %s; foreign got %v", w.Code, w.Body.String(), foreign.bodies)
	}
	// The preview never contacts PagerTree: it may use the saved token with any endpoint.
	w = call(env, "POST", "/api/v1/preview", adminID, `{"settings":{"EndpointURL":"https://elsewhere.example/x"},"message":"outage"}`)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"would_page":true`) {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
}

// The panel's Resend button follows the server's rule (the one /pagertree resend failed uses).
func TestDeliveryRowsMarkWhatCanBeResent(t *testing.T) {
	entry := func(id string, status delivery.Status, test bool) delivery.Entry {
		return delivery.Entry{AlertID: id, Status: status, Test: test}
	}
	rows := deliveryRows([]delivery.Entry{ // newest first
		entry("a", delivery.StatusFailed, false),
		entry("a", delivery.StatusFailed, false), // an older try of a
		entry("b", delivery.StatusDelivered, false),
		entry("c", delivery.StatusFailed, true), // a test alert
		entry("d", delivery.StatusDelivered, false),
		entry("d", delivery.StatusFailed, false), // failed, then resent and delivered
		entry("e", delivery.StatusSuppressed, false),
	})
	got := ""
	for _, r := range rows {
		if r.Resendable {
			got += r.AlertID
		} else {
			got += "-"
		}
	}
	if got != "a------" {
		t.Fatalf("resendable rows %q", got)
	}
	b, _ := json.Marshal(rows[0])
	if !strings.Contains(string(b), `"alert_id":"a","`) || !strings.Contains(string(b), `"status":"failed"`) || !strings.Contains(string(b), `"resendable":true`) {
		t.Fatalf("a row is the entry's JSON plus resendable: %s", b)
	}
	if b, _ := json.Marshal(deliveryRows(nil)); string(b) != "[]" {
		t.Fatalf("no history is an empty list, not %s", b)
	}
}
