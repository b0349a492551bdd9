package main

import (
	"testing"

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
