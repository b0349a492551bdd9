package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

const (
	bobID      = "bobbobbobbobbobbobbobbobbo"
	secretText = "the payroll export for Q3 is attached"
)

// pageWorld is the messages a page can be asked for, and the threads they are in.
type pageWorld struct {
	mu      sync.Mutex
	threads map[string][]*model.Post // root id -> posts besides the root (cards as they are drawn)
}

func newPageEnv(t *testing.T, tweak func(*settings)) (*fakePagerTree, *testEnv, *pageWorld) {
	t.Helper()
	pt := newFakePagerTree(t)
	s := baseSettings(pt.srv.URL)
	s.Format = "webhook"
	if tweak != nil {
		tweak(&s)
	}
	env := newEnv(t, s, nil)
	w := &pageWorld{threads: map[string][]*model.Post{}}
	env.api.On("GetUser", bobID).Return(&model.User{Id: bobID, Username: "bob"}, nil).Maybe()
	env.api.On("GetPostThread", mock.Anything).Return(func(root string) *model.PostList {
		w.mu.Lock()
		defer w.mu.Unlock()
		list := model.NewPostList()
		list.AddPost(&model.Post{Id: root, UserId: bobID})
		for _, p := range w.threads[root] {
			list.AddPost(p)
		}
		return list
	}, nil).Maybe()
	return pt, env, w
}

// message registers a post as GetPost answers it.
func (e *testEnv) message(p *model.Post) *model.Post {
	if p.Id == "" {
		p.Id = model.NewId()
	}
	e.api.On("GetPost", p.Id).Return(p, nil).Maybe()
	return p
}

func (e *testEnv) serve(t *testing.T, method, path, userID string, body any) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	if body != nil {
		_ = json.NewEncoder(&buf).Encode(body)
	}
	r := httptest.NewRequest(method, path, &buf)
	if userID != "" {
		r.Header.Set("Mattermost-User-Id", userID)
	}
	rec := httptest.NewRecorder()
	e.p.ServeHTTP(nil, rec, r)
	out := map[string]any{}
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	if strings.Contains(rec.Body.String(), secretText) {
		t.Fatalf("the answer quotes the message: %s", rec.Body.String())
	}
	return rec.Code, out
}

