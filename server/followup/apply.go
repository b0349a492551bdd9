package followup

import (
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// Applied says what an event did.
type Applied struct {
	Matched      bool   // the event is about an alert this plugin follows
	Changed      bool   // the record changed (false for a repeat or a late event)
	Work         bool   // the card or the thread must be updated
	ThirdPartyID string // the record's key
}

// apply maps the event to its alert and feeds it to the state machine, queueing the card
// redraw and (when replies is true) the thread replies in the same atomic write. Pushed and
// polled events both come through here, so a change seen both ways posts once.
func (s *records) apply(e alertstate.Event, replies bool) (Applied, error) {
	rec, ok, err := s.find(e)
	if err != nil || !ok {
		return Applied{}, err
	}
	now := s.now()
	rec, changed, err := s.update(rec.ThirdPartyID, func(r *Record) bool { return applyTo(r, e, replies, now) })
	if err != nil {
		return Applied{Matched: true, ThirdPartyID: rec.ThirdPartyID}, err
	}
	return s.applied(rec, e, changed)
}

// applyTo is how an event changes a record: the state machine's new status, the card to
// redraw, the replies to post (when replies is true). It reports whether anything changed.
func applyTo(r *Record, e alertstate.Event, replies bool, now time.Time) bool {
	res := alertstate.Apply(r.Status, e)
	if !res.Changed {
		return false
	}
	r.Status = res.Status
	r.LastEventAt = now
	if res.Redraw {
		r.Rev++
		r.CardDirty = true
	}
	if replies {
		for _, m := range res.Replies {
			r.Pending = append(r.Pending, PendingReply{ID: model.NewId(), Message: m})
		}
	}
	return true
}

// applied finishes an event written into rec: the pointers that later events and commands
// find the record by, and the pending list when the Mattermost side is behind.
func (s *records) applied(rec Record, e alertstate.Event, changed bool) (Applied, error) {
	out := Applied{Matched: true, ThirdPartyID: rec.ThirdPartyID, Changed: changed, Work: changed && rec.HasWork()}
	if id := rec.Status.AlertID; id != "" && len(id) <= maxThirdPartyLen && !e.Kind.IsComment() {
		// Remember PagerTree's id for comment events; an existing pointer is left alone.
		if _, perr := s.kv.CompareAndSet(alertIDPrefix+id, nil, []byte(rec.ThirdPartyID), s.lifetime()); perr != nil {
			return out, perr
		}
		if perr := s.rememberNumber(rec); perr != nil { // numbers.go: /pagertree ack <#>
			return out, perr
		}
	}
	var err error
	if out.Work {
		err = s.markPending(rec.ThirdPartyID, true)
	}
	return out, err
}
