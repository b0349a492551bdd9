package paging

import (
	"strings"
	"testing"
)

func mustMatcher(t testing.TB, mode MatchMode, triggers ...string) *Matcher {
	t.Helper()
	m, err := NewMatcher(mode, triggers)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWholeWordMatching(t *testing.T) {
	triggers := []string{"down", "sev-1", "#page_noc", "db down", "outage", "Ünïcødé", "σίσυφος", "🔥fire"}
	m := mustMatcher(t, MatchWholeWord, triggers...)
	cases := []struct {
		msg     string
		want    string // "" = no match
		matched string // the text covered in msg, when matched
	}{
		// DESIGN §6 examples
		{"the site is Down!", "down", "Down"},
		{"api (down) again", "down", "down"},
		{"please download the logs", "", ""},
		{"it was a lowdown trick", "", ""},
		{"we have a sev-1 now", "sev-1", "sev-1"},
		{"this is sev-10, not urgent", "", ""},
		{"#page_noc please", "#page_noc", "#page_noc"},
		{"x#page_noc", "", ""},
		{"our db down since 5", "db down", "db down"},
		// mid-sentence, case, punctuation
		{"We have an OUTAGE in eu-west", "outage", "OUTAGE"},
		{"outage.", "outage", "outage"},
		{"outage", "outage", "outage"},
		{"\"outage\"", "outage", "outage"},
		{"outage_2024 is old", "", ""},
		{"outage2", "", ""},
		{"preoutage", "", ""},
		{"down-stream is fine", "down", "down"}, // hyphen is not a word character
		// phrases with other white space
		{"db  down", "db down", "db  down"},
		{"db\tdown!", "db down", "db\tdown"},
		{"db downtime", "", ""},
		// Unicode: case folding and letters as boundaries
		{"ÜNÏCØDÉ broke", "Ünïcødé", "ÜNÏCØDÉ"},
		{"aünïcødé", "", ""},
		{"ΣΊΣΥΦΟΣ ist da", "σίσυφος", "ΣΊΣΥΦΟΣ"},
		{"the server is dοwn", "", ""}, // Greek omicron: not the same word
		// emoji
		{"🔥fire in the hall", "🔥fire", "🔥fire"},
		{"🚨down🚨", "down", "down"},
		// empty and white space
		{"", "", ""},
		{"   \n\t ", "", ""},
	}
	for _, c := range cases {
		t.Run(c.msg, func(t *testing.T) {
			got, ok := m.First(c.msg)
			if c.want == "" {
				if ok {
					t.Fatalf("First(%q) matched %q, want no match", c.msg, got.Trigger)
				}
				return
			}
			if !ok || got.Trigger != c.want {
				t.Fatalf("First(%q) = %+v, %v; want trigger %q", c.msg, got, ok, c.want)
			}
			if span := c.msg[got.Start:got.End]; span != c.matched {
				t.Fatalf("First(%q) covers %q, want %q", c.msg, span, c.matched)
			}
		})
	}
}

func TestOverlappingTriggersPreferEarliestThenLongest(t *testing.T) {
	m := mustMatcher(t, MatchWholeWord, "db", "db down", "down")
	got, _ := m.First("db down now")
	if got.Trigger != "db down" {
		t.Fatalf("got %q, want the longer phrase at the same position", got.Trigger)
	}
	got, _ = m.First("down: db")
	if got.Trigger != "down" {
		t.Fatalf("got %q, want the earliest trigger", got.Trigger)
	}
	all := m.All("db down, then db and down again")
	var names []string
	for _, a := range all {
		names = append(names, a.Trigger)
	}
	if strings.Join(names, ",") != "db down,db,down" {
		t.Fatalf("All = %v", names)
	}
}

func TestFirstWordModesCopyTheBuiltInWebhook(t *testing.T) {
	is := mustMatcher(t, MatchFirstWordIs, "outage", "Page")
	starts := mustMatcher(t, MatchFirstWordStartsWith, "sev")
	cases := []struct {
		m    *Matcher
		msg  string
		want string
	}{
		{is, "outage in eu", "outage"},
		{is, "  outage", "outage"},
		{is, "Outage in eu", ""}, // case-sensitive, like the built-in
		{is, "we have an outage", ""},
		{is, "outage!", ""}, // the first word is "outage!"
		{is, "Page me", "Page"},
		{is, "", ""},
		{starts, "sev1 db", "sev"},
		{starts, "severe weather", "sev"},
		{starts, "Sev1", ""},
		{starts, "a sev1", ""},
	}
	for _, c := range cases {
		got, ok := c.m.First(c.msg)
		if (c.want == "") == ok || got.Trigger != c.want {
			t.Errorf("%s First(%q) = %q, %v; want %q", c.m.Mode(), c.msg, got.Trigger, ok, c.want)
		}
	}
	if _, err := NewMatcher(MatchFirstWordIs, []string{"db down"}); err == nil {
		t.Fatal("a phrase in first-word mode must be rejected")
	}
}

func TestNewMatcherValidation(t *testing.T) {
	if _, err := NewMatcher(MatchWholeWord, nil); err == nil {
		t.Fatal("no triggers must be an error")
	}
	if _, err := NewMatcher(MatchWholeWord, []string{" ", ""}); err == nil {
		t.Fatal("blank triggers must be an error")
	}
	m := mustMatcher(t, MatchWholeWord, "Outage", "outage", "OUTAGE", " db   down ")
	if got := m.Triggers(); len(got) != 2 || got[0] != "db down" {
		t.Fatalf("duplicates must fold together and space collapse: %v", got)
	}
	if _, err := ParseMatchMode("sometimes"); err == nil {
		t.Fatal("unknown mode must be an error")
	}
}

func TestSplitList(t *testing.T) {
	got := SplitList(" outage, sev-1\n\ndb   down;#page ,, ")
	want := []string{"outage", "sev-1", "db down", "#page"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("SplitList = %q", got)
	}
}

func TestLongMessages(t *testing.T) {
	m := mustMatcher(t, MatchWholeWord, "outage", "db down")
	long := strings.Repeat("all good here, nothing to see. ", 530)[:16000]
	if _, ok := m.First(long); ok {
		t.Fatal("no trigger in the long message")
	}
	withEnd := long[:15990] + " outage!"
	got, ok := m.First(withEnd)
	if !ok || withEnd[got.Start:got.End] != "outage" {
		t.Fatalf("trigger at the end of a 16 000-character message not found: %+v", got)
	}
	unicodeLong := strings.Repeat("Ünïcødé ✓ ", 1600) + "OUTAGE"
	got, ok = m.First(unicodeLong)
	if !ok || unicodeLong[got.Start:got.End] != "OUTAGE" {
		t.Fatalf("offsets wrong after non-ASCII text: %+v", got)
	}
}

func TestOffsetsSurviveLengthChangingFolds(t *testing.T) {
	// U+212A KELVIN SIGN (3 bytes) folds to k (1 byte); offsets must still point into the original.
	m := mustMatcher(t, MatchWholeWord, "kill switch")
	msg := "use the \u212AILL SWITCH now"
	got, ok := m.First(msg)
	if !ok || msg[got.Start:got.End] != "\u212AILL SWITCH" {
		t.Fatalf("got %+v in %q", got, msg)
	}
}
