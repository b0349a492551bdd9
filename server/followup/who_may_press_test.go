package followup

import (
	"context"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// TestWhoMayPress: the setting's three rules, and the API-key requirement of the second.
func TestWhoMayPress(t *testing.T) {
	alice := &model.User{Id: aliceID, Username: "alice", Email: "Alice@Example.com"}
	mallory := &model.User{Id: "mallorymallorymallorymallo", Username: "mallory", Email: "mallory@example.com"}
	admin := &model.User{Id: adminID, Username: "admin", Email: "admin@example.com"}

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
		{"pagertree_users", "", alice, "no PagerTree API key is set"},
		{"pagertree_users", "wrong-key", alice, "could not check with PagerTree"},
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
