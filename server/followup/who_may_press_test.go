package followup

import (
	"context"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// TestWhoMayPress: the setting's three rules, and the API-key requirement of the second.
func TestWhoMayPress(t *testing.T) {
	alice := &model.User{Id: aliceID, Username: "alice", Email: "Alice@Example.com", EmailVerified: true}
	mallory := &model.User{Id: "mallorymallorymallorymallo", Username: "mallory", Email: "mallory@example.com", EmailVerified: true}
	admin := &model.User{Id: adminID, Username: "admin", Email: "admin@example.com", EmailVerified: true}
	// Issue 21 finding 3: an e-mail typed into a profile (not verified) proves nothing, even
	// when it is a PagerTree member's.
	eve := &model.User{Id: "eveeveeveeveeveeveeveeveev", Username: "eve", Email: "alice@example.com"}

	st := newStandIn(t)
	st.answer("/api/v4/account_users", `{"data":[{"id":"U1","user":{"name":"Alice A","emails":[{"email":"other@x.example","primary":true},{"email":"alice@example.com"}]}}],"has_more":false,"total_count":1}`)
	for _, c := range []struct {
		rule   string
		key    string
		user   *model.User
		refuse string // "" = allowed
	}{
		{"", "", mallory, ""},
		{"channel_members", "", mallory, ""},
		{"system_admins", "", mallory, "Only System Admins"},
		{"system_admins", "", admin, ""},
		{"pagertree_users", savedKey, alice, ""}, // a second e-mail, other case
		{"pagertree_users", savedKey, mallory, "not a PagerTree user's"},
		{"pagertree_users", savedKey, eve, "yours is not verified, so the plugin cannot tell that it is yours"},
		{"pagertree_users", "", admin, "no PagerTree API key is set"}, // an admin is told the setting
		{"pagertree_users", "", alice, "cannot check who is one now. The plugin's PagerTree API key or settings need a System Admin's attention."},
		{"pagertree_users", "wrong-key", alice, "could not check with PagerTree that you are a PagerTree team member. The plugin's PagerTree API key or settings need a System Admin's attention."},
		{"pagertree_users", "wrong-key", admin, "PagerTree rejected the API key"},
	} {
		t.Run(c.rule+"/"+c.user.Username+"/"+c.key, func(t *testing.T) {
			rule, err := ParsePressRule(c.rule)
			if err != nil {
				t.Fatal(err)
			}
			cfg := st.testConfig(paging.FormatMattermost, func(cfg *Config) {
				cfg.WhoMayPress = rule
				if c.key != "" {
					st.withKey(c.key)(cfg)
				}
			})
			env := newTestService(t, cfg, nil, nil)
			got := env.s.mayPress(context.Background(), cfg, c.user)
			if c.refuse == "" && got != "" || c.refuse != "" && !strings.Contains(got, c.refuse) {
				t.Fatalf("got %q, want %q", got, c.refuse)
			}
		})
	}
	if _, err := ParsePressRule("everyone"); err == nil || !strings.Contains(err.Error(), "who may acknowledge and resolve") {
		t.Fatalf("a bad value was accepted: %v", err)
	}
}

// TestRefusedPressesCostPagerTreeNothing (issue 21 finding 6): under "PagerTree team members",
// whatever can be decided locally is decided first: a user who cannot read the channel, an
// unverified e-mail, an alert already in the state asked for ask PagerTree nothing; a verified
// non-member's twenty presses read the account's users once (the shared, cached directory).
func TestRefusedPressesCostPagerTreeNothing(t *testing.T) {
	const malloryID, eveID = "mallorymallorymallorymallo", "eveeveeveeveeveeveeveeveev"
	users := func(api *plugintest.API) {
		api.On("GetUser", malloryID).Return(&model.User{Id: malloryID, Username: "mallory", Email: "mallory@example.com", EmailVerified: true}, nil).Maybe()
		api.On("GetUser", eveID).Return(&model.User{Id: eveID, Username: "eve", Email: "alice@example.com"}, nil).Maybe()
		api.On("HasPermissionToChannel", outsider, publicID, model.PermissionReadChannel).Return(false).Maybe()
		api.On("HasPermissionToChannel", mock.Anything, publicID, model.PermissionReadChannel).Return(true).Maybe()
	}
	usersRead := func(st *standIn) int {
		n := 0
		for _, p := range st.requests() {
			if p == "/api/v4/account_users" {
				n++
			}
		}
		return n
	}
	setup := func(t *testing.T) (*standIn, *testService, string) {
		st := newStandIn(t)
		st.answer("/api/v4/account_users", `{"data":[{"id":"U1","user":{"name":"Alice A","emails":[{"email":"alice@example.com"}]}}],"has_more":false,"total_count":1}`)
		cfg := st.testConfig(paging.FormatWebhook, func(c *Config) {
			st.withKey(savedKey)(c)
			c.WhoMayPress = PressPagerTreeUsers
		})
		env := newTestService(t, cfg, nil, users)
		cs := env.withCard(t)
		tp := env.sentAlert(t, paging.FormatWebhook)
		cs.addProp(CardProp, tp)
		return st, env, tp
	}
	ctx := context.Background()
	press := func(env *testService, user, tp, action string) string {
		return env.s.PressCard(ctx, user, cardID, map[string]any{"action": action, "alert": tp})
	}

	st, env, tp := setup(t)
	for _, c := range []struct{ user, want string }{
		{outsider, "channel you cannot read"},
		{eveID, "yours is not verified"},
	} {
		for range 20 {
			if text := press(env, c.user, tp, "acknowledge"); !strings.Contains(text, c.want) {
				t.Fatalf("%s: %q", c.user, text)
			}
		}
	}
	if reqs := st.requests(); len(reqs) != 0 {
		t.Fatalf("locally refused presses asked PagerTree: %v", reqs)
	}
	for range 20 {
		if text := press(env, malloryID, tp, "acknowledge"); !strings.Contains(text, "not a PagerTree user's") {
			t.Fatalf("mallory: %q", text)
		}
	}
	if n, all := usersRead(st), st.requests(); n != 1 || len(all) != 1 {
		t.Fatalf("20 refused presses made %d user reads (%v), want 1", n, all)
	}

	// An alert already resolved: refused by its state before anyone is looked up.
	st, env, tp = setup(t)
	env.event(t, `{"type":"alert.resolved","data":{"id":"alt_9","tinyId":9,"status":"resolved","thirdparty_id":"`+tp+`"}}`)
	env.quiesce(t)
	if text := press(env, malloryID, tp, "acknowledge"); !strings.Contains(text, "resolved") {
		t.Fatalf("a press on a resolved alert: %q", text)
	}
	if reqs := st.requests(); len(reqs) != 0 {
		t.Fatalf("a press on a resolved alert asked PagerTree: %v", reqs)
	}
}
