package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func TestPostFilters(t *testing.T) {
	withProp := func(p *model.Post, k, v string) *model.Post { p.AddProp(k, v); return p }
	cases := []struct {
		name     string
		tweak    func(*settings)
		post     *model.Post
		wantPage bool
	}{
		{"public channel, trigger mid-sentence", nil, userPost(publicID, "we have an Outage in eu"), true},
		{"no trigger", nil, userPost(publicID, "all good"), false},
		{"system message", nil, func() *model.Post {
			p := userPost(publicID, "outage joined")
			p.Type = model.PostTypeJoinChannel
			return p
		}(), false},
		{"webhook post", nil, withProp(userPost(publicID, "outage"), model.PostPropsFromWebhook, "true"), false},
		{"own bot post", nil, func() *model.Post {
			p := userPost(publicID, "Paged PagerTree (trigger: outage)")
			p.UserId = botID
			return p
		}(), false},
		{"bot post, bot posts off", nil, withProp(userPost(publicID, "outage"), model.PostPropsFromBot, "true"), false},
		{"bot post, bot posts on", func(s *settings) { s.ForwardBotPosts = true }, withProp(userPost(publicID, "outage"), model.PostPropsFromBot, "true"), true},
		{"plugin post, bot posts off", nil, withProp(userPost(publicID, "outage"), model.PostPropsFromPlugin, "true"), false},
		{"private channel, off", nil, userPost(privateID, "outage"), false},
		{"private channel, on", func(s *settings) { s.WatchPrivateChannels = true }, userPost(privateID, "outage"), true},
		{"direct message", func(s *settings) { s.WatchPrivateChannels = true }, userPost(dmID, "outage"), false},
		{"group message", func(s *settings) { s.WatchPrivateChannels = true }, userPost(gmID, "outage"), false},
		{"thread reply pages when the thread has not", nil, func() *model.Post { p := userPost(publicID, "outage here"); p.RootId = model.NewId(); return p }(), true},
		{"trigger in code only", nil, userPost(publicID, "see `outage` in the log"), false},
		{"trigger in a quote only", nil, userPost(publicID, "> outage yesterday\nfixed?"), false},
		{"code counts when the exclusion is off", func(s *settings) { s.IgnoreCodeAndQuotes = false }, userPost(publicID, "see `outage`"), true},
		{"channel not in the allow-list", func(s *settings) { s.ChannelAllowList = privateID }, userPost(publicID, "outage"), false},
		{"channel in the allow-list", func(s *settings) { s.ChannelAllowList = publicID + "," + privateID }, userPost(publicID, "outage"), true},
		{"forwarding disabled", func(s *settings) { s.Enabled = false }, userPost(publicID, "outage"), false},
		{"invalid settings pause forwarding", func(s *settings) { s.UrgencyAliases = "p1=urgent" }, userPost(publicID, "outage"), false},
		{"first word mode", func(s *settings) { s.MatchMode = "first_word_is"; s.TriggerWords = "outage" }, userPost(publicID, "outage in eu"), true},
		{"first word mode, mid-sentence", func(s *settings) { s.MatchMode = "first_word_is"; s.TriggerWords = "outage" }, userPost(publicID, "an outage in eu"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := baseSettings("https://api.pagertree.com/integration/int_abc")
			if c.tweak != nil {
				c.tweak(&s)
			}
			cfg := buildConfig(s, "ua", testGuard)
			reason := cfg.skipReason(c.post, botID, nil, nil)
			if reason == "" {
				ch := testChannels[c.post.ChannelId]
				m := cfg.Routes.Match(ch.Id, ch.TeamId, c.post.Message, false)
				reason = cfg.skipReason(c.post, botID, &m, ch)
			}
			if (reason == "") != c.wantPage {
				t.Fatalf("skip reason %q, want page=%v", reason, c.wantPage)
			}
		})
	}
}

// The hook asks skipReason too: one post that pages and one that does not, end to end.
func TestHookPagesWhatSkipReasonAllows(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	env.p.MessageHasBeenPosted(nil, userPost(privateID, "outage in a private channel"))
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "we have an Outage in eu"))
	pt.wait(t)
	env.quiesce(t)
	if pt.count() != 1 || !strings.Contains(pt.bodies[0], "Outage in eu") {
		t.Fatalf("PagerTree got %d requests: %v", pt.count(), pt.bodies)
	}
}

func TestNoAPIOrKVCallWithoutATrigger(t *testing.T) {
	pt := newFakePagerTree(t)
	kv := kvstoretest.New()
	// The mock answers no GetChannel, GetUser or GetTeam: a call would fail the test.
	env := newEnv(t, baseSettings(pt.srv.URL), kv, "GetChannel", "GetUser", "GetTeam")
	before := len(kv.Keys())
	for _, msg := range []string{"all good", "downloading the outages report", strings.Repeat("quiet ", 3000)} {
		env.p.MessageHasBeenPosted(nil, userPost(publicID, msg))
	}
	for _, m := range []string{"GetChannel", "GetUser", "GetTeam"} {
		env.api.AssertNotCalled(t, m, mock.Anything)
	}
	if after := len(kv.Keys()); after != before { // no KV write
		t.Fatalf("KV keys went from %d to %d", before, after)
	}
}

