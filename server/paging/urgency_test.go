package paging

import "testing"

func TestUrgencyParsing(t *testing.T) {
	aliases, err := ParseAliases("sev-1=critical, p1:critical\nsev-2 = high, p3=low")
	if err != nil {
		t.Fatal(err)
	}
	withDefault := NewUrgencyRules(aliases, UrgencyMedium)
	noDefault := NewUrgencyRules(nil, UrgencyDefault)
	cases := []struct {
		rules *UrgencyRules
		msg   string
		want  Urgency
		src   UrgencySource
	}{
		{noDefault, "db is down urgency:high", UrgencyHigh, SourceExplicit},
		{noDefault, "URGENCY=Critical it burns", UrgencyCritical, SourceExplicit},
		{noDefault, "urgency: low but critical words", UrgencyLow, SourceExplicit}, // explicit wins
		{noDefault, "urgency:urgent is not a level, high is", UrgencyHigh, SourceWord},
		{noDefault, "high and critical", UrgencyCritical, SourceWord}, // highest wins
		{noDefault, "low low medium", UrgencyMedium, SourceWord},
		{noDefault, "the db is slow", UrgencyDefault, SourceDefault}, // whole words only
		{noDefault, "highway lowdown", UrgencyDefault, SourceDefault},
		{noDefault, "HIGH!", UrgencyHigh, SourceWord},
		{noDefault, "", UrgencyDefault, SourceDefault},
		{withDefault, "nothing here", UrgencyMedium, SourceDefault},
		{withDefault, "we have a sev-1", UrgencyCritical, SourceAlias},
		{withDefault, "sev-10 is not sev-1", UrgencyCritical, SourceAlias},
		{withDefault, "sev-10 only", UrgencyMedium, SourceDefault},
		{withDefault, "P1 and low", UrgencyCritical, SourceAlias},
		{withDefault, "sev-2 but critical", UrgencyCritical, SourceWord},
		{withDefault, "p3 issue", UrgencyLow, SourceAlias},
		{withDefault, "high p3", UrgencyHigh, SourceWord},
	}
	for _, c := range cases {
		got := c.rules.Parse(c.msg)
		if got.Urgency != c.want || got.Source != c.src {
			t.Errorf("Parse(%q) = %+v, want %s from %s", c.msg, got, c.want, c.src)
		}
	}
}

func TestParseAliasesErrors(t *testing.T) {
	for _, bad := range []string{"sev-1", "sev-1=urgent", "=high", "sev-1=", "p1=pagertree_default"} {
		if _, err := ParseAliases(bad); err == nil {
			t.Errorf("ParseAliases(%q) should fail", bad)
		}
	}
	if m, err := ParseAliases(""); err != nil || len(m) != 0 {
		t.Fatalf("empty aliases: %v %v", m, err)
	}
}

func TestParseUrgency(t *testing.T) {
	for in, want := range map[string]Urgency{ //nolint:gocritic // " low " tests trimming
		"": UrgencyDefault, "pagertree_default": UrgencyDefault, "HIGH": UrgencyHigh, " low ": UrgencyLow} {
		if got, err := ParseUrgency(in); err != nil || got != want {
			t.Errorf("ParseUrgency(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseUrgency("urgent"); err == nil {
		t.Fatal("urgent is not a level")
	}
}
