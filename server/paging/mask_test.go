package paging

import "testing"

func TestMaskCodeAndQuotes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain outage", "plain outage"},
		{"see `outage` here", "see          here"},
		{"``a ` outage``!", "              !"},
		{"unclosed `outage", "unclosed `outage"},
		{"> outage old\nnew", "            \nnew"},
		{"   > quoted", "           "},
		{"```\noutage\n```\nafter", "   \n      \n   \nafter"},
		{"~~~go\noutage\n~~~~\nx", "     \n      \n    \nx"},
		{"```\nnever closed outage", "   \n                   "},
		{"a > b outage", "a > b outage"}, // not a quote: > is not at line start
	}
	for _, c := range cases {
		got := MaskCodeAndQuotes(c.in)
		if got != c.want {
			t.Errorf("MaskCodeAndQuotes(%q) = %q, want %q", c.in, got, c.want)
		}
		if len(got) != len(c.in) {
			t.Errorf("length changed for %q", c.in)
		}
	}
}

func TestRulesEvaluate(t *testing.T) {
	m := mustMatcher(t, MatchWholeWord, "outage")
	rules := &Rules{Matcher: m, Urgency: NewUrgencyRules(nil, UrgencyDefault), IgnoreCode: true}
	cases := []struct {
		msg        string
		matched    bool
		onlyInCode bool
		urgency    Urgency
	}{
		{"outage in prod, critical", true, false, UrgencyCritical},
		{"look at `outage` in the log", false, true, UrgencyDefault},
		{"> outage critical\nis this still on?", false, true, UrgencyDefault},
		{"outage now\n> old one was critical", true, false, UrgencyDefault}, // quoted urgency ignored too
		{"```\nERROR outage\n```\nhigh load, outage again", true, false, UrgencyHigh},
	}
	for _, c := range cases {
		ev := rules.EvaluateAll(c.msg)
		if ev.Matched != c.matched || ev.OnlyInCode != c.onlyInCode || ev.Urgency.Urgency != c.urgency {
			t.Errorf("EvaluateAll(%q) = %+v", c.msg, ev)
		}
		if quick := rules.Evaluate(c.msg); quick.Matched != c.matched {
			t.Errorf("Evaluate(%q) disagrees with EvaluateAll", c.msg)
		}
	}
	rules.IgnoreCode = false
	if !rules.Evaluate("look at `outage`").Matched {
		t.Fatal("with the exclusion off, code counts")
	}
}
