package followup

import (
	"slices"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// clock is a settable time for the store.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func pressed(t *testing.T) (*records, *clock, string) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	s := newRecords(kvstoretest.New(), nil, c.now)
	if _, err := s.remember(sent("post1"), paging.FormatWebhook, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.setCard("post1", "card1", -1); err != nil {
		t.Fatal(err)
	}
	if _, why, err := s.press("post1", "other-post", alertstate.Acknowledge, "u1", "bob"); err != nil || why == "" {
		t.Fatalf("a press on another post was accepted: %q %v", why, err)
	}
	rec, why, err := s.press("post1", "card1", alertstate.Acknowledge, "u1", "bob")
	if err != nil || why != "" || rec.Outbound == nil || rec.Status.Pending == nil || !rec.CardDirty {
		t.Fatalf("press: %q %v %+v", why, err, rec)
	}
	if list, _ := s.pendingActions(); !slices.Equal(list, []string{"post1"}) {
		t.Fatalf("pending actions %v", list)
	}
	return s, c, "post1"
}

// TestUnconfirmedAfterTheDeadline: sent, no event within 60 s → the card says not confirmed
// (and the alert leaves the list of actions to watch); nothing is due before.
func TestUnconfirmedAfterTheDeadline(t *testing.T) {
	s, c, tp := pressed(t)
	if _, err := s.actionSent(tp, alertstate.Acknowledge); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(alertstate.ConfirmWithin - time.Second)
	if expired, err := s.expireAction(tp); err != nil || expired {
		t.Fatalf("expired early: %v %v", expired, err)
	}
	c.t = c.t.Add(2 * time.Second)
	if expired, err := s.expireAction(tp); err != nil || !expired {
		t.Fatalf("not expired: %v %v", expired, err)
	}
	rec, _, _ := s.get(tp)
	if rec.Status.Pending == nil || !rec.Status.Pending.Unconfirmed || !rec.CardDirty {
		t.Fatalf("record %+v", rec.Status.Pending)
	}
	if list, _ := s.pendingActions(); len(list) != 0 {
		t.Fatalf("still watched: %v", list)
	}
}

// TestConfirmedBeforeTheDeadline: PagerTree's event clears the pending action; the watch ends.
func TestConfirmedBeforeTheDeadline(t *testing.T) {
	s, c, tp := pressed(t)
	_, _ = s.actionSent(tp, alertstate.Acknowledge)
	if _, err := s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: tp, AlertID: "alt_1", TinyID: "9"}, true); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(2 * alertstate.ConfirmWithin)
	if expired, err := s.expireAction(tp); err != nil || expired {
		t.Fatalf("a confirmed action expired: %v %v", expired, err)
	}
	if list, _ := s.pendingActions(); len(list) != 0 {
		t.Fatalf("still watched: %v", list)
	}
	if rec, ok, _ := s.findByNumber("9"); !ok || rec.ThirdPartyID != tp {
		t.Fatal("alert #9 not found by its number")
	}
	if rec, ok, _ := s.findByAlertID("alt_1"); !ok || rec.ThirdPartyID != tp {
		t.Fatal("alert not found by PagerTree's id")
	}
}

// TestTransientFailuresAreRetriedThenGivenUp: a transient failure plans another try (claimed
// by one worker at a time); after the retry time the action is shown unconfirmed; a refused
// one is withdrawn at once.
func TestTransientFailuresAreRetriedThenGivenUp(t *testing.T) {
	s, c, tp := pressed(t)
	if _, job, _ := s.claimAction(tp); job != nil {
		t.Fatal("claimed while the first try holds it")
	}
	_, again, err := s.actionFailed(tp, alertstate.Acknowledge, true, c.t.Add(5*time.Second))
	if err != nil || !again {
		t.Fatalf("not retried: %v %v", again, err)
	}
	if _, job, _ := s.claimAction(tp); job != nil {
		t.Fatal("claimed before it was due")
	}
	c.t = c.t.Add(6 * time.Second)
	_, job, err := s.claimAction(tp)
	if err != nil || job == nil || job.Attempts != 1 || job.Username != "bob" {
		t.Fatalf("claim: %+v %v", job, err)
	}
	if _, other, _ := s.claimAction(tp); other != nil {
		t.Fatal("claimed twice")
	}
	c.t = c.t.Add(actionRetryFor)
	if _, retried, _ := s.actionFailed(tp, alertstate.Acknowledge, true, c.t); retried {
		t.Fatal("retried past the retry time")
	}
	rec, _, _ := s.get(tp)
	if rec.Outbound != nil || rec.Status.Pending == nil || !rec.Status.Pending.Unconfirmed {
		t.Fatalf("after giving up: %+v %+v", rec.Outbound, rec.Status.Pending)
	}

	s2, _, tp2 := pressed(t)
	_, again, _ = s2.actionFailed(tp2, alertstate.Acknowledge, false, time.Time{})
	rec, _, _ = s2.get(tp2)
	if again || rec.Outbound != nil || rec.Status.Pending != nil {
		t.Fatalf("a refused action was kept: %+v", rec)
	}
}
