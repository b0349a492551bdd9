package main

import (
	"errors"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// MessageHasBeenPosted runs for every new post on the server. The gate is ordered by cost:
// settings and post fields first, then the trigger scan; only a post that matched a trigger
// causes any API or KV call. PagerTree is never called here: the outbox sends later.
func (p *Plugin) MessageHasBeenPosted(_ *plugin.Context, post *model.Post) {
	cfg := p.config.Load()
	if !cfg.forwarding() || p.outbox == nil || !cfg.acceptsPost(post, p.botID) {
		return
	}
	ev := cfg.Rules.Evaluate(post.Message)
	if !ev.Matched {
		return
	}
	p.takeMatchedPost(cfg, post, ev)
}

// acceptsPost is the cheap part of "which posts" (DESIGN §6): no API calls.
func (c *runtimeConfig) acceptsPost(post *model.Post, botID string) bool {
	switch {
	case post == nil || post.Message == "":
		return false
	case post.Type != "": // system messages (joins, header changes…) and special posts
		return false
	case post.UserId == botID:
		return false
	case post.GetProp(model.PostPropsFromWebhook) == "true":
		return false
	case !c.ForwardBots && (post.GetProp(model.PostPropsFromBot) == "true" || post.GetProp(model.PostPropsFromPlugin) == "true"):
		return false
	case c.AllowList != nil && !c.AllowList[post.ChannelId]:
		return false
	}
	return true
}

// channelSkipReason is why a matched post in ch does not page; "" means it pages.
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

func (p *Plugin) takeMatchedPost(cfg *runtimeConfig, post *model.Post, ev paging.Evaluation) {
	ch, appErr := p.channel(post.ChannelId)
	if appErr != nil {
		p.API.LogError("PagerTree: a trigger matched but the channel could not be read; the post was not forwarded",
			"post_id", post.Id, "channel_id", post.ChannelId, "error", appErr.Error())
		return
	}
	if cfg.channelSkipReason(ch) != "" {
		return
	}
	alert, err := p.alertForPost(post, ch, ev)
	if err != nil {
		p.API.LogError("PagerTree: a trigger matched but the post's details could not be read; the post was not forwarded",
			"post_id", post.Id, "error", err.Error())
		return
	}
	if reason := p.floodControl(cfg, alert); reason != "" {
		e := delivery.EntryFor(alert, delivery.StatusSuppressed, p.clock())
		e.Meaning = reason
		e.Format = cfg.Format
		if err := p.history.Add(e); err != nil {
			p.API.LogWarn("PagerTree: could not record a suppressed alert in the history", "post_id", post.Id, "error", err.Error())
		}
		return
	}
	p.enqueue(alert)
}

func (p *Plugin) enqueue(alert paging.Alert) {
	if err := p.outbox.Enqueue(alert); err != nil {
		if errors.Is(err, delivery.ErrDuplicate) {
			return // the hook ran twice, or on two nodes: the first one owns it
		}
		p.API.LogError("PagerTree: the alert could not be queued and was not sent", "post_id", alert.PostID, "error", err.Error())
		p.releaseClaims(alert) // the next message in the thread or channel may page
		p.notifyFailure(alert, "the plugin could not store it for delivery ("+err.Error()+")")
	}
}

// alertForPost gathers what PagerTree is told about a post.
func (p *Plugin) alertForPost(post *model.Post, ch *model.Channel, ev paging.Evaluation) (paging.Alert, error) {
	user, appErr := p.user(post.UserId)
	if appErr != nil {
		return paging.Alert{}, appErr
	}
	a := paging.Alert{
		ID: post.Id, PostID: post.Id, RootID: post.RootId, ChannelID: ch.Id, ChannelName: ch.Name,
		ChannelDisplayName: ch.DisplayName, UserID: user.Id, UserName: user.Username, CreateAt: post.CreateAt,
		Message: post.Message, Trigger: ev.Trigger, Urgency: ev.Urgency.Urgency, UrgencySource: ev.Urgency.Source,
		FileIDs: post.FileIds,
	}
	if ch.TeamId != "" {
		team, appErr := p.team(ch.TeamId)
		if appErr != nil {
			return paging.Alert{}, appErr
		}
		a.TeamID, a.TeamName = team.Id, team.Name
	}
	a.Permalink = p.permalink(a.TeamName, post.Id)
	return a, nil
}

func (p *Plugin) permalink(teamName, postID string) string {
	site := p.siteURL()
	if site == "" || postID == "" {
		return ""
	}
	base := strings.TrimRight(site, "/")
	if teamName == "" {
		return base + "/_redirect/pl/" + postID
	}
	return base + "/" + teamName + "/pl/" + postID
}

// Flood control keys. Their value is the id of the alert that took the claim, so the same
// post seen twice (hook run twice) is recognised and not counted as a second alert.
func threadKey(rootID string) string      { return "thread_" + rootID }
func cooldownKey(channelID string) string { return "cooldown_" + channelID }

const threadClaimTTL = 30 * 24 * time.Hour

// floodControl applies "one alert per thread" and the channel cooldown; it returns why the
// alert is suppressed, or "".
func (p *Plugin) floodControl(cfg *runtimeConfig, a paging.Alert) string {
	if cfg.OnePerThread {
		root := a.RootID
		if root == "" {
			root = a.PostID
		}
		if !p.claimFor(threadKey(root), a.ID, threadClaimTTL) {
			return "this thread already paged PagerTree (one alert per thread)"
		}
	}
	if cfg.Cooldown > 0 && !p.claimFor(cooldownKey(a.ChannelID), a.ID, cfg.Cooldown) {
		return "the channel cooldown of " + cfg.Cooldown.String() + " is running"
	}
	return ""
}

// claimFor takes key for id; true if taken now or already by the same id. A KV error lets the
// alert through: paging twice is better than not paging.
func (p *Plugin) claimFor(key, id string, ttl time.Duration) bool {
	ok, err := p.kv.CompareAndSet(key, nil, []byte(id), ttl)
	if err != nil {
		p.API.LogWarn("PagerTree: flood control is unavailable for this alert", "key", key, "error", err.Error())
		return true
	}
	if ok {
		return true
	}
	cur, err := p.kv.Get(key)
	return err != nil || string(cur) == id
}

// releaseClaims lets the next message in the thread page when this alert was not delivered.
func (p *Plugin) releaseClaims(a paging.Alert) {
	root := a.RootID
	if root == "" {
		root = a.PostID
	}
	for _, key := range []string{threadKey(root), cooldownKey(a.ChannelID)} {
		_, _ = p.kv.CompareAndSet(key, []byte(a.ID), nil, 0)
	}
}
