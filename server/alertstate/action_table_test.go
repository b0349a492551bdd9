package alertstate

import (
	"reflect"
	"strings"
	"testing"
)

func ids(list []Action) []string {
	var out []string
	for _, a := range list {
		out = append(out, string(a))
	}
	return out
}

func webhookOnly(list []Action) []Action {
	var out []Action
	for _, a := range list {
		if a.ViaWebhook() {
			out = append(out, a)
		}
	}
	return out
}

// TestActionTableReadsTheSame: what Acknowledge and Resolve say comes from the table and
// reads as it always did.
func TestActionTableReadsTheSame(t *testing.T) {
	for _, c := range []struct {
		a                        Action
		label, progressive, past string
		leads                    State
		webhook                  bool
	}{
		{Acknowledge, "Acknowledge", "acknowledging…", "acknowledged", Acknowledged, true},
		{Resolve, "Resolve", "resolving…", "resolved", Resolved, true},
	} {
		if c.a.Label() != c.label || c.a.Progressive() != c.progressive || c.a.PastTense() != c.past || c.a.LeadsTo() != c.leads || c.a.ViaWebhook() != c.webhook || ParseAction(string(c.a)) != c.a {
			t.Errorf("%s: %q %q %q %q %v", c.a, c.a.Label(), c.a.Progressive(), c.a.PastTense(), c.a.LeadsTo(), c.a.ViaWebhook())
		}
	}
	if got := Verbs("or"); got != "acknowledge or resolve" {
		t.Errorf("Verbs %q", got)
	}
	if got := Labels("and"); got != "Acknowledge and Resolve" {
		t.Errorf("Labels %q", got)
	}
	if got := RESTOnly(); got != nil {
		t.Errorf("RESTOnly %v", got)
	}
	if ParseAction("snooze") != "" || Action("snooze").ViaWebhook() || Action("snooze").LeadsTo() != "" {
		t.Error("an unknown action is taken for one")
	}
}

// withRow adds a row to the table for one test.
func withRow(t *testing.T, r actionInfo) {
	saved := actions
	actions = append(append([]actionInfo(nil), saved...), r)
	t.Cleanup(func() { actions = saved })
}

// TestANewRowIsEverywhere: one row gives the button, its words, the sentences and the
// pending rules; a route that is the Webhook integration leaves out what it cannot do. The
// row is hypothetical: a REST-only action that changes no state and is confirmed by its own
// event (alert.rejected stands in for it here).
func TestANewRowIsEverywhere(t *testing.T) {
	const snooze Action = "snooze"
	withRow(t, actionInfo{Action: snooze, Label: "Snooze", Progressive: "snoozing…", PastTense: "snoozed",
		From: []State{Open}, ConfirmedBy: KindRejected})

	if ParseAction("snooze") != snooze || snooze.Label() != "Snooze" || snooze.Progressive() != "snoozing…" {
		t.Fatal("the row is not read")
	}
	if got := Verbs("or"); !strings.HasPrefix(got, "acknowledge, resolve") || !strings.HasSuffix(got, " or snooze") {
		t.Errorf("Verbs %q", got)
	}
	if got := JoinLabels(RESTOnly(), "and"); !strings.HasSuffix(got, "Snooze") {
		t.Errorf("RESTOnly %q", got)
	}
	on := Buttons{URL: "/u", Alert: "tp1"}
	for _, c := range []struct {
		name  string
		state State
		b     Buttons
		want  []string
	}{
		{"open, REST: every allowed action, the new one last", Open, on, ids(Allowed(Open))},
		{"open, Webhook: not the new one", Open, Buttons{URL: "/u", Alert: "tp1", WebhookOnly: true}, ids(webhookOnly(Allowed(Open)))},
		{"acknowledged", Acknowledged, on, []string{"resolve"}},
		{"dropped", Dropped, on, []string{"acknowledge", "resolve"}},
	} {
		got := buttonIDs(CardInput{Status: Status{State: c.state}, Buttons: c.b})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: buttons %v, want %v", c.name, got, c.want)
		}
		if hasSnooze := len(got) > 0 && got[len(got)-1] == "snooze"; hasSnooze != (c.state == Open && !c.b.WebhookOnly) {
			t.Errorf("%s: buttons %v", c.name, got)
		}
	}

	pressed := &PendingAction{Action: snooze, By: "bob", Since: 1}
	for _, c := range []struct {
		name    string
		event   Event
		cleared bool
	}{
		{"its event confirms it", Event{Kind: KindRejected, AlertID: "A1"}, true},
		{"another event does not", Event{Kind: KindTimeout, AlertID: "A1"}, false},
		{"a comment does not", Event{Kind: KindCommentCreated, CommentID: "c1", CommentBody: "hi"}, false},
		{"an acknowledge overtakes it", Event{Kind: KindAcknowledged, AlertID: "A1"}, true},
	} {
		r := Apply(Status{State: Open, Pending: pressed}, c.event)
		if (r.Status.Pending == nil) != c.cleared {
			t.Errorf("%s: pending %+v", c.name, r.Status.Pending)
		}
	}
}

// TestSettleByTheTable: the pending-press rule for the two actions, state by state.
func TestSettleByTheTable(t *testing.T) {
	for _, c := range []struct {
		a       Action
		state   State
		cleared bool
	}{
		{Acknowledge, Open, false}, {Acknowledge, Dropped, false}, {Acknowledge, Acknowledged, true}, {Acknowledge, Resolved, true},
		{Resolve, Open, false}, {Resolve, Dropped, false}, {Resolve, Acknowledged, false}, {Resolve, Resolved, true},
	} {
		s := settle(Status{State: c.state, Pending: &PendingAction{Action: c.a, By: "bob"}}, KindUnknown)
		if (s.Pending == nil) != c.cleared {
			t.Errorf("%s pending in %s: cleared %v, want %v", c.a, c.state, s.Pending == nil, c.cleared)
		}
	}
}
