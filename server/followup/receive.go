package followup

import (
	"fmt"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// EventResult is what the receiver tells PagerTree an event did.
type EventResult string

// The results.
const (
	EventApplied   EventResult = "applied"
	EventUnchanged EventResult = "unchanged" // a repeat, or a late event that would move the alert backwards
	EventIgnored   EventResult = "ignored"   // unknown types and alerts this plugin does not follow
)

// BadEventError is an event that cannot be read; its message is a sentence for PagerTree's
// delivery log.
type BadEventError struct{ err error }

func (e *BadEventError) Error() string { return e.err.Error() }

// Receive applies one authenticated event (auth: how it came, kept with the last event) from PagerTree (the caller checked the credentials
// and bounded the body). What it changed is recorded in the KV store, durably, before it
// returns; the card and the replies follow on the card queue. An error other than a
// *BadEventError means nothing was recorded: PagerTree retries a non-2xx answer, so nothing
// is lost.
func (s *Service) Receive(body []byte, auth EventAuth) (EventResult, error) {
	ev, err := pagertreeclient.DecodeEvent(body)
	if err != nil {
		return "", &BadEventError{err: err}
	}
	cfg := s.config()
	replies := cfg.replies()
	var applied Applied
	if ev.Kind != alertstate.KindUnknown {
		s.mentionPeople(&ev)
		applied, err = s.records.apply(ev, replies)
		if err == nil && !applied.Matched {
			applied, err = s.adoptExternal(ev, cfg, replies) // adopt.go
		}
		if err != nil {
			s.mm.LogError("PagerTree: could not record an event", "type", ev.RawType, "error", err.Error())
			return "", fmt.Errorf("the event could not be recorded: %w", err)
		}
	}
	s.noteEvent(LastEvent{At: s.now().UTC(), Type: ev.RawType, Matched: applied.Matched,
		HeaderArrived: auth.HeaderArrived, ByURLSecret: auth.ByURLSecret}) // written once a second
	result := EventIgnored
	switch {
	case applied.Matched && applied.Changed:
		result = EventApplied
	case applied.Matched:
		result = EventUnchanged
	}
	s.counted(ev.Kind)
	if applied.Work {
		s.cards.kick(applied.ThirdPartyID)
	}
	return result, nil
}