func TestPayloadSentForAPost(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	post := userPost(publicID, "checkout slow, outage in eu")
	post.FileIds = []string{"f1", "f2"}
	env.p.MessageHasBeenPosted(nil, post)
	pt.wait(t)
	var got map[string]any
	if err := json.Unmarshal([]byte(pt.bodies[0]), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"token": token, "team_id": teamID, "team_domain": "acme", "channel_id": publicID, "channel_name": "ops",
		"timestamp": float64(post.CreateAt), "user_id": aliceID, "user_name": "alice", "post_id": post.Id,
		"text": "checkout slow, outage in eu", "trigger_word": "outage", "file_ids": "f1,f2",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
}

func TestSuccessFeedbackAndHistory(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	post := userPost(publicID, "sev-1: payments down")
	env.p.MessageHasBeenPosted(nil, post)
	r := receive(t, env.fb.reactions, "reaction")
	if r.PostId != post.Id || r.EmojiName != "rotating_light" || r.UserId != botID {
		t.Fatalf("reaction %+v", r)
	}
	reply := receive(t, env.fb.posts, "bot reply")
	if reply.RootId != post.Id || reply.UserId != botID || reply.Message != "Paged PagerTree — urgency: critical (trigger: sev-1)" {
		t.Fatalf("reply %+v", reply)
	}
	env.quiesce(t)
	env.api.AssertNotCalled(t, "SendEphemeralPost", mock.Anything, mock.Anything)
	entries, _ := env.p.history.Recent(10)
	if len(entries) != 1 || entries[0].Status != delivery.StatusDelivered || entries[0].StatusCode != 200 || entries[0].Urgency != "critical" || entries[0].Attempts != 1 {
		t.Fatalf("history %+v", entries)
	}
}

func TestNoFeedbackWhenDisabledBySettings(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.ReactionEmoji, s.ReplyInThread = "", false })
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "outage"))
	pt.wait(t)
	var entries []delivery.Entry
	eventually(t, "delivery in the history", func() bool { entries, _ = env.p.history.Recent(10); return len(entries) > 0 })
	env.quiesce(t) // feedback follows the history entry on the same worker: it is over now
	if len(entries) != 1 || entries[0].Status != delivery.StatusDelivered {
		t.Fatalf("history %+v", entries)
	}
	env.api.AssertNotCalled(t, "AddReaction", mock.Anything)
	env.api.AssertNotCalled(t, "CreatePost", mock.Anything)
}

func TestTokenMismatchTellsThePosterAndIsNotRetried(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.Token = "wrong" })
	post := userPost(publicID, "outage")
	env.p.MessageHasBeenPosted(nil, post)
	eph := receive(t, env.fb.ephemerals, "ephemeral")
	if !strings.Contains(eph.Message, "**not** paged") || !strings.Contains(eph.Message, "token") || eph.ChannelId != publicID {
		t.Fatalf("ephemeral %q", eph.Message)
	}
	env.api.AssertCalled(t, "SendEphemeralPost", aliceID, eph)
	env.quiesce(t)
	if pt.count() != 1 {
		t.Fatalf("403 retried: %d requests", pt.count())
	}
	env.api.AssertNotCalled(t, "AddReaction", mock.Anything)
	entries, _ := env.p.history.Recent(10)
	if len(entries) != 1 || entries[0].Status != delivery.StatusFailed || entries[0].StatusCode != 403 || !strings.Contains(entries[0].Meaning, "token") {
		t.Fatalf("history %+v", entries)
	}
}

func TestOneAlertPerThread(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	root := userPost(publicID, "outage in eu")
	env.p.MessageHasBeenPosted(nil, root)
	pt.wait(t)
	receive(t, env.fb.reactions, "reaction")
	reply := userPost(publicID, "still an outage, sev-1 now")
	reply.RootId, reply.CreateAt = root.Id, root.CreateAt+1
	env.p.MessageHasBeenPosted(nil, reply)
	if raw, _ := env.kv.Get(delivery.JobKey(reply.Id)); raw != nil || pt.count() != 1 { // suppressed in the hook: never queued
		t.Fatalf("a reply in a thread that already paged paged again (%d requests)", pt.count())
	}
	entries, _ := env.p.history.Recent(10)
	if len(entries) != 2 || entries[0].Status != delivery.StatusSuppressed || !strings.Contains(entries[0].Meaning, "thread") { // the reply came after the delivery
		t.Fatalf("history %+v", entries)
	}
	// The same post seen twice (hook run twice) is not a second alert, nor suppressed.
	env.p.MessageHasBeenPosted(nil, root)
	env.quiesce(t)
	if pt.count() != 1 {
		t.Fatal("a repeated hook paged twice")
	}
	if entries, _ := env.p.history.Recent(10); len(entries) != 2 {
		t.Fatalf("the repeated hook was recorded: %+v", entries)
	}
	// With the rule off, the reply pages.
	pt2 := newFakePagerTree(t)
	s := baseSettings(pt2.srv.URL)
	s.OneAlertPerThread = false
	env2 := newEnv(t, s, nil)
	env2.p.MessageHasBeenPosted(nil, root)
	env2.p.MessageHasBeenPosted(nil, reply)
	pt2.wait(t)
	pt2.wait(t)
}

