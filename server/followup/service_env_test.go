package followup

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// A Service on a mock Mattermost, a KV double and a PagerTree stand-in: what the follow-up's
// tests run on.

const (
	botID     = "botbotbotbotbotbotbotbotbo"
	aliceID   = "alicealicealicealicealicea"
	adminID   = "adminadminadminadminadmina"
	teamID    = "teamteamteamteamteamteamte"
	publicID  = "publicpublicpublicpublicpu"
	privateID = "privateprivateprivateprivp"
	dmID      = "dmdmdmdmdmdmdmdmdmdmdmdmdm"
	cardID    = "cardcardcardcardcardcardca"
	savedKey  = "ptk_test_key_123"
	token     = "s3cret-token"
	testURL   = "/plugins/pagertree/api/v1/actions/card"
)

// standIn plays PagerTree: the integration endpoint (POST /integration/…, 200 unless told
// otherwise) and the REST API (Bearer savedKey, canned JSON per path, 404 for others). It
// records every request.
type standIn struct {
	srv      *httptest.Server
	mu       sync.Mutex
	answers  map[string]string // REST path → JSON answer
	fails    map[string][]int  // REST path → statuses to answer first, one per call
	paths    []string          // REST paths asked
	calls    []string          // REST calls: METHOD path body
	bodies   []string          // integration bodies
	hang     chan struct{}     // when set, REST calls wait for it (or their cancellation)
	entered  chan string       // a REST call arrived (buffered)
	canceled chan string       // a hanging REST call was cancelled by its caller
}

