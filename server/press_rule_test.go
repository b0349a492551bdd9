package main

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// TestWhoMayPress: the setting's three rules, and the API-key requirement of the second.
func TestWhoMayPress(t *testing.T) {
	alice := &model.User{Id: aliceID, Username: "alice", Email: "Alice@Example.com"}
	mallory := &model.User{Id: "mallorymallorymallorymallo", Username: "mallory", Email: "mallory@example.com"}
	admin := &model.User{Id: adminID, Username: "admin", Email: "admin@example.com"}

	rest := newFakeREST(t)
	rest.bodies["/api/v4/account_users"] = `{"data":[{"id":"U1","user":{"name":"Alice A","emails":[{"email":"other@x.example","primary":true},{"email":"alice@example.com"}]}}],"has_more":false,"total_count":1}`
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
		{"pagertree_users", "", alice, "no PagerTree API key is set"},
		{"pagertree_users", "wrong-key", alice, "could not check with PagerTree"},
	} {
		t.Run(c.rule+"/"+c.user.Username+"/"+c.key, func(t *testing.T) {
			_, env := standInAndEnv(t, func(s *settings) { s.WhoMayPress, s.APIKey, s.APIBaseURL = c.rule, c.key, rest.srv.URL })
			got := env.p.mayPress(env.p.config.Load(), c.user)
			if c.refuse == "" && got != "" || c.refuse != "" && !strings.Contains(got, c.refuse) {
				t.Fatalf("got %q, want %q", got, c.refuse)
			}
		})
	}
	if cfg := buildConfig(func() settings { s := baseSettings("https://pt.example/x"); s.WhoMayPress = "everyone"; return s }(), "ua", testGuard); !strings.Contains(cfg.Problem, "who may acknowledge and resolve") {
		t.Fatalf("a bad value was accepted: %q", cfg.Problem)
	}
}
