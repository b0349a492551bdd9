package main

import (
	"net"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

func run(t *testing.T, e *testEnv, user, command string) string {
	t.Helper()
	resp, appErr := e.p.ExecuteCommand(nil, &model.CommandArgs{UserId: user, ChannelId: publicID, TeamId: teamID, Command: command})
	if appErr != nil {
		t.Fatalf("%s: %v", command, appErr)
	}
	return resp.Text
}

func TestCommandAutocompleteTree(t *testing.T) {
	cmd := commandDefinition()
	if cmd.Trigger != "pagertree" || !cmd.AutoComplete || cmd.AutocompleteData == nil {
		t.Fatalf("%+v", cmd)
	}
	if err := cmd.AutocompleteData.IsValid(); err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, sub := range cmd.AutocompleteData.SubCommands {
		roles[sub.Trigger] = sub.RoleID
	}
	want := map[string]string{"alert": model.SystemUserRoleId, "help": model.SystemUserRoleId, "oncall": model.SystemUserRoleId,
		"test": model.SystemAdminRoleId, "status": model.SystemAdminRoleId, "history": model.SystemAdminRoleId}
	for k, v := range want {
		if roles[k] != v {
			t.Errorf("%s visible to %q, want %q", k, roles[k], v)
		}
	}
	alert := cmd.AutocompleteData.SubCommands[0]
	items := alert.Arguments[0].Data.(*model.AutocompleteStaticListArg).PossibleArguments
	if len(items) != 4 || items[0].Item != "low" || items[3].Item != "critical" {
		t.Fatalf("urgency list %+v", items)
	}
}

func TestCommandHelpAndBadInput(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	cases := []struct{ user, cmd, want string }{
		{aliceID, "/pagertree", "/pagertree alert"},
		{aliceID, "/pagertree help", "/pagertree history [n]"},
		{aliceID, "/pagertree alrt boom", "Did you mean `/pagertree alert`?"},
		{aliceID, "/pagertree frobnicate", "is not a /pagertree command"},
		{aliceID, "/pagertree alert", "Say what is happening"},
		{aliceID, "/pagertree alert high", "after the urgency"},
		{aliceID, "/pagertree alert hihg db on fire", "did you mean `high`?"},
		{aliceID, "/pagertree alert critcal db on fire", "did you mean `critical`?"},
		{aliceID, "/pagertree test", "Only System Admins can use `/pagertree test`"},
		{aliceID, "/pagertree status", "Only System Admins"},
		{aliceID, "/pagertree history", "Only System Admins"},
		{adminID, "/pagertree history ten", "not a number"},
		{adminID, "/pagertree history 0", "not a number"},
		{adminID, "/pagertree history", "No deliveries yet"},
	}
	for _, c := range cases {
		if got := run(t, env, c.user, c.cmd); !strings.Contains(got, c.want) {
			t.Errorf("%q -> %q, want it to contain %q", c.cmd, got, c.want)
		}
	}
	if pt.count() != 0 {
		t.Fatal("bad input paged PagerTree")
	}
	env.api.AssertNotCalled(t, "CreatePost", mock.Anything) // no announcement either
}

func TestCommandAlert(t *testing.T) {
	cases := []struct {
		cmd, urgency, text string
	}{
		{"/pagertree alert critical checkout is down", "critical", "[critical] checkout is down"},
		{"/pagertree alert HIGH   db replica lag", "high", "[high] db replica lag"},
		{"/pagertree alert db lag urgency:medium", "medium", "db lag urgency:medium"},
		{"/pagertree alert a sev-1 in payments", "critical", "[critical] a sev-1 in payments"},
		{"/pagertree alert log volume is full", "", "log volume is full"}, // "log" is a word, not a typo of low
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			pt := newFakePagerTree(t)
			env := newEnv(t, baseSettings(pt.srv.URL), nil)
			if got := run(t, env, aliceID, c.cmd); got != "" {
				t.Fatalf("answer %q", got)
			}
			announce := receive(t, env.fb.posts, "announcement")
			if announce.UserId != botID || announce.ChannelId != publicID || !strings.Contains(announce.Message, "@alice paged PagerTree") {
				t.Fatalf("announcement %+v", announce)
			}
			pt.wait(t)
			body := pt.bodies[0]
			if !strings.Contains(body, `"trigger_word":"/pagertree"`) || !strings.Contains(body, `"text":"`+c.text+`"`) || !strings.Contains(body, `"user_name":"alice"`) {
				t.Fatalf("body %s", body)
			}
			receive(t, env.fb.reactions, "reaction on the announcement")
			entries, _ := env.p.history.Recent(1)
			if len(entries) != 1 || string(entries[0].Urgency) != c.urgency || entries[0].Trigger != "/pagertree" {
				t.Fatalf("history %+v", entries)
			}
		})
	}
}

