package followup

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Thread → PagerTree comments and the echo guard, on the Service with a mock Mattermost and
// the httptest stand-in.

const (
	threadRoot = "threadrootthreadrootthread" // the paged post, root of its thread
	otherRoot  = "otherroototherroototherroo" // a thread that never paged
)

// commentsEnv is a Service with comments on, an alert paged from threadRoot (Webhook format,
// PagerTree's id alt_1 known from an event) and its card; the action retries sweep only when
// the test says (every hour), on the test's clock.
type commentsEnv struct {
	*testService
	st  *standIn
	clk *clock
	mu  *sync.Mutex // guards clk
	tp  string
}

func newCommentsEnv(t *testing.T, setup func(api *plugintest.API)) *commentsEnv {
	t.Helper()
	st := newStandIn(t)
	cfg := st.testConfig(paging.FormatWebhook, func(c *Config) { st.withKey(savedKey)(c); c.SendComments = true })
	clk := &clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	mu := &sync.Mutex{}
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clk.t }
	env := newTestService(t, cfg, nil, setup, func(s *Service) {
		s.retries.every = time.Hour
		s.now, s.records.now, s.comments.now = now, now, now
		s.siteURL = func() string { return "https://mm.example/" }
	})
	a := paging.Alert{ID: threadRoot, PostID: threadRoot, ChannelID: publicID, CreateAt: 1764240000123, Trigger: "outage", Urgency: paging.UrgencyHigh, Origin: paging.OriginPost}
	if _, err := env.s.records.remember(a, paging.FormatWebhook, "pt.example", ""); err != nil {
		t.Fatal(err)
	}
	tp := paging.ThirdPartyID(a, paging.FormatWebhook)
	if _, err := env.s.records.setCard(tp, cardID, -1); err != nil {
		t.Fatal(err)
	}
	if err := env.s.records.rememberThread(threadRoot, tp); err != nil {
		t.Fatal(err)
	}
	cs := env.withCard(t)
	env.event(t, `{"type":"alert.open","data":{"id":"alt_1","tinyId":7,"thirdparty_id":"`+tp+`","status":"open"}}`)
	receive(t, cs.versions, "card with PagerTree's number")
	return &commentsEnv{testService: env, st: st, clk: clk, mu: mu, tp: tp}
}

func (e *commentsEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.clk.t = e.clk.t.Add(d)
	e.mu.Unlock()
}

// reply is a person's reply in the thread, as the post hook gets it (GetPost answers it too).
func (e *commentsEnv) reply(user, root, message string) *model.Post {
	p := &model.Post{Id: model.NewId(), RootId: root, ChannelId: publicID, UserId: user, Message: message}
	e.api.On("GetPost", p.Id).Return(p, nil).Maybe()
	return p
}

// sweep runs the action retries' sweep once, as its ticker would.
func (e *commentsEnv) sweep() {
	var wg sync.WaitGroup
	e.s.retries.sweep(context.Background(), make(chan struct{}, actionTries), &wg)
	wg.Wait()
}

func (e *commentsEnv) commentCalls() []string {
	var out []string
	for _, c := range e.st.restCalls() {
		if strings.Contains(c, "/comments") {
			out = append(out, c)
		}
	}
	return out
}

func (e *commentsEnv) waitJobs(t *testing.T, n int) {
	t.Helper()
	eventually(t, "the comment jobs to settle", func() bool {
		list, _ := e.s.comments.set.Keys()
		return len(list) == n
	})
}

