package alertstate

import (
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Kind is a PagerTree outgoing-webhook event type.
type Kind string

// The event types PagerTree sends (DESIGN §10). KindUnknown is everything else.
const (
	KindUnknown          Kind = ""
	KindCreated          Kind = "alert.created"
	KindOpen             Kind = "alert.open"
	KindAcknowledged     Kind = "alert.acknowledged"
	KindRejected         Kind = "alert.rejected"
	KindTimeout          Kind = "alert.timeout"
	KindResolved         Kind = "alert.resolved"
	KindDropped          Kind = "alert.dropped"
	KindHandoff          Kind = "alert.handoff"
	KindCommentCreated   Kind = "comment.created"
	KindCommentUpdated   Kind = "comment.updated"
	KindCommentDestroyed Kind = "comment.destroyed"
)

// Kinds lists every known kind (for tests and documentation).
var Kinds = []Kind{KindCreated, KindOpen, KindAcknowledged, KindRejected, KindTimeout, KindResolved,
	KindDropped, KindHandoff, KindCommentCreated, KindCommentUpdated, KindCommentDestroyed}

// ParseKind maps PagerTree's type string to a Kind (case-insensitive; "_" accepted for ".").
func ParseKind(s string) Kind {
	k := Kind(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "."))
	for _, known := range Kinds {
		if k == known {
			return k
		}
	}
	return KindUnknown
}

// IsComment reports whether the event is about a comment (it names the alert only by id).
func (k Kind) IsComment() bool {
	return k == KindCommentCreated || k == KindCommentUpdated || k == KindCommentDestroyed
}

// Person is someone in PagerTree, as far as the event tells. Mention is set by the plugin
// when the e-mail or username matches a Mattermost user ("@alice").
type Person struct {
	ID       string `json:"id,omitempty"` // usr_…: never shown
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	Username string `json:"username,omitempty"`
	Mention  string `json:"mention,omitempty"`
}

// someone is what a person without a known name is called.
const someone = "someone in PagerTree"

// Display is how the person appears in Mattermost: an @mention, PagerTree's name, or
// "someone in PagerTree" (never a raw usr_ id).
func (p Person) Display() string {
	if p.Mention != "" {
		return p.Mention
	}
	if n := strings.TrimSpace(p.Name); n != "" {
		return Name(n)
	}
	return someone
}

// Event is one decoded PagerTree event, reduced to what the plugin uses.
type Event struct {
	Kind         Kind
	RawType      string // the type as sent, for "last event received"
	AlertID      string // alt_…; for comments, the commentable_id
	TinyID       string
	ThirdPartyID string
	Status       string // PagerTree's own status field, informational
	Title        string
	Description  string // the alert's description (shown on cards of alerts from other sources)
	Urgency      string
	// Incident and Severity: PagerTree reports the alert as an incident (incident /
	// incident_severity, on the alert or in its meta); SeverityNone for SEV-UNKNOWN.
	Incident  bool
	Severity  paging.Severity
	By        Person // who acknowledged / resolved / rejected / commented; handoff: to whom
	From      Person // handoff: from whom
	At        int64  // when it happened (PagerTree's seconds), 0 when unknown
	CommentID string
	// CommentPrefixID is the comment's cmt_… id when PagerTree tells it next to its id.
	CommentPrefixID string
	CommentBody     string
	// Channel is the top-level "mattermost_channel" key an outgoing rule's setval added: where
	// an alert from another source is posted (a channel id, name, or "team/channel").
	Channel string
	// Key is a digest of the event's type and data in canonical form (key order and spacing
	// do not count): what Identity falls back on for facts the event does not name.
	Key string
}
