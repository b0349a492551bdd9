package followup

import (
	"context"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func pollConfig(st *standIn, mode UpdatesMode, key string) *Config {
	return st.testConfig(paging.FormatMattermost, func(c *Config) {
		st.withKey(key)(c)
		c.Updates.Mode = mode
	})
}

func TestPolledStatesFollowTheCardOnceEvenWhenAlsoPushed(t *testing.T) {
	st := newStandIn(t)
	cfg := pollConfig(st, UpdatesBoth, savedKey)
	env := newTestService(t, cfg, nil, nil)
	cs := env.withCard(t)
	if !cfg.Polling() || cfg.UpdatesState() != "pushed by PagerTree and polled from its API every 30s" {
		t.Fatalf("mode: %q", cfg.UpdatesState())
	}
	tp := env.sentAlert(t, paging.FormatWebhook)
	if err := env.s.records.trackOpen(tp); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// PagerTree knows the alert only by our thirdparty id yet: found through the list.
	st.answer("/api/v4/alerts", `{"data":[{"id":"01A","prefix_id":"alt_1","tiny_id":8,"status":"acknowledged","thirdparty_id":"`+tp+
		`","acknowledged_at":"2026-01-01T10:00:00Z"}],"has_more":false}`)
	env.s.pollOnce(ctx, cfg)
	card := receive(t, cs.versions, "card update")
	if color, fields := cardFields(card); color != alertstate.ColorAcknowledged || fields["Status"] != "Acknowledged" {
		t.Fatalf("card %s %v", color, fields)
	}
	if reply := receive(t, env.posts, "reply"); reply.Message != "**Acknowledged** in PagerTree by someone in PagerTree." {
		t.Fatalf("reply %q", reply.Message)
	}
	lp := env.s.Status().LastPoll
	if lp == nil || lp.Checked != 1 || lp.Changed != 1 || lp.Problem != "" {
		t.Fatalf("last poll %+v", lp)
	}
	// The pushed copy of the same acknowledgement (same time) changes nothing.
	ack := `{"type":"alert.acknowledged","data":{"id":"alt_1","thirdparty_id":"` + tp + `","acknowledged":"2026-01-01T10:00:00Z","acknowledgedby":{"name":"Kay"}}}`
	if got := env.event(t, ack); got != EventUnchanged {
		t.Fatalf("pushed copy: %q", got)
	}
	// Resolved: now read by PagerTree's id; the alert leaves the polled list.
	st.answer("/api/v4/alerts/alt_1", `{"id":"01A","prefix_id":"alt_1","tiny_id":8,"status":"resolved","thirdparty_id":"`+tp+`"}`)
	env.s.pollOnce(ctx, cfg)
	if _, fields := cardFields(receive(t, cs.versions, "resolved card")); fields["Status"] != "Resolved" {
		t.Fatalf("fields %v", fields)
	}
	receive(t, env.posts, "resolved reply")
	if n := env.s.records.openCount(); n != 0 {
		t.Fatalf("%d alerts still polled", n)
	}
	// Nothing left to ask: another poll makes no request and posts nothing.
	before := st.requests()
	env.s.pollOnce(ctx, cfg)
	if after := st.requests(); len(after) != len(before) {
		t.Fatalf("requests %v", after[len(before):])
	}
	env.quiesce(t)
	empty(t, env.posts, "a second reply")
}

func TestPollIsBoundedAndStopsOnABadKey(t *testing.T) {
	st := newStandIn(t)
	cfg := pollConfig(st, UpdatesPolled, savedKey)
	env := newTestService(t, cfg, nil, nil)
	for i := 0; i < maxPollPerRound+10; i++ {
		a := paging.Alert{ID: "p" + time.Duration(i).String(), PostID: "p" + time.Duration(i).String(), ChannelID: publicID, CreateAt: int64(i), Origin: paging.OriginPost}
		if _, err := env.s.records.remember(a, paging.FormatWebhook, "pt.example", ""); err != nil {
			t.Fatal(err)
		}
		if err := env.s.records.trackOpen(a.ID); err != nil {
			t.Fatal(err)
		}
	}
	st.answer("/api/v4/alerts", `{"data":[],"has_more":false}`) // not in PagerTree yet
	ctx := context.Background()
	env.s.pollOnce(ctx, cfg)
	if paths := st.requests(); len(paths) != maxPollPerRound {
		t.Fatalf("%d requests in one poll", len(paths))
	}
	// A rejected key ends the round at once and says so.
	bad := pollConfig(st, UpdatesPolled, "wrong")
	for i := 0; i < 3; i++ {
		_ = env.s.records.trackOpen("x" + time.Duration(i).String())
	}
	before := st.requests()
	env.s.pollOnce(ctx, bad)
	after := st.requests()
	lp := env.s.Status().LastPoll
	if len(after)-len(before) != 1 || lp == nil || lp.Problem == "" {
		t.Fatalf("%d requests, last poll %+v", len(after)-len(before), lp)
	}
}

// The poller reads the plugin's clock, not the wall clock: a round is due when the plugin's
// clock says the interval has passed, and only one node of a cluster takes each round.
func TestPollerFollowsThePluginsClock(t *testing.T) {
	st := newStandIn(t)
	cfg := pollConfig(st, UpdatesPolled, savedKey)
	kv := kvstoretest.New()
	env := newTestService(t, cfg, kv, nil)
	tp := env.sentAlert(t, paging.FormatWebhook)
	_ = env.s.records.trackOpen(tp)
	st.answer("/api/v4/alerts", `{"data":[],"has_more":false}`)
	now := time.Unix(1764240000, 0) // the plugin's clock
	env.s.now = func() time.Time { return now }
	other := newTestService(t, cfg, kv, nil) // a second node on the same store
	other.s.now = env.s.now
	ctx := context.Background()

	last := env.s.poller.round(ctx, time.Time{})
	if n := len(st.requests()); n != 1 || !last.Equal(now) {
		t.Fatalf("first round: %d requests, at %s", n, last)
	}
	if other.s.poller.round(ctx, time.Time{}); len(st.requests()) != 1 {
		t.Fatal("two nodes polled in one round")
	}
	// The wall clock moves on (the lease expires in the store); the plugin's clock does not.
	kv.Now = func() time.Time { return time.Now().Add(time.Hour) }
	if again := env.s.poller.round(ctx, last); len(st.requests()) != 1 || !again.Equal(last) {
		t.Fatalf("a round on a clock that did not move: %d requests", len(st.requests()))
	}
	now = now.Add(cfg.Updates.Every)
	if env.s.poller.round(ctx, last); len(st.requests()) != 2 {
		t.Fatalf("no round after the interval: %d requests", len(st.requests()))
	}
}

func TestPolledListOldestCheckedFirstAndBounded(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := newRecords(kvstoretest.New(), nil, func() time.Time { return now })
	for _, tp := range []string{"a", "b", "c"} {
		if err := s.trackOpen(tp); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := s.duePolls(2)
	if len(due) != 2 || due[0] != "a" || due[1] != "b" {
		t.Fatalf("due %v", due)
	}
	now = now.Add(time.Second)
	if err := s.polled(due, map[string]bool{"b": true}); err != nil { // b resolved
		t.Fatal(err)
	}
	due, _ = s.duePolls(50)
	if len(due) != 2 || due[0] != "c" || due[1] != "a" {
		t.Fatalf("c was never checked, a was: %v", due)
	}
	if err := s.trackOpen("a"); err != nil { // tracking again keeps its time
		t.Fatal(err)
	}
	if due, _ = s.duePolls(1); due[0] != "c" || s.openCount() != 2 {
		t.Fatalf("due %v count %d", due, s.openCount())
	}
}

func TestPollLeaseOneNodeAtATime(t *testing.T) {
	kv := kvstoretest.New()
	if ok, err := takePollLease(kv, "A", time.Minute); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, _ := takePollLease(kv, "B", time.Minute); ok {
		t.Fatal("B polled while A holds the lease")
	}
}
