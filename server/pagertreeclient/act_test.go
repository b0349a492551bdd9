package pagertreeclient

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestActorRoutesAndResults(t *testing.T) {
	openAlert := fakeAnswer{200, `{"data":[{"id":"A1","tiny_id":42,"status":"open","thirdparty_id":"p1"}],"has_more":false,"total_count":1}`, nil}
	withStatus := func(s string) fakeAnswer {
		return fakeAnswer{200, `{"data":[{"id":"A1","tiny_id":42,"status":"` + s + `"}]}`, nil}
	}
	ok := fakeAnswer{200, `{}`, nil}
	cases := []struct {
		name      string
		api       map[string]fakeAnswer // nil: no API key
		intStatus int                   // the Webhook integration's answer (0: not expected)
		target    Target
		intFormat paging.Format
		action    alertstate.Action
		route     Route
		done      bool
		retryable bool
		says      string
		calls     string // the REST calls made, in order
	}{
		{"API: find, acknowledge, comment", map[string]fakeAnswer{"GET /api/v4/alerts": openAlert, "POST /api/v4/alerts/A1/acknowledge": ok, "POST /api/v4/alerts/A1/comments": ok}, 0,
			Target{ThirdpartyID: "ch.1", Format: paging.FormatMattermost}, paging.FormatMattermost, alertstate.Acknowledge, RouteAPI, true, false, "Acknowledged PagerTree alert #42.",
			"GET /api/v4/alerts,POST /api/v4/alerts/A1/acknowledge,POST /api/v4/alerts/A1/comments"},
		{"API: alert id already known", map[string]fakeAnswer{"POST /api/v4/alerts/A9/resolve": ok, "POST /api/v4/alerts/A9/comments": ok}, 0,
			Target{ThirdpartyID: "p1", Format: paging.FormatWebhook, AlertID: "A9"}, paging.FormatWebhook, alertstate.Resolve, RouteAPI, true, false, "Resolved the PagerTree alert.",
			"POST /api/v4/alerts/A9/resolve,POST /api/v4/alerts/A9/comments"},
		{"API: already acknowledged", map[string]fakeAnswer{"GET /api/v4/alerts": withStatus("acknowledged")}, 0,
			Target{ThirdpartyID: "p1"}, paging.FormatMattermost, alertstate.Acknowledge, RouteAPI, true, false, "PagerTree alert #42 was already acknowledged.", "GET /api/v4/alerts"},
		{"API: acknowledge a resolved alert", map[string]fakeAnswer{"GET /api/v4/alerts": withStatus("resolved")}, 0,
			Target{ThirdpartyID: "p1"}, paging.FormatMattermost, alertstate.Acknowledge, RouteAPI, false, false, "already resolved, so it cannot be acknowledged", "GET /api/v4/alerts"},
		{"API: PagerTree refuses the state (422)", map[string]fakeAnswer{"GET /api/v4/alerts": withStatus("suppressed"), "POST /api/v4/alerts/A1/resolve": {422, `{"errors":[{"message":"Alert must be open, dropped or acknowledged"}],"code":422}`, nil}}, 0,
			Target{ThirdpartyID: "p1"}, paging.FormatMattermost, alertstate.Resolve, RouteAPI, false, false, "Alert must be open, dropped or acknowledged", "GET /api/v4/alerts,POST /api/v4/alerts/A1/resolve"},
		{"API: key rejected", map[string]fakeAnswer{"GET /api/v4/alerts": {401, `{"errors":[{"message":"Unauthorized"}],"code":401}`, nil}}, 0,
			Target{ThirdpartyID: "p1"}, paging.FormatMattermost, alertstate.Acknowledge, RouteAPI, false, false, "rejected the API key", "GET /api/v4/alerts"},
		{"API: server error is retryable", map[string]fakeAnswer{"GET /api/v4/alerts": openAlert, "POST /api/v4/alerts/A1/acknowledge": {503, ``, map[string]string{"Retry-After": "3"}}}, 0,
			Target{ThirdpartyID: "p1"}, paging.FormatMattermost, alertstate.Acknowledge, RouteAPI, false, true, "server error (HTTP 503)", "GET /api/v4/alerts,POST /api/v4/alerts/A1/acknowledge"},
		{"API: alert not created yet is retryable", map[string]fakeAnswer{"GET /api/v4/alerts": {200, `{"data":[],"has_more":false,"total_count":0}`, nil}}, 0,
			Target{ThirdpartyID: "p1"}, paging.FormatMattermost, alertstate.Resolve, RouteAPI, false, true, "no alert for this message yet", "GET /api/v4/alerts"},
		{"API: comment fails, the action still counts", map[string]fakeAnswer{"GET /api/v4/alerts": openAlert, "POST /api/v4/alerts/A1/resolve": ok, "POST /api/v4/alerts/A1/comments": {500, ``, nil}}, 0,
			Target{ThirdpartyID: "p1"}, paging.FormatMattermost, alertstate.Resolve, RouteAPI, true, false, "could not be told who pressed it", "GET /api/v4/alerts,POST /api/v4/alerts/A1/resolve,POST /api/v4/alerts/A1/comments"},
		{"Webhook integration, no key", nil, 200, Target{ThirdpartyID: "p1", Format: paging.FormatWebhook}, paging.FormatWebhook, alertstate.Acknowledge, RouteWebhook, true, false, "Asked PagerTree to acknowledge", ""},
		{"Webhook integration down is retryable", nil, 503, Target{ThirdpartyID: "p1", Format: paging.FormatWebhook}, paging.FormatWebhook, alertstate.Resolve, RouteWebhook, false, true, "did not take the request to resolve", ""},
		{"Webhook token rejected", nil, 403, Target{ThirdpartyID: "p1", Format: paging.FormatWebhook}, paging.FormatWebhook, alertstate.Resolve, RouteWebhook, false, false, "token", ""},
		{"Mattermost format, no key", nil, 0, Target{ThirdpartyID: "c.1", Format: paging.FormatMattermost}, paging.FormatMattermost, alertstate.Acknowledge, RouteNone, false, false, "cannot be acknowledged from Mattermost: it was sent to a Mattermost (Outgoing Webhook) integration", ""},
		{"sent as Webhook, integration since changed to Mattermost", nil, 0, Target{ThirdpartyID: "p1", Format: paging.FormatWebhook}, paging.FormatMattermost, alertstate.Resolve, RouteNone, false, false, "no longer point at a Webhook integration", ""},
		{"sent to another endpoint", nil, 0, Target{ThirdpartyID: "p1", Format: paging.FormatWebhook, Endpoint: "https://api.pagertree.com/integration/int_old"}, paging.FormatWebhook, alertstate.Resolve, RouteNone, false, false, "no longer uses", ""},
		{"not an action", nil, 0, Target{ThirdpartyID: "p1", Format: paging.FormatWebhook}, paging.FormatWebhook, "reject", RouteWebhook, false, false, "not something the plugin can do", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rest, api := newFakeAPI(t, c.api)
			integ, _ := newFakeAPI(t, map[string]fakeAnswer{"POST /int": {c.intStatus, ``, nil}})
			a := Actor{Integration: New(integ.srvURL+"/int", "tok", c.intFormat, time.Second, "", nil)}
			if c.api != nil {
				a.API = api
			}
			if c.target.Endpoint == "" && c.intStatus != 0 {
				c.target.Endpoint = a.Integration.endpoint // sent to the endpoint still configured
			}
			r := a.Decide(c.target).For(true).Do(context.Background(), c.action, "alice") // a System Admin: every detail
			if r.Route != c.route || r.Done != c.done || r.Retryable != c.retryable || !strings.Contains(r.Sentence, c.says) {
				t.Fatalf("%+v", r)
			}
			calls := []string{}
			for _, g := range rest.got {
				calls = append(calls, g.Method+" "+g.URL.Path)
			}
			if strings.Join(calls, ",") != c.calls {
				t.Fatalf("REST calls %v, want %s", calls, c.calls)
			}
			for i, g := range rest.got {
				if g.URL.Path == "/api/v4/alerts/A1/comments" && !strings.Contains(rest.bodies[i], `"body":"`+upperFirstASCII(c.action.PastTense())+` from Mattermost by @alice"`) {
					t.Fatalf("comment %s", rest.bodies[i])
				}
			}
			if c.intStatus != 0 && (len(integ.got) != 1 || !strings.Contains(integ.bodies[0], `"event_type":"`+string(c.action)+`"`) || !strings.Contains(integ.bodies[0], `"Id":"p1"`)) {
				t.Fatalf("integration got %v", integ.bodies)
			}
			if c.intStatus == 0 && len(integ.got) != 0 {
				t.Fatal("the integration was called")
			}
		})
	}
}

