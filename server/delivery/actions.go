package delivery

import (
	"encoding/json"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// Actions pressed in Mattermost (acknowledge, resolve) are recorded in the alert's record
// before the plugin answers the person who pressed: the pending action (what the card shows)
// and the outbound job (what must still reach PagerTree). A worker retries the job with
// backoff and marks the action unconfirmed when PagerTree's event does not follow in time.

const (
	actionsPendingKey = "actions_pending"
	// ActionRetryFor bounds how long a transient failure is retried.
	ActionRetryFor = 15 * time.Minute
	actionLease    = 30 * time.Second
)

// ActionJob is an action that must still reach PagerTree.
type ActionJob struct {
	Action     alertstate.Action `json:"action"`
	UserID     string            `json:"user_id"`  // who pressed, to tell them the outcome
	Username   string            `json:"username"` // for PagerTree's comment
	First      time.Time         `json:"first"`
	Attempts   int               `json:"attempts,omitempty"`
	NextTry    time.Time         `json:"next_try"`
	LeaseUntil time.Time         `json:"lease_until,omitempty"`
}

// Press records a press on the card cardPostID (which must be the alert's card). refusal is
// a sentence for the person when the press is not accepted (nothing is recorded then).
func (s *Alerts) Press(tp, cardPostID string, a alertstate.Action, userID, username string) (rec AlertRecord, refusal string, err error) {
	now := s.now()
	rec, changed, err := s.update(tp, func(r *AlertRecord) bool {
		if cardPostID != "" && r.CardPostID != cardPostID {
			refusal = "This button does not belong to this alert's card."
			return false
		}
		next, why := alertstate.Press(r.Status, a, username, now)
		if why != "" {
			refusal = why
			return false
		}
		r.Status = next
		r.Outbound = &ActionJob{Action: a, UserID: userID, Username: username, First: now, NextTry: now, LeaseUntil: now.Add(actionLease)}
		r.Rev++
		r.CardDirty = true
		return true
	})
	if err == nil && changed {
		err = s.markActions(tp, true)
	}
	if err == nil && changed {
		err = s.markPending(tp, true)
	}
	return rec, refusal, err
}

// ActionSent records that PagerTree took the action: the card now waits for its event (the
// confirmation deadline counts from now).
func (s *Alerts) ActionSent(tp string, a alertstate.Action) (AlertRecord, error) {
	now := s.now()
	rec, _, err := s.update(tp, func(r *AlertRecord) bool {
		if r.Outbound == nil || r.Outbound.Action != a {
			return false
		}
		r.Outbound = nil
		if p := r.Status.Pending; p != nil && p.Action == a {
			cp := *p
			cp.Since = now.UnixMilli()
			r.Status.Pending = &cp
		}
		return true
	})
	return rec, err
}

// ActionFailed withdraws an action PagerTree refused (permanent: the card shows the buttons
// again) or, when retry is set and the retry time is not over, plans another try at next.
// It reports whether the action will be retried.
func (s *Alerts) ActionFailed(tp string, a alertstate.Action, retry bool, next time.Time) (AlertRecord, bool, error) {
	now := s.now()
	again := false
	rec, _, err := s.update(tp, func(r *AlertRecord) bool {
		if r.Outbound == nil || r.Outbound.Action != a {
			return false
		}
		j := *r.Outbound
		j.Attempts++
		if retry && now.Sub(j.First) < ActionRetryFor {
			j.NextTry, j.LeaseUntil, again = next, time.Time{}, true
			r.Outbound = &j
			return true
		}
		r.Outbound = nil
		if retry { // gave up: the card says it was not confirmed and offers the buttons again
			if p := r.Status.Pending; p != nil && p.Action == a {
				cp := *p
				cp.Unconfirmed = true
				r.Status.Pending = &cp
			}
		} else {
			r.Status = alertstate.Withdraw(r.Status, a)
		}
		r.Rev++
		r.CardDirty = true
		return true
	})
	if err == nil && !again {
		err = s.markPending(tp, true)
	}
	return rec, again, err
}

// ClaimAction takes the alert's outbound action when it is due and nobody else holds it.
func (s *Alerts) ClaimAction(tp string) (AlertRecord, *ActionJob, error) {
	now := s.now()
	var job *ActionJob
	rec, _, err := s.update(tp, func(r *AlertRecord) bool {
		j := r.Outbound
		if j == nil || now.Before(j.NextTry) || now.Before(j.LeaseUntil) {
			return false
		}
		if r.Status.Pending == nil || r.Status.Pending.Action != j.Action {
			r.Outbound = nil // confirmed or superseded meanwhile: nothing to send
			return true
		}
		cp := *j
		cp.LeaseUntil = now.Add(actionLease)
		r.Outbound, job = &cp, &cp
		return true
	})
	return rec, job, err
}

// ExpireAction marks the alert's pending action unconfirmed once its time is up; it reports
// whether the card must be redrawn. An alert with nothing left to watch leaves the list.
func (s *Alerts) ExpireAction(tp string) (bool, error) {
	now := s.now()
	expired := false
	rec, ok, err := s.update(tp, func(r *AlertRecord) bool {
		if r.Outbound != nil {
			return false
		}
		next, changed := alertstate.Expire(r.Status, now)
		if !changed {
			return false
		}
		r.Status, r.CardDirty, expired = next, true, true
		r.Rev++
		return true
	})
	if err != nil {
		return false, err
	}
	if !ok && rec.ThirdPartyID == "" { // the record is gone
		return false, s.markActions(tp, false)
	}
	if rec.Outbound == nil && (rec.Status.Pending == nil || rec.Status.Pending.Unconfirmed) {
		err = s.markActions(tp, false)
	}
	if expired && err == nil {
		err = s.markPending(tp, true)
	}
	return expired, err
}

// PendingActions lists alerts with an action on its way or waiting for confirmation.
func (s *Alerts) PendingActions() ([]string, error) {
	raw, err := s.kv.Get(actionsPendingKey)
	if err != nil || raw == nil {
		return nil, err
	}
	var set map[string]time.Time
	if json.Unmarshal(raw, &set) != nil {
		return nil, nil
	}
	out := make([]string, 0, len(set))
	for tp := range set {
		out = append(out, tp)
	}
	return out, nil
}

func (s *Alerts) markActions(tp string, add bool) error {
	return s.kv.Update(actionsPendingKey, func(old []byte) ([]byte, error) {
		set := map[string]time.Time{}
		if len(old) > 0 {
			_ = json.Unmarshal(old, &set)
		}
		if _, had := set[tp]; had == add {
			return old, nil
		}
		if add {
			set[tp] = s.now()
		} else {
			delete(set, tp)
		}
		for k, at := range set { // an action cannot be pending longer than its retries and deadline
			if s.now().Sub(at) > ActionRetryFor+time.Hour {
				delete(set, k)
			}
		}
		if len(set) == 0 {
			return nil, nil
		}
		return json.Marshal(set)
	})
}

// alertTinyPrefix points from PagerTree's alert number (#42) to the record, for /pagertree ack 42.
const alertTinyPrefix = "alert_no_"

// rememberNumber keeps the pointer from the alert's number once an event told it. Numbers
// are unique in one PagerTree account; if an account change reuses one, the newer alert wins.
func (s *Alerts) rememberNumber(rec AlertRecord) error {
	n := rec.Status.TinyID
	if n == "" || len(n) > 20 {
		return nil
	}
	key := alertTinyPrefix + n
	cur, err := s.kv.Get(key)
	if err != nil || string(cur) == rec.ThirdPartyID {
		return err
	}
	if cur != nil {
		if other, ok, gerr := s.Get(string(cur)); gerr == nil && ok && other.Created.After(rec.Created) {
			return nil
		}
	}
	_, err = s.kv.CompareAndSet(key, cur, []byte(rec.ThirdPartyID), s.lifetime())
	return err
}

// FindByNumber finds the record of PagerTree alert #n.
func (s *Alerts) FindByNumber(n string) (AlertRecord, bool, error) {
	if n == "" || len(n) > 20 {
		return AlertRecord{}, false, nil
	}
	tp, err := s.kv.Get(alertTinyPrefix + n)
	if err != nil || tp == nil {
		return AlertRecord{}, false, err
	}
	return s.Get(string(tp))
}

// FindByAlertID finds the record of PagerTree's alert id (alt_…), from a link to the alert.
func (s *Alerts) FindByAlertID(id string) (AlertRecord, bool, error) {
	return s.Find(alertstate.Event{Kind: alertstate.KindCommentCreated, AlertID: id})
}
