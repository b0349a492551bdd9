package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

const (
	botID     = "botbotbotbotbotbotbotbotbo"
	aliceID   = "alicealicealicealicealicea"
	adminID   = "adminadminadminadminadmina"
	teamID    = "teamteamteamteamteamteamte"
	publicID  = "publicpublicpublicpublicpu"
	privateID = "privateprivateprivateprivp"
	dmID      = "dmdmdmdmdmdmdmdmdmdmdmdmdm"
	gmID      = "gmgmgmgmgmgmgmgmgmgmgmgmgm"
	token     = "s3cret-token"
)

// fakePagerTree is the httptest stand-in: 403 on a wrong token, records every body.
type fakePagerTree struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []string
	status int // forced status (0: by token)
	got    chan struct{}
}

func newFakePagerTree(t *testing.T) *fakePagerTree {
	f := &fakePagerTree{got: make(chan struct{}, 64)}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Token string `json:"token"`
		}
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &body)
		f.mu.Lock()
		f.bodies = append(f.bodies, string(raw))
		status := f.status
		f.mu.Unlock()
		tok := body.Token
		if h := r.Header.Get("pagertree-token"); h != "" {
			tok = h
		}
		if status == 0 {
			status = http.StatusOK
			if tok != token {
				status = http.StatusForbidden
			}
		}
		w.WriteHeader(status)
		f.got <- struct{}{}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePagerTree) setStatus(code int) {
	f.mu.Lock()
	f.status = code
	f.mu.Unlock()
}

func (f *fakePagerTree) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

func (f *fakePagerTree) wait(t *testing.T) {
	t.Helper()
	select {
	case <-f.got:
	case <-time.After(10 * time.Second):
		t.Fatal("PagerTree stand-in got nothing within 10 s")
	}
}

func baseSettings(endpoint string) settings {
	s := defaultSettings()
	s.EndpointURL = endpoint
	s.Token = token
	s.TriggerWords = "outage, sev-1, db down"
	s.UrgencyAliases = "sev-1=critical"
	return s
}

// allowLogs accepts log calls with any number of key/value pairs.
func allowLogs(api *plugintest.API) {
	for _, level := range []string{"LogError", "LogWarn", "LogInfo", "LogDebug"} {
		args := []any{mock.Anything}
		for i := 0; i < 10; i++ {
			api.On(level, args...).Maybe()
			args = append(args, mock.Anything, mock.Anything)
		}
	}
}

type testEnv struct {
	p   *Plugin
	api *plugintest.API
	kv  *kvstoretest.MemKV
	fb  *feedback // what the plugin said in chat
}

// newEnv activates a plugin on a mock API. kv may be shared between instances (restart, cluster).
// forbidden names API methods the world does not answer: calling one fails the test.
func newEnv(t *testing.T, s settings, kv *kvstoretest.MemKV, forbidden ...string) *testEnv {
	t.Helper()
	return newTunedEnv(t, s, kv, nil, forbidden...)
}

// newTunedEnv is newEnv with the test's outbox options changed by tune after the defaults
// here (short backoff, a sweep every 20 ms).
func newTunedEnv(t *testing.T, s settings, kv *kvstoretest.MemKV, tune func(*delivery.Options), forbidden ...string) *testEnv {
	t.Helper()
	if kv == nil {
		kv = kvstoretest.New()
	}
	api := &plugintest.API{}
	allowLogs(api)
	api.On("LoadPluginConfiguration", mock.AnythingOfType("*map[string]interface {}")).Run(func(args mock.Arguments) {
		*args.Get(0).(*map[string]any) = storedSettings(s)
	}).Return(nil)
	api.On("EnsureBotUser", mock.MatchedBy(func(b *model.Bot) bool { return b.Username == "pagertree" })).Return(botID, nil)
	api.On("GetBundlePath").Return("..", nil)
	api.On("SetProfileImage", botID, mock.Anything).Return(nil)
	api.On("RegisterCommand", mock.MatchedBy(func(c *model.Command) bool { return c.Trigger == "pagertree" })).Return(nil)
	siteURL := "https://chat.example.com"
	api.On("GetConfig").Return(serverConfig(siteURL, testAllowed)).Maybe()
	api.On("GetServerVersion").Return("11.4.0").Maybe()
	api.On("HasPermissionTo", adminID, model.PermissionManageSystem).Return(true).Maybe()
	api.On("HasPermissionTo", mock.Anything, model.PermissionManageSystem).Return(false).Maybe()

	p := &Plugin{newKV: func() kvstore.KV { return kv }}
	p.outboxTuner = func(o *delivery.Options) {
		o.Backoff = func(int) time.Duration { return 5 * time.Millisecond }
		o.SweepEvery = 20 * time.Millisecond
		if tune != nil {
			tune(o)
		}
	}
	p.SetAPI(api)
	env := &testEnv{p: p, api: api, kv: kv}
	// The world and the feedback capture exist before activation: the outbox may deliver
	// alerts left pending by an earlier instance as soon as it starts.
	env.world(forbidden)
	env.fb = env.captureFeedback()
	if err := p.OnConfigurationChange(); err != nil {
		t.Fatal(err)
	}
	if err := p.OnActivate(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.OnDeactivate() })
	return env
}

