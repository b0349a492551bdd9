package alertstate

import (
	"fmt"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// State is where an alert is in PagerTree. An alert starts Open once PagerTree accepted it.
type State string

// The states, in the order an alert goes through them (Resolved and Dropped are final).
const (
	Open         State = "open"
	Acknowledged State = "acknowledged"
	Resolved     State = "resolved"
	Dropped      State = "dropped"
)

// States lists every state (for tests).
var States = []State{Open, Acknowledged, Resolved, Dropped}

// rank orders states: an event never moves an alert to a lower rank. Dropped is not final:
// PagerTree lets people acknowledge or resolve a dropped alert (from Mattermost too), but an
// acknowledged alert is never dropped, so a late alert.dropped changes nothing.
func (s State) rank() int {
	switch s {
	case Dropped:
		return 2
	case Acknowledged:
		return 3
	case Resolved:
		return 4
	}
	return 1
}

// Final reports whether nothing can change the state any more.
func (s State) Final() bool { return s == Resolved }

// Label is the state for people.
func (s State) Label() string {
	switch s {
	case Acknowledged:
		return "Acknowledged"
	case Resolved:
		return "Resolved"
	case Dropped:
		return "Dropped (nobody acknowledged)"
	}
	return "Open"
}

// maxSeen bounds the remembered notices (comment ids, event keys) of one alert.
const maxSeen = 50

// Status is everything the card shows that PagerTree told us. Stored with the alert.
type Status struct {
	State   State  `json:"state"`
	AlertID string `json:"alert_id,omitempty"`
	TinyID  string `json:"tiny_id,omitempty"`
	Urgency string `json:"urgency,omitempty"` // PagerTree's urgency once an event said it
	// Incident and Severity are what PagerTree's events said: the alert is an incident, of this
	// severity (SeverityNone when it said SEV-UNKNOWN or nothing).
	Incident   bool            `json:"incident,omitempty"`
	Severity   paging.Severity `json:"severity,omitempty"`
	AckBy      string          `json:"ack_by,omitempty"` // display form
	AckAt      int64           `json:"ack_at,omitempty"`
	ResolvedBy string          `json:"resolved_by,omitempty"`
	// Pending is an action pressed in Mattermost that PagerTree has not confirmed yet (actions.go).
	Pending *PendingAction `json:"pending_action,omitempty"`
	// Seen holds the notices already posted (comment ids, keys of rejections, timeouts and
	// handoffs), newest last, bounded: they carry no state, so this is what stops repeats.
	Seen []string `json:"seen,omitempty"`
}

// Result is what one event did: the new status, whether it must be stored, whether the card
// must be redrawn, and the thread replies to post (whether to post them is the caller's setting).
type Result struct {
	Status  Status
	Changed bool // the status differs: store it
	Redraw  bool // what the card shows differs
	Replies []string
}

// Apply feeds one event to the state machine. It is pure and idempotent: applying the same
// event again returns Changed false and no replies, and a state never moves backwards
// (a late alert.open after alert.resolved changes nothing).
func Apply(s Status, e Event) Result {
	if s.State == "" {
		s.State = Open
	}
	before := s
	beforeSeen := len(s.Seen)
	r := Result{}
	// Facts that only fill gaps: ids and urgency learned from any alert event.
	if !e.Kind.IsComment() {
		if s.AlertID == "" && e.AlertID != "" {
			s.AlertID = e.AlertID
		}
		if s.TinyID == "" && e.TinyID != "" {
			s.TinyID = e.TinyID
		}
		if u := strings.ToLower(strings.TrimSpace(e.Urgency)); u != "" && knownUrgency(u) && !s.State.Final() {
			s.Urgency = u
		}
		if e.Incident && !s.State.Final() { // an alert is made an incident, not unmade one
			s.Incident = true
			if e.Severity.IsIncident() {
				s.Severity = e.Severity
			}
		}
	}
	by := e.By.Display()
	switch e.Kind {
	case KindAcknowledged:
		switch {
		case s.State == Open || s.State == Dropped:
			s.State, s.AckBy, s.AckAt = Acknowledged, by, e.At
			r.Replies = append(r.Replies, fmt.Sprintf("**Acknowledged** in PagerTree by %s.", by))
		case s.State == Acknowledged && by != s.AckBy && e.At > s.AckAt && e.At != 0:
			// Acknowledged again by someone else later (after a handoff): the newer one holds it.
			s.AckBy, s.AckAt = by, e.At
			r.Replies = append(r.Replies, fmt.Sprintf("**Acknowledged** in PagerTree by %s.", by))
		}
	case KindResolved:
		if !s.State.Final() {
			s.State, s.ResolvedBy = Resolved, by
			r.Replies = append(r.Replies, fmt.Sprintf("**Resolved** in PagerTree by %s.", by))
		}
	case KindDropped:
		if s.State == Open {
			s.State = Dropped
			r.Replies = append(r.Replies, "**Dropped** by PagerTree: nobody acknowledged the alert.")
		}
	case KindTimeout:
		if s.State == Open && s.notice(e.Identity()) {
			r.Replies = append(r.Replies, "Nobody acknowledged in time: PagerTree escalated the alert to the next layer.")
		}
	case KindRejected:
		if s.State == Open && s.notice(e.Identity()) {
			r.Replies = append(r.Replies, fmt.Sprintf("**Rejected** in PagerTree by %s; PagerTree pages the next responder.", by))
		}
	case KindHandoff:
		if (s.State == Open || s.State == Acknowledged) && s.notice(e.Identity()) {
			r.Replies = append(r.Replies, handoffText(e))
		}
	case KindCommentCreated:
		if e.CommentID != "" && s.notice(e.Identity()) {
			if body := strings.TrimSpace(e.CommentBody); body != "" {
				r.Replies = append(r.Replies, fmt.Sprintf("%s commented in PagerTree:\n%s", by, quote(Neutralize(body))))
			}
		}
	}
	s = settle(s, e.Kind)
	r.Status = s
	r.Redraw = !sameCard(before, s)
	r.Changed = r.Redraw || len(s.Seen) != beforeSeen || (beforeSeen > 0 && s.Seen[len(s.Seen)-1] != before.Seen[beforeSeen-1])
	return r
}

// handoffText names who handed off to whom as far as the event says.
func handoffText(e Event) string {
	switch {
	case e.From.Display() != someone && e.By.Display() != someone:
		return fmt.Sprintf("PagerTree handed the alert off from %s to %s.", e.From.Display(), e.By.Display())
	case e.By.Display() != someone:
		return fmt.Sprintf("PagerTree handed the alert off to %s.", e.By.Display())
	}
	return "PagerTree handed the alert off to someone else."
}

// sameCard compares what the card shows (comments are not on the card).
func sameCard(a, b Status) bool {
	return a.State == b.State && a.AlertID == b.AlertID && a.TinyID == b.TinyID && a.Urgency == b.Urgency &&
		a.Incident == b.Incident && a.Severity == b.Severity &&
		a.AckBy == b.AckBy && a.AckAt == b.AckAt && a.ResolvedBy == b.ResolvedBy && samePending(a.Pending, b.Pending)
}

func knownUrgency(u string) bool {
	switch u {
	case "low", "medium", "high", "critical":
		return true
	}
	return false
}

// notice remembers a notice key and reports whether it is new. An empty key (an event
// without an identity) is never remembered, so it is posted.
func (s *Status) notice(key string) bool {
	if strings.HasSuffix(key, ":") {
		return true
	}
	if contains(s.Seen, key) {
		return false
	}
	s.Seen = append(append([]string(nil), s.Seen...), key)
	if len(s.Seen) > maxSeen {
		s.Seen = s.Seen[len(s.Seen)-maxSeen:]
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func quote(s string) string { return "> " + strings.ReplaceAll(s, "\n", "\n> ") }