func TestThreadReplyBecomesACommentAndItsEchoStaysInPagerTree(t *testing.T) {
	env := newCommentsEnv(t, nil)
	env.st.answer("/api/v4/alerts/alt_1/comments", `{"id":"101","prefix_id":"cmt_101","body":"@alice: rolling back the deploy"}`)

	env.s.ThreadReply(env.reply(aliceID, threadRoot, "rolling back the deploy"))
	eventually(t, "the comment", func() bool { return len(env.commentCalls()) == 1 })
	env.waitJobs(t, 0)
	if got := env.commentCalls()[0]; got != `POST /api/v4/alerts/alt_1/comments {"body":"@alice: rolling back the deploy"}` {
		t.Fatalf("PagerTree got %s", got)
	}
	rec, _, _ := env.s.Record(env.tp)
	if len(rec.Sent) != 1 || rec.Sent[0].ID != "101" || rec.Sent[0].PrefixID != "cmt_101" {
		t.Fatalf("sent comments %+v", rec.Sent)
	}
	// PagerTree's Outgoing Webhook sends it back (twice: at-least-once): never posted.
	echo := `{"type":"comment.created","data":{"id":"101","prefix_id":"cmt_101","commentable_type":"Alert","commentable_id":"alt_1",` +
		`"body":"@alice: rolling back the deploy","created_by_name":"Kay Key","account_user":{"user":{"name":"Kay Key"}}}}`
	for range 2 {
		if got := env.event(t, echo); got != EventUnchanged {
			t.Fatalf("echo: %q", got)
		}
	}

	// The echo of a comment still on its way (PagerTree's answer not in yet) is recognised by
	// its content: the stand-in holds the answer while the echo arrives.
	hang := make(chan struct{})
	env.st.mu.Lock()
	env.st.hang = hang
	env.st.mu.Unlock()
	env.st.answer("/api/v4/alerts/alt_1/comments", `{"id":"102","prefix_id":"cmt_102"}`)
	for len(env.st.entered) > 0 { // the calls before
		<-env.st.entered
	}
	env.s.ThreadReply(env.reply(aliceID, threadRoot, "db is back"))
	receive(t, env.st.entered, "the comment request")
	early := `{"type":"comment.created","data":{"id":"102","commentable_type":"Alert","commentable_id":"alt_1","body":"@alice: db is back","created_by_name":"Kay Key"}}`
	if got := env.event(t, early); got != EventApplied { // it taught the record the comment's id
		t.Fatalf("early echo: %q", got)
	}
	env.st.mu.Lock()
	env.st.hang = nil
	env.st.mu.Unlock()
	close(hang)
	env.waitJobs(t, 0)

	// A comment made in PagerTree reaches the thread once, however often it is sent; the same
	// words as one of the plugin's, typed in PagerTree, are theirs.
	human := `{"type":"comment.created","data":{"id":"201","commentable_type":"Alert","commentable_id":"alt_1","body":"@alice: db is back","created_by_name":"Dana DBA"}}`
	for range 2 {
		env.event(t, human)
	}
	reply := receive(t, env.posts, "PagerTree's comment in the thread")
	if reply.RootId != threadRoot || reply.Message != "Dana DBA commented in PagerTree:\n> @\u200balice: db is back" {
		t.Fatalf("reply %+v", reply)
	}
	env.quiesce(t)
	empty(t, env.posts, "an echo or a second copy in the thread")
	if st := env.s.Status().Comments; st.Waiting != 0 || st.LastProblem != nil {
		t.Fatalf("status %+v", st)
	}
}

func TestRepliesThatAreNotSent(t *testing.T) {
	bot := "botuserbotuserbotuserbotus"
	env := newCommentsEnv(t, func(api *plugintest.API) {
		api.On("GetUser", bot).Return(&model.User{Id: bot, Username: "deploybot", IsBot: true}, nil).Maybe()
	})
	deleted := env.reply(aliceID, threadRoot, "typo")
	deleted.DeleteAt = 1
	for name, post := range map[string]*model.Post{
		"a thread that never paged":        env.reply(aliceID, otherRoot, "unrelated"),
		"not a reply":                      env.reply(aliceID, "", "outage"),
		"the plugin's own reply":           env.reply(botID, threadRoot, "**Acknowledged** in PagerTree by Kay."),
		"a bot account (no from_bot prop)": env.reply(bot, threadRoot, "deploy finished"),
		"deleted before it left":           deleted,
	} {
		env.s.ThreadReply(post)
		_ = name
	}
	env.waitJobs(t, 0)
	env.sweep()
	env.quiesce(t)
	if calls := env.commentCalls(); len(calls) != 0 {
		t.Fatalf("sent: %v", calls)
	}
	// Turned off: a reply is not even looked at.
	reads := env.kv.Calls(kvstoretest.OpGet)
	env.cfg.Load().SendComments = false
	env.s.ThreadReply(env.reply(aliceID, threadRoot, "anything"))
	if env.kv.Calls(kvstoretest.OpGet) != reads {
		t.Fatal("the gate read the KV store with the setting off")
	}
}