// storedSettings is s as Mattermost keeps and hands it to the plugin: a map with lower-cased
// keys and JSON types.
func storedSettings(s settings) map[string]any {
	b, _ := json.Marshal(s) //nolint:gosec // test settings, stored as the server stores them
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	out := map[string]any{}
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// testAllowed is ServiceSettings.AllowedUntrustedInternalConnections in tests: the httptest
// stand-ins listen on 127.0.0.1, as the e2e harness's stand-in does.
const testAllowed = "127.0.0.1"

var testGuard = pagertreeclient.NewGuard(testAllowed)

func serverConfig(siteURL, allowed string) *model.Config {
	return &model.Config{
		ServiceSettings: model.ServiceSettings{SiteURL: &siteURL, AllowedUntrustedInternalConnections: &allowed},
		PluginSettings:  model.PluginSettings{Plugins: map[string]map[string]any{}},
	}
}

// standInAndEnv starts a PagerTree stand-in and a plugin pointed at it, with tweak applied
// to the settings (nil: the base settings).
func standInAndEnv(t *testing.T, tweak func(*settings)) (*fakePagerTree, *testEnv) {
	t.Helper()
	pt := newFakePagerTree(t)
	s := baseSettings(pt.srv.URL)
	if tweak != nil {
		tweak(&s)
	}
	return pt, newEnv(t, s, nil)
}

// world registers the channels, users and team a test post refers to, except forbidden methods.
func (e *testEnv) world(forbidden []string) {
	answer := func(method string, arg any, ret any) {
		if !slices.Contains(forbidden, method) {
			e.api.On(method, arg).Return(ret, nil).Maybe()
		}
	}
	answer("GetChannel", publicID, &model.Channel{Id: publicID, Name: "ops", DisplayName: "Ops", Type: model.ChannelTypeOpen, TeamId: teamID})
	answer("GetChannel", privateID, &model.Channel{Id: privateID, Name: "secret-ops", Type: model.ChannelTypePrivate, TeamId: teamID})
	answer("GetChannel", dmID, &model.Channel{Id: dmID, Name: aliceID + "__" + adminID, Type: model.ChannelTypeDirect})
	answer("GetChannel", gmID, &model.Channel{Id: gmID, Name: "gm", Type: model.ChannelTypeGroup})
	answer("GetUser", aliceID, &model.User{Id: aliceID, Username: "alice"})
	answer("GetUser", adminID, &model.User{Id: adminID, Username: "admin", Roles: model.SystemAdminRoleId})
	answer("GetTeam", teamID, &model.Team{Id: teamID, Name: "acme"})
}

// feedback captures what the plugin says in chat.
type feedback struct {
	reactions  chan *model.Reaction
	posts      chan *model.Post
	ephemerals chan *model.Post
}

func (e *testEnv) captureFeedback() *feedback {
	f := &feedback{reactions: make(chan *model.Reaction, 16), posts: make(chan *model.Post, 16), ephemerals: make(chan *model.Post, 16)}
	e.api.On("AddReaction", mock.Anything).Run(func(a mock.Arguments) { f.reactions <- a.Get(0).(*model.Reaction) }).
		Return(&model.Reaction{}, nil).Maybe()
	var clock atomic.Int64 // posts are created a millisecond apart, as thirdparty ids expect
	clock.Store(1764240000000)
	e.api.On("CreatePost", mock.Anything).Run(func(a mock.Arguments) { f.posts <- a.Get(0).(*model.Post) }).
		Return(func(p *model.Post) *model.Post {
			c := p.Clone()
			c.Id = model.NewId()
			c.CreateAt = clock.Add(1)
			return c
		}, nil).Maybe()
	e.api.On("SendEphemeralPost", mock.Anything, mock.Anything).Run(func(a mock.Arguments) { f.ephemerals <- a.Get(1).(*model.Post) }).
		Return(&model.Post{}).Maybe()
	// Two nodes (or the delivery feedback and an early event) may draw an alert's card at once;
	// the one whose post id is not recorded deletes its copy (drawCard).
	e.api.On("DeletePost", mock.Anything).Return(nil).Maybe()
	return f
}

// quiesce stops the plugin's outbox and waits for its workers: nothing is sent or said after it.
func (e *testEnv) quiesce(t *testing.T) {
	t.Helper()
	if err := e.p.OnDeactivate(); err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond until it holds, failing the test after 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no %s within 10 s", what)
		}
	}
}

func receive[T any](t *testing.T, ch chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
	}
	var zero T
	return zero
}

// postClock gives trigger posts their creation times a millisecond apart, as Mattermost
// usually does: equal times in one channel would give two Mattermost-format alerts one
// thirdparty id (and one card, drawn by both).
var postClock atomic.Int64

func init() { postClock.Store(1764240000122) }

func userPost(channelID, message string) *model.Post {
	return &model.Post{Id: model.NewId(), UserId: aliceID, ChannelId: channelID, Message: message, CreateAt: postClock.Add(1)}
}

// nilOutbox is a stopped outbox: the benchmark never reaches it (no post matches).
func nilOutbox() *delivery.Outbox {
	return delivery.New(kvstoretest.New(), nil, delivery.Options{NodeID: "bench"})
}
