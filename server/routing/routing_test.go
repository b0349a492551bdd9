package routing

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

const (
	teamDB  = "teamdbteamdbteamdbteamdbte"
	teamNet = "teamnetteamnetteamnetteamn"
	chDB    = "chdbchdbchdbchdbchdbchdbch"
	chDB2   = "chdb2chdb2chdb2chdb2chdb2c"
	chMon   = "chmonchmonchmonchmonchmonc"
	chOther = "chotherchotherchotherchoth"
	fake    = "********************************"
)

func defaultRoute(t testing.TB) *Route {
	t.Helper()
	m, err := paging.NewMatcher(paging.MatchWholeWord, []string{"outage", "sev-1"})
	if err != nil {
		t.Fatal(err)
	}
	return &Route{
		ID: DefaultID, Name: DefaultName, Format: paging.FormatMattermost, Endpoint: "https://api.pagertree.com/integration/int_noc",
		Rules: &paging.Rules{Matcher: m, Urgency: paging.NewUrgencyRules(nil, paging.UrgencyDefault), IgnoreCode: true},
	}
}

func base(t testing.TB) Base {
	return Base{
		Default: defaultRoute(t), Placeholder: fake,
		ValidateEndpoint: func(e string) (string, error) {
			u, err := url.Parse(e)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				return "", errors.New("the endpoint URL is not an absolute https URL")
			}
			return u.Host, nil
		},
	}
}

func dbRoute() Spec {
	return Spec{ID: "db", Name: "Database", Channels: []string{chDB, chDB2}, EndpointURL: "https://api.pagertree.com/integration/int_db", TriggerWords: "db down"}
}

func netRoute() Spec {
	return Spec{ID: "net", Name: "Network", Teams: []string{teamNet}, EndpointURL: "https://api.pagertree.com/integration/int_net", TriggerWords: "link down", Format: "webhook"}
}

func TestMatchOrder(t *testing.T) {
	teamDBRoute := Spec{ID: "dbteam", Name: "DB team", Teams: []string{teamDB}, EndpointURL: "https://api.pagertree.com/integration/int_dbteam"}
	monitor := Spec{ID: "mon", Name: "Monitoring", Channels: []string{chMon}, EndpointURL: "https://api.pagertree.com/integration/int_mon", EveryMessage: true}
	table, problems := Build([]Spec{dbRoute(), netRoute(), teamDBRoute, monitor}, map[string]string{"db": "t-db"}, base(t))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cases := []struct {
		name, channel, team, message string
		want                         string // route id, "-" for none
		trigger                      string
	}{
		{"channel route's own trigger", chDB, teamDB, "db down since 10:00", "db", "db down"},
		{"channel route's trigger misses: team route (default triggers)", chDB, teamDB, "sev-1 in checkout", "dbteam", "sev-1"},
		// the channel's route has its own trigger and the network team's route its own: "outage" is the default's
		{"channel and team routes miss: default route", chDB, teamNet, "outage", DefaultID, "outage"},
		{"team route's own trigger", chOther, teamNet, "link down in fra", "net", "link down"},
		{"team route misses: default route", chOther, teamNet, "outage in fra", DefaultID, "outage"},
		{"no route holds it: default route", chOther, "", "outage", DefaultID, "outage"},
		{"nothing matches", chOther, teamNet, "all good", "-", ""},
		{"the default's trigger is not the channel route's", chDB, "", "outage", DefaultID, "outage"},
		{"every message", chMon, "", "CPU at 93% on db-3", "mon", ""},
		{"every message, even empty of triggers and code", chMon, "", "`quiet`", "mon", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := table.Match(c.channel, c.team, c.message, false)
			got := "-"
			if res.Route != nil {
				got = res.Route.ID
			}
			if got != c.want {
				t.Fatalf("route %q, want %q (tried %d)", got, c.want, len(res.Tried))
			}
			if res.Route != nil && c.trigger != "" && res.Eval.Trigger != c.trigger {
				t.Fatalf("trigger %q, want %q", res.Eval.Trigger, c.trigger)
			}
			if may := table.MayMatch(c.channel, c.message); may != (got != "-") {
				t.Fatalf("the gate says %v for a message that pages through %q", may, got)
			}
		})
	}
	if r, _ := table.ByID("net"); r.Format != paging.FormatWebhook || r.EndpointHost != "api.pagertree.com" {
		t.Fatalf("network route %+v", r)
	}
	if r, _ := table.ByID("db"); r.Token != "t-db" || r.Format != paging.FormatMattermost {
		t.Fatalf("db route token/format %q %q", r.Token, r.Format)
	}
}