// Every refusal of the endpoint, for both the prefill (GET) and the page (POST). A message the
// user cannot read, that does not exist, was deleted, or is in a DM they are not in gets the
// same answer, which never quotes it.
func TestPageFromPostRefusals(t *testing.T) {
	cases := []struct {
		name   string
		user   string
		post   func(e *testEnv) string
		req    pageRequest
		status int
		err    string
		field  string
	}{
		{name: "unknown message", user: aliceID, status: 404, err: notFoundRefusal, post: func(e *testEnv) string {
			id := model.NewId()
			e.api.On("GetPost", id).Return(nil, model.NewAppError("GetPost", "app.post.get.app_error", nil, "", http.StatusNotFound)).Times(2)
			return id
		}},
		{name: "not an id", user: aliceID, status: 404, err: notFoundRefusal, post: func(*testEnv) string { return "../../x" }},
		{name: "channel the user cannot read", user: aliceID, status: 404, err: notFoundRefusal, post: func(e *testEnv) string {
			p := e.message(&model.Post{UserId: bobID, ChannelId: privateID, Message: secretText})
			e.api.On("HasPermissionToChannel", aliceID, privateID, model.PermissionReadChannel).Return(false).Times(2)
			return p.Id
		}},
		{name: "deleted message", user: aliceID, status: 404, err: notFoundRefusal, post: func(e *testEnv) string {
			return e.message(&model.Post{UserId: bobID, ChannelId: publicID, Message: secretText, DeleteAt: 1}).Id
		}},
		{name: "DM a System Admin is not in", user: adminID, status: 404, err: notFoundRefusal, post: func(e *testEnv) string {
			p := e.message(&model.Post{UserId: aliceID, ChannelId: dmID, Message: secretText})
			e.api.On("HasPermissionToChannel", adminID, dmID, model.PermissionReadChannel).Return(true).Times(2)
			e.api.On("GetChannelMember", dmID, adminID).Return(nil, model.NewAppError("GetChannelMember", "not_found", nil, "", http.StatusNotFound)).Times(2)
			return p.Id
		}},
		{name: "GM the user is not in", user: aliceID, status: 404, err: notFoundRefusal, post: func(e *testEnv) string {
			p := e.message(&model.Post{UserId: bobID, ChannelId: gmID, Message: secretText})
			e.api.On("HasPermissionToChannel", aliceID, gmID, model.PermissionReadChannel).Return(true).Times(2)
			e.api.On("GetChannelMember", gmID, aliceID).Return(nil, model.NewAppError("GetChannelMember", "not_found", nil, "", http.StatusNotFound)).Times(2)
			return p.Id
		}},
		{name: "system message", user: aliceID, status: 422, err: "This is a system message; page from a message someone posted, or use `/pagertree alert`.", post: func(e *testEnv) string {
			return e.message(&model.Post{UserId: bobID, ChannelId: publicID, Type: model.PostTypeJoinChannel, Message: "bob joined"}).Id
		}},
		{name: "route of another channel", user: aliceID, status: 400, field: "route", req: pageRequest{Route: "elsewhere", Title: "t"},
			err: "That route does not serve this channel: choose one of the routes listed.", post: publicMessage},
		{name: "bad urgency", user: aliceID, status: 400, field: "urgency", req: pageRequest{Urgency: "urgent", Title: "t"},
			err: "Choose an urgency: low, medium, high, critical, or the PagerTree default.", post: publicMessage},
		{name: "bad severity", user: aliceID, status: 400, field: "severity", req: pageRequest{Severity: "SEV-9", Title: "t"},
			err: "Choose an incident severity from SEV-1 (most severe) to SEV-5, or none.", post: publicMessage},
		{name: "empty title", user: aliceID, status: 400, field: "title", req: pageRequest{Title: "  \n "},
			err: "Give the alert a title: what is happening, in a few words.", post: publicMessage},
		{name: "title too long", user: aliceID, status: 400, field: "title", req: pageRequest{Title: strings.Repeat("é", paging.TitleMaxRunes+1)},
			err: "The title is 121 characters; PagerTree titles here hold at most 120. Shorten it and put the rest in the note.", post: publicMessage},
		{name: "note too long", user: aliceID, status: 400, field: "note", req: pageRequest{Title: "t", Note: strings.Repeat("n", paging.NoteMaxRunes+1)},
			err: "The note is 1001 characters; it holds at most 1000.", post: publicMessage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pt, env, _ := newPageEnv(t, nil)
			env.api.On("HasPermissionToChannel", mock.Anything, publicID, model.PermissionReadChannel).Return(true).Maybe()
			id := c.post(env)
			req := c.req
			req.PostID = id
			status, got := env.serve(t, http.MethodPost, pageFromPostPath, c.user, req)
			if status != c.status || got["error"] != c.err || (got["field"] != nil && got["field"] != c.field) || (c.field != "" && got["field"] != c.field) {
				t.Fatalf("POST: %d %v; want %d %q field %q", status, got, c.status, c.err, c.field)
			}
			if c.field == "" { // the prefill refuses the same messages
				status, got = env.serve(t, http.MethodGet, pageFromPostPath+"?post_id="+id, c.user, nil)
				if status != c.status || got["error"] != c.err {
					t.Fatalf("GET: %d %v", status, got)
				}
			}
			env.quiesce(t)
			if pt.count() != 0 {
				t.Fatalf("a refused page reached PagerTree: %v", pt.bodies)
			}
			env.api.AssertExpectations(t)
		})
	}
}

func publicMessage(e *testEnv) string {
	return e.message(&model.Post{UserId: bobID, ChannelId: publicID, Message: "checkout is failing\nsince 10:02"}).Id
}

func TestPageFromPostNeedsALogin(t *testing.T) {
	_, env, _ := newPageEnv(t, nil)
	if status, got := env.serve(t, http.MethodGet, pageFromPostPath+"?post_id="+model.NewId(), "", nil); status != 401 || got["error"] != "Log in to Mattermost to page PagerTree." {
		t.Fatalf("%d %v", status, got)
	}
}

func TestPageFromPostPrefill(t *testing.T) {
	_, env, _ := newPageEnv(t, nil)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true).Once()
	id := env.message(&model.Post{UserId: bobID, ChannelId: publicID, Message: "\n  checkout is failing critical  \nsince 10:02"}).Id
	status, got := env.serve(t, http.MethodGet, pageFromPostPath+"?post_id="+id, aliceID, nil)
	if status != 200 || got["title"] != "checkout is failing critical" || got["author"] != "bob" || got["route"] != defaultRouteKey ||
		got["title_max"] != float64(120) || got["note_max"] != float64(1000) || got["already_paged"] != nil {
		t.Fatalf("%d %v", status, got)
	}
	routes := got["routes"].([]any)
	if len(routes) != 1 || routes[0].(map[string]any)["urgency"] != "critical" {
		t.Fatalf("routes %v", routes)
	}
	if n := len(got["severities"].([]any)); n != 6 {
		t.Fatalf("severities: %d", n)
	}
	env.api.AssertExpectations(t)
}