// TestActorSentencesForNonAdmins (issue 21): whoever is not a System Admin is told that the
// settings need one, never the key, token, host or setting; what is not about the settings
// reads the same for everyone.
func TestActorSentencesForNonAdmins(t *testing.T) {
	openAlert := fakeAnswer{200, `{"data":[{"id":"A1","tiny_id":42,"status":"open"}]}`, nil}
	cases := []struct {
		name      string
		api       map[string]fakeAnswer
		intStatus int
		format    paging.Format
		says      string
	}{
		{"API key rejected", map[string]fakeAnswer{"GET /api/v4/alerts": {401, `{"errors":[{"message":"Unauthorized"}],"code":401}`, nil}}, 0, paging.FormatMattermost,
			"The alert could not be acknowledged. " + SettingsNeedAdmin},
		{"API key not allowed", map[string]fakeAnswer{"GET /api/v4/alerts": {403, `{"errors":[{"message":"Forbidden"}],"code":403}`, nil}}, 0, paging.FormatMattermost,
			"The alert could not be acknowledged. " + SettingsNeedAdmin},
		{"API state refusal is told as it is", map[string]fakeAnswer{"GET /api/v4/alerts": openAlert, "POST /api/v4/alerts/A1/acknowledge": {422, `{"errors":[{"message":"Alert must be open"}],"code":422}`, nil}}, 0, paging.FormatMattermost,
			"Alert must be open"},
		{"Webhook token rejected", nil, 403, paging.FormatWebhook, "PagerTree did not take the request to acknowledge the alert. " + SettingsNeedAdmin},
		{"Webhook endpoint unknown", nil, 404, paging.FormatWebhook, "PagerTree did not take the request to acknowledge the alert. " + SettingsNeedAdmin},
		{"Webhook busy", nil, 503, paging.FormatWebhook, "PagerTree did not take the request to acknowledge the alert: it could not be reached or was busy."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, api := newFakeAPI(t, c.api)
			integ, _ := newFakeAPI(t, map[string]fakeAnswer{"POST /int": {c.intStatus, ``, nil}})
			a := Actor{Integration: New(integ.srvURL+"/int", "tok", c.format, time.Second, "", nil)}
			if c.api != nil {
				a.API = api
			}
			target := Target{ThirdpartyID: "p1", Format: c.format, Endpoint: a.Integration.endpoint}
			r := a.Decide(target).For(false).Do(context.Background(), alertstate.Acknowledge, "alice")
			if !strings.Contains(r.Sentence, c.says) {
				t.Fatalf("%q, want %q", r.Sentence, c.says)
			}
			for _, secret := range []string{"127.0.0.1", "localhost", "token", "API URL", "endpoint", "Unauthorized"} {
				if strings.Contains(r.Sentence, secret) {
					t.Fatalf("a non-admin was told %q: %q", secret, r.Sentence)
				}
			}
		})
	}
}

func TestSentenceForAdminsAndOthers(t *testing.T) {
	for _, c := range []struct {
		err         *APIError
		admin, user string
	}{
		{&APIError{Kind: KindInternal, Op: "list teams"}, AllowSettingName, SettingsNeedAdmin},
		{&APIError{Kind: KindBadKey, Op: "list teams", Status: 401}, "rejected the API key", SettingsNeedAdmin},
		{&APIError{Kind: KindForbidden, Op: "list teams", Status: 403}, "not allowed to list teams", SettingsNeedAdmin},
		{&APIError{Kind: KindRateLimited, Op: "list teams", Status: 429}, "rate limiting", "rate limiting"},
	} {
		if got := SentenceFor(c.err, true); !strings.Contains(got, c.admin) {
			t.Errorf("%s, admin: %q", c.err.Kind, got)
		}
		if got := SentenceFor(c.err, false); !strings.Contains(got, c.user) {
			t.Errorf("%s, non-admin: %q", c.err.Kind, got)
		}
	}
}
