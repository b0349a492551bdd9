package followup

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
)

// What the settings panel and /pagertree status show so an admin sees the loop works: the
// newest event received and the newest poll.
const (
	lastEventKey = "receiver_last_event"
	lastPollKey  = "last_poll"
)

// LastEvent is the newest authenticated event from PagerTree.
type LastEvent struct {
	At      time.Time `json:"at"`
	Type    string    `json:"type"`
	Matched bool      `json:"matched"` // it was about an alert this plugin follows
	// How it authenticated: whether an Authorization header reached the plugin (it does not
	// on some servers, whatever PagerTree sends), and whether the URL carried the secret.
	HeaderArrived bool `json:"header_arrived"`
	ByURLSecret   bool `json:"by_url_secret"`
}

// EventAuth is how one event reached the receiver (the caller checked the credentials).
type EventAuth struct {
	HeaderArrived bool // the request had an Authorization header
	ByURLSecret   bool // the receiver's URL carried a secret
}

// LastPoll is the newest poll of PagerTree's REST API.
type LastPoll struct {
	At      time.Time `json:"at"`
	Checked int       `json:"checked"`
	Changed int       `json:"changed"`           // alerts whose state PagerTree told us had changed
	Problem string    `json:"problem,omitempty"` // why the poll failed, in a sentence
}

// Status is what the follow-up can say about itself; the plugin renders it.
type Status struct {
	LastEvent      *LastEvent // nil before the first event (or when it could not be read)
	LastEventError error      // why the last event could not be read
	LastPoll       *LastPoll  // nil before the first poll
	Comments       CommentsStatus
}

// lastEventEvery bounds how often a node writes the newest event: an event is noted in
// memory, and written at most once per interval (by the card queue's owner), so a burst of
// events does not write one shared key each.
const lastEventEvery = time.Second

// lastEventNote is this node's newest event not yet written.
type lastEventNote struct {
	mu      sync.Mutex
	pending *LastEvent
	newest  *LastEvent // the newest this node saw (written or not)
}

// noteEvent keeps e as this node's newest event; flushLastEvent writes it.
func (s *Service) noteEvent(e LastEvent) {
	n := &s.lastEvent
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.newest == nil || !e.At.Before(n.newest.At) {
		n.pending, n.newest = &e, &e
	}
}

// flushLastEvent writes the newest event noted, if any; on failure it is kept for the next try.
func (s *Service) flushLastEvent() {
	n := &s.lastEvent
	n.mu.Lock()
	e := n.pending
	n.pending = nil
	n.mu.Unlock()
	if e == nil {
		return
	}
	if err := recordLastEvent(s.kv, *e); err != nil {
		s.mm.LogWarn("PagerTree: could not record the last event received", "error", err.Error())
		n.mu.Lock()
		if n.pending == nil {
			n.pending = e
		}
		n.mu.Unlock()
	}
}

// Status reads the newest event (this node's, when newer than the stored one) and poll.
func (s *Service) Status() Status {
	var st Status
	if e, ok, err := loadLastEvent(s.kv); err != nil {
		st.LastEventError = err
	} else if ok {
		st.LastEvent = &e
	}
	s.lastEvent.mu.Lock()
	if mine := s.lastEvent.newest; mine != nil && (st.LastEvent == nil || mine.At.After(st.LastEvent.At)) {
		cp := *mine
		st.LastEvent, st.LastEventError = &cp, nil
	}
	s.lastEvent.mu.Unlock()
	if p, ok, err := loadLastPoll(s.kv); err == nil && ok {
		st.LastPoll = &p
	}
	st.Comments = s.commentsStatus()
	return st
}

func recordLastEvent(kv kvstore.KV, e LastEvent) error {
	return kv.Update(lastEventKey, func(old []byte) ([]byte, error) {
		var cur LastEvent
		if json.Unmarshal(old, &cur) == nil && cur.At.After(e.At) {
			return old, nil // a slower request must not hide a newer event
		}
		return json.Marshal(e)
	})
}

func loadLastEvent(kv kvstore.KV) (LastEvent, bool, error) {
	raw, err := kv.Get(lastEventKey)
	if err != nil || raw == nil {
		return LastEvent{}, false, err
	}
	var e LastEvent
	if err := json.Unmarshal(raw, &e); err != nil {
		return LastEvent{}, false, nil
	}
	return e, true, nil
}

func recordLastPoll(kv kvstore.KV, p LastPoll) error {
	return kv.Update(lastPollKey, func([]byte) ([]byte, error) { return json.Marshal(p) })
}

func loadLastPoll(kv kvstore.KV) (LastPoll, bool, error) {
	raw, err := kv.Get(lastPollKey)
	if err != nil || raw == nil {
		return LastPoll{}, false, err
	}
	var p LastPoll
	if json.Unmarshal(raw, &p) != nil {
		return LastPoll{}, false, nil
	}
	return p, true, nil
}
