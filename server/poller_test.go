package main

import (
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func pollEnv(t *testing.T, mode string) (*fakeREST, *testEnv) {
	t.Helper()
	rest := newFakeREST(t)
	_, env := standInAndEnv(t, func(s *settings) {
		s.APIKey, s.APIBaseURL, s.UpdatesArrive = savedKey, rest.srv.URL, mode
	})
	return rest, env
}

func TestPolledStatesFollowTheCardOnceEvenWhenAlsoPushed(t *testing.T) {
	rest, env := pollEnv(t, "both")
	cs := env.withCard(t)
	cfg := env.p.config.Load()
	if !cfg.polling() || cfg.updatesState() != "pushed by PagerTree and polled from its API every 30s" {
		t.Fatalf("mode: %q", cfg.updatesState())
	}
	tp := env.sentAlert(t, paging.FormatWebhook)
	if err := env.p.alerts.TrackOpen(tp); err != nil {
		t.Fatal(err)
	}
	// PagerTree knows the alert only by our thirdparty id yet: found through the list.
	rest.mu.Lock()
	rest.bodies["/api/v4/alerts"] = `{"data":[{"id":"01A","prefix_id":"alt_1","tiny_id":8,"status":"acknowledged","thirdparty_id":"` + tp +
		`","acknowledged_at":"2026-01-01T10:00:00Z"}],"has_more":false}`
	rest.mu.Unlock()
	env.p.pollOnce(cfg, nil)
	card := receive(t, cs.versions, "card update")
	if color, fields := cardFields(card); color != alertstate.ColorAcknowledged || fields["Status"] != "Acknowledged" {
		t.Fatalf("card %s %v", color, fields)
	}
	if reply := receive(t, env.fb.posts, "reply"); reply.Message != "**Acknowledged** in PagerTree by someone in PagerTree." {
		t.Fatalf("reply %q", reply.Message)
	}
	lp, ok, _ := delivery.LoadLastPoll(env.kv)
	if !ok || lp.Checked != 1 || lp.Changed != 1 || lp.Problem != "" {
		t.Fatalf("last poll %+v", lp)
	}
	// The pushed copy of the same acknowledgement (same time) changes nothing.
	ack := `{"type":"alert.acknowledged","data":{"id":"alt_1","thirdparty_id":"` + tp + `","acknowledged":"2026-01-01T10:00:00Z","acknowledgedby":{"name":"Kay"}}}`
	if got := result(t, env.event(t, env.basicAuth(t, ""), "application/json", ack)); got != "unchanged" {
		t.Fatalf("pushed copy: %q", got)
	}
	// Resolved: now read by PagerTree's id; the alert leaves the polled list.
	rest.mu.Lock()
	rest.bodies["/api/v4/alerts/alt_1"] = `{"id":"01A","prefix_id":"alt_1","tiny_id":8,"status":"resolved","thirdparty_id":"` + tp + `"}`
	rest.mu.Unlock()
	env.p.pollOnce(cfg, nil)
	if _, fields := cardFields(receive(t, cs.versions, "resolved card")); fields["Status"] != "Resolved" {
		t.Fatalf("fields %v", fields)
	}
	receive(t, env.fb.posts, "resolved reply")
	if n := env.p.alerts.OpenCount(); n != 0 {
		t.Fatalf("%d alerts still polled", n)
	}
	// Nothing left to ask: another poll makes no request and posts nothing.
	before, _ := rest.requests()
	env.p.pollOnce(cfg, nil)
	if after, _ := rest.requests(); len(after) != len(before) {
		t.Fatalf("requests %v", after[len(before):])
	}
	env.quiesce(t)
	empty(t, env.fb.posts, "a second reply")
}

func TestPollIsBoundedAndStopsOnABadKey(t *testing.T) {
	rest, env := pollEnv(t, "polled")
	cfg := env.p.config.Load()
	for i := 0; i < maxPollPerRound+10; i++ {
		a := paging.Alert{ID: "p" + time.Duration(i).String(), PostID: "p" + time.Duration(i).String(), ChannelID: publicID, CreateAt: int64(i), Origin: paging.OriginPost}
		if err := env.p.alerts.Remember(a, paging.FormatWebhook, "pt.example"); err != nil {
			t.Fatal(err)
		}
		if err := env.p.alerts.TrackOpen(a.ID); err != nil {
			t.Fatal(err)
		}
	}
	rest.mu.Lock()
	rest.bodies["/api/v4/alerts"] = `{"data":[],"has_more":false}` // not in PagerTree yet
	rest.mu.Unlock()
	env.p.pollOnce(cfg, nil)
	if paths, _ := rest.requests(); len(paths) != maxPollPerRound {
		t.Fatalf("%d requests in one poll", len(paths))
	}
	// A rejected key ends the round at once and says so.
	bad := buildConfig(func() settings {
		s := baseSettings(rest.srv.URL)
		s.APIKey, s.APIBaseURL, s.UpdatesArrive = "wrong", rest.srv.URL, "polled"
		return s
	}(), "test", testGuard)
	for i := 0; i < 3; i++ {
		_ = env.p.alerts.TrackOpen("x" + time.Duration(i).String())
	}
	before, _ := rest.requests()
	env.p.pollOnce(bad, nil)
	after, _ := rest.requests()
	lp, _, _ := delivery.LoadLastPoll(env.kv)
	if len(after)-len(before) != 1 || lp.Problem == "" {
		t.Fatalf("%d requests, last poll %+v", len(after)-len(before), lp)
	}
}
