package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

func (e *testEnv) pressAs(t *testing.T, userID, body string) (int, model.PostActionIntegrationResponse) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, actionsPath, strings.NewReader(body))
	if userID != "" {
		r.Header.Set("Mattermost-User-Id", userID)
	}
	w := httptest.NewRecorder()
	e.p.ServeHTTP(nil, w, r)
	var resp model.PostActionIntegrationResponse
	_ = json.Unmarshal(w.Body.Bytes(), &resp)
	return w.Code, resp
}

// The button route: only the server-set user header counts, the body must be a press, and
// the answer is the follow-up's sentence alone (the card is redrawn by its own owner).
func TestCardRouteWiring(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.Format = "webhook" })
	press := `{"post_id":"nope","user_id":"` + aliceID + `","context":{"action":"acknowledge","alert":"x"}}`
	if code, _ := env.pressAs(t, "", press); code != http.StatusUnauthorized {
		t.Fatalf("no user header: %d", code)
	}
	if code, _ := env.pressAs(t, aliceID, `{"post_id":`); code != http.StatusBadRequest {
		t.Fatalf("not a press: %d", code)
	}
	code, resp := env.pressAs(t, aliceID, press)
	if code != http.StatusOK || !strings.Contains(resp.EphemeralText, "not a PagerTree status card") || resp.Update != nil {
		t.Fatalf("%d %+v", code, resp)
	}
	r := httptest.NewRequest(http.MethodGet, actionsPath, nil)
	r.Header.Set("Mattermost-User-Id", aliceID)
	w := httptest.NewRecorder()
	env.p.ServeHTTP(nil, w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", w.Code)
	}
	if pt.count() != 0 {
		t.Fatalf("PagerTree got %d requests", pt.count())
	}
}
