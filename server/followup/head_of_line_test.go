package followup

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// No head-of-line blocking: with PagerTree's REST API hanging and 8 presses waiting for their
// retries (as many in flight as the retries allow, each stuck until its timeout), another
// alert's event is on its card, and its reply in its thread, within 2 s.
func TestAHangingPagerTreeDelaysNoOtherCard(t *testing.T) {
	st := newStandIn(t)
	st.hang = make(chan struct{})
	t.Cleanup(func() { close(st.hang) })
	mm := newPostStore()
	cfg := st.testConfig(paging.FormatWebhook, st.withKey(savedKey))
	s := New(Deps{KV: kvstoretest.New(), MM: mm, BotID: botID, NodeID: "node", ActionsURL: testURL, Config: func() *Config { return cfg }})
	s.retries.every = 5 * time.Millisecond
	s.poller.tick = time.Hour
	remember := func(i int) string {
		a := paging.Alert{ID: fmt.Sprintf("post%022d", i), PostID: fmt.Sprintf("post%022d", i), ChannelID: publicID,
			Trigger: "outage", Urgency: paging.UrgencyHigh, Origin: paging.OriginPost}
		if _, err := s.records.remember(a, paging.FormatWebhook, "pt.example", ""); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	for i := range 8 {
		tp := remember(i)
		if _, refusal, err := s.records.press(tp, "", alertstate.Acknowledge, aliceID, "alice"); err != nil || refusal != "" {
			t.Fatalf("press %d: %q %v", i, refusal, err)
		}
		if _, again, err := s.records.actionFailed(tp, alertstate.Acknowledge, true, time.Now()); err != nil || !again {
			t.Fatalf("retry %d planned: %v %v", i, again, err)
		}
	}
	other := remember(8)
	s.Start(context.Background())
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Error(err)
		}
	}()
	for i := range actionTries { // the retries are stuck in PagerTree
		receive(t, st.entered, fmt.Sprintf("hanging retry %d", i+1))
	}
	start := time.Now()
	if res, err := s.Receive([]byte(`{"type":"alert.acknowledged","data":{"id":"alt_o","thirdparty_id":"`+other+`","acknowledgedby":{"name":"Ann"}}}`), EventAuth{HeaderArrived: true}); err != nil || res != EventApplied {
		t.Fatalf("%q %v", res, err)
	}
	deadline := time.After(2 * time.Second)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		status, _ := mm.cardOf(other)
		if status == "Acknowledged" && len(mm.repliesIn(other)) == 1 {
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("the other alert's card (%q) and reply (%d) were not drawn within 2 s while PagerTree hangs", status, len(mm.repliesIn(other)))
		}
	}
	t.Logf("card and reply of another alert drawn %v after its event, with %d PagerTree calls hanging", time.Since(start).Round(time.Millisecond), actionTries)
}
