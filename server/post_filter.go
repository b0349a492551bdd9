package main

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// skipReason is the one decision on which posts page (DESIGN §6), for the post hook and the
// preview alike: why post would not page, or "" when it pages. Every check is a field
// comparison, so the hook can ask before it reads anything: ev nil means the trigger scan
// has not run yet, ch nil that the channel is not read yet; those checks are then left out.
func (c *runtimeConfig) skipReason(post *model.Post, botID string, ev *paging.Evaluation, ch *model.Channel) string {
	switch {
	case c == nil:
		return "the plugin is starting"
	case c.Rules == nil:
		return "the settings are not valid: " + c.Problem
	case post == nil || post.Message == "":
		return "the message is empty"
	case ev != nil && !ev.Matched && ev.OnlyInCode:
		return "the trigger word is only inside code or a quote, which is ignored (setting \"Ignore code blocks and quotes\")"
	case ev != nil && !ev.Matched:
		return "no trigger word in the message"
	case post.Type != "":
		return "system messages never page" // joins, header changes and other special posts
	case post.UserId == botID:
		return "the plugin's own posts never page"
	case post.GetProp(model.PostPropsFromWebhook) == "true":
		return "posts made by webhooks never page"
	case !c.ForwardBots && (post.GetProp(model.PostPropsFromBot) == "true" || post.GetProp(model.PostPropsFromPlugin) == "true"):
		return "the poster is a bot and \"Forward bot posts\" is off"
	case c.AllowList != nil && !c.AllowList[post.ChannelId]:
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
	}
	return ""
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
