package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

const (
	bobID     = "bobbobbobbobbobbobbobbobbo"
	outsider  = "outsideroutsideroutsiderou"
	alicePost = "alicepostalicepostaliceppp"
)

func (e *testEnv) pressAs(t *testing.T, userID string, body any) (int, model.PostActionIntegrationResponse) {
	t.Helper()
	raw, _ := json.Marshal(body)
	r := httptest.NewRequest(http.MethodPost, actionsPath, strings.NewReader(string(raw)))
	if userID != "" {
		r.Header.Set("Mattermost-User-Id", userID)
	}
	w := httptest.NewRecorder()
	e.p.ServeHTTP(nil, w, r)
	var resp model.PostActionIntegrationResponse
	_ = json.Unmarshal(w.Body.Bytes(), &resp)
	return w.Code, resp
}

// TestForgedPressesAreRefused: only the server-set user header counts; the post must be the
// bot's card of that alert, readable by the user, and the action one the card offers.
// Nothing reaches PagerTree for any of them; the genuine press does.
func TestForgedPressesAreRefused(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.Format = "webhook" })
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatWebhook)
	cs.post.AddProp(cardProp, tp)
	env.api.On("GetPost", alicePost).Return(&model.Post{Id: alicePost, UserId: aliceID, ChannelId: publicID}, nil)
	env.api.On("HasPermissionToChannel", outsider, publicID, model.PermissionReadChannel).Return(false)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	env.api.On("GetUser", outsider).Return(&model.User{Id: outsider, Username: "mallory"}, nil).Maybe()
	ctx := func(action, alert string) map[string]any { return map[string]any{"action": action, "alert": alert} }

	if code, _ := env.pressAs(t, "", map[string]any{"post_id": cardID, "context": ctx("acknowledge", tp)}); code != http.StatusUnauthorized {
		t.Fatalf("no user header: %d", code)
	}
	for _, c := range []struct {
		name, user, post string
		context          map[string]any
		want             string
	}{
		{"not a post id", aliceID, "nope", ctx("acknowledge", tp), "not a PagerTree status card"},
		{"someone's post", aliceID, alicePost, ctx("acknowledge", tp), "not a PagerTree status card"},
		{"cannot read the channel", outsider, cardID, ctx("acknowledge", tp), "channel you cannot read"},
		{"another alert's id", aliceID, cardID, ctx("acknowledge", "someotheralert"), "does not match the alert"},
		{"an action the card does not offer", aliceID, cardID, ctx("reject", tp), "not something the PagerTree card offers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, resp := env.pressAs(t, c.user, map[string]any{"post_id": c.post, "user_id": aliceID, "context": c.context})
			if code != http.StatusOK || !strings.Contains(resp.EphemeralText, c.want) || resp.Update != nil {
				t.Fatalf("%d %+v", code, resp)
			}
		})
	}
	if pt.count() != 0 {
		t.Fatalf("a forged press reached PagerTree: %d requests", pt.count())
	}

	code, resp := env.pressAs(t, aliceID, map[string]any{"post_id": cardID, "context": ctx("acknowledge", tp)})
	if code != http.StatusOK || !strings.Contains(resp.EphemeralText, "Asked PagerTree to acknowledge") || resp.Update == nil {
		t.Fatalf("genuine press: %d %+v", code, resp)
	}
	var atts []*model.SlackAttachment // the answer came as JSON
	raw, _ := json.Marshal(resp.Update.GetProp("attachments"))
	_ = json.Unmarshal(raw, &atts)
	resp.Update.AddProp("attachments", atts)
	_, fields := cardFields(resp.Update)
	if fields["From Mattermost"] != "Acknowledging… (@alice)" || resp.Update.GetProp(cardProp) != tp {
		t.Fatalf("card after the press: %v", fields)
	}
	if len(atts[0].Actions) != 0 {
		t.Fatalf("buttons while acknowledging: %+v", atts[0].Actions)
	}
	pt.mu.Lock()
	body := pt.bodies[len(pt.bodies)-1]
	pt.mu.Unlock()
	if body != `{"event_type":"acknowledge","Id":"`+tp+`"}` {
		t.Fatalf("PagerTree got %s", body)
	}
	if _, again := env.pressAs(t, aliceID, map[string]any{"post_id": cardID, "context": ctx("resolve", tp)}); !strings.Contains(again.EphemeralText, "@alice already asked") {
		t.Fatalf("double press: %+v", again)
	}
}

// TestCardButtonsFollowTheRoute: the Mattermost format without an API key has no route, so no
// buttons and a press says why; the Webhook format to the configured endpoint has them.
func TestCardButtonsFollowTheRoute(t *testing.T) {
	_, env := standInAndEnv(t, nil) // Mattermost format, no API key
	tp := env.sentAlert(t, paging.FormatMattermost)
	rec, _, _ := env.p.alerts.Get(tp)
	if b := env.p.buttonsFor(rec); b.URL != "" {
		t.Fatalf("buttons without a route: %+v", b)
	}
	_, hook := standInAndEnv(t, func(s *settings) { s.Format = "webhook" })
	tp = hook.sentAlert(t, paging.FormatWebhook)
	rec, _, _ = hook.p.alerts.Get(tp)
	if b := hook.p.buttonsFor(rec); b.URL != "/plugins/pagertree/api/v1/actions/card" || b.Alert != tp {
		t.Fatalf("buttons: %+v", b)
	}
	rec.EndpointFP = "fingerprint-of-an-endpoint-no-longer-used"
	if b := hook.p.buttonsFor(rec); b.URL != "" {
		t.Fatalf("buttons for an alert sent to another endpoint: %+v", b)
	}
}

// TestPressBeforeTheCardIsRecorded: the card post exists a moment before its id is stored; a
// press then is checked against the alert's thread (only the plugin can post its card there).
func TestPressBeforeTheCardIsRecorded(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.Format = "webhook" })
	cs := env.withCard(t)
	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", RootID: "root", ChannelID: publicID, Origin: paging.OriginPost}
	if err := env.p.alerts.Remember(a, paging.FormatWebhook, "pt.example"); err != nil {
		t.Fatal(err)
	}
	tp := paging.ThirdPartyID(a, paging.FormatWebhook)
	cs.post.AddProp(cardProp, tp)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	_, resp := env.pressAs(t, aliceID, map[string]any{"post_id": cardID, "context": map[string]any{"action": "resolve", "alert": tp}})
	if !strings.Contains(resp.EphemeralText, "Asked PagerTree to resolve") || pt.count() != 1 {
		t.Fatalf("%+v, %d requests", resp, pt.count())
	}
}