func TestNoRoutesIsTheDefault(t *testing.T) {
	table, problems := Build(nil, nil, base(t))
	if len(problems) > 0 || table.Len() != 0 {
		t.Fatal(problems)
	}
	if c := table.Candidates(chDB, teamDB); len(c) != 1 || !c[0].IsDefault() {
		t.Fatalf("candidates %v", c)
	}
	if !table.MayMatch(chDB, "outage") || table.MayMatch(chDB, "db down") {
		t.Fatal("the gate is not the default route's triggers")
	}
}

func TestSaveRefusals(t *testing.T) {
	db := dbRoute()
	many := make([]Spec, MaxRoutes+1)
	for i := range many {
		many[i] = Spec{ID: fmt.Sprintf("r%d", i), Name: fmt.Sprintf("R%d", i), Channels: []string{fmt.Sprintf("%026d", i)}, EndpointURL: "https://a.example/integration/int_x"}
	}
	cases := []struct {
		name  string
		specs []Spec
		want  string
	}{
		{"channel in two routes", []Spec{db, {ID: "b", Name: "Other", Channels: []string{chDB}, EndpointURL: "https://a.example/x"}},
			`the channel ` + chDB + ` is in the scope of two routes, "Database" and "Other"`},
		{"team in two routes", []Spec{netRoute(), {ID: "b", Name: "Other", Teams: []string{teamNet}, EndpointURL: "https://a.example/x"}},
			`the team ` + teamNet + ` is in the scope of two routes, "Network" and "Other"`},
		{"duplicate names", []Spec{db, {ID: "b", Name: "database", Channels: []string{chOther}, EndpointURL: "https://a.example/x"}},
			`two routes are named "database"`},
		{"empty name", []Spec{{ID: "b", Channels: []string{chOther}, EndpointURL: "https://a.example/x"}}, "route 1 has no name"},
		{"named like the default", []Spec{{ID: "b", Name: "Default", Channels: []string{chOther}, EndpointURL: "https://a.example/x"}}, `is named "default"`},
		{"duplicate ids", []Spec{db, {ID: "db", Name: "B", Channels: []string{chOther}, EndpointURL: "https://a.example/x"}}, `two routes have the id "db"`},
		{"bad id", []Spec{{ID: "a b", Name: "B", Channels: []string{chOther}, EndpointURL: "https://a.example/x"}}, `has the id "a b"`},
		{"no scope", []Spec{{ID: "b", Name: "B", EndpointURL: "https://a.example/x"}}, `the route "B" has no teams or channels`},
		{"not an id in scope", []Spec{{ID: "b", Name: "B", Channels: []string{"town-square"}, EndpointURL: "https://a.example/x"}}, `has "town-square" in its scope, which is not a team or channel id`},
		{"endpoint refused", []Spec{{ID: "b", Name: "B", Channels: []string{chOther}, EndpointURL: "http://10.0.0.1/x"}}, `the route "B" has a problem: the endpoint URL is not an absolute https URL`},
		{"bad match mode", []Spec{{ID: "b", Name: "B", Channels: []string{chOther}, EndpointURL: "https://a.example/x", MatchMode: "regex"}}, `match mode "regex"`},
		{"space in a first-word trigger", []Spec{{ID: "b", Name: "B", Channels: []string{chOther}, EndpointURL: "https://a.example/x", MatchMode: "first_word_is", TriggerWords: "db down"}}, `trigger "db down" has a space`},
		{"bad urgency", []Spec{{ID: "b", Name: "B", Channels: []string{chOther}, EndpointURL: "https://a.example/x", DefaultUrgency: "urgent"}}, `the route "B" default urgency: "urgent" is not an urgency`},
		{"bad format", []Spec{{ID: "b", Name: "B", Channels: []string{chOther}, EndpointURL: "https://a.example/x", Format: "slack"}}, `integration format "slack"`},
		{"every message for a team", []Spec{{ID: "b", Name: "B", Teams: []string{teamDB}, EndpointURL: "https://a.example/x", EveryMessage: true}}, "only for a route of channels"},
		{"too many routes", many, "there are 101 routes, more than the limit of 100"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, problems := Build(c.specs, nil, base(t))
			if !strings.Contains(strings.Join(problems, "; "), c.want) {
				t.Fatalf("problems %q, want one with %q", problems, c.want)
			}
		})
	}
}

