package main

import (
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// newAlert is the one builder of what PagerTree is told: post is the post the alert links to
// (the trigger post, or the bot's announcement of /pagertree alert); team may be nil.
// route is the route it goes through (its format is the one recorded).
func (p *Plugin) newAlert(origin paging.Origin, route *routing.Route, post *model.Post, ch *model.Channel, user *model.User, team *model.Team,
	message, trigger string, urg paging.UrgencyResult) paging.Alert {
	a := paging.Alert{
		ID: post.Id, PostID: post.Id, RootID: post.RootId, ChannelID: ch.Id, ChannelName: ch.Name,
		ChannelDisplayName: ch.DisplayName, UserID: user.Id, UserName: user.Username, CreateAt: post.CreateAt,
		Message: message, Trigger: trigger, Urgency: urg.Urgency, UrgencySource: urg.Source,
		FileIDs: post.FileIds, Origin: origin,
	}
	if team != nil {
		a.TeamID, a.TeamName = team.Id, team.Name
	}
	if route != nil {
		a.RouteID, a.RouteName, a.MappedAs = route.ID, route.Name, route.Format
		if route.IsDefault() {
			a.RouteName = "" // an alert with no route went through the default route
		}
	}
	a.Permalink = p.permalink(a.TeamName, post.Id)
	return a
}

// testAlert is the clearly marked alert sent by the test subcommand and the settings panel.
func testAlert(userName string, now time.Time) paging.Alert {
	id := model.NewId()
	return paging.Alert{
		ID: id, PostID: id, ChannelID: "test", ChannelName: "pagertree-plugin-test", TeamName: "test",
		UserName: userName, CreateAt: now.UnixMilli(), Trigger: "test", Urgency: paging.UrgencyLow, Origin: paging.OriginTest,
		UrgencySource: paging.SourceCommand,
		Message:       "Test alert from the Mattermost PagerTree plugin. This is only a test: it is safe to acknowledge and resolve.",
	}
}

func (p *Plugin) permalink(teamName, postID string) string {
	site := p.siteURL() // cached: read for every matched post
	if site == "" || postID == "" {
		return ""
	}
	base := strings.TrimRight(site, "/")
	if teamName == "" {
		return base + "/_redirect/pl/" + postID
	}
	return base + "/" + teamName + "/pl/" + postID
}
