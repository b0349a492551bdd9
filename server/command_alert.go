package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// alertUsage ends every usage error of /pagertree alert.
const alertUsage = "Usage: `/pagertree alert [--severity SEV-1…SEV-5] [low|medium|high|critical] <message>`, for example `/pagertree alert high checkout is failing` or `/pagertree alert --severity SEV-2 checkout is failing`."

// commandAlert pages now, from any channel: the bot announces it and the announcement is the
// post PagerTree links to. Without text it opens the same page as a form (Mattermost's
// interactive dialog: on mobile too).
func (p *Plugin) commandAlert(args *model.CommandArgs, rest string) *model.CommandResponse {
	cfg := p.config.Load()
	if !cfg.forwarding() || p.outbox == nil {
		return ephemeral(p.pausedAnswer(cfg, args.UserId))
	}
	if rest == "" {
		if args.TriggerId != "" {
			return p.openAlertDialog(args)
		}
		return ephemeral("Say what is happening. " + alertUsage)
	}
	given, badArgs := parseAlertArgs(rest)
	if badArgs != "" {
		return ephemeral(badArgs + " " + alertUsage)
	}
	if given.message == "" {
		return ephemeral("Say what is happening after the urgency or severity. " + alertUsage)
	}
	in := alertInput{UserID: args.UserId, ChannelID: args.ChannelId, TeamID: args.TeamId, RootID: args.RootId,
		Message: given.message, Urgency: given.urgencyResult(), Severity: given.severity, SeverityChosen: given.sevSet}
	if refusal := p.alertNow(cfg, in); refusal != "" {
		return ephemeral(refusal)
	}
	return &model.CommandResponse{}
}

// alertInput is one /pagertree alert, typed or from its dialog.
type alertInput struct {
	UserID, ChannelID, TeamID, RootID string
	Message                           string
	Urgency                           *paging.UrgencyResult // nil: read from the message by the channel's route
	// Severity is chosen when SeverityChosen (--severity, the form's choice; SeverityNone: a
	// plain alert), else read from the message's words by the channel's route.
	Severity       paging.Severity
	SeverityChosen bool
}

// alertNow is /pagertree alert's one path: the channel's route, the announcement, the per-user
// limit and the outbox. It returns why nothing was paged, "" when the page went out.
func (p *Plugin) alertNow(cfg *runtimeConfig, in alertInput) string {
	ch, appErr := p.API.GetChannel(in.ChannelID)
	if appErr != nil {
		return "PagerTree was not paged: this channel could not be read (" + appErr.Message + ")."
	}
	teamID := ch.TeamId
	if teamID == "" {
		teamID = in.TeamID // a direct message has none: the team the command ran in
	}
	route := cfg.Routes.Candidates(ch.Id, teamID)[0] // the channel's route: no trigger word is needed
	if route.Paused != "" {
		return "PagerTree was not paged: " + route.Paused + "."
	}
	message := in.Message
	w := route.Rules.Weigh(message) // as for a post: the one decision
	if in.SeverityChosen {
		w = route.Rules.WeighAs(message, in.Severity)
	}
	if in.Urgency != nil {
		w.Urgency = *in.Urgency // a level typed or chosen beats the message's
	}
	urg := w.Urgency
	user, appErr := p.API.GetUser(in.UserID)
	if appErr != nil {
		return "PagerTree was not paged: your user could not be read (" + appErr.Message + ")."
	}
	through := ""
	if !route.IsDefault() {
		through = " through the route " + strconv.Quote(route.Name)
	}
	announce := &model.Post{
		UserId: p.botID, ChannelId: in.ChannelID, RootId: in.RootID,
		Message: fmt.Sprintf("@%s paged PagerTree%s — %s\n%s", user.Username, through,
			paging.PagedAs(paging.Alert{Severity: w.Severity.Severity}.IncidentIn(route.Format), urg.Urgency), quote(message)),
	}
	if refusal := tooLongAnswer(announce.Message, message); refusal != "" {
		return refusal
	}
	slot, refusal := p.takeAlertSlot(cfg, user.Id)
	if refusal != "" {
		return refusal
	}
	posted, appErr := p.API.CreatePost(announce)
	if appErr != nil {
		p.releaseAlertSlot(user.Id, slot)
		return "PagerTree was not paged: the announcement could not be posted in this channel (" + appErr.Message + ")."
	}
	var team *model.Team
	if teamID != "" {
		team, _ = p.API.GetTeam(teamID) // optional: the alert goes without a team name
	}
	a := p.newAlert(paging.OriginCommand, route, posted, ch, user, team, message, "/"+commandTrigger, urg)
	a.Severity = w.Severity.Severity
	if _, err := p.queueOnPurpose(a, slot, false); err != nil {
		// The channel must not keep "paged PagerTree" for a page that never left.
		posted.Message = fmt.Sprintf("@%s tried to page PagerTree, but the plugin could not store the alert: PagerTree was **not** paged.\n%s", user.Username, quote(message))
		if _, appErr := p.API.UpdatePost(posted); appErr != nil {
			p.API.LogWarn("PagerTree: could not correct the announcement of an alert that was not queued", "post_id", posted.Id, "error", appErr.Error())
		}
	}
	return ""
}

// queueOnPurpose queues an alert a person asked for (/pagertree alert, "Page PagerTree…" on a
// message) through the outbox, holding the per-user slot taken for it: the slot is given back
// when the alert does not go out. claimThread applies "one alert per thread" to it whatever the
// setting (a page from a message claims its thread); held says when the thread already paged.
func (p *Plugin) queueOnPurpose(a paging.Alert, slot int64, claimThread bool) (held delivery.Suppression, err error) {
	p.metrics.Matched(string(a.Origin), a)
	if !claimThread {
		err = p.enqueue(a)
	} else {
		var claimErr error
		held, claimErr, err = p.outbox.ClaimAndEnqueue(a, delivery.FloodRule{OnePerThread: true}, time.Now())
		if claimErr != nil {
			p.API.LogWarn("PagerTree: the thread's claim could not be checked; the page goes out", "post_id", a.PostID, "error", claimErr.Error())
		}
		if held.Suppressed() {
			p.metrics.Suppressed(held.Label())
		} else {
			err = p.queueFailed(a, err)
		}
	}
	if held.Suppressed() || err != nil {
		p.releaseAlertSlot(a.UserID, slot)
	}
	return held, err
}

func quote(s string) string {
	return "> " + strings.ReplaceAll(s, "\n", "\n> ")
}
