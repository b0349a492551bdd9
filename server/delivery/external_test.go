package delivery_test

import (
	"sync"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func created(id, tp string) alertstate.Event {
	return alertstate.Event{Kind: alertstate.KindCreated, AlertID: id, TinyID: "9", ThirdPartyID: tp, Title: "Disk full", Description: "98%", Key: "c-" + id}
}

func TestAdoptRecordsAnAlertFromElsewhereOnceAndLaterEventsMap(t *testing.T) {
	s := delivery.NewAlerts(kvstoretest.New(), nil, nil)
	var wg sync.WaitGroup
	results := make([]delivery.Applied, 4)
	for i := range results { // the same created event, received four times at once (repeats, two nodes)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := s.Adopt(created("alt_x", "nagios-1"), "chanX", true)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		}(i)
	}
	wg.Wait()
	work := 0
	for _, r := range results {
		if !r.Matched || r.ThirdPartyID != "pt.alt_x" {
			t.Fatalf("%+v", r)
		}
		if r.Work {
			work++
		}
	}
	if work != 1 {
		t.Fatalf("the card must be queued once, got %d", work)
	}
	rec, ok, _ := s.Get("pt.alt_x")
	if !ok || !rec.External || rec.ChannelID != "chanX" || rec.RootID != "" || rec.Summary != "Disk full" || rec.Details != "98%" ||
		rec.Status.AlertID != "alt_x" || !rec.CardDirty {
		t.Fatalf("record %+v", rec)
	}
	// The card becomes the thread's root.
	if id, err := s.SetCard("pt.alt_x", "card1"); err != nil || id != "card1" {
		t.Fatal(id, err)
	}
	rec, _, _ = s.Get("pt.alt_x")
	if rec.RootID != "card1" || rec.PostID != "card1" {
		t.Fatalf("root %+v", rec)
	}
	// A later event carries the other source's thirdparty id: it maps by PagerTree's id.
	res, err := s.Apply(alertstate.Event{Kind: alertstate.KindAcknowledged, AlertID: "alt_x", ThirdPartyID: "nagios-1", Key: "a"}, true)
	if err != nil || !res.Matched || !res.Changed {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestAdoptableOnlyForNewAlertsWithAnId(t *testing.T) {
	cases := []struct {
		name string
		e    alertstate.Event
		want bool
	}{
		{"created", created("alt_1", "x"), true},
		{"open", alertstate.Event{Kind: alertstate.KindOpen, AlertID: "alt_1"}, true},
		{"acknowledged", alertstate.Event{Kind: alertstate.KindAcknowledged, AlertID: "alt_1"}, false},
		{"no id", alertstate.Event{Kind: alertstate.KindCreated}, false},
		{"our test alert", created("alt_1", "test.1700000000000"), false},
	}
	for _, c := range cases {
		if got := delivery.Adoptable(c.e); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
	s := delivery.NewAlerts(kvstoretest.New(), nil, nil)
	if res, err := s.Adopt(created("alt_2", ""), "", true); err != nil || res.Matched {
		t.Fatalf("no channel: ignored, got %+v %v", res, err)
	}
}
