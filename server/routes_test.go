package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

const (
	dbChanID  = "dbchandbchandbchandbchandb"
	netTeamID = "netteamnetteamnetteamnette"
	netChanID = "netchannetchannetchannetch"
)

func specsJSON(t *testing.T, specs ...routing.Spec) string {
	t.Helper()
	b, err := json.Marshal(specs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func dbSpec(endpoint string) routing.Spec {
	return routing.Spec{ID: "db", Name: "Database", Channels: []string{dbChanID}, EndpointURL: endpoint, TriggerWords: "db down"}
}

func netSpec(endpoint string) routing.Spec {
	return routing.Spec{ID: "net", Name: "Network", Teams: []string{netTeamID}, EndpointURL: endpoint}
}

func TestConfigurationWillBeSavedResolvesRouteTokens(t *testing.T) {
	dbURL := "https://api.pagertree.com/integration/int_db"
	stored := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	stored["routes"] = specsJSON(t, dbSpec(dbURL), netSpec("https://api.pagertree.com/integration/int_net"))
	stored["routetokens"] = `{"db":"db-secret","net":"net-secret"}`
	cases := []struct {
		name    string
		routes  string
		tokens  string
		refused string
		want    map[string]string // tokens stored; nil: config not rewritten
	}{
		{"one token changed, the other kept", stored["routes"].(string), `{"db":"` + model.FakeSetting + `","net":"new-net"}`, "",
			map[string]string{"db": "db-secret", "net": "new-net"}},
		{"tokens untouched", stored["routes"].(string), model.FakeSetting, "", nil},
		{"endpoint moved with the placeholder", specsJSON(t, dbSpec("https://evil.example/integration/int_db"), netSpec("https://api.pagertree.com/integration/int_net")),
			`{"db":"` + model.FakeSetting + `","net":"` + model.FakeSetting + `"}`, `the route "Database" has a new endpoint URL: enter the token again: the saved token is only sent to the saved endpoint`, nil},
		{"endpoint moved with a new token", specsJSON(t, dbSpec("https://other.example/integration/int_db"), netSpec("https://api.pagertree.com/integration/int_net")),
			`{"db":"typed","net":"` + model.FakeSetting + `"}`, "", map[string]string{"db": "typed", "net": "net-secret"}},
		{"a new route with the placeholder has no token", specsJSON(t, dbSpec(dbURL), netSpec("https://api.pagertree.com/integration/int_net"),
			routing.Spec{ID: "new", Name: "New", Channels: []string{netChanID}, EndpointURL: dbURL}),
			`{"db":"` + model.FakeSetting + `","new":"` + model.FakeSetting + `"}`, "", map[string]string{"db": "db-secret", "new": ""}},
		{"a channel in two routes", specsJSON(t, dbSpec(dbURL), routing.Spec{ID: "b", Name: "B", Channels: []string{dbChanID}, EndpointURL: dbURL}),
			model.FakeSetting, `the channel ` + dbChanID + ` is in the scope of two routes, "Database" and "B"`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, api := saveEnv(t, stored, "")
			api.On("GetChannel", dbChanID).Return(&model.Channel{Id: dbChanID, Name: "db", Type: model.ChannelTypeOpen}, nil).Maybe()
			api.On("GetChannel", netChanID).Return(&model.Channel{Id: netChanID, Name: "net", Type: model.ChannelTypeOpen}, nil).Maybe()
			api.On("GetTeam", netTeamID).Return(&model.Team{Id: netTeamID, Name: "network"}, nil).Maybe()
			next := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
			next["routes"], next["routetokens"] = c.routes, c.tokens
			got, err := p.ConfigurationWillBeSaved(newServerConfig(next, ""))
			if c.refused != "" {
				if err == nil || !strings.Contains(err.Error(), c.refused) {
					t.Fatalf("got %v, want %q", err, c.refused)
				}
				if strings.Contains(err.Error(), "db-secret") {
					t.Fatal("a token in the refusal")
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if c.want == nil {
				if got != nil {
					t.Fatal("rewritten")
				}
				return
			}
			if got == nil {
				t.Fatal("the placeholders were not replaced")
			}
			tokens, err := routing.ParseTokens(got.PluginSettings.Plugins[manifest.Id]["routetokens"].(string))
			if err != nil {
				t.Fatal(err)
			}
			for id, tok := range c.want {
				if tokens[id] != tok {
					t.Fatalf("token of %s is %q, want %q", id, tokens[id], tok)
				}
			}
		})
	}
}

func TestConfigurationWillBeSavedChecksRouteScopes(t *testing.T) {
	stored := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
	url := "https://api.pagertree.com/integration/int_db"
	notFound := model.NewAppError("Get", "not_found", nil, "", http.StatusNotFound)
	cases := []struct {
		name    string
		channel *model.Channel
		team    *model.Team
		appErr  *model.AppError
		refused string
	}{
		{"a public channel", &model.Channel{Id: dbChanID, Type: model.ChannelTypeOpen}, nil, nil, ""},
		{"a private channel", &model.Channel{Id: dbChanID, Type: model.ChannelTypePrivate}, nil, nil, ""},
		{"missing channel", nil, nil, notFound, `the route "Database" holds the channel ` + dbChanID + `, which does not exist`},
		{"archived channel", &model.Channel{Id: dbChanID, Name: "old-db", Type: model.ChannelTypeOpen, DeleteAt: 9}, nil, nil, "holds the channel ~old-db, which is archived"},
		{"group message", &model.Channel{Id: dbChanID, Type: model.ChannelTypeGroup}, nil, nil, "holds a direct or group message"},
		{"missing team", nil, nil, notFound, `holds the team ` + netTeamID + `, which does not exist`},
		{"archived team", nil, &model.Team{Id: netTeamID, Name: "gone", DeleteAt: 3}, nil, "holds the team gone, which is archived"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, api := saveEnv(t, stored, "")
			next := storedSettings(baseSettings("https://api.pagertree.com/integration/int_1"))
			if strings.Contains(c.name, "team") {
				api.On("GetTeam", netTeamID).Return(c.team, c.appErr).Once()
				next["routes"] = specsJSON(t, routing.Spec{ID: "db", Name: "Database", Teams: []string{netTeamID}, EndpointURL: url})
			} else {
				api.On("GetChannel", dbChanID).Return(c.channel, c.appErr).Once()
				next["routes"] = specsJSON(t, dbSpec(url))
			}
			_, err := p.ConfigurationWillBeSaved(newServerConfig(next, ""))
			if c.refused == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.refused) {
				t.Fatalf("got %v, want %q", err, c.refused)
			}
		})
	}
}

// A site whose routes cover what should page may leave the default endpoint empty; without
// routes that is still refused.
func TestDefaultRouteMayHaveNoEndpointWithRoutes(t *testing.T) {
	s := baseSettings("")
	if c := buildConfig(s, "ua", testGuard); !strings.Contains(c.Problem, "no PagerTree endpoint URL") {
		t.Fatalf("no routes: %q", c.Problem)
	}
	s.Routes = specsJSON(t, dbSpec("https://api.pagertree.com/integration/int_db"))
	c := buildConfig(s, "ua", testGuard)
	if c.Problem != "" || !c.forwarding() || c.Client != nil {
		t.Fatalf("problem %q client %v", c.Problem, c.Client)
	}
	post := userPost(publicID, "outage")
	m := c.Routes.Match(publicID, teamID, post.Message, false)
	if why := c.skipReason(post, botID, &m, testChannels[publicID]); !strings.Contains(why, "no route holds this channel and the default route has no endpoint URL") {
		t.Fatalf("reason %q", why)
	}
	if _, cl, _ := c.routeClient("db"); cl == nil {
		t.Fatal("the route has no client")
	}
}

// A route whose token placeholder was never resolved (a server before 8.0 has no save hook)
// sends no token anywhere: the route pauses with one sentence.
func TestUnresolvedPlaceholderPausesTheRoute(t *testing.T) {
	s := baseSettings("https://api.pagertree.com/integration/int_1")
	s.Routes = specsJSON(t, dbSpec("https://api.pagertree.com/integration/int_db"))
	s.RouteTokens = `{"db":"` + model.FakeSetting + `"}`
	c := buildConfig(s, "ua", testGuard)
	r, cl, why := c.routeClient("db")
	if cl != nil || r.Token != "" || !strings.Contains(why, "enter the token again") {
		t.Fatalf("client %v token %q why %q", cl, r.Token, why)
	}
	post := userPost(dbChanID, "db down")
	m := c.Routes.Match(dbChanID, teamID, post.Message, false)
	if reason := c.skipReason(post, botID, &m, &model.Channel{Id: dbChanID, Type: model.ChannelTypeOpen}); !strings.Contains(reason, `the route "Database" is paused`) {
		t.Fatalf("reason %q", reason)
	}
}

// routedEnv is a plugin with the default route on one stand-in, a channel route (Database,
// ~db, own trigger "db down") on a second and a team route (Network) on a third.
func routedEnv(t *testing.T) (def, db, net *fakePagerTree, env *testEnv) {
	t.Helper()
	def, db, net = newFakePagerTree(t), newFakePagerTree(t), newFakePagerTree(t)
	s := baseSettings(def.srv.URL)
	s.Routes = specsJSON(t, dbSpec(db.srv.URL+"/integration/int_db"), netSpec(net.srv.URL+"/integration/int_net"))
	s.RouteTokens = `{"db":"` + token + `","net":"` + token + `"}`
	env = newEnv(t, s, nil)
	env.api.On("GetChannel", dbChanID).Return(&model.Channel{Id: dbChanID, Name: "db", Type: model.ChannelTypeOpen, TeamId: teamID}, nil).Maybe()
	env.api.On("GetChannel", netChanID).Return(&model.Channel{Id: netChanID, Name: "net-ops", Type: model.ChannelTypeOpen, TeamId: netTeamID}, nil).Maybe()
	env.api.On("GetTeam", netTeamID).Return(&model.Team{Id: netTeamID, Name: "network"}, nil).Maybe()
	return def, db, net, env
}

func TestPostsGoThroughTheirRoute(t *testing.T) {
	def, db, net, env := routedEnv(t)
	n := int64(0)
	post := func(channelID, message string) *model.Post { // a millisecond apart: one thirdparty id each
		n++
		p := userPost(channelID, message)
		p.CreateAt += n
		return p
	}
	env.p.MessageHasBeenPosted(nil, post(dbChanID, "db down on primary")) // the channel route's trigger
	db.wait(t)
	env.p.MessageHasBeenPosted(nil, post(dbChanID, "sev-1 checkout")) // not the route's trigger: the default route
	def.wait(t)
	env.p.MessageHasBeenPosted(nil, post(netChanID, "outage in fra")) // the team route, default triggers
	net.wait(t)
	env.p.MessageHasBeenPosted(nil, post(publicID, "link down")) // no route's trigger
	env.p.MessageHasBeenPosted(nil, post(publicID, "outage"))    // no route: the default
	def.wait(t)
	eventually(t, "four history entries", func() bool {
		e, _ := env.p.history.Recent(10)
		return len(e) == 4
	})
	env.quiesce(t)
	if db.count() != 1 || net.count() != 1 || def.count() != 2 {
		t.Fatalf("db %d, net %d, default %d requests", db.count(), net.count(), def.count())
	}
	if !strings.Contains(db.bodies[0], `"trigger_word":"db down"`) || !strings.Contains(net.bodies[0], `"channel_name":"net-ops"`) {
		t.Fatalf("bodies %v %v", db.bodies, net.bodies)
	}
	entries, _ := env.p.history.Recent(10)
	routes := map[string]int{}
	for _, e := range entries {
		if e.Status != "delivered" {
			t.Fatalf("entry %+v", e)
		}
		routes[routeDisplayName(e.RouteName)]++
	}
	if routes["Database"] != 1 || routes["Network"] != 1 || routes["default"] != 2 {
		t.Fatalf("history routes %v", routes)
	}
}

func TestAlertCommandFollowsTheChannelsRoute(t *testing.T) {
	def, db, _, env := routedEnv(t)
	resp, appErr := env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: aliceID, ChannelId: dbChanID, TeamId: teamID, Command: "/pagertree alert high replica lag"})
	if appErr != nil || resp.Text != "" {
		t.Fatalf("%v %q", appErr, resp.Text)
	}
	announce := receive(t, env.fb.posts, "announcement")
	if !strings.Contains(announce.Message, `paged PagerTree through the route "Database" — urgency: high`) {
		t.Fatalf("announcement %q", announce.Message)
	}
	db.wait(t)
	env.quiesce(t)
	if def.count() != 0 || db.count() != 1 || !strings.Contains(db.bodies[0], "replica lag") {
		t.Fatalf("default %d db %v", def.count(), db.bodies)
	}
}