func TestCommandAlertWorksInDirectMessagesAndFailsClearly(t *testing.T) {
	pt, env := standInAndEnv(t, func(s *settings) { s.Token = "wrong" })
	resp, _ := env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: aliceID, ChannelId: dmID, TeamId: teamID, Command: "/pagertree alert high disk full"})
	if resp.Text != "" {
		t.Fatal(resp.Text)
	}
	receive(t, env.fb.posts, "announcement")
	eph := receive(t, env.fb.ephemerals, "ephemeral")
	if !strings.Contains(eph.Message, "**not** paged") || eph.ChannelId != dmID {
		t.Fatalf("ephemeral %+v", eph)
	}
	if !strings.Contains(pt.bodies[0], `"team_domain":"acme"`) {
		t.Fatalf("a DM alert takes the team of the command: %s", pt.bodies[0])
	}
}

// Issue 10, point 5: a non-admin never sees any part of the endpoint; an admin sees the problem.
func TestCommandAlertWhilePaused(t *testing.T) {
	for _, endpoint := range []string{"", "htps//api.pagertree.com/integration/int_secret", "api.pagertree.com/integration/int_secret"} {
		env := newEnv(t, baseSettings(endpoint), nil)
		got := run(t, env, aliceID, "/pagertree alert high x")
		if got != "PagerTree was not paged: forwarding is paused until a System Admin fixes the plugin settings. Ask a System Admin to check the PagerTree plugin." {
			t.Fatalf("%q: %s", endpoint, got)
		}
		admin := run(t, env, adminID, "/pagertree alert high x")
		if !strings.Contains(admin, "not paged") || !strings.Contains(admin, "endpoint URL") || strings.Contains(admin, "int_secret") {
			t.Fatalf("%q: admin sees %s", endpoint, admin)
		}
	}
	s := baseSettings("https://api.pagertree.com/integration/int_1")
	s.Enabled = false
	if got := run(t, newEnv(t, s, nil), aliceID, "/pagertree alert high x"); !strings.Contains(got, "turned off in the plugin settings") {
		t.Fatal(got)
	}
}

// Issue 10, point 2: three pages per user per 10 minutes; the fourth gets the limit answer.
func TestCommandAlertPerUserLimit(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	for i := 0; i < 3; i++ {
		if got := run(t, env, aliceID, "/pagertree alert critical db on fire"); got != "" {
			t.Fatalf("page %d refused: %s", i+1, got)
		}
		receive(t, env.fb.posts, "announcement")
	}
	got := run(t, env, aliceID, "/pagertree alert critical db on fire")
	want := "PagerTree was not paged: you have paged 3 times in the last 10 minutes; the limit is 3 per user per 10 minutes. You can page again in 10 minutes."
	if !strings.HasPrefix(got, want) || !strings.Contains(got, "ask a System Admin") {
		t.Fatalf("limit answer: %s", got)
	}
	if len(env.fb.posts) != 0 { // the refusal is synchronous: nothing was posted before it
		t.Fatal("announcement of a refused page")
	}
	// System Admins are not limited.
	for i := 0; i < 4; i++ {
		if got := run(t, env, adminID, "/pagertree alert high admin page"); got != "" {
			t.Fatalf("admin page %d refused: %s", i+1, got)
		}
		receive(t, env.fb.posts, "announcement")
	}
	for i := 0; i < 7; i++ {
		pt.wait(t)
	}
	if pt.count() != 7 {
		t.Fatalf("PagerTree got %d pages, want 7", pt.count())
	}
	// Help says so.
	if help := run(t, env, aliceID, "/pagertree help"); !strings.Contains(help, "Each user may page 3 times per 10 minutes with `/pagertree alert` (System Admins are not limited)") ||
		!strings.Contains(help, "cooldown") {
		t.Fatal(help)
	}
}

// When the alert cannot be stored, the announcement is corrected: the channel must not read
// "paged PagerTree" for a page that never left.
func TestCommandAlertThatCannotBeQueuedCorrectsTheAnnouncement(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	corrected := make(chan *model.Post, 1)
	env.api.On("UpdatePost", mock.Anything).Run(func(a mock.Arguments) { corrected <- a.Get(0).(*model.Post) }).
		Return(func(p *model.Post) *model.Post { return p }, nil).Once()
	env.kv.SetFailure(errTest("the database is unavailable"))
	if got := run(t, env, aliceID, "/pagertree alert critical db on fire"); got != "" {
		t.Fatalf("answer %q", got)
	}
	announce := receive(t, env.fb.posts, "announcement")
	fixed := receive(t, corrected, "corrected announcement")
	if fixed.Id == "" || !strings.Contains(fixed.Message, "PagerTree was **not** paged") || strings.Contains(fixed.Message, "@alice paged") {
		t.Fatalf("announcement %q corrected to %q", announce.Message, fixed.Message)
	}
	if eph := receive(t, env.fb.ephemerals, "ephemeral"); !strings.Contains(eph.Message, "could not store it for delivery") {
		t.Fatalf("ephemeral %q", eph.Message)
	}
	env.api.AssertExpectations(t)
}

