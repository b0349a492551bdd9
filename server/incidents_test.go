package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// incidentBody is what the stand-in got, with Meta decoded.
type incidentBody struct {
	Urgency string         `json:"Urgency"`
	Text    string         `json:"text"`
	Meta    map[string]any `json:"Meta"`
}

func bodyOf(t *testing.T, raw string) incidentBody {
	t.Helper()
	var b incidentBody
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// A post with a severity word pages as an incident in the Webhook format and as a plain alert
// (with the severity's urgency) in the Mattermost format; a plain trigger is no incident.
func TestPostWithASeverityWord(t *testing.T) {
	cases := []struct {
		format  string
		message string
		meta    map[string]any
		urgency string // Webhook: Urgency; Mattermost: the text's prefix
	}{
		{"webhook", "sev-1 checkout is down\nsince 10:02", map[string]any{"incident": true, "incident_severity": "SEV-1", "incident_message": "sev-1 checkout is down"}, "critical"},
		{"webhook", "outage: checkout, sev-3 and then sev-2", map[string]any{"incident": true, "incident_severity": "SEV-2", "incident_message": "outage: checkout, sev-3 and then sev-2"}, "high"},
		{"webhook", "outage in eu, `sev-1` in the log", nil, ""},
		{"webhook", "outage in eu", nil, ""},
		{"mattermost", "sev-2 outage in eu", nil, "[high] sev-2 outage in eu"},
	}
	for _, c := range cases {
		t.Run(c.format+" "+c.message, func(t *testing.T) {
			pt, env := standInAndEnv(t, func(s *settings) {
				s.Format = c.format
				s.UrgencyAliases = ""
			})
			env.p.MessageHasBeenPosted(nil, userPost(publicID, c.message))
			pt.wait(t)
			b := bodyOf(t, pt.bodies[0])
			if c.format == "mattermost" {
				if b.Text != c.urgency || strings.Contains(pt.bodies[0], "SEV") {
					t.Fatalf("Mattermost body %s", pt.bodies[0])
				}
				return
			}
			if b.Urgency != c.urgency || len(b.Meta) != len(c.meta) {
				t.Fatalf("body %s, want Meta %v and urgency %q", pt.bodies[0], c.meta, c.urgency)
			}
			for k, v := range c.meta {
				if b.Meta[k] != v {
					t.Fatalf("Meta[%s] = %#v, want %#v", k, b.Meta[k], v)
				}
			}
		})
	}
}

func TestAlertCommandSeverity(t *testing.T) {
	cases := []struct {
		cmd      string
		severity string // "" = plain alert
		urgency  string
		announce string
	}{
		{"/pagertree alert sev-2 checkout is failing", "SEV-2", "high", "urgency: high, incident SEV-2"},
		{"/pagertree alert --severity SEV-1 checkout is failing", "SEV-1", "critical", "urgency: critical, incident SEV-1"},
		{"/pagertree alert --severity=sev_3 checkout", "SEV-3", "medium", "urgency: medium, incident SEV-3"},
		{"/pagertree alert --severity SEV-4 low checkout", "SEV-4", "low", "urgency: low, incident SEV-4"},
		{"/pagertree alert critical --severity 2 checkout", "SEV-2", "critical", "urgency: critical, incident SEV-2"},
		{"/pagertree alert --severity none sev-1 checkout", "", "", "urgency: PagerTree default"},
		{"/pagertree alert checkout is failing", "", "", "urgency: PagerTree default"},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			pt, env := standInAndEnv(t, func(s *settings) {
				s.Format = "webhook"
				s.UrgencyAliases = ""
			})
			if got := run(t, env, aliceID, c.cmd); got != "" {
				t.Fatalf("answer %q", got)
			}
			announce := receive(t, env.fb.posts, "announcement")
			if !strings.Contains(announce.Message, "@alice paged PagerTree — "+c.announce+"\n") {
				t.Fatalf("announcement %q, want %q", announce.Message, c.announce)
			}
			pt.wait(t)
			b := bodyOf(t, pt.bodies[0])
			if b.Urgency != c.urgency || (c.severity == "") != (b.Meta == nil) || c.severity != "" && b.Meta["incident_severity"] != c.severity {
				t.Fatalf("body %s, want severity %q urgency %q", pt.bodies[0], c.severity, c.urgency)
			}
		})
	}
}

