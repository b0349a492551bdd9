package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// alertUsage ends every usage error of /pagertree alert.
const alertUsage = "Usage: `/pagertree alert [--severity SEV-1…SEV-5] [low|medium|high|critical] <message>`, for example `/pagertree alert high checkout is failing` or `/pagertree alert --severity SEV-2 checkout is failing`."

// commandAlert pages now, from any channel: the bot announces it and the announcement is the
// post PagerTree links to.
func (p *Plugin) commandAlert(args *model.CommandArgs, rest string) *model.CommandResponse {
	cfg := p.config.Load()
	if !cfg.forwarding() || p.outbox == nil {
		return ephemeral(p.pausedAnswer(cfg, args.UserId))
	}
	if rest == "" {
		return ephemeral("Say what is happening. " + alertUsage)
	}
	ch, appErr := p.API.GetChannel(args.ChannelId)
	if appErr != nil {
		return ephemeral("PagerTree was not paged: this channel could not be read (" + appErr.Message + ").")
	}
	teamID := ch.TeamId
	if teamID == "" {
		teamID = args.TeamId // a direct message has none: the team the command ran in
	}
	route := cfg.Routes.Candidates(ch.Id, teamID)[0] // the channel's route: no trigger word is needed
	if route.Paused != "" {
		return ephemeral("PagerTree was not paged: " + route.Paused + ".")
	}
	given, badArgs := parseAlertArgs(rest)
	if badArgs != "" {
		return ephemeral(badArgs + " " + alertUsage)
	}
	message := given.message
	if message == "" {
		return ephemeral("Say what is happening after the urgency or severity. " + alertUsage)
	}
	w := given.weigh(route.Rules)
	urg := w.Urgency

	user, appErr := p.API.GetUser(args.UserId)
	if appErr != nil {
		return ephemeral("PagerTree was not paged: your user could not be read (" + appErr.Message + ").")
	}
	through := ""
	if !route.IsDefault() {
		through = " through the route " + strconv.Quote(route.Name)
	}
	announce := &model.Post{
		UserId: p.botID, ChannelId: args.ChannelId, RootId: args.RootId,
		Message: fmt.Sprintf("@%s paged PagerTree%s — %s\n%s", user.Username, through, paging.PagedAs(paging.Alert{Severity: w.Severity.Severity}.IncidentIn(route.Format), urg.Urgency), quote(message)),
	}
	if refusal := tooLongAnswer(announce.Message, message); refusal != "" {
		return ephemeral(refusal)
	}
	slot, refusal := p.takeAlertSlot(cfg, user.Id)
	if refusal != "" {
		return ephemeral(refusal)
	}
	posted, appErr := p.API.CreatePost(announce)
	if appErr != nil {
		p.releaseAlertSlot(user.Id, slot)
		return ephemeral("PagerTree was not paged: the announcement could not be posted in this channel (" + appErr.Message + ").")
	}
	var team *model.Team
	if teamID != "" {
		team, _ = p.API.GetTeam(teamID) // optional: the alert goes without a team name
	}
	a := p.newAlert(paging.OriginCommand, route, posted, ch, user, team, message, "/"+commandTrigger, urg)
	a.Severity = w.Severity.Severity
	p.metrics.Matched(string(a.Origin), a)
	if err := p.enqueue(a); err != nil {
		// The channel must not keep "paged PagerTree" for a page that never left.
		p.releaseAlertSlot(user.Id, slot)
		posted.Message = fmt.Sprintf("@%s tried to page PagerTree, but the plugin could not store the alert: PagerTree was **not** paged.\n%s", user.Username, quote(message))
		if _, appErr := p.API.UpdatePost(posted); appErr != nil {
			p.API.LogWarn("PagerTree: could not correct the announcement of an alert that was not queued", "post_id", posted.Id, "error", appErr.Error())
		}
	}
	return &model.CommandResponse{}
}

func quote(s string) string {
	return "> " + strings.ReplaceAll(s, "\n", "\n> ")
}
