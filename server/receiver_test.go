package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

const cardID = "cardcardcardcardcardcardca"

// cardStore answers GetPost/UpdatePost for the card post and records every version.
type cardStore struct {
	mu       sync.Mutex
	post     *model.Post
	versions chan *model.Post
}

func (e *testEnv) withCard(t *testing.T) *cardStore {
	t.Helper()
	cs := &cardStore{post: &model.Post{Id: cardID, UserId: botID, ChannelId: publicID, RootId: "root", Message: "Paged PagerTree"},
		versions: make(chan *model.Post, 16)}
	e.api.On("GetPost", cardID).Return(func(string) *model.Post {
		cs.mu.Lock()
		defer cs.mu.Unlock()
		return cs.post.Clone()
	}, nil).Maybe()
	e.api.On("UpdatePost", mock.Anything).Run(func(a mock.Arguments) {
		p := a.Get(0).(*model.Post)
		cs.mu.Lock()
		cs.post = p.Clone()
		cs.mu.Unlock()
		cs.versions <- p.Clone()
	}).Return(func(p *model.Post) *model.Post { return p }, nil).Maybe()
	e.api.On("GetUserByEmail", "alice@example.com").Return(&model.User{Id: aliceID, Username: "alice"}, nil).Maybe()
	e.api.On("GetUserByEmail", mock.Anything).Return(nil, model.NewAppError("GetUserByEmail", "not found", nil, "", 404)).Maybe()
	e.api.On("GetUserByUsername", mock.Anything).Return(nil, model.NewAppError("GetUserByUsername", "not found", nil, "", 404)).Maybe()
	return cs
}

// sentAlert records an alert as sent with the given format, with its card already posted.
func (e *testEnv) sentAlert(t *testing.T, f paging.Format) string {
	t.Helper()
	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", RootID: "root", ChannelID: publicID,
		CreateAt: 1764240000123, Trigger: "outage", Urgency: paging.UrgencyHigh, Origin: paging.OriginPost}
	if err := e.p.alerts.Remember(a, f, "pt.example"); err != nil {
		t.Fatal(err)
	}
	tp := paging.ThirdPartyID(a, f)
	if _, err := e.p.alerts.SetCard(tp, cardID); err != nil {
		t.Fatal(err)
	}
	return tp
}

