package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// /pagertree alert with no text and a trigger id opens the form; its submission comes back to
// the plugin's own URL.
func TestCommandAlertWithoutTextOpensTheForm(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	root := model.NewId()
	env.api.On("OpenInteractiveDialog", mock.MatchedBy(func(r model.OpenDialogRequest) bool {
		names := []string{}
		for _, e := range r.Dialog.Elements {
			names = append(names, e.Name)
		}
		return r.TriggerId == "trigger-1" && r.URL == "/plugins/pagertree/api/v1/dialog/alert" &&
			strings.Join(names, ",") == "message,urgency,severity" && r.Dialog.State == `{"root_id":"`+root+`"}` &&
			r.Dialog.Elements[0].MaxLength == dialogMessageMax && len(r.Dialog.Elements[2].Options) == 6
	})).Return(nil).Once()
	resp, _ := env.p.ExecuteCommand(nil, &model.CommandArgs{UserId: aliceID, ChannelId: publicID, TeamId: teamID, RootId: root, TriggerId: "trigger-1", Command: "/pagertree alert"})
	if resp.Text != "" {
		t.Fatal(resp.Text)
	}
	// Without a trigger id (an old client) it says what to type.
	if got := run(t, env, aliceID, "/pagertree alert"); !strings.HasPrefix(got, "Say what is happening. Usage:") {
		t.Fatal(got)
	}
	env.api.AssertExpectations(t)
}

func dialogSubmission(channelID, state string, sub map[string]any) model.SubmitDialogRequest {
	return model.SubmitDialogRequest{Type: "dialog_submission", CallbackId: "pagertree_alert", ChannelId: channelID, TeamId: teamID, State: state, Submission: sub}
}

func TestAlertDialogSubmission(t *testing.T) {
	cases := []struct {
		name    string
		req     model.SubmitDialogRequest
		errors  map[string]string
		refusal string
		urgency paging.Urgency // when it pages
		text    string
	}{
		{name: "empty message", req: dialogSubmission(publicID, "", map[string]any{"message": "  ", "urgency": "high", "severity": "none"}),
			errors: map[string]string{"message": "Say what is happening."}},
		{name: "message too long", req: dialogSubmission(publicID, "", map[string]any{"message": strings.Repeat("x", dialogMessageMax+1)}),
			errors: map[string]string{"message": "The message is 3001 characters; the form holds at most 3000."}},
		{name: "forged choices", req: dialogSubmission(publicID, "", map[string]any{"message": "db down", "urgency": "extreme", "severity": "SEV-0"}),
			errors: map[string]string{"urgency": "Choose an urgency from the list.", "severity": "Choose an incident severity from the list."}},
		{name: "a channel the user cannot post in", req: dialogSubmission(privateID, "", map[string]any{"message": "db down"}),
			refusal: "PagerTree was not paged: you cannot post in this channel."},
		{name: "urgency chosen", req: dialogSubmission(publicID, "", map[string]any{"message": "checkout is failing", "urgency": "critical", "severity": "SEV-1"}),
			urgency: paging.UrgencyCritical, text: "[critical] checkout is failing"},
		{name: "urgency read from the message", req: dialogSubmission(publicID, "", map[string]any{"message": "a sev-1 in payments", "urgency": "from_message", "severity": "none"}),
			urgency: paging.UrgencyCritical, text: "[critical] a sev-1 in payments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pt, env := standInAndEnv(t, nil)
			env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionCreatePost).Return(true).Maybe()
			env.api.On("HasPermissionToChannel", aliceID, privateID, model.PermissionCreatePost).Return(false).Maybe()
			env.api.On("GetTeamMember", teamID, aliceID).Return(&model.TeamMember{}, nil).Maybe()
			status, got := env.serve(t, http.MethodPost, alertDialogPath, aliceID, c.req)
			if status != 200 {
				t.Fatalf("%d %v", status, got)
			}
			var resp model.SubmitDialogResponse
			raw, _ := json.Marshal(got)
			_ = json.Unmarshal(raw, &resp)
			if c.errors != nil || c.refusal != "" {
				if resp.Error != c.refusal || len(resp.Errors) != len(c.errors) {
					t.Fatalf("answer %+v", resp)
				}
				for k, v := range c.errors {
					if resp.Errors[k] != v {
						t.Fatalf("%s: %q, want %q", k, resp.Errors[k], v)
					}
				}
				env.quiesce(t)
				if pt.count() != 0 || len(env.fb.posts) != 0 {
					t.Fatal("a refused submission paged or posted")
				}
				return
			}
			if resp.Error != "" || len(resp.Errors) != 0 {
				t.Fatalf("answer %+v", resp)
			}
			announce := receive(t, env.fb.posts, "announcement")
			if announce.ChannelId != publicID || !strings.HasPrefix(announce.Message, "@alice paged PagerTree — urgency: "+string(c.urgency)) {
				t.Fatalf("announcement %q", announce.Message)
			}
			pt.wait(t)
			if !strings.Contains(pt.bodies[0], `"text":"`+c.text+`"`) || !strings.Contains(pt.bodies[0], `"trigger_word":"/pagertree"`) {
				t.Fatalf("body %s", pt.bodies[0])
			}
		})
	}
}

// The thread the form was opened in comes back from the client: it is used only when it is a
// thread of the channel submitted in (a reply stands for its thread).
func TestAlertDialogSubmissionThread(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	env.api.On("HasPermissionToChannel", aliceID, publicID, model.PermissionCreatePost).Return(true)
	env.api.On("GetTeamMember", teamID, aliceID).Return(&model.TeamMember{}, nil)
	root := env.message(&model.Post{UserId: bobID, ChannelId: publicID})
	reply := env.message(&model.Post{UserId: bobID, ChannelId: publicID, RootId: root.Id})
	elsewhere := env.message(&model.Post{UserId: bobID, ChannelId: privateID})
	for _, c := range []struct{ state, want string }{
		{`{"root_id":"` + reply.Id + `"}`, root.Id},
		{`{"root_id":"` + elsewhere.Id + `"}`, ""},
		{`not json`, ""},
	} {
		env.serve(t, http.MethodPost, alertDialogPath, aliceID, dialogSubmission(publicID, c.state, map[string]any{"message": "db down", "urgency": "high"}))
		if got := receive(t, env.fb.posts, "announcement"); got.RootId != c.want {
			t.Fatalf("state %s: announced under %q, want %q", c.state, got.RootId, c.want)
		}
	}
}
