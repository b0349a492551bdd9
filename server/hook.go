package main

import (
	"errors"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// MessageHasBeenPosted runs for every new post on the server: it may page (pageFromPost), and
// a reply in a paged thread may become a PagerTree comment (followup.ThreadReply, gated by the
// setting and the post's fields before it reads anything). PagerTree is never called here:
// the outbox and the follow-up's owners send later.
func (p *Plugin) MessageHasBeenPosted(_ *plugin.Context, post *model.Post) {
	p.pageIfTriggered(post)
	if p.followup != nil {
		p.followup.ThreadReply(post)
	}
}

// pageIfTriggered pages for a post that holds a trigger. The gate is ordered by cost: settings
// and post fields first, then the trigger scan; only a post that matched a trigger causes any
// API or KV call.
func (p *Plugin) pageIfTriggered(post *model.Post) {
	entered := time.Now() // for the pre-send time (presend_seconds); a clock read costs nanoseconds
	cfg := p.config.Load()
	if p.outbox == nil || cfg.skipReason(post, p.botID, nil, nil) != "" {
		return
	}
	if !cfg.Routes.MayMatch(post.ChannelId, post.Message) {
		return
	}
	ch, appErr := p.channel(post.ChannelId)
	if appErr != nil {
		p.API.LogError("PagerTree: a trigger matched but the channel could not be read; the post was not forwarded",
			"post_id", post.Id, "channel_id", post.ChannelId, "error", appErr.Error())
		return
	}
	m := cfg.Routes.Match(ch.Id, ch.TeamId, post.Message, false)
	if cfg.skipReason(post, p.botID, &m, ch) != "" {
		return
	}
	p.takeMatchedPost(cfg, post, ch, m, entered)
}

func (p *Plugin) takeMatchedPost(cfg *runtimeConfig, post *model.Post, ch *model.Channel, m routing.Result, entered time.Time) {
	ev := m.Eval
	user, appErr := p.user(post.UserId)
	var team *model.Team
	if appErr == nil && ch.TeamId != "" {
		team, appErr = p.team(ch.TeamId)
	}
	if appErr != nil {
		p.API.LogError("PagerTree: a trigger matched but the post's details could not be read; the post was not forwarded",
			"post_id", post.Id, "error", appErr.Error())
		return
	}
	alert := p.newAlert(paging.OriginPost, m.Route, post, ch, user, team, post.Message, ev.Trigger, ev.Urgency)
	alert.Severity = ev.Severity.Severity
	p.metrics.Matched(string(alert.Origin), alert)
	held, claimErr, err := p.outbox.ClaimAndEnqueue(alert, delivery.FloodRule{OnePerThread: cfg.OnePerThread, Cooldown: cfg.Cooldown}, entered)
	if claimErr != nil {
		p.API.LogWarn("PagerTree: flood control is unavailable for this alert", "post_id", post.Id, "error", claimErr.Error())
	}
	if held.Suppressed() {
		p.metrics.Suppressed(held.Label())
		e := delivery.EntryFor(alert, delivery.StatusSuppressed, p.clock())
		e.Meaning = held.Sentence()
		e.Format = m.Route.Format
		if histErr := p.history.Add(e); histErr != nil {
			p.API.LogWarn("PagerTree: could not record a suppressed alert in the history", "post_id", post.Id, "error", histErr.Error())
		}
		return
	}
	_ = p.queueFailed(alert, err) // the poster has been told
}

// enqueue hands an alert to the outbox; when it cannot be stored the poster is told, and the
// error is returned so a caller that announced the page can take the announcement back.
func (p *Plugin) enqueue(alert paging.Alert) error {
	return p.queueFailed(alert, p.outbox.Enqueue(alert))
}

// queueFailed tells the poster when an alert could not be stored for delivery, and returns
// that error (nil for a duplicate: the hook ran twice, or on two nodes, and the first one owns it).
func (p *Plugin) queueFailed(alert paging.Alert, err error) error {
	if err == nil {
		p.metrics.Queued(string(alert.Origin), alert)
	}
	if err == nil || errors.Is(err, delivery.ErrDuplicate) {
		return nil
	}
	p.API.LogError("PagerTree: the alert could not be queued and was not sent", "post_id", alert.PostID, "error", err.Error())
	p.notifyFailure(alert, "the plugin could not store it for delivery ("+err.Error()+")")
	return err
}
