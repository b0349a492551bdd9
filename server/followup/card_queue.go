package followup

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The card queue brings Mattermost up to date with the records: it draws the status card and
// posts the thread replies that events and presses queued, after the receiver answered
// PagerTree. The work lives in the record (claimed by one node at a time), and the list of
// alerts with work left lets a sweep pick up what a crash left.
const pendingKey = "alerts_pending"

// cardQueue is one goroutine per node, owned by the Service.
type cardQueue struct {
	s       *Service
	kicks   chan string
	sweepIn time.Duration
}

func newCardQueue(s *Service) *cardQueue {
	return &cardQueue{s: s, kicks: make(chan string, 256), sweepIn: time.Minute}
}

// kick asks for an alert's card and replies to be brought up to date. Never blocks: when
// the queue is full the sweep catches up.
func (q *cardQueue) kick(thirdPartyID string) {
	select {
	case q.kicks <- thirdPartyID:
	default:
	}
}

func (q *cardQueue) run(ctx context.Context) {
	ticker := time.NewTicker(q.sweepIn)
	defer ticker.Stop()
	q.sweep(ctx)
	for {
		select {
		case tp := <-q.kicks:
			q.s.applyAlert(tp)
		case <-ticker.C:
			q.sweep(ctx)
		case <-ctx.Done():
			return
		}
	}
}

func (q *cardQueue) sweep(ctx context.Context) {
	list, err := q.s.records.pending()
	if err != nil {
		q.s.mm.LogWarn("PagerTree: could not read the alerts waiting for their card", "error", err.Error())
		return
	}
	for _, tp := range list {
		if ctx.Err() != nil {
			return
		}
		q.s.applyAlert(tp)
	}
}

// applyAlert draws the card and posts the replies an alert's record is waiting for.
func (s *Service) applyAlert(tp string) {
	for round := 0; round < 5; round++ {
		rec, replies, card, err := s.records.takeWork(tp)
		if err != nil {
			s.mm.LogWarn("PagerTree: could not read an alert's pending updates", "thirdparty_id", tp, "error", err.Error())
			return
		}
		if !card && len(replies) == 0 {
			break
		}
		if card || rec.CardPostID == "" {
			if err := s.drawCard(rec); errors.Is(err, errCardGone) {
				s.mm.LogInfo("PagerTree: the status card was deleted; it is not posted again", "thirdparty_id", tp)
			} else if err != nil {
				s.mm.LogWarn("PagerTree: could not update the status card", "thirdparty_id", tp, "error", err.Error())
				_ = s.records.giveBack(tp, nil, true)
			}
		}
		if rec.RootID == "" && len(replies) > 0 { // an alert from another source: the card is the root
			if cur, ok, err := s.records.get(tp); err == nil && ok {
				rec = cur
			}
			if rec.RootID == "" {
				_ = s.records.giveBack(tp, replies, false)
				return
			}
		}
		for i, r := range replies {
			post := &model.Post{UserId: s.botID, ChannelId: rec.ChannelID, RootId: rec.RootID, Message: r.Message}
			if _, appErr := s.mm.CreatePost(post); appErr != nil {
				s.mm.LogWarn("PagerTree: could not post a status reply; will retry", "thirdparty_id", tp, "error", appErr.Error())
				_ = s.records.giveBack(tp, replies[i:], false)
				return
			}
		}
	}
	if err := s.records.done(tp); err != nil {
		s.mm.LogWarn("PagerTree: could not update the list of pending alerts", "error", err.Error())
	}
}

// takeWork claims what the Mattermost side must do for an alert: the replies (removed from
// the record, so no other node posts them) and whether the card needs drawing. The record
// returned is the one to draw from.
func (s *records) takeWork(tp string) (Record, []PendingReply, bool, error) {
	var replies []PendingReply
	var card bool
	rec, _, err := s.update(tp, func(r *Record) bool {
		replies, card = r.Pending, r.CardDirty
		if !r.HasWork() {
			return false
		}
		r.Pending, r.CardDirty = nil, false
		return true
	})
	return rec, replies, card, err
}

// giveBack returns replies that could not be posted, ahead of newer ones, for a later try.
func (s *records) giveBack(tp string, replies []PendingReply, card bool) error {
	if len(replies) == 0 && !card {
		return nil
	}
	again := make([]PendingReply, 0, len(replies))
	for i, r := range replies {
		if i == 0 {
			r.Attempts++ // the first one is the one that failed
		}
		if r.Attempts < maxReplyAttempts {
			again = append(again, r)
		}
	}
	_, _, err := s.update(tp, func(r *Record) bool {
		r.Pending = append(append([]PendingReply(nil), again...), r.Pending...)
		r.CardDirty = r.CardDirty || card
		return true
	})
	if err == nil {
		err = s.markPending(tp, true)
	}
	return err
}

// setCard stores the card's post id unless another node stored one first; it returns the
// card post id in force.
func (s *records) setCard(tp, postID string) (string, error) {
	rec, _, err := s.update(tp, func(r *Record) bool {
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

// done drops an alert from the pending list once it has no work left.
func (s *records) done(tp string) error {
	rec, ok, err := s.get(tp)
	if err != nil || ok && rec.HasWork() {
		return err
	}
	return s.markPending(tp, false)
}

// pending lists alerts whose Mattermost side may be behind (after a crash between
// recording an event and applying it). Bounded by the alerts in flight, not by history.
func (s *records) pending() ([]string, error) {
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

func (s *records) markPending(tp string, add bool) error {
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