func TestAlertCommandBadSeverity(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	for cmd, want := range map[string]string{
		"/pagertree alert --severity SEV-9 boom":       `"SEV-9" is not an incident severity: use SEV-1 (most severe) to SEV-5, or none. Usage:`,
		"/pagertree alert --severity":                  "`--severity` needs a severity after it",
		"/pagertree alert --severity 1 --severity 2 x": "is given twice",
		"/pagertree alert --sev 1 boom":                "`--sev` is not an option of `/pagertree alert`",
		"/pagertree alert --severity SEV-1":            "Say what is happening after the urgency or severity.",
	} {
		if got := run(t, env, aliceID, cmd); !strings.Contains(got, want) {
			t.Errorf("%q -> %q, want %q", cmd, got, want)
		}
	}
	if pt.count() != 0 {
		t.Fatal("a refused command paged PagerTree")
	}
	if !strings.Contains(helpTable, "--severity SEV-n") || !strings.Contains(alertUsage, "--severity") {
		t.Fatal("the help does not name --severity")
	}
	alert := commandDefinition().AutocompleteData.SubCommands[0]
	if !strings.Contains(alert.Hint, "--severity") {
		t.Fatalf("the autocomplete hint %q does not name --severity", alert.Hint)
	}
}

// The preview says "incident SEV-1", and in the Mattermost format that it goes as a plain alert.
func TestPreviewOfAnIncident(t *testing.T) {
	for _, c := range []struct {
		format, msg, incident string
		urgency               paging.Urgency
	}{
		{"webhook", "sev-1 checkout is down", `Incident SEV-1 (from "sev-1").`, paging.UrgencyCritical},
		{"mattermost", "sev-1 checkout is down", `Incident SEV-1 (from "sev-1") would page as a plain alert: PagerTree's Mattermost (Outgoing Webhook) integration has no incident field`, paging.UrgencyCritical},
		{"webhook", "outage, no incident", "", paging.UrgencyDefault},
	} {
		s := baseSettings("https://api.pagertree.com/integration/int_abc")
		s.Format, s.UrgencyAliases = c.format, ""
		cfg := configFromRaw(storedSettings(s), "ua", testGuard)
		res := preview(cfg, botID, screenRequest{Message: c.msg})
		if !strings.HasPrefix(res.Incident, c.incident) || (c.incident == "") != (res.Incident == "") || res.Urgency.Urgency != c.urgency {
			t.Errorf("%s %q: incident %q urgency %+v", c.format, c.msg, res.Incident, res.Urgency)
		}
		if c.incident != "" && (res.Severity == nil || res.Severity.Severity != paging.Severity1) {
			t.Errorf("%s %q: severity %+v", c.format, c.msg, res.Severity)
		}
	}
}

// A refused "Incident severities" item pauses forwarding with one sentence for that setting;
// the Mattermost format's note is shown only when severities are set.
func TestIncidentSeveritiesSetting(t *testing.T) {
	s := baseSettings("https://api.pagertree.com/integration/int_abc")
	s.IncidentSeverities = "sev-1=SEV-1 critical, p0=SEV-0"
	c := configFromRaw(storedSettings(s), "ua", testGuard)
	if len(c.problems) != 1 || c.problems[0].Key != "IncidentSeverities" || !strings.Contains(c.problems[0].Text, `"p0" names "SEV-0"`) {
		t.Fatalf("problems %+v", c.problems)
	}
	if defaultSettings().IncidentSeverities != paging.DefaultIncidentSeverities {
		t.Fatalf("plugin.json's default %q is not paging's %q", defaultSettings().IncidentSeverities, paging.DefaultIncidentSeverities)
	}
	for _, c := range []struct {
		format, severities string
		note               bool
	}{
		{"mattermost", paging.DefaultIncidentSeverities, true},
		{"webhook", paging.DefaultIncidentSeverities, false},
		{"mattermost", "", false},
	} {
		s := baseSettings("https://api.pagertree.com/integration/int_abc")
		s.Format, s.IncidentSeverities = c.format, c.severities
		cfg := configFromRaw(storedSettings(s), "ua", testGuard)
		note := incidentFormatNote(cfg)
		if (note != "") != c.note || c.note && !strings.Contains(note, "use a PagerTree Webhook integration and the Webhook format") {
			t.Errorf("%s %q: note %q", c.format, c.severities, note)
		}
		if got := incidentStatus(cfg); c.note && !strings.Contains(got, note) || c.severities == "" && !strings.HasPrefix(got, "none") {
			t.Errorf("%s %q: status row %q", c.format, c.severities, got)
		}
	}
}
