package pagertreeclient

import (
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
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
