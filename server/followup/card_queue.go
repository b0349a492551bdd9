package followup

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The card queue brings Mattermost up to date with the records: it draws the status card and
// posts the thread replies that events and presses queued, after the receiver answered
// PagerTree. The work lives in the record: the replies (taken atomically by one node) and the
// revision the card shows (CardRev, marked after a draw succeeded). The work set (a sharded
// key set: no single hot key) lists the alerts that may be behind; whoever creates work adds
// the alert to it first, and the sweep repairs any card or thread behind its record.
const (
	workSetPrefix   = "alerts_work_"
	actionSetPrefix = "actions_work_"
	workSetShards   = 16
	// workSettle: an entry whose record has no work is dropped once the record has not been
	// written for this long (an event between its intent and its write finds it still there).
	workSettle = 10 * time.Second
	// Keys of single-key sets written by earlier versions, moved into the sharded sets once.
	legacyWorkKey    = "alerts_pending"
	legacyActionsKey = "actions_pending"
)

// cardQueue is a few workers per node (card_workers.go), owned by the Service.
type cardQueue struct {
	s       *Service
	kicks   chan string
	sweepIn time.Duration
	workers int

	mu    sync.Mutex
	held  map[string][]PendingReply // replies taken whose give-back failed: given back by the sweep
	busy  map[string]bool           // alerts a worker is bringing up to date
	again map[string]bool           // kicked while busy: the worker runs once more
}

func newCardQueue(s *Service) *cardQueue {
	return &cardQueue{
		s: s, kicks: make(chan string, 256), sweepIn: 10 * time.Second, workers: cardWorkers,
		held: map[string][]PendingReply{}, busy: map[string]bool{}, again: map[string]bool{},
	}
}

// kick asks for an alert's card and replies to be brought up to date. Never blocks: when
// the queue is full the sweep catches up.
func (q *cardQueue) kick(thirdPartyID string) {
	select {
	case q.kicks <- thirdPartyID:
	default:
	}
}

// sweep gives back the replies held in memory, then brings every alert of the work set up
// to date: O(work set), not O(alerts ever sent).
func (q *cardQueue) sweep(ctx context.Context) {
	q.mu.Lock()
	held := q.held
	q.held = map[string][]PendingReply{}
	q.mu.Unlock()
	for tp, replies := range held {
		q.s.giveBack(tp, replies)
	}
	list, err := q.s.records.work.Keys()
	if err != nil {
		q.s.mm.LogWarn("PagerTree: could not read the alerts waiting for their card", "error", err.Error())
		return
	}
	for _, tp := range list {
		if ctx.Err() != nil {
			return
		}
		q.process(tp)
	}
}

func (q *cardQueue) holding(tp string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.held[tp]) > 0
}

// applyAlert draws the card and posts the replies an alert's record is waiting for. Whatever
// fails stays recorded (the card behind its revision, the replies given back) and the alert
// stays in the work set for the sweep.
func (s *Service) applyAlert(tp string) {
	for round := 0; round < 5; round++ {
		rec, replies, err := s.records.takeReplies(tp)
		if err != nil {
			s.mm.LogWarn("PagerTree: could not read an alert's pending updates", "thirdparty_id", tp, "error", err.Error())
			return
		}
		if rec.ThirdPartyID == "" { // expired
			break
		}
		card := rec.CardBehind()
		if !card && len(replies) == 0 {
			break
		}
		if card || rec.CardPostID == "" {
			rev, recorded, err := s.drawCard(rec)
			if errors.Is(err, errCardGone) {
				s.mm.LogInfo("PagerTree: the status card was deleted; it is not posted again", "thirdparty_id", tp)
				rev, err = rec.Rev, nil
			}
			if err == nil && !recorded {
				err = retried(func() error { return s.records.markDrawn(tp, rev) })
			}
			if err != nil {
				s.mm.LogWarn("PagerTree: could not update the status card; will retry", "thirdparty_id", tp, "error", err.Error())
				if len(replies) > 0 {
					s.giveBack(tp, replies)
				}
				return
			}
		}
		if rec.RootID == "" && len(replies) > 0 { // an alert from another source: the card is the root
			if cur, ok, err := s.records.get(tp); err == nil && ok {
				rec = cur
			}
			if rec.RootID == "" {
				s.giveBack(tp, replies)
				return
			}
		}
		for i, r := range replies {
			post := &model.Post{UserId: s.botID, ChannelId: rec.ChannelID, RootId: rec.RootID, Message: r.Message}
			if _, appErr := s.mm.CreatePost(post); appErr != nil {
				s.mm.LogWarn("PagerTree: could not post a status reply; will retry", "thirdparty_id", tp, "error", appErr.Error())
				replies[i].Attempts++
				s.giveBack(tp, replies[i:])
				return
			}
		}
	}
	if err := s.records.done(tp, s.cards.holding(tp)); err != nil {
		s.mm.LogWarn("PagerTree: could not update the list of alerts waiting for their card", "error", err.Error())
	}
}

