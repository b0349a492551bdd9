package pagertreeclient

import (
	"strings"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestPolledEventFromTheRESTAlert(t *testing.T) {
	cases := []struct {
		status string
		kind   alertstate.Kind
		at     int64
	}{
		{"open", alertstate.KindOpen, 0},
		{"acknowledged", alertstate.KindAcknowledged, 1700000000},
		{"resolved", alertstate.KindResolved, 1700000100},
		{"dropped", alertstate.KindDropped, 0},
		{"suppressed", alertstate.KindUnknown, 0},
	}
	for _, c := range cases {
		e := PolledEvent(Alert{ID: "01H", PrefixID: "alt_1", TinyID: 4, Status: c.status, ThirdpartyID: "tp", AcknowledgedAt: 1700000000, ResolvedAt: 1700000100})
		if e.Kind != c.kind || e.At != c.at || e.AlertID != "alt_1" || e.TinyID != "4" || e.ThirdPartyID != "tp" || e.Key == "" {
			t.Errorf("%s: %+v", c.status, e)
		}
	}
	// A pushed acknowledgement then the polled copy of it: one change, one reply.
	pushed := alertstate.Event{Kind: alertstate.KindAcknowledged, AlertID: "alt_1", By: alertstate.Person{Name: "Kay"}, At: 1700000000, Key: "k"}
	r := alertstate.Apply(alertstate.Status{State: alertstate.Open}, pushed)
	polled := PolledEvent(Alert{PrefixID: "alt_1", Status: "acknowledged", AcknowledgedAt: 1700000000})
	if again := alertstate.Apply(r.Status, polled); again.Changed || len(again.Replies) != 0 {
		t.Fatalf("the polled copy changed something: %+v", again)
	}
	// The polled copy first, then the pushed one: still one reply.
	r = alertstate.Apply(alertstate.Status{State: alertstate.Open}, polled)
	if again := alertstate.Apply(r.Status, pushed); len(again.Replies) != 0 {
		t.Fatalf("the pushed copy posted again: %+v", again)
	}
}

func TestDecodeAlertTimes(t *testing.T) {
	a, err := decodeAlert([]byte(`{"id":"1","prefix_id":"alt_1","status":"acknowledged","acknowledged_at":"2023-11-14T22:13:20.500Z","resolved_at":null}`))
	if err != nil || a.AcknowledgedAt != 1700000000 || a.ResolvedAt != 0 {
		t.Fatalf("%+v %v", a, err)
	}
}

// PagerTree reports incidents on the alert (incident, incident_severity) or in its meta, in
// its spellings; an unknown severity is an incident of unknown severity, nothing unbounded.
func TestIncidentFromEventsAndPolling(t *testing.T) {
	cases := []struct {
		data string
		is   bool
		sev  paging.Severity
	}{
		{`{"id":"alt_1","incident":true,"incident_severity":"SEV-1"}`, true, paging.Severity1},
		{`{"id":"alt_1","meta":{"incident":true,"incident_severity":"sev_2","incident_message":"x"}}`, true, paging.Severity2},
		{`{"id":"alt_1","meta":{"incident":"true","incident_severity":"SEV-3"}}`, true, paging.Severity3},
		{`{"id":"alt_1","incident":true,"incident_severity":"SEV-UNKNOWN"}`, true, paging.SeverityNone},
		{`{"id":"alt_1","incident":true,"incident_severity":"` + strings.Repeat("9", 5000) + `"}`, true, paging.SeverityNone},
		{`{"id":"alt_1","incident":false,"incident_severity":"SEV-1"}`, false, paging.SeverityNone},
		{`{"id":"alt_1","meta":"odd"}`, false, paging.SeverityNone},
		{`{"id":"alt_1"}`, false, paging.SeverityNone},
	}
	for _, c := range cases {
		e, err := DecodeEvent([]byte(`{"type":"alert.open","data":` + c.data + `}`))
		if err != nil || e.Incident != c.is || e.Severity != c.sev {
			t.Errorf("event %s: incident %v %q, %v; want %v %q", c.data, e.Incident, e.Severity, err, c.is, c.sev)
		}
		a, err := decodeAlert([]byte(c.data))
		if err != nil {
			t.Fatal(err)
		}
		if p := PolledEvent(a); p.Incident != c.is || p.Severity != c.sev {
			t.Errorf("polled %s: incident %v %q; want %v %q", c.data, p.Incident, p.Severity, c.is, c.sev)
		}
	}
}