func TestChannelCooldown(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.ChannelCooldownSeconds = flexInt{n: 60, set: true} })
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "outage one"))
	second := userPost(publicID, "outage two")
	env.p.MessageHasBeenPosted(nil, second)
	receive(t, env.fb.reactions, "reaction") // the first is delivered and recorded
	if raw, _ := env.kv.Get(delivery.JobKey(second.Id)); raw != nil || pt.count() != 1 {
		t.Fatalf("cooldown let %d alerts through", pt.count())
	}
	entries, _ := env.p.history.Recent(10)
	statuses := map[delivery.Status]string{}
	for _, e := range entries {
		statuses[e.Status] = e.Meaning
	}
	if len(entries) != 2 || !strings.Contains(statuses[delivery.StatusSuppressed], "cooldown") || statuses[delivery.StatusDelivered] == "" {
		t.Fatalf("history %+v", entries)
	}
}

func TestRestartWithPendingAlertDeliversOnce(t *testing.T) {
	pt := newFakePagerTree(t)
	pt.setStatus(503)
	kv := kvstoretest.New()
	first := newEnv(t, baseSettings(pt.srv.URL), kv)
	first.p.MessageHasBeenPosted(nil, userPost(publicID, "outage"))
	pt.wait(t)
	if err := first.p.OnDeactivate(); err != nil {
		t.Fatal(err)
	}
	pt.setStatus(0)
	second := newEnv(t, baseSettings(pt.srv.URL), kv)
	receive(t, second.fb.reactions, "reaction after restart")
	second.quiesce(t)
	if pt.count() != 2 {
		t.Fatalf("want the failed attempt before the restart and one delivery after it, got %d requests", pt.count())
	}
	entries, _ := second.p.history.Recent(10)
	if len(entries) != 1 || entries[0].Status != delivery.StatusDelivered {
		t.Fatalf("history %+v", entries)
	}
}

func TestTwoNodesSamePost(t *testing.T) {
	pt := newFakePagerTree(t)
	kv := kvstoretest.New()
	a := newEnv(t, baseSettings(pt.srv.URL), kv)
	b := newEnv(t, baseSettings(pt.srv.URL), kv)
	post := userPost(publicID, "outage")
	done := make(chan struct{})
	go func() { a.p.MessageHasBeenPosted(nil, post); close(done) }()
	b.p.MessageHasBeenPosted(nil, post)
	receive(t, done, "the first node's hook to return")
	select { // delivered and recorded by one of them
	case <-a.fb.reactions:
	case <-b.fb.reactions:
	case <-time.After(10 * time.Second):
		t.Fatal("no reaction within 10 s")
	}
	a.quiesce(t)
	b.quiesce(t)
	if pt.count() != 1 {
		t.Fatalf("one post on two nodes paged %d times", pt.count())
	}
}

// The hook must never wait on PagerTree: with the endpoint stuck, it still returns at once
// (the alert is already durable in the outbox) and the send completes later.
func TestHookDoesNotWaitOnPagerTree(t *testing.T) {
	release := make(chan struct{})
	var got atomic.Int32
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		<-release
		got.Add(1)
	}))
	defer stuck.Close()
	s := baseSettings(stuck.URL)
	s.Token = ""
	env := newEnv(t, s, nil)
	post := userPost(publicID, "outage while PagerTree is stuck")
	returned := make(chan struct{})
	go func() {
		env.p.MessageHasBeenPosted(nil, post)
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("the hook waited on PagerTree")
	}
	if raw, _ := env.kv.Get(delivery.JobKey(post.Id)); raw == nil {
		t.Fatal("the alert was not in the outbox when the hook returned")
	}
	close(release)
	receive(t, env.fb.reactions, "reaction after PagerTree answered")
	if got.Load() != 1 {
		t.Fatalf("%d requests", got.Load())
	}
}

// With the KV store failing, the poster is told the alert was not sent (nothing is silently lost).
func TestKVOutageTellsThePoster(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	env.kv.SetFailure(errTest("the database is unavailable"))
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "outage"))
	eph := receive(t, env.fb.ephemerals, "ephemeral")
	if !strings.Contains(eph.Message, "**not** paged") || !strings.Contains(eph.Message, "could not store it for delivery") {
		t.Fatalf("ephemeral %q", eph.Message)
	}
}

// testChannels are the world's channels, for the pure post-filter table.
var testChannels = map[string]*model.Channel{
	publicID:  {Id: publicID, Type: model.ChannelTypeOpen},
	privateID: {Id: privateID, Type: model.ChannelTypePrivate},
	dmID:      {Id: dmID, Type: model.ChannelTypeDirect},
	gmID:      {Id: gmID, Type: model.ChannelTypeGroup},
}

type errTest string

func (e errTest) Error() string { return string(e) }