func TestCommentFailuresAreRetriedLikeActionsAndShownInStatus(t *testing.T) {
	env := newCommentsEnv(t, func(api *plugintest.API) {
		api.On("GetFileInfo", "file1").Return(&model.FileInfo{Id: "file1", Name: "api.log"}, nil).Maybe()
	})
	path := "/api/v4/alerts/alt_1/comments"
	env.st.answer(path, `{"id":"301"}`)
	env.st.failFirst(path, 503)
	post := env.reply(aliceID, threadRoot, "see the log")
	post.FileIds = []string{"file1"}
	env.s.ThreadReply(post)
	eventually(t, "the failure noted", func() bool { return env.s.Status().Comments.LastProblem != nil })
	st := env.s.Status().Comments
	if st.Waiting != 1 || st.LastProblem.GaveUp || !strings.Contains(st.LastProblem.Problem, "503") && !strings.Contains(st.LastProblem.Problem, "PagerTree") {
		t.Fatalf("status %+v %+v", st, st.LastProblem)
	}
	env.sweep() // not due yet: 5 s backoff
	if n := len(env.commentCalls()); n != 1 {
		t.Fatalf("%d tries before the backoff", n)
	}
	env.advance(6 * time.Second)
	env.sweep()
	env.waitJobs(t, 0)
	calls := env.commentCalls()
	if len(calls) != 2 || calls[1] != `POST `+path+` {"body":"@alice: see the log\n(attached: api.log)"}` || calls[0] != calls[1] {
		t.Fatalf("calls %q", calls)
	}

	// A refusal retrying cannot fix is given up at once.
	env.st.failFirst(path, 422)
	env.s.ThreadReply(env.reply(aliceID, threadRoot, "second"))
	eventually(t, "the refusal given up", func() bool {
		p := env.s.Status().Comments.LastProblem
		return p != nil && p.GaveUp
	})
	env.waitJobs(t, 0)

	// Transient failures are retried for the actions' retry time, then given up.
	env.st.failFirst(path, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500)
	env.s.ThreadReply(env.reply(aliceID, threadRoot, "third"))
	eventually(t, "the first try", func() bool { return len(env.commentCalls()) == 4 })
	env.advance(actionRetryFor + time.Minute)
	env.sweep()
	env.waitJobs(t, 0)
	if p := env.s.Status().Comments.LastProblem; p == nil || !p.GaveUp {
		t.Fatalf("not given up: %+v", p)
	}
	env.quiesce(t)
	// The newest failure is in the store for the other nodes and for /pagertree status.
	var stored CommentProblem
	if raw := env.kv.Peek(commentProblemKey); raw == nil || json.Unmarshal(raw, &stored) != nil || !stored.GaveUp {
		t.Fatalf("stored %s", raw)
	}
}

func TestAnActionsCommentIsNotPostedBack(t *testing.T) {
	s, _, tp := pressed(t) // bob acknowledged from Mattermost
	if _, err := s.apply(alertstate.Event{Kind: alertstate.KindOpen, ThirdPartyID: tp, AlertID: "alt_9"}, true); err != nil {
		t.Fatal(err)
	}
	echo := alertstate.Event{Kind: alertstate.KindCommentCreated, AlertID: "alt_9", CommentID: "c9", CommentBody: "Acknowledged from Mattermost by @bob"}
	if _, err := s.apply(echo, true); err != nil {
		t.Fatal(err)
	}
	rec, _, _ := s.get(tp)
	if len(rec.Pending) != 0 {
		t.Fatalf("the action's comment came back: %+v", rec.Pending)
	}
	other := echo
	other.CommentID, other.CommentBody = "c10", "Acknowledged from Mattermost by @mallory"
	if _, err := s.apply(other, true); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ = s.get(tp); len(rec.Pending) != 1 {
		t.Fatalf("a comment someone made in PagerTree was dropped: %+v", rec.Pending)
	}
}

// allowAnyPost takes the cards and replies of many alerts (more than the posts channel holds).
func allowAnyPost(t *testing.T, env *testService) func() []string {
	var mu sync.Mutex
	var msgs []string
	done := make(chan struct{})
	go func() {
		for {
			select {
			case p := <-env.posts:
				mu.Lock()
				msgs = append(msgs, p.Message)
				mu.Unlock()
			case <-done:
				return
			}
		}
	}()
	t.Cleanup(func() { close(done) })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), msgs...)
	}
}

