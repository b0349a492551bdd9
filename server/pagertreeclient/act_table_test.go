package pagertreeclient

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// TestEveryActionHasARESTCall: the REST table covers alertstate's whole vocabulary (a new
// button without its call fails here, not in front of a person).
func TestEveryActionHasARESTCall(t *testing.T) {
	for _, a := range alertstate.Actions() {
		if restCalls[a] == nil {
			t.Errorf("%s has no REST call in restCalls", a)
		}
	}
	for a := range restCalls {
		if !a.Valid() {
			t.Errorf("restCalls has %q, which is not an action", a)
		}
	}
}

// TestActionsTheRouteCannotDo: an action without a REST call, or one the Webhook integration
// does not know, is a sentence and nothing is sent — never another action in its place.
func TestActionsTheRouteCannotDo(t *testing.T) {
	openAlert := fakeAnswer{200, `{"data":[{"id":"A1","tiny_id":42,"status":"open"}]}`, nil}
	ok := fakeAnswer{200, `{}`, nil}
	everything := map[string]fakeAnswer{"GET /api/v4/alerts": openAlert, "POST /api/v4/alerts/A1/acknowledge": ok,
		"POST /api/v4/alerts/A1/resolve": ok, "POST /api/v4/alerts/A1/comments": ok}
	cases := []struct {
		name      string
		withKey   bool
		noREST    alertstate.Action // taken out of restCalls for the case
		noWebhook alertstate.Action // taken out of the Webhook column for the case
		action    alertstate.Action
		decided   Route // what DecideAction says
		route     Route // Result.Route
		says      string
	}{
		{"REST: no call for the action", true, alertstate.Acknowledge, "", alertstate.Acknowledge, RouteAPI, RouteAPI,
			"The plugin cannot acknowledge alerts through PagerTree's REST API; nothing was sent."},
		{"REST: no call for resolve, never acknowledge instead", true, alertstate.Resolve, "", alertstate.Resolve, RouteAPI, RouteAPI,
			"cannot resolve alerts through PagerTree's REST API"},
		{"Webhook: the integration lacks the action", false, "", alertstate.Resolve, alertstate.Resolve, RouteNone, RouteNone,
			"This alert cannot be resolved from Mattermost: the Webhook integration it was sent to cannot resolve alerts (only PagerTree's REST API can), and no PagerTree API key is set."},
		{"REST: the Webhook column does not matter with a key", true, "", alertstate.Resolve, alertstate.Resolve, RouteAPI, RouteAPI,
			"Resolved PagerTree alert #42."},
		{"Webhook: another action still goes", false, "", alertstate.Resolve, alertstate.Acknowledge, RouteWebhook, RouteWebhook,
			"Asked PagerTree to acknowledge"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.noREST != "" {
				saved := restCalls[c.noREST]
				delete(restCalls, c.noREST)
				t.Cleanup(func() { restCalls[c.noREST] = saved })
			}
			if c.noWebhook != "" {
				saved := webhookKnows
				webhookKnows = func(a alertstate.Action) bool { return a != c.noWebhook && saved(a) }
				t.Cleanup(func() { webhookKnows = saved })
			}
			rest, api := newFakeAPI(t, everything)
			integ, _ := newFakeAPI(t, map[string]fakeAnswer{"POST /int": ok})
			a := Actor{Integration: New(integ.srvURL+"/int", "tok", paging.FormatWebhook, time.Second, "", nil)}
			if c.withKey {
				a.API = api
			}
			target := Target{ThirdpartyID: "p1", Format: paging.FormatWebhook, Endpoint: a.Integration.endpoint}
			d := a.DecideAction(target, c.action)
			if d.Route != c.decided {
				t.Fatalf("decided %s (%s), want %s", d.Route, d.Why, c.decided)
			}
			// Do refuses too when handed a Decision made without the action.
			r := a.Decide(target).For(true).Do(context.Background(), c.action, "alice")
			if r.Route != c.route || !strings.Contains(r.Sentence, c.says) {
				t.Fatalf("%+v, want route %s and %q", r, c.route, c.says)
			}
			wantSent := strings.HasPrefix(r.Sentence, "Resolved") || strings.HasPrefix(r.Sentence, "Asked")
			if r.Done != wantSent {
				t.Fatalf("done %v for %q", r.Done, r.Sentence)
			}
			if sent := len(rest.got) + len(integ.got); !wantSent && sent != 0 {
				t.Fatalf("%d requests were sent for a refused action", sent)
			}
			for _, g := range rest.got {
				if p := g.URL.Path; strings.HasSuffix(p, "/acknowledge") && c.action != alertstate.Acknowledge || strings.HasSuffix(p, "/resolve") && c.action != alertstate.Resolve {
					t.Fatalf("%s was sent for %s", p, c.action)
				}
			}
		})
	}
}

// TestWebhookActRefusesAnActionItLacks: the integration client itself never sends an
// event_type the Webhook integration does not know.
func TestWebhookActRefusesAnActionItLacks(t *testing.T) {
	saved := webhookKnows
	webhookKnows = func(a alertstate.Action) bool { return a != alertstate.Resolve }
	t.Cleanup(func() { webhookKnows = saved })
	integ, _ := newFakeAPI(t, map[string]fakeAnswer{"POST /int": {200, ``, nil}})
	c := New(integ.srvURL+"/int", "tok", paging.FormatWebhook, time.Second, "", nil)
	o := c.Act(context.Background(), "p1", alertstate.Resolve)
	if o.Class != paging.Permanent || !strings.Contains(o.Meaning, "cannot resolve alerts") || len(integ.got) != 0 {
		t.Fatalf("%+v, %d requests", o, len(integ.got))
	}
}
