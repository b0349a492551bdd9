package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestTestButtonPerRoute(t *testing.T) {
	def, db, _, env := routedEnv(t)
	w := call(env, "POST", "/api/v1/test", adminID, `{"route_id":"db","settings":{"routetokens":"`+model.FakeSetting+`"}}`)
	var res testResponse
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 200 || res.Class != paging.Delivered || res.RouteName != "Database" {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	if db.count() != 1 || def.count() != 0 {
		t.Fatalf("db %d default %d", db.count(), def.count())
	}
	// The saved token goes only to the saved endpoint: a route moved on screen needs it again.
	moved := specsJSON(t, dbSpec("https://elsewhere.example/integration/int_db"))
	w = call(env, "POST", "/api/v1/test", adminID, `{"route_id":"db","settings":{"routes":`+strconvQuote(moved)+`,"routetokens":`+strconvQuote(`{"db":"`+model.FakeSetting+`"}`)+`}}`)
	if w.Code != http.StatusBadRequest || !strings.Contains(errorOf(t, w), `The route "Database" has a new endpoint URL: enter the token again: the saved token is only sent to the saved endpoint.`) {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	if w = call(env, "POST", "/api/v1/test", adminID, `{"route_id":"nope"}`); w.Code != http.StatusNotFound {
		t.Fatalf("unknown route: %d", w.Code)
	}
	// The preview of a route's message says which route and why.
	w = call(env, "POST", "/api/v1/preview", adminID, `{"route_id":"db","message":"sev-1 in checkout","settings":{"routetokens":`+strconvQuote(`{"db":"`+model.FakeSetting+`"}`)+`}}`)
	var pr previewResponse
	if err := json.Unmarshal(w.Body.Bytes(), &pr); err != nil || !pr.WouldPage || pr.Route == nil || pr.Route.Name != "default" ||
		!strings.Contains(pr.Route.Why, `none of the trigger words of the route "Database"`) {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestTestCommandAndStatusPerRoute(t *testing.T) {
	_, db, _, env := routedEnv(t)
	if out := run(t, env, adminID, "/pagertree test database"); !strings.Contains(out, `test alert through the route "Database" to 127.0.0.1`) || !strings.Contains(out, "**200**") {
		t.Fatalf("%q", out)
	}
	if db.count() != 1 {
		t.Fatalf("db %d", db.count())
	}
	if out := run(t, env, adminID, "/pagertree test dba"); !strings.Contains(out, "There is no route named \"dba\". The routes are: `default` (the top-level settings), `Database`, `Network`.") {
		t.Fatalf("%q", out)
	}
	out := run(t, env, adminID, "/pagertree status")
	for _, want := range []string{"#### Routes", "| Database | 1 channel | 127.0.0.1:", "| set | 1 (whole word anywhere) | on | ", "delivered (200) |", "| Network | 1 team |", "| the default's | on | none yet |"} {
		if !strings.Contains(out, want) {
			t.Fatalf("status lacks %q:\n%s", want, out)
		}
	}
	if out := run(t, env, adminID, "/pagertree history"); !strings.Contains(out, "| Time (UTC) | Channel | Route |") || !strings.Contains(out, "| ~pagertree-plugin-test | Database |") {
		t.Fatalf("%q", out)
	}
}

// An alert queued for a route that was removed before it was sent fails for good, saying so:
// its endpoint and token are gone, and it is not sent anywhere else.
func TestAlertOfARemovedRouteIsNotSentElsewhere(t *testing.T) {
	def := newFakePagerTree(t)
	env := newEnv(t, baseSettings(def.srv.URL), nil)
	o := env.p.send(t.Context(), paging.Alert{ID: "a", RouteID: "gone", RouteName: "Gone"})
	if o.Class != paging.Permanent || !strings.Contains(o.Meaning, "its route (id gone) is no longer in the plugin settings") || def.count() != 0 {
		t.Fatalf("%+v, default got %d", o, def.count())
	}
	// An alert queued before routes existed has no route: the default route.
	if o := env.p.send(t.Context(), paging.Alert{ID: "b", ChannelID: publicID, Message: "outage"}); o.Class != paging.Delivered || def.count() != 1 {
		t.Fatalf("%+v", o)
	}
}

func TestImportRoute(t *testing.T) {
	_, _, _, env := routedEnv(t)
	body := `{"routes":` + strconvQuote(specsJSON(t, dbSpec("https://api.pagertree.com/integration/int_db"))) + `,"webhooks":[` +
		`{"id":"hook1hook1hook1hook1hook1h","team_id":"` + netTeamID + `","channel_id":"","trigger_words":["net"],"trigger_when":0,"callback_urls":["https://api.pagertree.com/integration/int_net"],"display_name":"","content_type":"application/json","token":"hooktoken","create_at":1},` +
		`{"id":"hook2hook2hook2hook2hook2h","team_id":"` + netTeamID + `","channel_id":"` + dbChanID + `","trigger_words":["x"],"callback_urls":["https://api.pagertree.com/integration/int_x"],"display_name":"Dup","token":"t2"}]}`
	w := call(env, "POST", "/api/v1/routes/import", adminID, body)
	var res importResponse
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	if res.Found != 2 || len(res.Routes) != 1 || res.Routes[0].Spec.Name != "network" || res.Routes[0].Token != "hooktoken" ||
		len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, `already in the scope of the route "Database"`) {
		t.Fatalf("%+v", res)
	}
	w = call(env, "GET", "/api/v1/routes/saved", adminID, "")
	if w.Code != 200 || w.Body.String() != `{"routes":[{"id":"db","name":"Database"},{"id":"net","name":"Network"}]}`+"\n" {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	if w := call(env, "POST", "/api/v1/routes/import", aliceID, body); w.Code != http.StatusForbidden {
		t.Fatalf("a non-admin got %d", w.Code)
	}
}

// TestRouteAlertIsRememberedWithItsRoute: a post through a Webhook-format route is recorded
// for PagerTree's events with the route's id and endpoint, and the follow-up acts through the
// route's client (the followup package tests the press and the event).
func TestRouteAlertIsRememberedWithItsRoute(t *testing.T) {
	def, db, _ := newFakePagerTree(t), newFakePagerTree(t), newFakePagerTree(t)
	s := baseSettings(def.srv.URL)
	spec := dbSpec(db.srv.URL + "/integration/int_db")
	spec.Format = string(paging.FormatWebhook)
	s.Routes = specsJSON(t, spec)
	s.RouteTokens = `{"db":"` + token + `"}`
	env := newEnv(t, s, nil)
	env.api.On("GetChannel", dbChanID).Return(&model.Channel{Id: dbChanID, Name: "db", Type: model.ChannelTypeOpen, TeamId: teamID}, nil).Maybe()
	cfg := env.p.config.Load()
	if cfg.Problem != "" || cfg.clients["db"] == nil || cfg.Followup.Actor.Routes["db"] != cfg.clients["db"] {
		t.Fatalf("the follow-up does not act through the route's client: %q %+v", cfg.Problem, cfg.Followup.Actor)
	}
	post := userPost(dbChanID, "db down on primary")
	env.p.MessageHasBeenPosted(nil, post)
	db.wait(t)
	a := paging.Alert{ID: post.Id, PostID: post.Id, ChannelID: dbChanID, CreateAt: post.CreateAt}
	tp := paging.ThirdPartyID(a, paging.FormatWebhook)
	eventually(t, "the route's alert's record", func() bool {
		rec, ok, err := env.p.followup.Record(tp)
		return err == nil && ok && rec.RouteID == "db" && rec.EndpointFP == cfg.clients["db"].Fingerprint()
	})
	if def.count() != 0 {
		t.Fatalf("the default route got %d requests", def.count())
	}
}