func TestPolledCommentsWithinTheRoundsBudget(t *testing.T) {
	st := newStandIn(t)
	cfg := pollConfig(st, UpdatesPolled, savedKey)
	env := newTestService(t, cfg, nil, nil)
	posts := allowAnyPost(t, env)
	const alerts = maxPollPerRound/2 + 3
	ids := make([]string, alerts)
	for i := range alerts {
		id := strings.Repeat(string(rune('a'+i%26)), 25) + string(rune('a'+i/26))
		a := paging.Alert{ID: id, PostID: id, ChannelID: publicID, CreateAt: int64(i), Origin: paging.OriginPost}
		if _, err := env.s.records.remember(a, paging.FormatWebhook, "pt.example", ""); err != nil {
			t.Fatal(err)
		}
		n := string(rune('A'+i%26)) + string(rune('0'+i/26))
		if _, _, err := env.s.records.update(id, func(r *Record) bool { r.Status.AlertID = "alt_" + n; return true }); err != nil {
			t.Fatal(err)
		}
		if err := env.s.records.trackOpen(id); err != nil {
			t.Fatal(err)
		}
		st.answer("/api/v4/alerts/alt_"+n, `{"id":"ID`+n+`","prefix_id":"alt_`+n+`","status":"open","thirdparty_id":"`+id+`"}`)
		st.answer("/api/v4/alerts/ID"+n+"/comments", `{"data":[{"id":"k`+n+`","body":"checking `+n+`","created_by_name":"Kay"}],"has_more":false}`)
		ids[i] = id
	}
	// One alert's list also holds the plugin's own comment: never posted.
	if _, _, err := env.s.records.update(ids[0], func(r *Record) bool {
		return r.noteSending("p1", "ffff") && r.noteSent("p1", pagertreeclient.Comment{ID: "own"})
	}); err != nil {
		t.Fatal(err)
	}
	st.answer("/api/v4/alerts/IDA0/comments", `{"data":[{"id":"own","body":"@alice: on it"},{"id":"kA0","body":"checking A0","created_by_name":"Kay"}]}`)

	ctx := context.Background()
	env.s.pollOnce(ctx, cfg)
	if n := len(st.requests()); n != maxPollPerRound {
		t.Fatalf("%d REST calls in one round, budget %d", n, maxPollPerRound)
	}
	env.s.pollOnce(ctx, cfg)
	eventually(t, "every alert's comment in its thread", func() bool { return countPrefix(posts(), "Kay commented in PagerTree") == alerts })
	// Once more, and the pushed copy of a polled comment: nothing new.
	env.s.pollOnce(ctx, cfg)
	if got := env.event(t, `{"type":"comment.created","data":{"id":"kA0","commentable_id":"alt_A0","body":"checking A0","created_by_name":"Kay"}}`); got != EventUnchanged {
		t.Fatalf("pushed copy: %q", got)
	}
	env.quiesce(t)
	if n := countPrefix(posts(), "Kay commented in PagerTree"); n != alerts {
		t.Fatalf("%d comment replies for %d alerts", n, alerts)
	}
	for _, m := range posts() {
		if strings.Contains(m, "on it") {
			t.Fatal("the plugin's own comment was posted back")
		}
	}
	if lp := env.s.Status().LastPoll; lp == nil || lp.Problem != "" {
		t.Fatalf("last poll %+v", lp)
	}
}

func countPrefix(list []string, prefix string) int {
	n := 0
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

// A Mattermost-format alert whose thread has no card yet (no event, "Reply in thread" off):
// once delivered, its thread's replies are sent; PagerTree's id is looked up by thirdparty id.
func TestAReplyAfterDeliveryBeforeAnyCardOrEvent(t *testing.T) {
	env := newCommentsEnv(t, nil)
	root := "mmformatrootmmformatrootmm"
	a := paging.Alert{ID: root, PostID: root, ChannelID: publicID, CreateAt: 1764240000999, Trigger: "outage", Origin: paging.OriginPost}
	a = env.s.Remember(a, paging.FormatMattermost, "pt.example", "")
	tp := paging.ThirdPartyID(a, paging.FormatMattermost)
	env.s.ThreadReply(env.reply(aliceID, root, "before delivery"))
	env.waitJobs(t, 0) // not a paged thread yet: nothing kept
	env.s.Delivered(a, paging.FormatMattermost)
	env.st.answer("/api/v4/alerts", `{"data":[{"id":"01MM","prefix_id":"alt_mm","status":"open","thirdparty_id":"`+tp+`"}],"has_more":false}`)
	env.st.answer("/api/v4/alerts/01MM/comments", `{"id":"501"}`)
	env.s.ThreadReply(env.reply(aliceID, root, "after delivery"))
	eventually(t, "the comment", func() bool { return len(env.commentCalls()) == 1 })
	env.waitJobs(t, 0)
	if got := env.commentCalls()[0]; got != `POST /api/v4/alerts/01MM/comments {"body":"@alice: after delivery"}` {
		t.Fatalf("PagerTree got %s", got)
	}
	if rec, _, _ := env.s.Record(tp); len(rec.Sent) != 1 || rec.Sent[0].ID != "501" {
		t.Fatalf("sent %+v", rec.Sent)
	}
}