// A page from a message: the description holds the note, the message, its author and a link;
// the card goes in the message's thread; a second page of the thread is told it already paged
// and gets the card's link.
func TestPageFromPostPagesAndCardsTheThread(t *testing.T) {
	pt, env, w := newPageEnv(t, nil)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	root := env.message(&model.Post{UserId: bobID, ChannelId: publicID, Message: "checkout is failing\nsince 10:02", CreateAt: postClock.Add(1)})
	status, got := env.serve(t, http.MethodPost, pageFromPostPath, aliceID, pageRequest{
		PostID: root.Id, Urgency: "high", Severity: "sev-2", Title: "  Checkout   down ", Note: "customers are calling",
	})
	if status != 200 || got["permalink"] != "https://chat.example.com/acme/pl/"+root.Id {
		t.Fatalf("%d %v", status, got)
	}
	pt.wait(t)
	var body paging.WebhookPayload
	if err := json.Unmarshal([]byte(pt.bodies[0]), &body); err != nil {
		t.Fatal(err)
	}
	wantDesc := "Note from @alice: customers are calling\n\nMessage from @bob:\ncheckout is failing\nsince 10:02\n\n---\n" +
		"Paged by @alice from a message in ~ops (team acme)\nhttps://chat.example.com/acme/pl/" + root.Id
	if body.Title != "Checkout down" || body.Description != wantDesc || body.Urgency != paging.UrgencyHigh || body.ID == root.Id {
		t.Fatalf("body %+v", body)
	}
	card := receive(t, env.fb.posts, "card")
	if card.RootId != root.Id || card.UserId != botID || card.GetProp(followup.CardProp) == nil {
		t.Fatalf("card %+v", card)
	}
	receive(t, env.fb.reactions, "reaction on the message")

	// While the card is on its way (the claim holds the thread) and once it is there.
	status, got = env.serve(t, http.MethodPost, pageFromPostPath, aliceID, pageRequest{PostID: root.Id, Title: "again"})
	if status != 409 || !strings.HasPrefix(got["error"].(string), "This thread already paged PagerTree") {
		t.Fatalf("second page: %d %v", status, got)
	}
	card.Id = model.NewId()
	w.mu.Lock()
	w.threads[root.Id] = []*model.Post{card}
	w.mu.Unlock()
	reply := env.message(&model.Post{UserId: aliceID, ChannelId: publicID, RootId: root.Id, Message: "me too"})
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		var got map[string]any
		if method == http.MethodPost {
			status, got = env.serve(t, method, pageFromPostPath, aliceID, pageRequest{PostID: reply.Id, Title: "again"})
		} else {
			var prefill map[string]any
			status, prefill = env.serve(t, method, pageFromPostPath+"?post_id="+reply.Id, aliceID, nil)
			if status != 200 {
				t.Fatalf("GET on a reply: %d %v", status, prefill)
			}
			status, got = 409, prefill["already_paged"].(map[string]any)
		}
		if status != 409 || got["error"] != "This thread already paged PagerTree: open its status card to follow or act on that alert." ||
			got["permalink"] != "https://chat.example.com/acme/pl/"+card.Id {
			t.Fatalf("%s on a reply: %d %v", method, status, got)
		}
	}
	env.quiesce(t)
	if pt.count() != 1 {
		t.Fatalf("PagerTree got %d pages", pt.count())
	}
}

// The per-user limit of /pagertree alert applies to pages from messages too.
func TestPageFromPostPerUserLimit(t *testing.T) {
	pt, env, _ := newPageEnv(t, func(s *settings) { s.AlertCommandLimit = flexInt{n: 1, set: true} })
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	first, second := publicMessage(env), publicMessage(env)
	if status, got := env.serve(t, http.MethodPost, pageFromPostPath, aliceID, pageRequest{PostID: first, Title: "one"}); status != 200 {
		t.Fatalf("%d %v", status, got)
	}
	status, got := env.serve(t, http.MethodPost, pageFromPostPath, aliceID, pageRequest{PostID: second, Title: "two"})
	if status != 429 || !strings.HasPrefix(got["error"].(string), "PagerTree was not paged: you have paged 1 times in the last 10 minutes; the limit is 1") {
		t.Fatalf("%d %v", status, got)
	}
	pt.wait(t)
	env.quiesce(t)
	if pt.count() != 1 {
		t.Fatalf("PagerTree got %d pages", pt.count())
	}
}

// In the Mattermost format PagerTree makes the title of the whole text: the chosen title leads.
func TestPageFromPostMattermostFormat(t *testing.T) {
	pt, env, _ := newPageEnv(t, func(s *settings) { s.Format = "mattermost" })
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)
	id := publicMessage(env)
	if status, got := env.serve(t, http.MethodPost, pageFromPostPath, aliceID, pageRequest{PostID: id, Title: "Checkout down", Urgency: "critical"}); status != 200 {
		t.Fatalf("%d %v", status, got)
	}
	pt.wait(t)
	var body paging.MattermostPayload
	_ = json.Unmarshal([]byte(pt.bodies[0]), &body)
	if !strings.HasPrefix(body.Text, "[critical] Checkout down\n\nMessage from @bob:\ncheckout is failing") || body.PostID != id ||
		body.TriggerWord != paging.MessageTrigger || body.UserName != "alice" {
		t.Fatalf("body %+v", body)
	}
}