func (e *testEnv) basicAuth(t *testing.T, prefix string) string {
	t.Helper()
	c, ok, err := delivery.LoadCredentials(e.kv)
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

func TestReceiverMapsBothFormatsAndUpdatesTheCard(t *testing.T) {
	for _, c := range []struct {
		format paging.Format
		tp     string
	}{{paging.FormatMattermost, publicID + ".1764240000123"}, {paging.FormatWebhook, "postpostpostpostpostpostpo"}} {
		t.Run(string(c.format), func(t *testing.T) {
			_, env := standInAndEnv(t, nil)
			cs := env.withCard(t)
			if tp := env.sentAlert(t, c.format); tp != c.tp {
				t.Fatalf("thirdparty id %q, want %q", tp, c.tp)
			}
			body := `{"type":"alert.acknowledged","data":{"id":"alt_1","tinyId":12,"thirdparty_id":"` + c.tp +
				`","acknowledgedby":"usr_1","d_user_id":"usr_1","d_user":{"id":"usr_1","name":"Alice A","email":"alice@example.com"}},"extra":"rule"}`
			if got := result(t, env.event(t, env.basicAuth(t, ""), "application/json", body)); got != "applied" {
				t.Fatalf("result %q", got)
			}
			card := receive(t, cs.versions, "card update")
			color, fields := cardFields(card)
			if color != alertstate.ColorAcknowledged || fields["Acknowledged by"] != "@alice" || fields["Status"] != "Acknowledged" ||
				card.Message != "Paged PagerTree" || card.GetProp(cardProp) != c.tp {
				t.Fatalf("card %s %v %+v", color, fields, card)
			}
			reply := receive(t, env.fb.posts, "thread reply")
			if reply.RootId != "root" || reply.ChannelId != publicID || reply.Message != "**Acknowledged** in PagerTree by @alice." {
				t.Fatalf("reply %+v", reply)
			}
			// The same event again: nothing changes, nothing is posted.
			if got := result(t, env.event(t, env.basicAuth(t, "Basic "), "application/json; charset=utf-8", body)); got != "unchanged" {
				t.Fatalf("repeat result %q", got)
			}
			if rec, _, _ := env.p.alerts.Get(c.tp); rec.HasWork() {
				t.Fatalf("a repeat queued work: %+v", rec)
			}
			env.quiesce(t)
			empty(t, env.fb.posts, "second reply")
			empty(t, cs.versions, "second card update")
		})
	}
}

func TestReceiverRefusesWithoutTheCredentials(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatWebhook)
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
	rec, _, _ := env.p.alerts.Get(tp)
	if rec.Status.State != alertstate.Open || rec.HasWork() {
		t.Fatalf("a refused event changed the alert: %+v", rec)
	}
	if _, ok, _ := delivery.LoadLastEvent(env.kv); ok {
		t.Fatal("a refused event was recorded as received")
	}
	env.quiesce(t)
	empty(t, cs.versions, "card update")
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

func TestReceiverIgnoresOtherAlertsAndUnknownTypes(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	auth := env.basicAuth(t, "")
	for _, body := range []string{
		`{"type":"alert.acknowledged","data":{"id":"alt_x","thirdparty_id":"not-ours"}}`,
		`{"type":"comment.created","data":{"id":"c","commentable_id":"alt_unknown","body":"hi"}}`,
		`{"type":"event_reminder.going_on_call","data":{}}`,
	} {
		if got := result(t, env.event(t, auth, "application/json", body)); got != "ignored" {
			t.Fatalf("%s: %q", body, got)
		}
	}
	e, ok, _ := delivery.LoadLastEvent(env.kv)
	if !ok || e.Type != "event_reminder.going_on_call" || e.Matched {
		t.Fatalf("last event %+v", e)
	}
	env.quiesce(t)
	empty(t, env.fb.posts, "post")
}

func TestCommentMapsThroughPagerTreesAlertId(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatMattermost)
	auth := env.basicAuth(t, "")
	result(t, env.event(t, auth, "application/json", `{"type":"alert.open","data":{"id":"alt_7","tinyId":3,"thirdparty_id":"`+tp+`"}}`))
	first := receive(t, cs.versions, "card with the number")
	if atts := first.GetProp("attachments").([]*model.SlackAttachment); atts[0].Title != "PagerTree alert #3" || atts[0].TitleLink != "https://app.pagertree.com/alerts/alt_7" {
		t.Fatalf("card %+v", atts[0])
	}
	if rec, _, _ := env.p.alerts.Get(tp); len(rec.Pending) != 0 {
		t.Fatalf("alert.open queued a reply: %+v", rec.Pending)
	}
	got := result(t, env.event(t, auth, "application/json", `{"type":"comment.created","data":{"id":"cmt_1","commentable_type":"Alert","commentable_id":"alt_7","body":"rolling back","created_by_name":"Dee"}}`))
	if got != "applied" {
		t.Fatalf("comment %q", got)
	}
	if reply := receive(t, env.fb.posts, "comment reply"); reply.Message != "Dee commented in PagerTree:\n> rolling back" {
		t.Fatalf("reply %q", reply.Message)
	}
}

func TestCardOnlySettingPostsNoReplies(t *testing.T) {
	_, env := standInAndEnv(t, func(s *settings) { s.StatusUpdates = statusCardOnly })
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatWebhook)
	result(t, env.event(t, env.basicAuth(t, ""), "application/json", `{"type":"alert.dropped","data":{"thirdparty_id":"`+tp+`"}}`))
	if color, _ := cardFields(receive(t, cs.versions, "card")); color != alertstate.ColorDropped {
		t.Fatalf("colour %s", color)
	}
	if rec, _, _ := env.p.alerts.Get(tp); len(rec.Pending) != 0 {
		t.Fatalf("cards only queued replies: %+v", rec.Pending)
	}
	env.quiesce(t)
	empty(t, env.fb.posts, "reply")
}