func newStandIn(t *testing.T) *standIn {
	st := &standIn{answers: map[string]string{}, fails: map[string][]int{}, entered: make(chan string, 64), canceled: make(chan string, 64)}
	st.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(r.URL.Path, "/integration/") {
			st.mu.Lock()
			st.bodies = append(st.bodies, string(raw))
			st.mu.Unlock()
			w.WriteHeader(http.StatusOK)
			return
		}
		st.mu.Lock()
		st.paths = append(st.paths, r.URL.Path)
		st.calls = append(st.calls, r.Method+" "+r.URL.Path+" "+string(raw))
		body, ok := st.answers[r.URL.Path]
		hang := st.hang
		fail := 0
		if f := st.fails[r.URL.Path]; len(f) > 0 {
			fail, st.fails[r.URL.Path] = f[0], f[1:]
		}
		st.mu.Unlock()
		select {
		case st.entered <- r.URL.Path:
		default:
		}
		if hang != nil {
			select {
			case <-hang:
			case <-r.Context().Done():
				select {
				case st.canceled <- r.URL.Path:
				default:
				}
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case fail != 0:
			w.WriteHeader(fail)
			_, _ = w.Write([]byte(`{"errors":[{"message":"canned failure"}],"code":` + strconv.Itoa(fail) + `}`))
		case r.Header.Get("Authorization") != "Bearer "+savedKey:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":[{"message":"Unauthorized"}],"code":401}`))
		case !ok:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"message":"Not found"}],"code":404}`))
		default:
			_, _ = w.Write([]byte(body))
		}
	}))
	t.Cleanup(st.srv.Close)
	return st
}

func (st *standIn) answer(path, body string) {
	st.mu.Lock()
	st.answers[path] = body
	st.mu.Unlock()
}

// failFirst answers the next calls to path with these statuses.
func (st *standIn) failFirst(path string, statuses ...int) {
	st.mu.Lock()
	st.fails[path] = append(st.fails[path], statuses...)
	st.mu.Unlock()
}

// restCalls lists the REST calls made so far: METHOD path body.
func (st *standIn) restCalls() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]string(nil), st.calls...)
}

func (st *standIn) requests() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]string(nil), st.paths...)
}

func (st *standIn) integrationBodies() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]string(nil), st.bodies...)
}

var testGuard = pagertreeclient.NewGuard("127.0.0.1")

// integration is a client of the stand-in's integration endpoint in format f.
func (st *standIn) integration(f paging.Format) *pagertreeclient.Client {
	return pagertreeclient.New(st.srv.URL+"/integration/int_test", token, f, 5*time.Second, "test", testGuard)
}

// api is a REST client of the stand-in with the key given.
func (st *standIn) api(key string) *pagertreeclient.API {
	return pagertreeclient.NewAPI(st.srv.URL, key, 5*time.Second, "test", testGuard)
}

// testConfig is the plugin's defaults: card and replies, pushed updates, anyone who can read
// the channel may press, acting through the stand-in's integration in format f (no API key).
func (st *standIn) testConfig(f paging.Format, tweak func(*Config)) *Config {
	c := &Config{
		StatusReplies: true, AlertLifetime: DefaultAlertLifetime, WhoMayPress: PressChannelMembers,
		Updates:        Updates{Mode: UpdatesPushed, Every: DefaultPollSeconds * time.Second},
		Actor:          pagertreeclient.Actor{Integration: st.integration(f)},
		APIUnavailable: "no PagerTree API key is set in the plugin settings",
	}
	if tweak != nil {
		tweak(c)
	}
	return c
}

// withKey gives the configuration the stand-in's REST API with key.
func (st *standIn) withKey(key string) func(*Config) {
	return func(c *Config) { c.Actor.API, c.APIUnavailable = st.api(key), "" }
}

// testService is a started Service and what it said in Mattermost.
type testService struct {
	s          *Service
	api        *plugintest.API
	kv         *kvstoretest.MemKV
	cfg        atomic.Pointer[Config]
	posts      chan *model.Post // created (cards and replies)
	ephemerals chan *model.Post
	stopped    bool
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

// newTestService starts a Service with cfg on kv (nil: a new store). setup registers
// expectations that must come before the catch-all log ones (nil: none); tune changes the
// Service before it starts. The poller only runs when a test calls pollOnce or round, so that
// rounds are the test's own.
func newTestService(t *testing.T, cfg *Config, kv *kvstoretest.MemKV, setup func(api *plugintest.API), tune ...func(*Service)) *testService {
	t.Helper()
	if kv == nil {
		kv = kvstoretest.New()
	}
	api := &plugintest.API{}
	if setup != nil {
		setup(api)
	}
	allowLogs(api)
	e := &testService{api: api, kv: kv, posts: make(chan *model.Post, 16), ephemerals: make(chan *model.Post, 16)}
	e.cfg.Store(cfg)
	var clock atomic.Int64 // posts are created a millisecond apart, as thirdparty ids expect
	clock.Store(1764240000000)
	api.On("CreatePost", mock.Anything).Run(func(a mock.Arguments) { e.posts <- a.Get(0).(*model.Post) }).
		Return(func(p *model.Post) *model.Post {
			c := p.Clone()
			c.Id = model.NewId()
			c.CreateAt = clock.Add(1)
			return c
		}, nil).Maybe()
	api.On("SendEphemeralPost", mock.Anything, mock.Anything).Run(func(a mock.Arguments) { e.ephemerals <- a.Get(1).(*model.Post) }).
		Return(&model.Post{}).Maybe()
	// Two nodes (or the delivery confirmation and an early event) may draw an alert's card at
	// once; the one whose post id is not recorded deletes its copy (drawCard).
	api.On("DeletePost", mock.Anything).Return(nil).Maybe()
	api.On("GetUser", aliceID).Return(&model.User{Id: aliceID, Username: "alice", Email: "alice@example.com", EmailVerified: true}, nil).Maybe()
	api.On("GetUser", adminID).Return(&model.User{Id: adminID, Username: "admin", Roles: model.SystemAdminRoleId}, nil).Maybe()
	api.On("GetChannel", publicID).Return(&model.Channel{Id: publicID, Name: "ops", Type: model.ChannelTypeOpen, TeamId: teamID}, nil).Maybe()
	api.On("GetChannel", privateID).Return(&model.Channel{Id: privateID, Name: "secret-ops", Type: model.ChannelTypePrivate, TeamId: teamID}, nil).Maybe()
	api.On("GetChannel", dmID).Return(&model.Channel{Id: dmID, Name: aliceID + "__" + adminID, Type: model.ChannelTypeDirect}, nil).Maybe()
	api.On("HasPermissionTo", adminID, model.PermissionManageSystem).Return(true).Maybe()
	api.On("HasPermissionTo", mock.Anything, model.PermissionManageSystem).Return(false).Maybe()

	e.s = New(Deps{
		KV: kv, MM: api, BotID: botID, NodeID: model.NewId(), ActionsURL: testURL,
		Config: func() *Config { return e.cfg.Load() },
	})
	e.s.poller.tick = time.Hour
	for _, f := range tune {
		f(e.s)
	}
	e.s.Start(context.Background())
	t.Cleanup(func() {
		e.quiesce(t)
		api.AssertExpectations(t)
	})
	return e
}

// quiesce stops the Service and waits for its owners: nothing is drawn or said after it.
func (e *testService) quiesce(t *testing.T) {
	t.Helper()
	if e.stopped {
		return
	}
	e.stopped = true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

// cardStore answers GetPost/UpdatePost for the card post and records every version.
type cardStore struct {
	mu       sync.Mutex
	post     *model.Post
	versions chan *model.Post
}

func (e *testService) withCard(t *testing.T) *cardStore {
	t.Helper()
	cs := &cardStore{post: &model.Post{Id: cardID, UserId: botID, ChannelId: publicID, RootId: "root", Message: "Paged PagerTree"},
		versions: make(chan *model.Post, 16)}
	e.api.On("GetPost", cardID).Return(func(string) *model.Post {
		cs.mu.Lock()
		defer cs.mu.Unlock()
		return cs.post.Clone()
	}, nil).Maybe()
	e.api.On("UpdatePost", mock.Anything).Run(func(a mock.Arguments) {
		p := a.Get(0).(*model.Post)
		cs.mu.Lock()
		cs.post = p.Clone()
		cs.mu.Unlock()
		cs.versions <- p.Clone()
	}).Return(func(p *model.Post) *model.Post { return p }, nil).Maybe()
	e.api.On("GetUserByEmail", "alice@example.com").Return(&model.User{Id: aliceID, Username: "alice", Email: "alice@example.com", EmailVerified: true}, nil).Maybe()
	e.api.On("GetUserByEmail", "eve@example.com").Return(&model.User{Id: "eveeveeveeveeveeveeveeveev", Username: "eve", Email: "eve@example.com"}, nil).Maybe() // not verified
	e.api.On("GetUserByEmail", mock.Anything).Return(nil, model.NewAppError("GetUserByEmail", "not found", nil, "", 404)).Maybe()
	return cs
}

func (cs *cardStore) addProp(key string, v any) {
	cs.mu.Lock()
	cs.post.AddProp(key, v)
	cs.mu.Unlock()
}

// sentAlert records an alert as sent with the given format, with its card already posted.
func (e *testService) sentAlert(t *testing.T, f paging.Format) string {
	t.Helper()
	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", RootID: "root", ChannelID: publicID,
		CreateAt: 1764240000123, Trigger: "outage", Urgency: paging.UrgencyHigh, Origin: paging.OriginPost}
	if _, err := e.s.records.remember(a, f, "pt.example", ""); err != nil {
		t.Fatal(err)
	}
	tp := paging.ThirdPartyID(a, f)
	if _, err := e.s.records.setCard(tp, cardID, -1); err != nil {
		t.Fatal(err)
	}
	return tp
}

// event hands PagerTree's event to the Service; it fails the test unless it was recorded.
func (e *testService) event(t *testing.T, body string) EventResult {
	t.Helper()
	res, err := e.s.Receive([]byte(body), EventAuth{HeaderArrived: true})
	if err != nil {
		t.Fatalf("event not recorded: %v", err)
	}
	return res
}

func cardFields(p *model.Post) (string, map[string]string) {
	atts := p.GetProp("attachments").([]*model.SlackAttachment)
	fields := map[string]string{}
	for _, f := range atts[0].Fields {
		fields[f.Title] = f.Value.(string)
	}
	return atts[0].Color, fields
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

// empty fails if anything is waiting on ch (call after quiesce: nothing more can come).
func empty[T any](t *testing.T, ch chan T, what string) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("unexpected %s: %+v", what, v)
	default:
	}
}
