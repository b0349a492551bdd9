package delivery

import (
	"encoding/json"
	"time"
)

// The Mattermost side of an alert's record: the card redraw and thread replies that events
// queued, claimed by one node at a time, and the list of alerts with work left (for a restart).

// TakeWork claims what the Mattermost side must do for an alert: the replies (removed from
// the record, so no other node posts them) and whether the card needs drawing. The record
// returned is the one to draw from.
func (s *Alerts) TakeWork(tp string) (AlertRecord, []PendingReply, bool, error) {
	var replies []PendingReply
	var card bool
	rec, _, err := s.update(tp, func(r *AlertRecord) bool {
		replies, card = r.Pending, r.CardDirty
		if !r.HasWork() {
			return false
		}
		r.Pending, r.CardDirty = nil, false
		return true
	})
	return rec, replies, card, err
}

// GiveBack returns replies that could not be posted, ahead of newer ones, for a later try.
func (s *Alerts) GiveBack(tp string, replies []PendingReply, card bool) error {
	if len(replies) == 0 && !card {
		return nil
	}
	again := make([]PendingReply, 0, len(replies))
	for i, r := range replies {
		if i == 0 {
			r.Attempts++ // the first one is the one that failed
		}
		if r.Attempts < MaxReplyAttempts {
			again = append(again, r)
		}
	}
	_, _, err := s.update(tp, func(r *AlertRecord) bool {
		r.Pending = append(append([]PendingReply(nil), again...), r.Pending...)
		r.CardDirty = r.CardDirty || card
		return true
	})
	if err == nil {
		err = s.markPending(tp, true)
	}
	return err
}

// SetCard stores the card's post id unless another node stored one first; it returns the
// card post id in force.
func (s *Alerts) SetCard(tp, postID string) (string, error) {
	rec, _, err := s.update(tp, func(r *AlertRecord) bool {
		if r.CardPostID != "" {
			return false
		}
		r.CardPostID = postID
		if r.RootID == "" { // an alert from another source: its card starts the thread
			r.RootID, r.PostID = postID, postID
		}
		return true
	})
	return rec.CardPostID, err
}

// Done drops an alert from the pending list once it has no work left.
func (s *Alerts) Done(tp string) error {
	rec, ok, err := s.Get(tp)
	if err != nil || ok && rec.HasWork() {
		return err
	}
	return s.markPending(tp, false)
}

// Pending lists alerts whose Mattermost side may be behind (after a crash between
// recording an event and applying it). Bounded by the alerts in flight, not by history.
func (s *Alerts) Pending() ([]string, error) {
	raw, err := s.kv.Get(pendingKey)
	if err != nil || raw == nil {
		return nil, err
	}
	var set map[string]time.Time
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, nil // a damaged list is rebuilt by the next events
	}
	out := make([]string, 0, len(set))
	for tp := range set {
		out = append(out, tp)
	}
	return out, nil
}

func (s *Alerts) markPending(tp string, add bool) error {
	if cur, err := s.kv.Get(pendingKey); err != nil {
		return err
	} else if cur == nil && !add {
		return nil
	}
	return s.kv.Update(pendingKey, func(old []byte) ([]byte, error) {
		set := map[string]time.Time{}
		if len(old) > 0 {
			_ = json.Unmarshal(old, &set)
		}
		_, had := set[tp]
		if add == had {
			return old, nil
		}
		if add {
			set[tp] = s.now()
		} else {
			delete(set, tp)
		}
		// Entries older than the records themselves point at nothing.
		for k, at := range set {
			if s.now().Sub(at) > s.lifetime() {
				delete(set, k)
			}
		}
		if len(set) == 0 {
			return nil, nil
		}
		return json.Marshal(set)
	})
}