func TestConfirmationIsTheCard(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	post := userPost(publicID, "outage in eu, urgency:high")
	env.p.MessageHasBeenPosted(nil, post)
	reply := receive(t, env.fb.posts, "card")
	if reply.RootId != post.Id || reply.Message != "Paged PagerTree — urgency: high (trigger: outage)" {
		t.Fatalf("reply %+v", reply)
	}
	color, fields := cardFields(reply)
	if color != alertstate.ColorOpen || fields["Status"] != "Open" || fields["Trigger"] != "outage" {
		t.Fatalf("card %s %v", color, fields)
	}
	eventually(t, "the card's post id stored", func() bool {
		rec, ok, _ := env.p.alerts.Get(publicID + ".1764240000123")
		return ok && rec.CardPostID != ""
	})
}

func TestReceiverAPIForAdmins(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	call := func(method, path, user string) (int, receiverInfo) {
		r := httptest.NewRequest(method, path, strings.NewReader("{}"))
		if user != "" {
			r.Header.Set("Mattermost-User-ID", user)
		}
		w := httptest.NewRecorder()
		env.p.ServeHTTP(nil, w, r)
		var info receiverInfo
		_ = json.Unmarshal(w.Body.Bytes(), &info)
		return w.Code, info
	}
	if code, _ := call(http.MethodGet, "/api/v1/receiver", aliceID); code != http.StatusForbidden {
		t.Fatalf("non-admin: %d", code)
	}
	if code, _ := call(http.MethodPost, "/api/v1/receiver/regenerate", ""); code != http.StatusUnauthorized {
		t.Fatalf("anonymous regenerate: %d", code)
	}
	code, info := call(http.MethodGet, "/api/v1/receiver", adminID)
	if code != http.StatusOK || info.URL != "https://chat.example.com/plugins/pagertree/api/v1/pagertree/events" ||
		info.Username != "pagertree" || len(info.Password) < 40 || len(info.Events) == 0 {
		t.Fatalf("%d %+v", code, info)
	}
	old := env.basicAuth(t, "")
	_, fresh := call(http.MethodPost, "/api/v1/receiver/regenerate", adminID)
	if fresh.Password == info.Password {
		t.Fatal("password not regenerated")
	}
	if w := env.event(t, old, "application/json", `{"type":"alert.open"}`); w.Code != http.StatusUnauthorized {
		t.Fatalf("old password still accepted: %d", w.Code)
	}
	if w := env.event(t, env.basicAuth(t, ""), "application/json", `{"type":"alert.open"}`); w.Code != http.StatusOK {
		t.Fatalf("new password refused: %d", w.Code)
	}
	status := env.p.commandStatus()
	if !strings.Contains(status, info.URL) || strings.Contains(status, fresh.Password) || !strings.Contains(status, "(alert.open)") {
		t.Fatalf("status:\n%s", status)
	}
}

// An event recorded by a node that stopped before drawing it is applied by the next start.
func TestWorkLeftByAStoppedNodeIsAppliedAtStart(t *testing.T) {
	kv := kvstoretest.New()
	left := delivery.NewAlerts(kv, nil, nil)
	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", ChannelID: publicID, Trigger: "outage", Origin: paging.OriginPost}
	_ = left.Remember(a, paging.FormatWebhook, "")
	_, _ = left.SetCard(a.ID, cardID)
	if res, err := left.Apply(alertstate.Event{Kind: alertstate.KindRejected, ThirdPartyID: a.ID, By: alertstate.Person{Name: "Bo"}, Key: "k"}, true); err != nil || !res.Work {
		t.Fatalf("%+v %v", res, err)
	}
	env := newEnv(t, baseSettings(newFakePagerTree(t).srv.URL), kv)
	reply := receive(t, env.fb.posts, "the reply left pending")
	if reply.RootId != a.PostID || !strings.HasPrefix(reply.Message, "**Rejected** in PagerTree by Bo") {
		t.Fatalf("reply %+v", reply)
	}
	eventually(t, "the pending list emptied", func() bool { list, _ := env.p.alerts.Pending(); return len(list) == 0 })
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
