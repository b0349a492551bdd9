package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func (e *testEnv) eventAt(t *testing.T, path, auth, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	e.p.ServeHTTP(nil, w, r)
	return w
}

// The URL secret lets events in on servers that strip the Authorization header; a wrong one
// is refused without echoing it, and nothing the plugin logs holds the right one.
func TestReceiverURLSecret(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	c, ok, err := env.p.followup.Credentials()
	if err != nil || !ok || len(c.Secret) < 40 {
		t.Fatalf("no URL secret: %+v %v", c, err)
	}
	body := `{"type":"alert.open","data":{"id":"alt_1"}}`
	for _, path := range []string{
		eventsPath + "/guess-the-secret-guess-the-secret-guess-the",
		eventsPath + "/" + c.Secret + "/more",
		eventsPath + "/" + c.Secret[:len(c.Secret)-1],
		eventsPath + "/",
		eventsPath + "/" + strings.ToUpper(c.Secret),
	} {
		w := env.eventAt(t, path, "", body)
		if w.Code != http.StatusUnauthorized || strings.Contains(w.Body.String(), c.Secret[:8]) || strings.Contains(w.Body.String(), "guess") {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	if got := result(t, env.eventAt(t, eventsPath+"/"+c.Secret, "", body)); got != "ignored" {
		t.Fatalf("result %q", got)
	}
	info := env.p.receiverInfo(c)
	if info.SecretURL != info.URL+"/"+c.Secret || info.LastEvent == nil || info.LastEvent.HeaderArrived || !info.LastEvent.ByURLSecret {
		t.Fatalf("%+v %+v", info, info.LastEvent)
	}
	if info.Advice.Mode != "secret_url" || !strings.Contains(info.Advice.Text, "Basic auth does not reach the plugin on this server") {
		t.Fatalf("advice %+v", info.Advice)
	}
	status := env.p.commandStatus()
	if strings.Contains(status, c.Secret) || strings.Contains(status, c.Password) || !strings.Contains(status, "by the URL secret, no Authorization header") ||
		!strings.Contains(status, "What to paste into PagerTree") {
		t.Fatalf("status:\n%s", status)
	}
	// Basic auth on the plain URL: the header arrived, the advice follows it.
	if got := result(t, env.eventAt(t, eventsPath, env.basicAuth(t, ""), body)); got != "ignored" {
		t.Fatalf("result %q", got)
	}
	if info := env.p.receiverInfo(c); info.Advice.Mode != "basic_auth" || !info.LastEvent.HeaderArrived || info.LastEvent.ByURLSecret {
		t.Fatalf("%+v %+v", info.Advice, info.LastEvent)
	}
	for _, call := range env.api.Calls {
		if strings.HasPrefix(call.Method, "Log") && strings.Contains(fmt.Sprint(call.Arguments...), c.Secret) {
			t.Fatalf("the URL secret was logged: %s %v", call.Method, call.Arguments)
		}
	}
}
