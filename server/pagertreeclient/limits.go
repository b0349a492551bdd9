package pagertreeclient

import "github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"

// Everything PagerTree sends is bounded here, once, before it reaches a card, a reply or the
// KV store: each field is cut to its limit (in characters) with an ellipsis. The limits are
// far above what PagerTree produces and far below what would make a card unreadable or a
// record large (documented in the README's "PagerTree → Mattermost" section).
const (
	// MaxIDLen bounds ids: PagerTree's alert id, the thirdparty id, a comment's or a person's id.
	MaxIDLen = 120
	// MaxNumberLen bounds the alert number (#123).
	MaxNumberLen = 20
	// MaxWordLen bounds one-word values: the event type, PagerTree's status and urgency.
	MaxWordLen = 64
	// MaxNameLen bounds a person's name, username or e-mail, and a channel name.
	MaxNameLen = 200
	// MaxTextLen bounds a title, a description and a comment's body.
	MaxTextLen = 4000
)

// bound cuts every text field of an event to its limit.
func bound(e alertstate.Event) alertstate.Event {
	e.RawType = clip(e.RawType, MaxWordLen)
	e.AlertID = clip(e.AlertID, MaxIDLen)
	e.TinyID = clip(e.TinyID, MaxNumberLen)
	e.ThirdPartyID = clip(e.ThirdPartyID, MaxIDLen)
	e.Status = clip(e.Status, MaxWordLen)
	e.Title = clip(e.Title, MaxTextLen)
	e.Description = clip(e.Description, MaxTextLen)
	e.Urgency = clip(e.Urgency, MaxWordLen)
	e.By = boundPerson(e.By)
	e.From = boundPerson(e.From)
	e.CommentID = clip(e.CommentID, MaxIDLen)
	e.CommentPrefixID = clip(e.CommentPrefixID, MaxIDLen)
	e.CommentBody = clip(e.CommentBody, MaxTextLen)
	e.Channel = clip(e.Channel, MaxNameLen)
	return e
}

func boundPerson(p alertstate.Person) alertstate.Person {
	p.ID = clip(p.ID, MaxIDLen)
	p.Name = clip(p.Name, MaxNameLen)
	p.Email = clip(p.Email, MaxNameLen)
	p.Username = clip(p.Username, MaxNameLen)
	return p
}

// clip cuts s to n characters, the last of them an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
