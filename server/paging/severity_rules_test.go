package paging

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReadSeverities(t *testing.T) {
	type item struct {
		word       string
		sev        Severity
		urgency    Urgency
		err        string // part of the sentence; "" = accepted
		overridden bool
	}
	cases := []struct {
		in   string
		want []item
	}{
		{"", nil},
		{DefaultIncidentSeverities, []item{{"sev-1", Severity1, UrgencyCritical, "", false}, {"sev-2", Severity2, UrgencyHigh, "", false}, {"sev-3", Severity3, UrgencyMedium, "", false}}},
		{"major incident: sev_2\np0 = SEV-1 CRITICAL", []item{{"major incident", Severity2, UrgencyDefault, "", false}, {"p0", Severity1, UrgencyCritical, "", false}}},
		{"p1=SEV-1, P1=sev-2", []item{{"p1", Severity1, "", "", true}, {"P1", Severity2, "", "", false}}},
		{"broken", []item{{"broken", "", "", `"broken" must look like word=SEV-n urgency`, false}}},
		{"=SEV-1", []item{{"", "", "", "has no word before the =", false}}},
		{"p1=", []item{{"p1", "", "", `"p1" has no severity after the =`, false}}},
		{"p1=SEV-6", []item{{"p1", "", "", `names "SEV-6", which is not SEV-1`, false}}},
		{"p1=none", []item{{"p1", "", "", `names "none"`, false}}},
		{"p1=SEV-1 urgent", []item{{"p1", "", "", `sets the urgency "urgent", which is not low`, false}}},
		{"p1=SEV-1 critical now", []item{{"p1", "", "", "at most one urgency", false}}},
		{"p1=SEV-1 default", []item{{"p1", "", "", `sets the urgency "default"`, false}}},
	}
	for _, c := range cases {
		got := ReadSeverities(c.in)
		if len(got) != len(c.want) {
			t.Errorf("ReadSeverities(%q) = %+v, want %d items", c.in, got, len(c.want))
			continue
		}
		for i, w := range c.want {
			g := got[i]
			errText := ""
			if g.Err != nil {
				errText = g.Err.Error()
			}
			if g.Word != w.word || g.Severity != w.sev || g.Urgency != w.urgency || g.Overridden != w.overridden ||
				(w.err == "") != (errText == "") || !strings.Contains(errText, w.err) {
				t.Errorf("ReadSeverities(%q)[%d] = %+v (%q), want %+v", c.in, i, g, errText, w)
			}
		}
	}
	if _, err := ParseSeverities("sev-1=SEV-1 critical, p1=SEV-9"); err == nil || !strings.Contains(err.Error(), `"p1"`) {
		t.Fatalf("ParseSeverities returns the first refused item: %v", err)
	}
}

func severityRules(t *testing.T, ignoreCode bool, aliases string, def Urgency) *Rules {
	t.Helper()
	m, err := NewMatcher(MatchWholeWord, []string{"outage", "sev-1", "down"})
	if err != nil {
		t.Fatal(err)
	}
	sev, err := ParseSeverities(DefaultIncidentSeverities + ", major incident=SEV-2, p5=SEV-5")
	if err != nil {
		t.Fatal(err)
	}
	al, err := ParseAliases(aliases)
	if err != nil {
		t.Fatal(err)
	}
	return &Rules{Matcher: m, Urgency: NewUrgencyRules(al, def), Severity: sev, IgnoreCode: ignoreCode}
}

