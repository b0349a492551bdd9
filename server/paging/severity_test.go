package paging

import "testing"

func TestParseSeverity(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Severity
		bad  bool
	}{
		{"", SeverityNone, false}, {"none", SeverityNone, false}, {"SEV-1", Severity1, false},
		{"sev-2", Severity2, false}, {"sev_3", Severity3, false}, {"Sev4", Severity4, false},
		{"5", Severity5, false}, {"SEV-6", "", true}, {"SEV-UNKNOWN", "", true}, {"high", "", true},
		{"SEV-", "", true},
	} {
		got, err := ParseSeverity(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParseSeverity(%q) = %q, %v; want %q, error %v", c.in, got, err, c.want, c.bad)
		}
	}
}

func TestSeverityOrder(t *testing.T) {
	if !Severity1.MoreSevere(Severity2) || Severity2.MoreSevere(Severity1) || SeverityNone.MoreSevere(Severity5) || !Severity5.MoreSevere(SeverityNone) {
		t.Fatal("SEV-1 is the most severe, any incident more severe than none")
	}
	if SeverityNone.IsIncident() || !Severity3.IsIncident() {
		t.Fatal("IsIncident")
	}
}
