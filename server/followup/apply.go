package followup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// seenPrefix starts the keys that remember the notices an alert posted (seenKey).
const seenPrefix = "alert_seen_"

// requeueAfter: a repeat that finds its record behind for this long re-queues it.
const requeueAfter = 2 * time.Second

// Applied says what an event did.
type Applied struct {
	Matched      bool   // the event is about an alert this plugin follows
	Changed      bool   // the record changed (false for a repeat or a late event)
	Work         bool   // the card or the thread is behind the record: the card queue must run
	ThirdPartyID string // the record's key
}

// apply maps the event to its alert and feeds it to the state machine, queueing the card
// redraw and (when replies is true) the thread replies in the same atomic write. Pushed and
// polled events both come through here, so a change seen both ways posts once.
//
// Intent first: when the event will create work (or finds the record behind already), the
// alert joins the work set BEFORE the record is written; if that fails nothing is changed and
// the error makes the receiver answer 503 (PagerTree retries). An entry whose record has no
// work after all is dropped by the sweep. A repeat that finds the record behind re-queues it:
// "unchanged" never leaves a card behind its record.
func (s *records) apply(e alertstate.Event, replies bool) (Applied, error) {
	rec, ok, err := s.find(e)
	if err != nil || !ok {
		return Applied{}, err
	}
	now := s.now()
	tp := rec.ThirdPartyID
	// A notice (comment, rejection, handoff, timeout) is remembered by its identity as long as
	// the record lives, beyond the record's own bounded list: a replay however late posts nothing.
	id := e.Identity()
	if id != "" {
		seen, gerr := s.kv.Get(seenKey(tp, id))
		if gerr != nil {
			return Applied{Matched: true, ThirdPartyID: tp}, gerr
		}
		if seen != nil {
			return s.applied(rec, e, false)
		}
	}
	dry := rec
	if applyTo(&dry, e, replies, now) && dry.HasWork() || rec.HasWork() {
		if aerr := s.work.Add(tp); aerr != nil {
			return Applied{Matched: true, ThirdPartyID: tp}, fmt.Errorf("could not queue the alert's update: %w", aerr)
		}
	}
	rec, changed, err := s.update(tp, func(r *Record) bool { return applyTo(r, e, replies, now) })
	if err != nil {
		return Applied{Matched: true, ThirdPartyID: tp}, err
	}
	if !changed && rec.ThirdPartyID == "" { // the record expired in between
		return Applied{}, nil
	}
	if id != "" {
		err := retried(func() error {
			_, err := s.kv.CompareAndSet(seenKey(tp, id), nil, []byte{1}, s.lifetime())
			return err
		})
		if err != nil { // the record's list still stops a prompt replay; PagerTree retries this one
			return Applied{Matched: true, ThirdPartyID: tp, Changed: changed}, fmt.Errorf("could not remember the event: %w", err)
		}
	}
	return s.applied(rec, e, changed)
}

// seenKey is the key that remembers an event's identity for one alert (hashed: identities
// hold ids from PagerTree, and keys are limited in length).
func seenKey(tp, identity string) string {
	sum := sha256.Sum256([]byte(tp + "\x00" + identity))
	return seenPrefix + hex.EncodeToString(sum[:12])
}

// applyTo is how an event changes a record: the state machine's new status, the card to
// redraw, the replies to post (when replies is true); a comment the plugin made itself only
// teaches the record its ids. It reports whether anything changed.
func applyTo(r *Record, e alertstate.Event, replies bool, now time.Time) bool {
	if echo, learned := r.takeEcho(e); echo { // the plugin's own comment: never posted back
		return learned
	}
	res := alertstate.Apply(r.Status, e)
	if !res.Changed {
		return false
	}
	r.Status = res.Status
	r.LastEventAt = now
	if res.Redraw {
		r.Rev++
	}
	if replies {
		for _, m := range res.Replies {
			r.Pending = append(r.Pending, PendingReply{ID: model.NewId(), Message: m})
		}
	}
	return true
}

// applied finishes an event written into rec: the pointers that later events and commands
// find the record by (each write retried: the record is saved already). The work set holds
// the alert already (intent first).
func (s *records) applied(rec Record, e alertstate.Event, changed bool) (Applied, error) {
	// A repeat re-queues a record that is behind once it has settled: its writer's card queue
	// had time to catch up, so something failed there (an immediate repeat, or the same event
	// on two nodes, leaves the work to the writer).
	behind := rec.HasWork() && (changed || s.now().Sub(rec.Touched) >= requeueAfter)
	out := Applied{Matched: true, ThirdPartyID: rec.ThirdPartyID, Changed: changed, Work: behind}
	if id := rec.Status.AlertID; id != "" && len(id) <= maxThirdPartyLen && !e.Kind.IsComment() {
		// Remember PagerTree's id for comment events; an existing pointer is left alone.
		err := retried(func() error {
			_, err := s.kv.CompareAndSet(alertIDPrefix+id, nil, []byte(rec.ThirdPartyID), s.lifetime())
			return err
		})
		if err == nil {
			err = retried(func() error { return s.rememberNumber(rec) }) // numbers.go: /pagertree ack <#>
		}
		if err != nil { // PagerTree sends the event again: its repeat writes them
			return out, fmt.Errorf("the event was recorded but the pointers to its alert were not: %w", err)
		}
	}
	return out, nil
}

// retried makes a few tries of a write that must follow one already made (the KV store's
// failures are mostly momentary).
func retried(write func() error) error {
	var err error
	for range 3 {
		if err = write(); err == nil {
			return nil
		}
	}
	return err
}