// The one decision: which severity a post has and what urgency it then pages with.
func TestSeverityOfMessages(t *testing.T) {
	r := severityRules(t, true, "p2=high", UrgencyLow)
	cases := []struct {
		msg     string
		sev     Severity
		word    string
		urgency Urgency
		source  UrgencySource
	}{
		{"sev-1 checkout is down", Severity1, "sev-1", UrgencyCritical, SourceSeverity},
		{"SEV-1: checkout is down", Severity1, "sev-1", UrgencyCritical, SourceSeverity},
		{"outage, not an incident", SeverityNone, "", UrgencyLow, SourceDefault},
		{"sev-10 is not sev-1x", SeverityNone, "", UrgencyLow, SourceDefault}, // word boundaries
		{"xsev-1 down", SeverityNone, "", UrgencyLow, SourceDefault},
		{"sev-3 down, no wait, sev-2 — and it is sev-1", Severity1, "sev-1", UrgencyCritical, SourceSeverity}, // the highest wins
		{"sev-3 down p5", Severity3, "sev-3", UrgencyMedium, SourceSeverity},
		{"a Major   Incident: db down", Severity2, "major incident", UrgencyLow, SourceDefault}, // no urgency of its own
		{"`sev-1` outage", SeverityNone, "", UrgencyLow, SourceDefault},                         // inline code
		{"outage\n> sev-1 yesterday", SeverityNone, "", UrgencyLow, SourceDefault},              // a quote
		{"outage\n```\nsev-1\n```", SeverityNone, "", UrgencyLow, SourceDefault},                // a code block
		{"sev-1 down urgency:low", Severity1, "sev-1", UrgencyLow, SourceExplicit},              // explicit beats the severity
		{"sev-3 down, critical", Severity3, "sev-3", UrgencyCritical, SourceWord},               // a higher level word wins
		{"sev-1 down, low", Severity1, "sev-1", UrgencyCritical, SourceSeverity},                // a lower one does not
		{"sev-3 down p2", Severity3, "sev-3", UrgencyHigh, SourceAlias},
	}
	for _, c := range cases {
		ev := r.EvaluateAll(c.msg)
		if ev.Severity.Severity != c.sev || ev.Severity.Word != c.word || ev.Urgency.Urgency != c.urgency || ev.Urgency.Source != c.source {
			t.Errorf("%q: severity %+v, urgency %+v; want %s (%q), %s from %s", c.msg, ev.Severity, ev.Urgency, c.sev, c.word, c.urgency, c.source)
		}
		if w := r.Weigh(c.msg); w != ev.Weight {
			t.Errorf("%q: Weigh %+v differs from EvaluateAll %+v", c.msg, w, ev.Weight)
		}
		if e := r.Evaluate(c.msg); e.Matched && e.Weight != ev.Weight {
			t.Errorf("%q: Evaluate %+v differs from EvaluateAll %+v", c.msg, e.Weight, ev.Weight)
		}
	}
	// Without the code rule, code counts.
	if ev := severityRules(t, false, "", UrgencyDefault).Evaluate("`sev-1` outage"); ev.Severity.Severity != Severity1 {
		t.Fatalf("code counts when IgnoreCode is off: %+v", ev)
	}
	// No severity words: never an incident.
	plain := &Rules{Matcher: r.Matcher, Urgency: r.Urgency}
	if ev := plain.Evaluate("sev-1 outage"); ev.Severity.Severity.IsIncident() || !ev.Matched {
		t.Fatalf("without severities nothing is an incident: %+v", ev)
	}
}

func TestWeighAs(t *testing.T) {
	r := severityRules(t, true, "", UrgencyDefault)
	cases := []struct {
		msg     string
		sev     Severity
		urgency Urgency
		source  UrgencySource
	}{
		{"checkout is down", Severity2, UrgencyHigh, SourceSeverity},    // the setting's urgency for SEV-2
		{"sev-1 checkout", Severity3, UrgencyMedium, SourceSeverity},    // the flag names the severity
		{"checkout critical", Severity2, UrgencyCritical, SourceWord},   // a higher word still wins
		{"checkout urgency=low", Severity1, UrgencyLow, SourceExplicit}, // explicit wins
		{"checkout", Severity4, UrgencyDefault, SourceDefault},          // no word for SEV-4: its urgency is the message's
		{"sev-1 checkout", SeverityNone, UrgencyDefault, SourceDefault}, // --severity none: plain alert
	}
	for _, c := range cases {
		w := r.WeighAs(c.msg, c.sev)
		if w.Severity.Severity != c.sev || w.Urgency.Urgency != c.urgency || w.Urgency.Source != c.source {
			t.Errorf("WeighAs(%q, %s) = %+v", c.msg, c.sev, w)
		}
	}
}

func TestIncidentPayloads(t *testing.T) {
	a := sampleAlert()
	a.Message = "sev-1 checkout is down\nsince 10:02"
	a.Severity = Severity1
	body, err := BuildWebhook(a)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Meta map[string]any `json:"Meta"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"incident": true, "incident_severity": "SEV-1", "incident_message": "sev-1 checkout is down"}
	if len(got.Meta) != len(want) {
		t.Fatalf("Meta = %v, want %v", got.Meta, want)
	}
	for k, v := range want {
		if got.Meta[k] != v {
			t.Fatalf("Meta[%s] = %#v, want %#v (body %s)", k, got.Meta[k], v, body)
		}
	}
	// A plain alert has no Meta at all: PagerTree reads any Meta.incident as true.
	a.Severity = SeverityNone
	body, _ = BuildWebhook(a)
	if strings.Contains(string(body), "Meta") || strings.Contains(string(body), "incident") {
		t.Fatalf("a plain alert carries Meta: %s", body)
	}
	// The Mattermost format has no incident field: the same 12 fields as for a plain alert.
	a.Severity = Severity1
	mm, _ := BuildMattermost(a, "")
	var raw map[string]any
	_ = json.Unmarshal(mm, &raw)
	if len(raw) != 12 || strings.Contains(string(mm), "SEV-1") {
		t.Fatalf("the Mattermost format changed for an incident: %s", mm)
	}
	if a.IncidentIn(FormatMattermost) != SeverityNone || a.IncidentIn(FormatWebhook) != Severity1 {
		t.Fatal("IncidentIn")
	}
}
