package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"
)

func oncallEnv(t *testing.T, key string) (*fakeREST, *testEnv) {
	rest := newFakeREST(t)
	_, env := standInAndEnv(t, func(s *settings) { s.APIKey, s.APIBaseURL = key, rest.srv.URL })
	env.api.On("GetUserByEmail", "alice@example.com").Return(&model.User{Id: aliceID, Username: "alice", Email: "alice@example.com", EmailVerified: true}, nil).Maybe()
	env.api.On("GetUserByEmail", mock.Anything).Return(nil, model.NewAppError("GetUserByEmail", "not found", nil, "", http.StatusNotFound)).Maybe()
	return rest, env
}

func TestCommandOncall(t *testing.T) {
	rest, env := oncallEnv(t, savedKey)
	out := run(t, env, aliceID, "/pagertree oncall")
	for _, want := range []string{"On call now in PagerTree", "**Devops**: layer 1: @alice (Alice A) · layer 2: Bob \\*Builder\\* @\u200bchannel", "**Databases**: nobody is on call right now"} {
		if !strings.Contains(out, want) {
			t.Fatalf("%q\nwant %q", out, want)
		}
	}
	_, auths := rest.requests()
	for _, a := range auths {
		if a != "Bearer "+savedKey {
			t.Fatalf("auth %q", a)
		}
	}

	out = run(t, env, aliceID, "/pagertree oncall data")
	if !strings.Contains(out, "Databases") || strings.Contains(out, "Devops") {
		t.Fatal(out)
	}
	out = run(t, env, aliceID, "/pagertree oncall DEVOPS")
	if !strings.Contains(out, "Devops") || strings.Contains(out, "Databases") {
		t.Fatal(out)
	}
	out = run(t, env, aliceID, "/pagertree oncall frontend")
	if !strings.Contains(out, "No PagerTree team matches `frontend`") || !strings.Contains(out, "Devops, Databases") {
		t.Fatal(out)
	}
}

func TestCommandOncallWithoutOrWithABadKey(t *testing.T) {
	rest, env := oncallEnv(t, "")
	if out := run(t, env, aliceID, "/pagertree oncall"); out != "Who is on call comes from PagerTree's REST API, which the plugin is not set up to use. Ask a System Admin to check the PagerTree plugin." {
		t.Fatal(out)
	}
	if out := run(t, env, adminID, "/pagertree oncall"); !strings.Contains(out, "Check API key") {
		t.Fatal(out)
	}
	if paths, _ := rest.requests(); len(paths) != 0 {
		t.Fatalf("no key, no request: %v", paths)
	}

	rest, env = oncallEnv(t, "wrong-key")
	out := run(t, env, aliceID, "/pagertree oncall")
	if out != "Could not read who is on call from PagerTree. The plugin's PagerTree API key or settings need a System Admin's attention. Ask a System Admin to check the PagerTree plugin." {
		t.Fatal(out)
	}
	if out := run(t, env, adminID, "/pagertree oncall"); !strings.Contains(out, "PagerTree rejected the API key") || strings.Contains(out, "wrong-key") {
		t.Fatal(out)
	}
	if rest.saw("/api/v4/teams/") {
		t.Fatal("a rejected key stops at the first call")
	}
}

func TestCommandOncallTeamFailureIsPerTeam(t *testing.T) {
	rest, env := oncallEnv(t, savedKey)
	rest.mu.Lock()
	delete(rest.bodies, "/api/v4/teams/T2/current_oncall")
	rest.mu.Unlock()
	out := run(t, env, aliceID, "/pagertree oncall")
	if !strings.Contains(out, "@alice") || !strings.Contains(out, "**Databases**: could not be read. PagerTree could not find it") {
		t.Fatal(out)
	}
}

func TestMatchTeamsAndEscape(t *testing.T) {
	if got := mdEscape("[x](http://e) `c` <b> #h |t| :smile:"); strings.ContainsAny(strings.NewReplacer(`\[`, "", `\]`, "", `\(`, "", `\)`, "", "\\`", "", `\<`, "", `\>`, "", `\#`, "", `\|`, "", `\:`, "").Replace(got), "[]()`<>#|") {
		t.Fatal(got)
	}
}

