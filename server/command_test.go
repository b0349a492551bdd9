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

func TestCommandAlertWhilePaused(t *testing.T) {
	s := baseSettings("")
	env := newEnv(t, s, nil)
	if got := run(t, env, aliceID, "/pagertree alert high x"); !strings.Contains(got, "not paged") || !strings.Contains(got, "endpoint URL") {
		t.Fatal(got)
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
	for _, want := range []string{"| Forwarding | on |", "| Endpoint host | 127.0.0.1:", "| Token | set |", "| Format | Mattermost (Outgoing Webhook) |", "| Match mode | whole word anywhere |", "| Retry window | 1h0m0s |", "| Channel cooldown | off |",
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
