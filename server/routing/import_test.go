package routing

import (
	"strings"
	"testing"
)

func TestImportWebhooks(t *testing.T) {
	const pt = "https://api.pagertree.com/integration/int_abc123"
	hooks := []OutgoingWebhook{
		{ID: "h1", TeamID: teamDB, TriggerWords: []string{"db", "database"}, TriggerWhen: 0, CallbackURLs: []string{pt}, DisplayName: "DB team", ContentType: "application/json", Token: "tok1"},
		{ID: "h2", TeamID: teamDB, ChannelID: chMon, CallbackURLs: []string{"https://pt.example.com/integration/int_mon", "https://hooks.example.com/x"}, ContentType: "application/x-www-form-urlencoded", Token: "tok2"},
		{ID: "h3", TeamID: teamNet, TriggerWords: []string{"net"}, TriggerWhen: 1, CallbackURLs: []string{"https://hooks.slack.com/services/x"}, DisplayName: "Slack relay"},
		{ID: "h4", TeamID: teamDB, TriggerWords: []string{"disk"}, CallbackURLs: []string{pt}, DisplayName: "DB team again"},
		{ID: "h5", TeamID: teamNet, TriggerWords: []string{"link"}, TriggerWhen: 1, CallbackURLs: []string{"https://api.pagertree.com/integration/int_net"}, DisplayName: "Database"},
		{ID: "h6", TeamID: teamNet, CallbackURLs: []string{pt}, DeleteAt: 5},
		{ID: "h7", TeamID: teamNet, ChannelID: chOther, TriggerWords: []string{"x"}, CallbackURLs: []string{pt}, DisplayName: "Other"},
	}
	existing := []Spec{{ID: "db", Name: "Database", Channels: []string{chOther}, EndpointURL: pt, ImportedFrom: "h7"}}
	made, skipped := Import(hooks, existing, nil, map[string]string{chMon: "monitoring"})
	if len(made) != 3 {
		t.Fatalf("made %+v", made)
	}
	h1, h2, h5 := made[0], made[1], made[2]
	if h1.Spec.ID != "whh1" || h1.Spec.Teams[0] != teamDB || h1.Spec.TriggerWords != "db, database" || h1.Spec.MatchMode != "first_word_is" ||
		h1.Token != "tok1" || h1.Spec.EndpointURL != pt || h1.Spec.ImportedFrom != "h1" || len(h1.Warnings) != 0 {
		t.Fatalf("h1 %+v", h1)
	}
	if h2.Spec.Name != "~monitoring" || !h2.Spec.EveryMessage || h2.Spec.Channels[0] != chMon || len(h2.Warnings) != 3 ||
		!strings.Contains(strings.Join(h2.Warnings, "|"), "application/x-www-form-urlencoded") ||
		!strings.Contains(strings.Join(h2.Warnings, "|"), `the team webhook "DB team" also fires in its channel today`) {
		t.Fatalf("h2 %+v", h2)
	}
	if h5.Spec.Name != "Database (2)" || h5.Spec.MatchMode != "first_word_starts_with" {
		t.Fatalf("h5 %+v", h5)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[s.Webhook] = s.Reason
	}
	for id, want := range map[string]string{
		"h3": "none of its callback URLs is a PagerTree integration endpoint",
		"h4": `its team is already in the scope of the route "DB team"`,
		"h6": "it was deleted",
		"h7": `it was imported already, as the route "Database"`,
	} {
		if !strings.Contains(reasons[id], want) {
			t.Errorf("%s skipped for %q, want %q", id, reasons[id], want)
		}
	}
	// The routes made pass validation next to the existing one.
	specs := append([]Spec{}, existing...)
	tokens := map[string]string{}
	for _, m := range made {
		specs = append(specs, m.Spec)
		tokens[m.Spec.ID] = m.Token
	}
	if _, problems := Build(specs, tokens, base(t)); len(problems) > 0 {
		t.Fatal(problems)
	}
	// Importing again makes nothing new.
	again, skippedAgain := Import(hooks, specs, nil, nil)
	if len(again) != 0 || len(skippedAgain) != len(hooks) {
		t.Fatalf("re-import made %+v", again)
	}
}

func TestIsPagerTreeEndpoint(t *testing.T) {
	for u, want := range map[string]bool{
		"https://api.pagertree.com/integration/int_abc": true,
		"http://127.0.0.1:8065/integration/int_x1/":     true,
		"https://api.pagertree.com/integration/abc":     false,
		"https://api.pagertree.com/x/integration/int_a": false,
		"ftp://api.pagertree.com/integration/int_a":     false,
		"not a url": false,
	} {
		if IsPagerTreeEndpoint(u) != want {
			t.Errorf("%s: %v", u, !want)
		}
	}
}