func TestCommandOncallReusesAnAnswerFor30Seconds(t *testing.T) {
	rest, env := oncallEnv(t, savedKey)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	env.p.oncall.mu.Lock()
	env.p.oncall.now = func() time.Time { return now }
	env.p.oncall.mu.Unlock()
	first := run(t, env, aliceID, "/pagertree oncall")
	paths, _ := rest.requests()
	if again := run(t, env, aliceID, "/pagertree oncall"); again != first {
		t.Fatal(again)
	}
	if p, _ := rest.requests(); len(p) != len(paths) {
		t.Fatalf("asked PagerTree again within 30 s: %v", p[len(paths):])
	}
	now = now.Add(31 * time.Second)
	run(t, env, aliceID, "/pagertree oncall")
	if p, _ := rest.requests(); len(p) != 2*len(paths) {
		t.Fatalf("%d requests, want %d", len(p), 2*len(paths))
	}
	// Asking about one team in other words reuses what PagerTree said about it.
	before, _ := rest.requests()
	for _, q := range []string{"/pagertree oncall dev", "/pagertree oncall DEV", "/pagertree oncall data"} {
		run(t, env, aliceID, q)
	}
	if p, _ := rest.requests(); len(p) != len(before) {
		t.Fatalf("asked PagerTree again for teams it had just answered about: %v", p[len(before):])
	}
}

// Finding 8 of issue 21: a non-admin was shown the API settings' problem, with the host and the
// setting's name. Admins keep the detail.
func TestCommandOncallShowsSettingsProblemsToAdminsOnly(t *testing.T) {
	_, env := standInAndEnv(t, func(s *settings) { s.APIKey, s.APIBaseURL = savedKey, "http://pagertree.internal.example" })
	out := run(t, env, aliceID, "/pagertree oncall")
	for _, secret := range []string{"pagertree.internal.example", "AllowedUntrustedInternalConnections", "https", "API URL"} {
		if strings.Contains(out, secret) {
			t.Fatalf("a non-admin sees %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "Ask a System Admin") {
		t.Fatal(out)
	}
	if out := run(t, env, adminID, "/pagertree oncall"); !strings.Contains(out, "the PagerTree API URL must use https") || !strings.Contains(out, "Check API key") {
		t.Fatal(out)
	}
}

// Finding 7 of issue 21: 10 concurrent callers with a cold cache made 10 GET /teams. They now
// share one set of calls.
func TestConcurrentOncallCallersShareOneSetOfCalls(t *testing.T) {
	rest, env := oncallEnv(t, savedKey)
	gate := make(chan struct{})
	rest.mu.Lock()
	rest.hold = map[string]chan struct{}{"/api/v4/teams": gate}
	rest.mu.Unlock()
	const callers = 10
	answers := make(chan string, callers)
	for i := 0; i < callers; i++ {
		go func() {
			resp, appErr := env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: aliceID, ChannelId: publicID, TeamId: teamID, Command: "/pagertree oncall"})
			if appErr != nil {
				answers <- appErr.Error()
				return
			}
			answers <- resp.Text
		}()
	}
	deadline := time.After(10 * time.Second)
	for env.p.oncall.calls.Waits() < callers-1 { // one asks PagerTree, the others wait for it
		select {
		case <-deadline:
			t.Fatalf("%d callers waiting", env.p.oncall.calls.Waits())
		case <-time.After(time.Millisecond):
		}
	}
	close(gate)
	for i := 0; i < callers; i++ {
		select {
		case a := <-answers:
			if !strings.Contains(a, "**Devops**: layer 1: @alice") {
				t.Fatal(a)
			}
		case <-deadline:
			t.Fatal("a caller got no answer")
		}
	}
	count := map[string]int{}
	paths, _ := rest.requests()
	for _, p := range paths {
		count[p]++
	}
	want := map[string]int{"/api/v4/teams": 1, "/api/v4/teams/T1/current_oncall": 1, "/api/v4/teams/T2/current_oncall": 1, "/api/v4/account_users/U1": 1, "/api/v4/account_users/U2": 1}
	for p, n := range want {
		if count[p] != n {
			t.Fatalf("%s asked %d times, want %d (all: %v)", p, count[p], n, count)
		}
	}
	if len(paths) != 5 {
		t.Fatalf("requests %v", paths)
	}
}
