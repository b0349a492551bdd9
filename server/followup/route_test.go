package followup

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// routeIntegration plays a route's own PagerTree integration: it records each request's body
// and the token it came with.
type routeIntegration struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []string // body, then the pagertree-token header
	tokens []string
}

func newRouteIntegration(t *testing.T) *routeIntegration {
	ri := &routeIntegration{}
	ri.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		ri.mu.Lock()
		ri.got = append(ri.got, string(raw))
		ri.tokens = append(ri.tokens, r.Header.Get("pagertree-token"))
		ri.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(ri.srv.Close)
	return ri
}

func (ri *routeIntegration) requests() (bodies, tokens []string) {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	return append([]string(nil), ri.got...), append([]string(nil), ri.tokens...)
}

// TestRouteAlertFollowsItsRoute: an alert sent through a route keeps the route in its record;
// PagerTree's event reaches its card; the card offers the buttons and a press goes to that
// route's integration with the route's token, not to the default route's. Without the route
// in the settings any more (and no API key), the card offers no buttons and says why.
func TestRouteAlertFollowsItsRoute(t *testing.T) {
	st := newStandIn(t) // the default route's integration
	db := newRouteIntegration(t)
	dbClient := pagertreeclient.New(db.srv.URL+"/integration/int_db", "db-token", paging.FormatWebhook, 5*time.Second, "test", testGuard)
	cfg := st.testConfig(paging.FormatWebhook, func(c *Config) {
		c.Actor.Routes = map[string]*pagertreeclient.Client{"db": dbClient}
	})
	env := newTestService(t, cfg, nil, nil)
	cs := env.withCard(t)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionReadChannel).Return(true)

	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", RootID: "root", ChannelID: publicID,
		CreateAt: 1764240000123, Trigger: "db down", Urgency: paging.UrgencyHigh, Origin: paging.OriginPost, RouteID: "db"}
	env.s.Remember(a, paging.FormatWebhook, "127.0.0.1", dbClient.Fingerprint())
	tp := paging.ThirdPartyID(a, paging.FormatWebhook)
	rec, ok, err := env.s.Record(tp)
	if err != nil || !ok || rec.RouteID != "db" {
		t.Fatalf("record %+v %v %v", rec, ok, err)
	}
	if _, err := env.s.records.setCard(tp, cardID, -1); err != nil {
		t.Fatal(err)
	}
	cs.addProp(CardProp, tp)

	env.event(t, `{"type":"alert.open","data":{"id":"alt_9","tinyId":9,"thirdparty_id":"`+tp+`"}}`)
	card := receive(t, cs.versions, "the route's alert's card after PagerTree's event")
	if atts := card.GetProp("attachments").([]*model.SlackAttachment); atts[0].Title != "PagerTree alert #9" || len(atts[0].Actions) == 0 {
		t.Fatalf("card %+v", atts[0])
	}

	text := env.s.PressCard(context.Background(), aliceID, cardID, map[string]any{"action": "acknowledge", "alert": tp})
	bodies, tokens := db.requests()
	if len(bodies) != 1 || bodies[0] != `{"event_type":"acknowledge","Id":"`+tp+`"}` || tokens[0] != "db-token" {
		t.Fatalf("the route's integration got %v with tokens %v (press: %q)", bodies, tokens, text)
	}
	if n := len(st.integrationBodies()); n != 0 {
		t.Fatalf("the default route's integration got %d requests", n)
	}

	rec, _, _ = env.s.Record(tp)
	gone := st.testConfig(paging.FormatWebhook, nil) // the route was removed
	if d := gone.Actor.Decide(targetOf(rec)); d.Route != pagertreeclient.RouteNone || d.Why == "" {
		t.Fatalf("a removed route's alert: %+v", d)
	}
	moved := st.testConfig(paging.FormatWebhook, func(c *Config) {
		c.Actor.Routes = map[string]*pagertreeclient.Client{"db": st.integration(paging.FormatWebhook)} // another endpoint
	})
	if d := moved.Actor.Decide(targetOf(rec)); d.Route != pagertreeclient.RouteNone {
		t.Fatalf("a route whose endpoint changed: %+v", d)
	}
}