// giveBack returns replies to the record, retried; when the store keeps failing they are
// held in memory and given back by the next sweep, never dropped.
func (s *Service) giveBack(tp string, replies []PendingReply) {
	if err := retried(func() error { return s.records.giveBack(tp, replies) }); err != nil {
		s.mm.LogWarn("PagerTree: could not keep a status reply for later; holding it", "thirdparty_id", tp, "error", err.Error())
		q := s.cards
		q.mu.Lock()
		q.held[tp] = append(append([]PendingReply(nil), replies...), q.held[tp]...)
		q.mu.Unlock()
	}
}

// takeReplies claims the replies an alert must post (removed from the record, so no other
// node posts them) and returns the record as it is now (empty when it expired).
func (s *records) takeReplies(tp string) (Record, []PendingReply, error) {
	var replies []PendingReply
	rec, _, err := s.update(tp, func(r *Record) bool {
		replies = r.Pending
		if len(replies) == 0 {
			return false
		}
		r.Pending = nil
		return true
	})
	return rec, replies, err
}

// markDrawn records that the card shows revision rev (never lowering what is recorded).
func (s *records) markDrawn(tp string, rev int64) error {
	_, _, err := s.update(tp, func(r *Record) bool {
		if r.CardRev >= rev {
			return false
		}
		r.CardRev = rev
		return true
	})
	return err
}

// giveBack returns replies that could not be posted, ahead of newer ones, for a later try;
// a reply that failed maxReplyAttempts times is dropped (an archived channel refuses it forever).
func (s *records) giveBack(tp string, replies []PendingReply) error {
	again := make([]PendingReply, 0, len(replies))
	for _, r := range replies {
		if r.Attempts < maxReplyAttempts {
			again = append(again, r)
		}
	}
	if len(again) == 0 {
		return nil
	}
	_, _, err := s.update(tp, func(r *Record) bool {
		have := map[string]bool{}
		for _, p := range r.Pending {
			have[p.ID] = true
		}
		var back []PendingReply
		for _, p := range again {
			if !have[p.ID] { // a retried give-back that did land the first time
				back = append(back, p)
			}
		}
		if len(back) == 0 {
			return false
		}
		r.Pending = append(back, r.Pending...)
		return true
	})
	return err
}

// setCard stores the card's post id unless another node stored one first, and that the card
// shows revision shown when the record is still at it; it returns the record as it is now
// (CardPostID: the card in force; empty when the record expired).
func (s *records) setCard(tp, postID string, shown int64) (Record, error) {
	rec, _, err := s.update(tp, func(r *Record) bool {
		if r.CardPostID != "" {
			return false
		}
		r.CardPostID = postID
		if r.RootID == "" { // an alert from another source: its card starts the thread
			r.RootID, r.PostID = postID, postID
		}
		if r.Rev == shown && r.CardRev < shown { // the new card shows the record as it is
			r.CardRev = shown
		}
		return true
	})
	return rec, err
}

// done drops an alert from the work set once its record has no work and has settled (or is
// gone); held is true while replies of it wait in memory.
func (s *records) done(tp string, held bool) error {
	if held {
		return nil
	}
	rec, ok, err := s.get(tp)
	if err != nil || ok && (rec.HasWork() || s.now().Sub(rec.Touched) < s.settle) {
		return err
	}
	return s.work.Remove(tp)
}

// migrateLegacySets moves the single-key sets of earlier versions into the sharded ones,
// once (every node may try: the moves are idempotent and the old key goes last).
func (s *records) migrateLegacySets(mm Mattermost) {
	for _, m := range []struct {
		key string
		set interface{ Add(string) error }
	}{{legacyWorkKey, s.work}, {legacyActionsKey, s.actions}, {legacyOpenKey, s.polledSet}} {
		raw, err := s.kv.Get(m.key)
		if err != nil || raw == nil {
			continue
		}
		var old map[string]time.Time
		_ = json.Unmarshal(raw, &old) // damaged: nothing to move, the key goes
		moved := true
		for tp := range old {
			if err := m.set.Add(tp); err != nil {
				mm.LogWarn("PagerTree: could not move an alert into the sharded work list; will try again at the next start", "key", m.key, "error", err.Error())
				moved = false
				break
			}
		}
		if moved {
			_, _ = s.kv.CompareAndSet(m.key, raw, nil, 0)
		}
	}
}
