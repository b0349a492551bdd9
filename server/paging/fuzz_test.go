package paging

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMatcher checks the matcher's promises on any text: it never panics, offsets are
// inside the message on rune boundaries, a match really is the trigger (ignoring case) with
// non-word characters around it, and First agrees with All.
func FuzzMatcher(f *testing.F) {
	for _, s := range []string{"outage", "DB  down!", "sev-10", "\u212Aill switch", "ΣΊΣΥΦΟΣ", "`outage`", "> outage", "\xff\xfeoutage"} {
		f.Add(s)
	}
	m, _ := NewMatcher(MatchWholeWord, []string{"outage", "db down", "sev-1", "kill switch", "σίσυφος", "#page"})
	f.Fuzz(func(t *testing.T, msg string) {
		first, ok := m.First(msg)
		all := m.All(msg)
		if ok != (len(all) > 0) {
			t.Fatalf("First and All disagree on %q", msg)
		}
		for _, mt := range all {
			if mt.Start < 0 || mt.End > len(msg) || mt.Start >= mt.End {
				t.Fatalf("bad offsets %+v in %q", mt, msg)
			}
			if utf8.ValidString(msg) && (!utf8.RuneStart(msg[mt.Start]) || (mt.End < len(msg) && !utf8.RuneStart(msg[mt.End]))) {
				t.Fatalf("offsets split a rune: %+v in %q", mt, msg)
			}
			span := foldString(msg[mt.Start:mt.End]).s
			if strings.Join(strings.Fields(span), " ") != foldString(mt.Trigger).s {
				t.Fatalf("span %q is not trigger %q", msg[mt.Start:mt.End], mt.Trigger)
			}
		}
		if ok && (first.Start != all[0].Start || first.Trigger != all[0].Trigger) {
			t.Fatalf("First %+v is not the earliest of %+v", first, all)
		}
	})
}

// FuzzUrgency checks that parsing never panics and always returns a known level and source.
func FuzzUrgency(f *testing.F) {
	for _, s := range []string{"urgency:high", "URGENCY = critical", "slow", "sev-1 low", "urgency:", "urgency=\xff"} {
		f.Add(s)
	}
	aliases, _ := ParseAliases("sev-1=critical, p2=medium")
	r := NewUrgencyRules(aliases, UrgencyDefault)
	f.Fuzz(func(t *testing.T, msg string) {
		res := r.Parse(msg)
		if res.Urgency != UrgencyDefault && res.Urgency.rank() == 0 {
			t.Fatalf("unknown urgency %q", res.Urgency)
		}
		if res.Source == SourceDefault && res.Urgency != UrgencyDefault {
			t.Fatalf("default source with urgency %q", res.Urgency)
		}
		prefixed := TextForPagerTree(msg, res.Urgency)
		if res.Urgency != UrgencyDefault && PagerTreeReading(prefixed) != res.Urgency {
			t.Fatalf("prefix rule failed for %q", msg)
		}
	})
}

// FuzzMask checks that masking keeps the length and the line structure of any text.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"```\nx\n```", "`a`", "> q", "~~~\n", "``` `` `"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := MaskCodeAndQuotes(s)
		if len(m) != len(s) || strings.Count(m, "\n") != strings.Count(s, "\n") {
			t.Fatalf("mask changed the shape of %q: %q", s, m)
		}
	})
}

// FuzzSettingLists checks the one reading of the list settings on any text: items are trimmed and
// free of separators, every alias item is either accepted with a level or refused with a sentence,
// and ParseAliases fails exactly when an item is refused.
func FuzzSettingLists(f *testing.F) {
	for _, s := range []string{"sev-1=critical, p1:HIGH", "a=b=low", "=high", "p1=", "x;y\nz", "p1=high, P1=low", "\xff=low"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items := SplitList(s)
		for _, it := range items {
			if it == "" || strings.ContainsAny(it, ",;\n\r") || it != strings.Join(strings.Fields(it), " ") {
				t.Fatalf("SplitList(%q) gave item %q", s, it)
			}
		}
		aliases := ReadAliases(s)
		if len(aliases) != len(items) {
			t.Fatalf("ReadAliases(%q) has %d items, SplitList %d", s, len(aliases), len(items))
		}
		refused := false
		for i, a := range aliases {
			if a.Text != items[i] {
				t.Fatalf("alias item %q is not list item %q", a.Text, items[i])
			}
			switch {
			case a.Err != nil:
				refused = true
				if a.Urgency != UrgencyDefault {
					t.Fatalf("refused alias %q has urgency %q", a.Text, a.Urgency)
				}
			case a.Urgency.rank() == 0 || a.Name == "":
				t.Fatalf("accepted alias %+v has no name or level", a)
			}
		}
		if _, err := ParseAliases(s); (err != nil) != refused {
			t.Fatalf("ParseAliases(%q) = %v, but refused=%v", s, err, refused)
		}
		if got := UniqueTriggers(MatchWholeWord, items); len(got) > len(items) {
			t.Fatalf("UniqueTriggers added items: %q", got)
		}
	})
}

// FuzzSeverities checks the "Incident severities" reading on any setting and message: it never
// panics, every accepted item names a real severity, the rules accept exactly the settings
// whose items are all accepted, and a message's severity is one of the words' (outside code).
func FuzzSeverities(f *testing.F) {
	for _, s := range []string{DefaultIncidentSeverities, "p1:SEV_1", "a=b=SEV-2 high", "x=", "=SEV-1", "p=SEV-1 low extra", "\xff=SEV-3"} {
		f.Add(s, "sev-1 checkout `sev-2` down")
	}
	f.Fuzz(func(t *testing.T, setting, msg string) {
		items := ReadSeverities(setting)
		allOK := true
		for _, it := range items {
			if it.Err != nil {
				allOK = false
				continue
			}
			if !it.Severity.IsIncident() || (it.Urgency != UrgencyDefault && it.Urgency.rank() == 0) || it.Word == "" {
				t.Fatalf("accepted item %+v of %q", it, setting)
			}
		}
		rules, err := ParseSeverities(setting)
		if (err == nil) != allOK {
			t.Fatalf("ParseSeverities(%q) error %v, items all accepted: %v", setting, err, allOK)
		}
		if err != nil {
			return
		}
		res := rules.Parse(MaskCodeAndQuotes(msg))
		if res.Severity == SeverityNone {
			return
		}
		found := false
		for _, it := range items {
			found = found || (foldString(it.Word).s == foldString(res.Word).s && it.Severity == res.Severity)
		}
		if !found {
			t.Fatalf("severity %+v of %q is not an item of %q", res, msg, setting)
		}
	})
}
