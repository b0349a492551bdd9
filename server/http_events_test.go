package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func (e *testEnv) basicAuth(t *testing.T, prefix string) string {
	t.Helper()
	c, ok, err := e.p.followup.Credentials()
	if err != nil || !ok {
		t.Fatalf("no credentials: %v", err)
	}
	return prefix + base64.StdEncoding.EncodeToString([]byte(c.Username+":"+c.Password))
}

func (e *testEnv) event(t *testing.T, auth, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/api/v1/pagertree/events", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	e.p.ServeHTTP(nil, w, r)
	return w
}

func result(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var got map[string]string
	_ = json.Unmarshal(w.Body.Bytes(), &got)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	return got["result"]
}

func cardFields(p *model.Post) (string, map[string]string) {
	atts := p.GetProp("attachments").([]*model.SlackAttachment)
	fields := map[string]string{}
	for _, f := range atts[0].Fields {
		fields[f.Title] = f.Value.(string)
	}
	return atts[0].Color, fields
}

func TestReceiverRefusesWithoutTheCredentials(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", RootID: "root", ChannelID: publicID, Origin: paging.OriginPost}
	env.p.followup.Remember(a, paging.FormatWebhook, "pt.example", "")
	tp := paging.ThirdPartyID(a, paging.FormatWebhook)
	body := `{"type":"alert.resolved","data":{"thirdparty_id":"` + tp + `"}}`
	wrong := base64.StdEncoding.EncodeToString([]byte("pagertree:guess"))
	for _, auth := range []string{"", wrong, "Basic " + wrong, "Bearer x"} {
		w := env.event(t, auth, "application/json", body)
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "credentials") {
			t.Fatalf("auth %q: %d %s", auth, w.Code, w.Body.String())
		}
	}
	// Not even the content type or the method is looked at before the credentials.
	if w := env.event(t, "", "text/plain", "x"); w.Code != http.StatusUnauthorized {
		t.Fatalf("%d", w.Code)
	}
	rec, _, _ := env.p.followup.Record(tp)
	if rec.Status.State != alertstate.Open || rec.HasWork() {
		t.Fatalf("a refused event changed the alert: %+v", rec)
	}
	if env.p.followup.Status().LastEvent != nil {
		t.Fatal("a refused event was recorded as received")
	}
	env.quiesce(t)
	empty(t, env.fb.posts, "card or reply")
}

// The route hands an authenticated JSON event to the follow-up: PagerTree's Authorization
// without "Basic " and the standard form both pass, any JSON media type does, and the answer
// says what the event did. A store that cannot be read answers 503 (PagerTree retries); the
// credentials are checked without it.
func TestEventsRouteWiring(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	for _, c := range []struct{ prefix, contentType string }{
		{"", "application/json"}, {"Basic ", "application/json; charset=utf-8"}, {"", "application/vnd.pagertree+json"},
	} {
		if got := result(t, env.event(t, env.basicAuth(t, c.prefix), c.contentType, `{"type":"alert.open","data":{"thirdparty_id":"not-ours"}}`)); got != "ignored" {
			t.Fatalf("%+v: %q", c, got)
		}
	}
	if e := env.p.followup.Status().LastEvent; e == nil || e.Type != "alert.open" {
		t.Fatalf("last event %+v", e)
	}
	auth := env.basicAuth(t, "")
	env.kv.SetFailure(errors.New("database down"))
	defer env.kv.SetFailure(nil)
	if w := env.event(t, auth, "application/json", `{"type":"alert.open","data":{"thirdparty_id":"not-ours"}}`); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("store down: %d %s", w.Code, w.Body.String())
	}
	// The credentials are checked in memory: a wrong password is refused without the store.
	if w := env.event(t, "d3Jvbmc6d3Jvbmc=", "application/json", `{"type":"alert.open"}`); w.Code != http.StatusUnauthorized {
		t.Fatalf("wrong password, store down: %d %s", w.Code, w.Body.String())
	}
}

func TestReceiverBadRequests(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	auth := env.basicAuth(t, "")
	cases := []struct {
		ct, body string
		code     int
	}{
		{"text/plain", `{"type":"alert.open"}`, http.StatusUnsupportedMediaType},
		{"", `{"type":"alert.open"}`, http.StatusUnsupportedMediaType},
		{"application/json", `{"type":`, http.StatusBadRequest},
		{"application/json", `{"data":{}}`, http.StatusBadRequest},
		{"application/json", `{"type":"alert.open","data":{"title":"` + strings.Repeat("x", 70<<10) + `"}}`, http.StatusRequestEntityTooLarge},
	}
	for _, c := range cases {
		if w := env.event(t, auth, c.ct, c.body); w.Code != c.code {
			t.Errorf("%s %.30s: %d, want %d (%s)", c.ct, c.body, w.Code, c.code, w.Body.String())
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/api/v1/pagertree/events", nil)
	r.Header.Set("Authorization", auth)
	w := httptest.NewRecorder()
	env.p.ServeHTTP(nil, w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", w.Code)
	}
}

// empty fails if anything is waiting on ch (call after quiesce: nothing more can come).
func empty[T any](t *testing.T, ch chan T, what string) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("unexpected %s: %+v", what, v)
	default:
	}
}
