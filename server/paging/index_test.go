package paging

import (
	"fmt"
	"testing"
)

// The index answers as the matcher does, on the matcher's own cases and on many triggers.
func TestAnyIndexAgreesWithTheMatcher(t *testing.T) {
	triggers := []string{"outage", "sev-1", "db down", "#page_noc", "Ünïcødé", "p1"}
	for i := 0; i < 200; i++ {
		triggers = append(triggers, fmt.Sprintf("svc%d down", i), fmt.Sprintf("svc%d-alert", i))
	}
	m, err := NewMatcher(MatchWholeWord, triggers)
	if err != nil {
		t.Fatal(err)
	}
	x := NewAnyIndex(triggers, true)
	rules := &Rules{Matcher: m, Urgency: NewUrgencyRules(nil, UrgencyDefault), IgnoreCode: true}
	for _, msg := range []string{
		"all good", "we have an OUTAGE!", "download", "sev-10 is fine", "(sev-1)", "db  down now", "db downtime",
		"ping #page_noc", "x#page_noc", "ünïcødé text", "svc17 down since 9", "svc17 downhill", "svc199-alert", "svc1999-alert",
		"`outage` in code", "> outage quoted", "p1", "sp1", "", "   ", "ǅ-svc3 down",
	} {
		if got, want := x.Matches(msg), rules.Matches(msg); got != want {
			t.Errorf("%q: index %v, matcher %v", msg, got, want)
		}
	}
}

func FuzzAnyIndex(f *testing.F) {
	for _, s := range []string{"outage", "sev-1 now", "db\tdown", "#page_noc!", "svc3-alert"} {
		f.Add(s)
	}
	triggers := []string{"outage", "sev-1", "db down", "#page_noc", "svc3-alert", "ß"}
	m, _ := NewMatcher(MatchWholeWord, triggers)
	rules := &Rules{Matcher: m, Urgency: NewUrgencyRules(nil, UrgencyDefault), IgnoreCode: false}
	x := NewAnyIndex(triggers, false)
	f.Fuzz(func(t *testing.T, msg string) {
		if x.Matches(msg) != rules.Matches(msg) {
			t.Fatalf("%q: the index and the matcher disagree", msg)
		}
	})
}
