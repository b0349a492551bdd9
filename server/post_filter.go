package main

import (
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// skipReason is the one decision on which posts page (DESIGN §6), for the post hook and the
// preview alike: why post would not page, or "" when it pages. Every check is a field
// comparison, so the hook can ask before it reads anything: m nil means the routes' trigger
// scan has not run yet, ch nil that the channel is not read yet; those checks are then left out.
func (c *runtimeConfig) skipReason(post *model.Post, botID string, m *routing.Result, ch *model.Channel) string {
	var ev *paging.Evaluation
	if m != nil {
		ev = &m.Eval
	}
	switch {
	case c == nil:
		return "the plugin is starting"
	case c.Rules == nil:
		return "the settings are not valid: " + c.Problem
	case post == nil || post.Message == "":
		return "the message is empty"
	case m != nil && m.Route == nil && ev.OnlyInCode:
		return "the trigger word is only inside code or a quote, which is ignored (setting \"Ignore code blocks and quotes\")"
	case m != nil && m.Route == nil:
		return "no trigger word in the message" + triedRoutes(m.Tried)
	case post.Type != "":
		return "system messages never page" // joins, header changes and other special posts
	case post.UserId == botID:
		return "the plugin's own posts never page"
	case post.GetProp(model.PostPropsFromWebhook) == "true":
		return "posts made by webhooks never page"
	case !c.ForwardBots && (post.GetProp(model.PostPropsFromBot) == "true" || post.GetProp(model.PostPropsFromPlugin) == "true"):
		return "the poster is a bot and \"Forward bot posts\" is off"
	case c.outsideAllowList(post.ChannelId, m):
		return "the channel is not in the channel allow-list"
	}
	if ch != nil {
		if reason := c.channelSkipReason(ch); reason != "" {
			return reason
		}
	}
	switch {
	case !c.Enabled:
		return "forwarding is disabled in the plugin settings"
	case c.Problem != "":
		return "the settings are not valid: " + c.Problem
	case m != nil && m.Route.Paused != "" && m.Route.IsDefault():
		return "no route holds this channel and " + m.Route.Paused
	case m != nil && m.Route.Paused != "":
		return "the route " + strconv.Quote(m.Route.Name) + " is paused: " + m.Route.Paused
	}
	return ""
}

// outsideAllowList: the allow-list limits the default route; a route's scope is its own list.
// Before the routes' scan (m nil) only a channel no route can hold is left out, since the
// channel's team is not known yet.
func (c *runtimeConfig) outsideAllowList(channelID string, m *routing.Result) bool {
	if c.AllowList == nil || c.AllowList[channelID] {
		return false
	}
	if m == nil {
		return !c.Routes.InScope(channelID, "") && !c.Routes.HasTeamRoutes()
	}
	return m.Route.IsDefault()
}

// triedRoutes names the routes whose own trigger words were tried before the default route's.
func triedRoutes(tried []*routing.Route) string {
	if len(tried) == 0 {
		return ""
	}
	return " (tried the route " + triedNames(tried) + ", then the default route)"
}

func triedNames(tried []*routing.Route) string {
	names := make([]string, len(tried))
	for i, r := range tried {
		names[i] = strconv.Quote(r.Name)
	}
	return strings.Join(names, ", then ")
}

// channelSkipReason is why a post in ch does not page; "" means it may.
func (c *runtimeConfig) channelSkipReason(ch *model.Channel) string {
	switch ch.Type {
	case model.ChannelTypeOpen:
		return ""
	case model.ChannelTypePrivate:
		if c.WatchPrivate {
			return ""
		}
		return "the channel is private and \"Watch private channels\" is off"
	case model.ChannelTypeDirect, model.ChannelTypeGroup:
		return "trigger words in direct and group messages never page (use /pagertree alert there)"
	}
	return "unknown channel type"
}
