package paging

import (
	"reflect"
	"testing"
)

// One prepared text answers every rule as the rule would on the message itself, including a
// rule whose code setting differs from the one the text was masked for.
func TestTextAnswersAsTheMessage(t *testing.T) {
	whole, _ := NewMatcher(MatchWholeWord, []string{"outage", "db down", "Ünïcødé"})
	first, _ := NewMatcher(MatchFirstWordIs, []string{"!page"})
	urg := NewUrgencyRules(map[string]Urgency{"sev-1": UrgencyCritical}, UrgencyLow)
	rules := []*Rules{
		{Matcher: whole, Urgency: urg, IgnoreCode: true},
		{Matcher: whole, Urgency: urg, IgnoreCode: false},
		{Matcher: first, Urgency: urg, IgnoreCode: true},
	}
	x := NewAnyIndex([]string{"outage", "db down", "Ünïcødé"}, true)
	for _, msg := range []string{
		"OUTAGE sev-1", "`outage` only in code", "> db down", "!page db  down", "ÜNÏCØDÉ high", "all good", "!page",
		"```\noutage\n```\nurgency:high",
	} {
		for _, ignoreCode := range []bool{true, false} {
			text := NewText(msg, ignoreCode)
			for i, r := range rules {
				if got, want := r.EvaluateText(&text), r.Evaluate(msg); !reflect.DeepEqual(got, want) {
					t.Errorf("%q (text ignoreCode %v), rules %d: %+v, want %+v", msg, ignoreCode, i, got, want)
				}
				if got, want := r.MatchesText(&text), r.Matches(msg); got != want {
					t.Errorf("%q, rules %d: matches %v, want %v", msg, i, got, want)
				}
				if got, want := r.EvaluateAllText(&text), r.EvaluateAll(msg); got.Matched != want.Matched || got.OnlyInCode != want.OnlyInCode || len(got.Matches) != len(want.Matches) {
					t.Errorf("%q, rules %d: all %+v, want %+v", msg, i, got, want)
				}
			}
			if got, want := x.MatchesText(&text), rules[0].Matches(msg); got != want {
				t.Errorf("%q: index %v, rules %v", msg, got, want)
			}
		}
	}
}
