package alertstate

import (
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// An incident's card says "Incident SEV-n" in its title and takes the severity's colour while
// open; acknowledged and resolved show the state's colour; PagerTree's word beats what was sent.
func TestIncidentCard(t *testing.T) {
	open := Status{State: Open, AlertID: "alt_1", TinyID: "7"}
	cases := []struct {
		name   string
		status Status
		sent   paging.Severity
		title  string
		color  string
	}{
		{"plain alert", open, paging.SeverityNone, "PagerTree alert #7", ColorOpen},
		{"sent as SEV-1", open, paging.Severity1, "Incident SEV-1 · PagerTree alert #7", "#8B0000"},
		{"sent as SEV-3", open, paging.Severity3, "Incident SEV-3 · PagerTree alert #7", "#F07D2E"},
		{"SEV-5 before any event", Status{}, paging.Severity5, "Incident SEV-5 · PagerTree alert", "#5D89EA"},
		{"acknowledged SEV-1", Status{State: Acknowledged, TinyID: "7"}, paging.Severity1, "Incident SEV-1 · PagerTree alert #7", ColorAcknowledged},
		{"resolved SEV-2", Status{State: Resolved, TinyID: "7"}, paging.Severity2, "Incident SEV-2 · PagerTree alert #7", ColorResolved},
		{"PagerTree says SEV-2", Status{State: Open, TinyID: "7", Incident: true, Severity: paging.Severity2}, paging.Severity1, "Incident SEV-2 · PagerTree alert #7", "#D24B4E"},
		{"PagerTree says SEV-UNKNOWN", Status{State: Open, TinyID: "7", Incident: true}, paging.SeverityNone, "Incident · PagerTree alert #7", ColorUnknownSeverity},
	}
	for _, c := range cases {
		card := Card(CardInput{Status: c.status, Urgency: "critical", Trigger: "sev-1", Severity: c.sent})
		if card.Title != c.title || card.Color != c.color || card.Fallback != c.title+": "+c.status.State.Label() && c.status.State != "" {
			t.Errorf("%s: title %q colour %s fallback %q; want %q, %s", c.name, card.Title, card.Color, card.Fallback, c.title, c.color)
		}
	}
}

// PagerTree's events make an alert an incident (never unmake it) and redraw the card.
func TestEventsReportAnIncident(t *testing.T) {
	r := Apply(Status{State: Open}, Event{Kind: KindOpen, AlertID: "alt_1", Incident: true, Severity: paging.Severity2})
	if !r.Redraw || !r.Status.Incident || r.Status.Severity != paging.Severity2 {
		t.Fatalf("an incident event: %+v", r)
	}
	again := Apply(r.Status, Event{Kind: KindOpen, AlertID: "alt_1"})
	if again.Redraw || !again.Status.Incident || again.Status.Severity != paging.Severity2 {
		t.Fatalf("an event without incident fields unmade it: %+v", again)
	}
	if r := Apply(Status{State: Open}, Event{Kind: KindOpen, Incident: true}); !r.Status.Incident || r.Status.Severity != paging.SeverityNone {
		t.Fatalf("SEV-UNKNOWN: %+v", r.Status)
	}
}
