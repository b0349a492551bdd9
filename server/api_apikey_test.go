package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestCheckAPIKeyRoute(t *testing.T) {
	rest := newFakeREST(t)
	evil := newFakeREST(t) // a host the saved key must never reach
	_, env := standInAndEnv(t, func(s *settings) { s.APIKey, s.APIBaseURL = savedKey, rest.srv.URL })
	q := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	cases := []struct {
		name, body string
		code       int
		ok         bool
		says       string
		reaches    *fakeREST
	}{
		{"typed key", `{"settings":{"apikey":` + q(savedKey) + `,"apibaseurl":` + q(rest.srv.URL) + `}}`, 200, true, "sees 2 teams (Devops, Databases)", rest},
		{"typed wrong key", `{"settings":{"apikey":"nope","apibaseurl":` + q(rest.srv.URL) + `}}`, 200, false, "rejected the API key", rest},
		{"saved key, saved URL", `{"settings":{"apikey":` + q(model.FakeSetting) + `,"apibaseurl":` + q(rest.srv.URL+"/") + `}}`, 200, true, "accepted", rest},
		{"saved key, no URL on screen", `{"settings":{}}`, 200, true, "accepted", rest},
		{"saved key, other URL", `{"settings":{"apikey":` + q(model.FakeSetting) + `,"apibaseurl":` + q(evil.srv.URL) + `}}`, 422, false, "only sent to the saved PagerTree API URL", nil},
		{"no key field, other URL", `{"settings":{"apibaseurl":` + q(evil.srv.URL) + `}}`, 422, false, "type the key again", nil},
		{"typed key to another URL", `{"settings":{"apikey":"typed","apibaseurl":` + q(evil.srv.URL) + `}}`, 200, false, "rejected", evil},
		{"empty key", `{"settings":{"apikey":"","apibaseurl":` + q(rest.srv.URL) + `}}`, 422, false, "No PagerTree API key is set", nil},
		{"bad URL", `{"settings":{"apikey":"k","apibaseurl":"http://pagertree.example"}}`, 422, false, "must use https", nil},
		{"typed key with a line break", `{"settings":{"apikey":"k\nX: y","apibaseurl":` + q(rest.srv.URL) + `}}`, 422, false, "The PagerTree API key holds a space, line break or control character", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			restBefore, _ := rest.requests()
			evilBefore, _ := evil.requests()
			w := call(env, "POST", "/api/v1/apikey/check", adminID, c.body)
			if w.Code != c.code {
				t.Fatalf("status %d, want %d: %s", w.Code, c.code, w.Body.String())
			}
			var res checkAPIKeyResponse
			if c.code == 200 {
				if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.OK != c.ok || !strings.Contains(res.Message, c.says) {
					t.Fatalf("%s", w.Body.String())
				}
			} else if msg := errorOf(t, w); !strings.Contains(msg, c.says) {
				t.Fatalf("error %q, want %q", msg, c.says)
			}
			restAfter, _ := rest.requests()
			_, evilAuths := evil.requests()
			if got := fmt.Sprint(len(restAfter) > len(restBefore), len(evilAuths) > len(evilBefore)); got != fmt.Sprint(c.reaches == rest, c.reaches == evil) {
				t.Fatalf("reached (saved host, other host) = %s", got)
			}
			for _, a := range evilAuths {
				if strings.Contains(a, savedKey) {
					t.Fatal("the saved key reached another host")
				}
			}
		})
	}
	if w := call(env, "POST", "/api/v1/apikey/check", aliceID, `{}`); w.Code != 403 {
		t.Fatalf("non-admin: %d", w.Code)
	}
}

func TestDescribeTeams(t *testing.T) {
	if s := describeTeams(nil, false); !strings.Contains(s, "sees no teams") {
		t.Fatal(s)
	}
}
