package followup

import (
	"context"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Stop cancels the owners' work in flight: an action retry blocked on a PagerTree that never
// answers returns at once, its request cancelled, and every owner has returned when Stop does.
// (Were the retry's call made under a context Stop does not cancel, Stop would report the
// action retries as not stopped, and the stand-in would see no cancellation.)
func TestStopCancelsAHangingActionRetry(t *testing.T) {
	st := newStandIn(t)
	st.hang = make(chan struct{})
	t.Cleanup(func() { close(st.hang) })
	env := newTestService(t, st.testConfig(paging.FormatMattermost, st.withKey(savedKey)), nil, nil,
		func(s *Service) { s.retries.every = 5 * time.Millisecond })
	env.withCard(t) // the card queue may draw the press
	tp := env.sentAlert(t, paging.FormatWebhook)
	if _, refusal, err := env.s.records.press(tp, cardID, alertstate.Acknowledge, aliceID, "alice"); err != nil || refusal != "" {
		t.Fatalf("press: %q %v", refusal, err)
	}
	// The first try failed for now: the retry is due at once.
	if _, again, err := env.s.records.actionFailed(tp, alertstate.Acknowledge, true, time.Now()); err != nil || !again {
		t.Fatalf("retry planned: %v %v", again, err)
	}
	if path := receive(t, st.entered, "the retry's request"); path != "/api/v4/alerts" {
		t.Fatalf("the retry asked %s", path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	if err := env.s.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v (after %s)", err, time.Since(start))
	}
	env.stopped = true
	receive(t, st.canceled, "the cancellation of the hanging request")
	for _, o := range env.s.owners {
		select {
		case <-o.done:
		default:
			t.Fatalf("%s is still running", o.name)
		}
	}
	// The job is still there for the next start (or another node): nothing was lost.
	if rec, _, _ := env.s.Record(tp); rec.Outbound == nil {
		t.Fatal("the action was dropped")
	}
}
