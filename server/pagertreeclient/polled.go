package pagertreeclient

import (
	"strconv"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// PolledEvent turns an alert read from the REST API into the event PagerTree would have pushed
// for its current state, so polled and pushed updates go through the same state machine: a
// change seen both ways is applied once (the state never moves backwards, and the times match
// the pushed event's, so an acknowledgement is not taken for a second one). The REST alert does
// not name who acted: the card says "someone in PagerTree" until a pushed event tells. Its
// fields are bounded as a pushed event's (limits.go).
func PolledEvent(a Alert) alertstate.Event {
	e := alertstate.Event{
		RawType: "poll", AlertID: a.PrefixID, ThirdPartyID: a.ThirdpartyID, Status: a.Status,
		Title: a.Title, Urgency: a.Urgency, Incident: a.Incident, Severity: a.Severity,
	}
	if e.AlertID == "" {
		e.AlertID = a.ID
	}
	if a.TinyID > 0 {
		e.TinyID = strconv.FormatInt(a.TinyID, 10)
	}
	switch strings.ToLower(a.Status) {
	case "acknowledged":
		e.Kind, e.At = alertstate.KindAcknowledged, a.AcknowledgedAt
	case "resolved":
		e.Kind, e.At = alertstate.KindResolved, a.ResolvedAt
	case "dropped":
		e.Kind = alertstate.KindDropped
	case "open":
		e.Kind = alertstate.KindOpen
	default:
		e.Kind = alertstate.KindUnknown // suppressed, …: nothing to show
	}
	e = bound(e)
	e.Key = "poll:" + e.AlertID + ":" + strings.ToLower(e.Status)
	return e
}