func TestCommandAlertLimitOff(t *testing.T) {
	_, env := standInAndEnv(t, func(s *settings) { s.AlertCommandLimit = flexInt{n: 0, set: true} })
	for i := 0; i < 5; i++ {
		if got := run(t, env, aliceID, "/pagertree alert x"); got != "" {
			t.Fatalf("limit 0 is no limit: %s", got)
		}
		receive(t, env.fb.posts, "announcement")
	}
	if help := run(t, env, aliceID, "/pagertree help"); !strings.Contains(help, "no per-user limit") {
		t.Fatal(help)
	}
}

// Issue 10, point 5: longer than a post can hold: refused, nothing paged or posted.
func TestCommandAlertLongerThanAPost(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	long := strings.Repeat("é", model.PostMessageMaxRunesV2)
	got := run(t, env, aliceID, "/pagertree alert high "+long)
	if !strings.HasPrefix(got, "PagerTree was not paged: the alert is 16383 characters and Mattermost posts hold at most 16383") {
		t.Fatal(got[:200])
	}
	if len(env.fb.posts) != 0 { // the refusal is synchronous: nothing was posted before it
		t.Fatal("announcement")
	}
	if pt.count() != 0 {
		t.Fatal("paged")
	}
	// The refused page did not count against the limit.
	for i := 0; i < 3; i++ {
		if got := run(t, env, aliceID, "/pagertree alert high short enough"); got != "" {
			t.Fatal(got)
		}
		receive(t, env.fb.posts, "announcement")
	}
}

func TestCommandTest(t *testing.T) {
	pt, env := standInAndEnv(t, nil)
	got := run(t, env, adminID, "/pagertree test")
	if !strings.Contains(got, "**200**") || !strings.Contains(got, "accepted") {
		t.Fatal(got)
	}
	if !strings.Contains(pt.bodies[0], "This is only a test") || !strings.Contains(pt.bodies[0], `"text":"[low] Test alert`) {
		t.Fatalf("test body %s", pt.bodies[0])
	}
	pt.setStatus(403)
	if got := run(t, env, adminID, "/pagertree test"); !strings.Contains(got, "**403**") || !strings.Contains(got, "token") {
		t.Fatal(got)
	}
	// Connection refused: a port nobody listens on.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	_ = ln.Close()
	env2 := newEnv(t, baseSettings("http://"+addr+"/int"), nil)
	if got := run(t, env2, adminID, "/pagertree test"); !strings.Contains(got, "No answer from PagerTree: could not connect to PagerTree (") || strings.Contains(got, "will retry") {
		t.Fatal(got)
	}
	entries, _ := env.p.history.Recent(5)
	if len(entries) != 2 || !entries[0].Test || entries[0].Status != delivery.StatusFailed {
		t.Fatalf("tests are recorded in the history: %+v", entries)
	}
}

func TestCommandStatusAndHistory(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "outage | pipes"))
	receive(t, env.fb.reactions, "reaction")
	status := run(t, env, adminID, "/pagertree status")
	for _, want := range []string{"| Forwarding | on |", "| Endpoint host | 127.0.0.1:", "| Token | set |", "| Format | Mattermost (Outgoing Webhook) |", "| Match mode | whole word anywhere |", "| Retry window | 1h0m0s |", "| /pagertree alert limit | 3 pages per user per 10 minutes (System Admins not limited) |", "| Channel cooldown | off |",
		"| Trigger words | 3 |", "| Private channels | off |", "| Queue | 0 waiting |", "| Last success | 20", "| Last failure | none yet |"} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
	if strings.Contains(status, token) || strings.Contains(status, "/int") {
		t.Fatal("status shows the token or the endpoint path")
	}
	hist := run(t, env, adminID, "/pagertree history 3")
	if !strings.Contains(hist, "| ~ops | @alice | outage |") || !strings.Contains(hist, "| delivered | 1 | 200 |") {
		t.Fatal(hist)
	}
	if strings.Count(hist, "\n") != 4 {
		t.Fatalf("one header, separator and row:\n%s", hist)
	}
}

func TestNearestLevel(t *testing.T) {
	for word, want := range map[string]string{"hihg": "high", "hgh": "high", "critcal": "critical", "meduim": "medium", "lwo": "low", "log": "", "hi": "", "database": "", "high": "high"} {
		if got := nearestLevel(word); got != want {
			t.Errorf("nearestLevel(%q) = %q, want %q", word, got, want)
		}
	}
}

// Issue 10, point 5: an overflowing retry window shows the allowed range, not a giant duration.
func TestCommandStatusRetryWindowOverflow(t *testing.T) {
	_, env := standInAndEnv(t, func(s *settings) { s.RetryWindowMinutes = flexInt{n: 1000000000, set: true} })
	got := run(t, env, adminID, "/pagertree status")
	if !strings.Contains(got, "| Retry window | not valid: 1 to 1440 minutes |") || strings.Contains(got, "h56m") ||
		!strings.Contains(got, "the retry window must be between 1 and 1440 minutes, not 1000000000") {
		t.Fatal(got)
	}
}