func TestPlaceholderTokenPausesTheRoute(t *testing.T) {
	table, problems := Build([]Spec{dbRoute()}, map[string]string{"db": fake}, base(t))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	r, _ := table.ByID("db")
	if r.Token != "" || !strings.Contains(r.Paused, "enter the token again") {
		t.Fatalf("token %q paused %q", r.Token, r.Paused)
	}
}

func TestParseSpecsIsStrict(t *testing.T) {
	for _, text := range []string{`{}`, `[{"id":"a","scope":"x"}]`, `[{"id":1}]`, `[] []`, `[{"id":"a"`} {
		if _, err := ParseSpecs(text); err == nil {
			t.Errorf("%s accepted", text)
		}
	}
	if specs, err := ParseSpecs(" "); err != nil || specs != nil {
		t.Fatal(specs, err)
	}
	if _, err := ParseTokens(`{"a": "secret-value"`); err == nil || strings.Contains(err.Error(), "secret-value") {
		t.Fatalf("token parse error %v", err)
	}
}

func TestEveryMessageUsesTheRouteUrgency(t *testing.T) {
	mon := Spec{ID: "mon", Name: "Monitoring", Channels: []string{chMon}, EndpointURL: "https://a.example/x", EveryMessage: true, DefaultUrgency: "high"}
	table, _ := Build([]Spec{mon}, nil, base(t))
	res := table.Match(chMon, "", "disk filling", false)
	if res.Route == nil || res.Eval.Urgency.Urgency != paging.UrgencyHigh {
		t.Fatalf("%+v", res)
	}
	if res := table.Match(chMon, "", "critical: disk full", false); res.Eval.Urgency.Urgency != paging.UrgencyCritical {
		t.Fatalf("a level word still wins: %+v", res.Eval.Urgency)
	}
}

// The default route's incident severities apply to every route, those with their own trigger
// words and those that page on every message, with the route's own default urgency.
func TestRoutesShareTheDefaultRouteSeverities(t *testing.T) {
	b := base(t)
	sev, err := paging.ParseSeverities(paging.DefaultIncidentSeverities)
	if err != nil {
		t.Fatal(err)
	}
	b.Default.Rules.Severity = sev
	mon := Spec{ID: "mon", Name: "Monitoring", Channels: []string{chMon}, EndpointURL: "https://a.example/x", EveryMessage: true, DefaultUrgency: "low"}
	table, problems := Build([]Spec{dbRoute(), mon}, map[string]string{"db": "t-db"}, b)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	for _, c := range []struct {
		channel, msg string
		sev          paging.Severity
		urgency      paging.Urgency
	}{
		{chMon, "sev-2 disk full", paging.Severity2, paging.UrgencyHigh},
		{chMon, "disk filling", paging.SeverityNone, paging.UrgencyLow},
		{chDB, "db down, sev-3", paging.Severity3, paging.UrgencyMedium},
		{chOther, "outage sev-1", paging.Severity1, paging.UrgencyCritical},
	} {
		res := table.Match(c.channel, "", c.msg, false)
		if res.Route == nil || res.Eval.Severity.Severity != c.sev || res.Eval.Urgency.Urgency != c.urgency {
			t.Errorf("%s %q: %+v", c.channel, c.msg, res.Eval)
		}
	}
}
