package paging

import (
	"strings"
	"testing"
)

// The list settings are read once, here: the runtime rules, the save-time check and the panel
// (through the settings check route) all take these readings.
func TestSplitListTable(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" , ;\n\r ", nil},
		{"outage", []string{"outage"}},
		{" outage, sev-1\n\ndb   down;#page ,, ", []string{"outage", "sev-1", "db down", "#page"}},
		{"a\r\nb", []string{"a", "b"}},
		{"db\tdown\u00a0now", []string{"db down now"}},   // every Unicode space is a space
		{"Outage, outage", []string{"Outage", "outage"}}, // case is the matcher's business
	}
	for _, c := range cases {
		if got := SplitList(c.in); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("SplitList(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReadAliases(t *testing.T) {
	type item struct {
		name       string
		urgency    Urgency
		err        string // part of the sentence; "" = accepted
		overridden bool
	}
	cases := []struct {
		in   string
		want []item
	}{
		{"", nil},
		{"sev-1=critical, p1:HIGH\np2 = medium", []item{{"sev-1", UrgencyCritical, "", false}, {"p1", UrgencyHigh, "", false}, {"p2", UrgencyMedium, "", false}}},
		// The last = or : separates: an alias may hold the other signs (the panel once refused this).
		{"a=b=low, x:y=high", []item{{"a=b", UrgencyLow, "", false}, {"x:y", UrgencyHigh, "", false}}},
		// An alias listed twice, whatever its case, is not refused: the last one counts.
		{"p1=high, P1=low", []item{{"p1", UrgencyHigh, "", true}, {"P1", UrgencyLow, "", false}}},
		{"broken", []item{{"broken", "", `"broken" must look like alias=level`, false}}},
		{"=high", []item{{"", "", `has no alias before the =`, false}}},
		{"p1=", []item{{"p1", "", `"p1" has no urgency after the =`, false}}},
		{"p1=urgent", []item{{"p1", "", `points to "urgent", which is not low, medium, high or critical`, false}}},
		{"p1=pagertree_default, p2=default", []item{{"p1", "", "which is not low", false}, {"p2", "", "which is not low", false}}},
		// A refused item does not hide the others; it does not override an accepted one.
		{"p1=high, p1=nope, sev 1 = Critical", []item{{"p1", UrgencyHigh, "", false}, {"p1", "", "not low", false}, {"sev 1", UrgencyCritical, "", false}}},
	}
	for _, c := range cases {
		got := ReadAliases(c.in)
		if len(got) != len(c.want) {
			t.Errorf("ReadAliases(%q) = %+v, want %d items", c.in, got, len(c.want))
			continue
		}
		var firstErr error
		for i, w := range c.want {
			g := got[i]
			if g.Err != nil && firstErr == nil {
				firstErr = g.Err
			}
			if g.Name != w.name || g.Urgency != w.urgency || g.Overridden != w.overridden ||
				(w.err == "") != (g.Err == nil) || (g.Err != nil && !strings.Contains(g.Err.Error(), w.err)) {
				t.Errorf("ReadAliases(%q)[%d] = %+v, want %+v", c.in, i, g, w)
			}
		}
		// ParseAliases is ReadAliases: the same items accepted, the first refusal its error.
		m, err := ParseAliases(c.in)
		if (err == nil) != (firstErr == nil) || (err != nil && err.Error() != firstErr.Error()) {
			t.Errorf("ParseAliases(%q) error %v, ReadAliases' first %v", c.in, err, firstErr)
		}
		if err == nil {
			for _, g := range got {
				if !g.Overridden && m[foldString(g.Name).s] != g.Urgency {
					t.Errorf("ParseAliases(%q)[%q] = %q, want %q", c.in, g.Name, m[foldString(g.Name).s], g.Urgency)
				}
			}
		}
	}
}

func TestUniqueTriggers(t *testing.T) {
	cases := []struct {
		mode MatchMode
		in   string
		want []string
	}{
		{MatchWholeWord, "", nil},
		{MatchWholeWord, "outage, Outage, OUTAGE, db  down, DB down", []string{"outage", "db down"}},
		{MatchWholeWord, "σίσυφος, ΣΊΣΥΦΟΣ", []string{"σίσυφος"}},                  // without case in any script, as matching is
		{MatchFirstWordIs, "Outage, outage, Outage", []string{"Outage", "outage"}}, // first-word modes keep case
		{MatchFirstWordStartsWith, "#page, #page", []string{"#page"}},
	}
	for _, c := range cases {
		if got := UniqueTriggers(c.mode, SplitList(c.in)); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("UniqueTriggers(%s, %q) = %q, want %q", c.mode, c.in, got, c.want)
		}
		if len(c.want) == 0 {
			continue
		}
		// The matcher keeps exactly these triggers.
		m, err := NewMatcher(c.mode, SplitList(c.in))
		if err != nil || len(m.Triggers()) != len(c.want) {
			t.Errorf("NewMatcher(%s, %q) keeps %v (%v), want %q", c.mode, c.in, m, err, c.want)
		}
	}
}
