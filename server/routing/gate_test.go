package routing

import (
	"fmt"
	"testing"
)

// gateTable has the default route (whole word), team routes with their own whole-word and
// first-word triggers, a team route on the default's triggers and a channel route of its own.
func gateTable(t *testing.T) (*Table, []string) {
	t.Helper()
	teams := []string{teamDB, teamNet}
	specs := []Spec{
		dbRoute(),  // channel route, own trigger "db down"
		netRoute(), // team route, own trigger "link down"
		{ID: "ops", Name: "Ops", Teams: []string{teamDB}, EndpointURL: "https://api.pagertree.com/integration/int_ops", TriggerWords: "!page, Deploy", MatchMode: "first_word_is"},
	}
	for i := 0; i < 40; i++ {
		team := fmt.Sprintf("team%022d", i)
		teams = append(teams, team)
		specs = append(specs, Spec{ID: fmt.Sprintf("t%d", i), Name: fmt.Sprintf("Team %d", i), Teams: []string{team},
			EndpointURL: "https://api.pagertree.com/integration/int_t", TriggerWords: fmt.Sprintf("svc%d down, svc%d-alert, Ünï%d", i, i, i)})
	}
	table, problems := Build(specs, nil, base(t))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return table, append(teams, "")
}

// The gate says "may match" exactly when the route decision pages the message for some team:
// it never drops a post that a route would page, and it merges every team route's triggers.
func TestGateAgreesWithTheRouteDecision(t *testing.T) {
	table, teams := gateTable(t)
	messages := []string{
		"all good", "OUTAGE in eu", "sev-10", "(sev-1)", "db down", "DB  DOWN!", "link down in fra", "linkdown",
		"svc7 down", "SVC39-ALERT", "svc40 down", "svc7 downtime", "ünï3 broke", "Ünï30x", "!page the noc", "page!",
		"Deploy now", "deploy now", "Deployed", "`outage` in code", "> svc3 down", "```\nlink down\n```\nfine",
		"text `db down` then sev-1", "", "   ",
	}
	for _, ch := range []string{chDB, chOther} {
		for _, msg := range messages {
			pages := ""
			for _, team := range teams {
				if r := table.Match(ch, team, msg, false).Route; r != nil {
					pages = r.Name
					break
				}
			}
			if may := table.MayMatch(ch, msg); may != (pages != "") {
				t.Errorf("channel %s, %q: the gate says %v, the route decision pages through %q", ch, msg, may, pages)
			}
		}
	}
}

// A post that matches no trigger costs the gate no allocation, however many routes: the message
// is masked and folded once (lower-case ASCII needs no copy) and the text stays on the stack.
func TestGateAllocatesNothingOnANonTriggerPost(t *testing.T) {
	table, _ := gateTable(t)
	msg := "morning all, deploying the checkout service in 10 minutes, shout if you see anything odd."
	if n := testing.AllocsPerRun(100, func() {
		if table.MayMatch(chOther, msg) {
			t.Fatal("matched")
		}
	}); n != 0 {
		t.Fatalf("%v allocations per post", n)
	}
	plain, _ := Build(nil, nil, base(t))
	upper := "Morning all, Deploying the checkout service"
	withRoutes := testing.AllocsPerRun(100, func() { table.MayMatch(chDB, upper) })
	without := testing.AllocsPerRun(100, func() { plain.MayMatch(chDB, upper) })
	if withRoutes > without {
		t.Fatalf("with routes %v allocations per post, without %v", withRoutes, without)
	}
}
