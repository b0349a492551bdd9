package main

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestConfirmationIsTheCard(t *testing.T) {
	_, env := standInAndEnv(t, nil)
	post := userPost(publicID, "outage in eu, urgency:high")
	env.p.MessageHasBeenPosted(nil, post)
	reply := receive(t, env.fb.posts, "card")
	if reply.RootId != post.Id || reply.Message != "Paged PagerTree — urgency: high (trigger: outage)" {
		t.Fatalf("reply %+v", reply)
	}
	color, fields := cardFields(reply)
	if color != alertstate.ColorOpen || fields["Status"] != "Open" || fields["Trigger"] != "outage" {
		t.Fatalf("card %s %v", color, fields)
	}
	eventually(t, "the card's post id stored", func() bool {
		rec, ok, _ := env.p.followup.Record(paging.ThirdPartyID(paging.Alert{ChannelID: publicID, CreateAt: post.CreateAt}, paging.FormatMattermost))
		return ok && rec.CardPostID != ""
	})
}

// The confirmation reply is tried again when Mattermost fails (concurrent first replies in a
// thread can answer 500), and not when it refuses the post.
func TestConfirmationReplyIsTriedAgainWhenTheServerFails(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int // what CreatePost answers, in order (0: created)
		calls    int
		failed   bool
	}{
		{"created at once", []int{0}, 1, false},
		{"a 500, then created", []int{500, 0}, 2, false},
		{"three 500s", []int{500, 500, 500}, 3, true},
		{"refused (403): not tried again", []int{403}, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &plugintest.API{}
			for _, status := range tc.statuses {
				var appErr *model.AppError
				if status != 0 {
					appErr = model.NewAppError("CreatePost", "app.post.save.app_error", nil, "", status)
				}
				api.On("CreatePost", mock.AnythingOfType("*model.Post")).Return(&model.Post{Id: "reply"}, appErr).Once()
			}
			p := &Plugin{}
			p.SetAPI(api)
			appErr := p.createReply(&model.Post{ChannelId: publicID, RootId: "root", Message: "Paged PagerTree"})
			if (appErr != nil) != tc.failed {
				t.Fatalf("error %v, want failed %v", appErr, tc.failed)
			}
			api.AssertNumberOfCalls(t, "CreatePost", tc.calls)
			api.AssertExpectations(t)
		})
	}
}
