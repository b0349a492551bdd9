package alertstate

import (
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/cards.json")

// TestCardAtEachState renders the card through a whole life and compares it with
// testdata/cards.json (go test ./server/alertstate -run TestCardAtEachState -update rewrites it).
func TestCardAtEachState(t *testing.T) {
	in := CardInput{Urgency: "high", Trigger: "outage"}
	steps := []struct {
		name string
		ev   *Event
	}{
		{"sent (before any event)", nil},
		{"open", &Event{Kind: KindOpen, AlertID: "alt_K2x9QpLm", TinyID: "42", Urgency: "high"}},
		{"acknowledged", &Event{Kind: KindAcknowledged, By: Person{Name: "Alice Ops", Mention: "@alice"}, At: 1700000000}},
		{"resolved", &Event{Kind: KindResolved, By: Person{ID: "usr_9"}}},
	}
	got := map[string]any{}
	order := []string{}
	for _, s := range steps {
		if s.ev != nil {
			in.Status = Apply(in.Status, *s.ev).Status
		}
		got[s.name] = Card(in)
		order = append(order, s.name)
	}
	dropped := CardInput{Status: Apply(Status{AlertID: "alt_Z", TinyID: "43"}, Event{Kind: KindDropped}).Status, Trigger: "sev-1"}
	got["dropped"] = Card(dropped)
	order = append(order, "dropped")

	c := Card(in)
	if c.Color != ColorResolved || c.Title != "PagerTree alert #42" || c.TitleLink != "https://app.pagertree.com/alerts/alt_K2x9QpLm" {
		t.Fatalf("resolved card %+v", c)
	}
	fields := map[string]string{}
	for _, f := range c.Fields {
		fields[f.Title] = f.Value.(string)
	}
	if fields["Status"] != "Resolved" || fields["Acknowledged by"] != "@alice" || fields["Resolved by"] != "someone in PagerTree" || fields["Urgency"] != "high" || fields["Trigger"] != "outage" {
		t.Fatalf("fields %v", fields)
	}
	if first := Card(CardInput{}); first.Color != ColorOpen || first.Title != "PagerTree alert" || first.TitleLink != "" {
		t.Fatalf("card before any event %+v", first)
	}

	ordered := make([]map[string]any, 0, len(order))
	for _, n := range order {
		ordered = append(ordered, map[string]any{"state": n, "attachment": got[n]})
	}
	raw, _ := json.MarshalIndent(ordered, "", "  ")
	raw = append(raw, '\n')
	if *update {
		if err := os.WriteFile("testdata/cards.json", raw, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("testdata/cards.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(raw) {
		t.Fatalf("the cards changed; check and rerun with -update:\n%s", raw)
	}
}

func TestCardShowsTheTitleAndDescriptionOfAnAlertFromElsewhere(t *testing.T) {
	a := Card(CardInput{Status: Status{State: Open, TinyID: "7"}, Summary: "Disk full on @db1", Details: "98% used"})
	if a.Text != "Disk full on @\u200bdb1\n98% used" || a.Title != "PagerTree alert #7" {
		t.Fatalf("text %q title %q", a.Text, a.Title)
	}
	if b := Card(CardInput{Status: Status{State: Open}, Trigger: "down"}); b.Text != "" {
		t.Fatalf("a card of ours has no text: %q", b.Text)
	}
}