func TestNoAPICallWithoutATriggerWithRoutes(t *testing.T) {
	def, db, net := newFakePagerTree(t), newFakePagerTree(t), newFakePagerTree(t)
	s := baseSettings(def.srv.URL)
	s.Routes = specsJSON(t, dbSpec(db.srv.URL+"/x"), routing.Spec{ID: "net", Name: "Network", Teams: []string{netTeamID}, EndpointURL: net.srv.URL + "/y", TriggerWords: "link down"})
	kv := kvstoretest.New()
	env := newEnv(t, s, kv, "GetChannel", "GetUser", "GetTeam")
	before := len(kv.Keys())
	for _, msg := range []string{"all good", "the link is fine", "db is up"} {
		env.p.MessageHasBeenPosted(nil, userPost(dbChanID, msg))
		env.p.MessageHasBeenPosted(nil, userPost(publicID, msg))
	}
	for _, m := range []string{"GetChannel", "GetUser", "GetTeam"} {
		env.api.AssertNotCalled(t, m, mock.Anything)
	}
	if after := len(kv.Keys()); after != before {
		t.Fatalf("KV keys went from %d to %d", before, after)
	}
}

// The outbox keeps each endpoint's health on its own: an alert's endpoint is its route's, and
// the log of an outage names the routes at it and the host, never the integration's path.
func TestEndpointOfAnAlertIsItsRoute(t *testing.T) {
	s := baseSettings("https://api.pagertree.com/integration/int_noc")
	dbURL, netURL := "https://api.pagertree.com/integration/int_db", "https://api.pagertree.com/integration/int_net"
	s.Routes = specsJSON(t, dbSpec(dbURL), netSpec(netURL))
	s.RouteTokens = `{"db":"t1","net":"t2"}`
	p := &Plugin{}
	cfg := buildConfig(s, "test", testGuard)
	if cfg.Problem != "" {
		t.Fatal(cfg.Problem)
	}
	p.config.Store(cfg)
	for _, c := range []struct{ route, want string }{
		{"", "https://api.pagertree.com/integration/int_noc"}, {"db", dbURL}, {"net", netURL}, {"gone", ""},
	} {
		if got := p.endpointOf(paging.Alert{RouteID: c.route}); got != c.want {
			t.Errorf("route %q: endpoint %q, want %q", c.route, got, c.want)
		}
	}
	if names, host := cfg.routesAt(dbURL); strings.Join(names, ",") != "Database" || host != "api.pagertree.com" {
		t.Fatalf("routes at the db endpoint: %v on %q", names, host)
	}
	if names, _ := cfg.routesAt(""); names != nil {
		t.Fatalf("routes at no endpoint: %v", names)
	}
}
