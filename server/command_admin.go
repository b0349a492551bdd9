package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// sendTest sends a test alert through route right away (not through the outbox) and records
// it in the history.
func (p *Plugin) sendTest(ctx context.Context, route *routing.Route, client *pagertreeclient.Client, userName string) paging.Outcome {
	a := testAlert(userName, p.clock())
	if !route.IsDefault() {
		a.RouteID, a.RouteName = route.ID, route.Name
	}
	o := client.Send(ctx, a) // sent once: never retried, whatever the class
	status := delivery.StatusDelivered
	if o.Class != paging.Delivered {
		status = delivery.StatusFailed
	}
	e := delivery.EntryFor(a, status, p.clock())
	e.Format, e.Attempts, e.StatusCode, e.Meaning, e.Error = route.Format, 1, o.StatusCode, o.Meaning, o.Error
	if p.history != nil {
		if err := p.history.Add(e); err != nil {
			p.API.LogWarn("PagerTree: could not record the test in the history", "error", err.Error())
		}
	}
	return o
}

// describeOutcome is PagerTree's answer in one line for a person.
func describeOutcome(o paging.Outcome) string {
	if o.StatusCode == 0 {
		return fmt.Sprintf("No answer from PagerTree: %s (%s).", o.Meaning, o.Error)
	}
	icon := ":white_check_mark:"
	if o.Class != paging.Delivered {
		icon = ":x:"
	}
	return fmt.Sprintf("%s PagerTree answered **%d**: %s.", icon, o.StatusCode, o.Meaning)
}

// commandTest answers `/pagertree test [route name]`: the default route, or the route named.
func (p *Plugin) commandTest(args *model.CommandArgs, rest string) string {
	cfg := p.config.Load()
	routeID := routing.DefaultID
	if name := strings.TrimSpace(rest); name != "" && cfg != nil && cfg.Routes != nil {
		r := cfg.Routes.ByName(name)
		if r == nil {
			return fmt.Sprintf("There is no route named %q. The routes are: %s.", name, routeNameList(cfg.Routes))
		}
		routeID = r.ID
	}
	route, client, why := cfg.routeClient(routeID)
	if client == nil {
		if cfg == nil || cfg.Problem != "" || route == nil {
			return "Cannot send a test alert: the settings need fixing first — " + cfg.state() + "."
		}
		return "Cannot send a test alert: " + why + "."
	}
	name := "admin"
	if u, appErr := p.API.GetUser(args.UserId); appErr == nil {
		name = u.Username
	}
	ctx, cancel := context.WithTimeout(p.lifetime, 15*time.Second)
	defer cancel()
	o := p.sendTest(ctx, route, client, name)
	through := ""
	if !route.IsDefault() {
		through = " through the route " + strconv.Quote(route.Name)
	}
	return fmt.Sprintf("Sent a low-urgency test alert%s to %s (%s format).\n%s", through, route.EndpointHost, formatNames[route.Format], describeOutcome(o))
}

// routeNameList names the routes for a person: "default" first.
func routeNameList(t *routing.Table) string {
	names := []string{"`" + routing.DefaultName + "` (the top-level settings)"}
	for _, r := range t.Routes() {
		names = append(names, "`"+r.Name+"`")
	}
	return strings.Join(names, ", ")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (p *Plugin) commandStatus() string {
	cfg := p.config.Load()
	rows := [][]string{{"Forwarding", cfg.state()}}
	row := func(k, v string) { rows = append(rows, []string{k, v}) }
	if cfg != nil {
		row("Endpoint host", orDash(cfg.EndpointHost))
		row("Token", map[bool]string{true: "set", false: "not set"}[cfg.TokenSet])
		row("Format", formatNames[cfg.Format])
		if cfg.Rules != nil {
			row("Match mode", matchModeNames[cfg.Rules.Matcher.Mode()])
			row("Trigger words", strconv.Itoa(len(cfg.Rules.Matcher.Triggers())))
			row("Default urgency", cfg.Rules.Urgency.Default().String())
			row("Ignore code and quotes", onOff(cfg.Rules.IgnoreCode))
			row("Incident severities", incidentStatus(cfg))
		}
		row("Private channels", onOff(cfg.WatchPrivate))
		row("Bot posts", onOff(cfg.ForwardBots))
		row("One alert per thread", onOff(cfg.OnePerThread))
		cooldown := "off"
		if cfg.Cooldown > 0 {
			cooldown = cfg.Cooldown.String()
		}
		row("Channel cooldown", cooldown)
		if cfg.RetryWindow > 0 {
			row("Retry window", cfg.RetryWindow.String())
		} else {
			row("Retry window", "not valid: 1 to 1440 minutes")
		}
		alertLimit := "off"
		if cfg.AlertLimit > 0 {
			alertLimit = plural(cfg.AlertLimit, "page") + " per user per " + minutes(delivery.AlertLimitWindow) + " (System Admins not limited)"
		}
		row("/pagertree alert limit", alertLimit)
		if cfg.AllowList != nil {
			row("Channel allow-list", strconv.Itoa(len(cfg.AllowList))+" channels")
		}
		row("PagerTree API", apiStatus(cfg.REST))
	}
	if p.outbox != nil {
		if n, err := p.outbox.Pending(); err == nil {
			row("Queue", strconv.Itoa(n)+" waiting")
		} else {
			row("Queue", "unknown ("+err.Error()+")")
		}
	}
	if p.history != nil {
		row("Last success", p.lastOf(delivery.StatusDelivered))
		row("Last failure", p.lastOf(delivery.StatusFailed))
	}
	p.receiverRows(row)
	return "#### PagerTree plugin status\n" + markdownTable([]string{"", ""}, rows) + p.routeStatus(cfg)
}

var formatNames = map[paging.Format]string{
	paging.FormatMattermost: "Mattermost (Outgoing Webhook)",
	paging.FormatWebhook:    "Webhook",
}

var matchModeNames = map[paging.MatchMode]string{
	paging.MatchWholeWord:           "whole word anywhere",
	paging.MatchFirstWordIs:         "first word is",
	paging.MatchFirstWordStartsWith: "first word starts with",
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (p *Plugin) lastOf(status delivery.Status) string {
	e, ok, err := p.history.Last(status)
	switch {
	case err != nil:
		return "unknown (" + err.Error() + ")"
	case !ok:
		return "none yet"
	}
	s := e.Time.UTC().Format("2006-01-02 15:04:05 UTC") + " · ~" + e.ChannelName + " · " + e.Meaning
	if e.StatusCode != 0 {
		s += " (" + strconv.Itoa(e.StatusCode) + ")"
	}
	return s
}

func (p *Plugin) commandHistory(rest string) string {
	n := 10
	if rest != "" {
		v, err := strconv.Atoi(strings.Fields(rest)[0])
		if err != nil || v < 1 {
			return fmt.Sprintf("`%s` is not a number of deliveries. Usage: `/pagertree history [n]` with n from 1 to 50.", strings.Fields(rest)[0])
		}
		n = min(v, 50)
	}
	entries, err := p.history.Recent(n)
	if err != nil {
		return "The delivery history could not be read: " + err.Error()
	}
	if len(entries) == 0 {
		return "No deliveries yet. Post a message with a trigger word, or run `/pagertree test`."
	}
	withRoutes := false // the Route column shows once some alert went through a route
	for _, e := range entries {
		withRoutes = withRoutes || e.RouteName != ""
	}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		code := "—"
		if e.StatusCode != 0 {
			code = strconv.Itoa(e.StatusCode)
		}
		status := string(e.Status)
		if e.Test {
			status += " (test)"
		}
		if e.Resent != nil {
			status += fmt.Sprintf(" (resend %d)", e.Resent.Number)
		}

		meaning := e.Meaning
		if e.Error != "" {
			meaning += " — " + e.Error
		}
		if e.Status == delivery.StatusFailed && !e.Test {
			meaning += " · resend: `/pagertree resend " + e.AlertID + "`"
		}
		row := []string{e.Time.UTC().Format("01-02 15:04:05"), "~" + e.ChannelName, "@" + e.UserName, e.Trigger,
			e.Urgency.String(), status, strconv.Itoa(e.Attempts), code, meaning}
		if withRoutes {
			row = append(row[:2], append([]string{routeDisplayName(e.RouteName)}, row[2:]...)...)
		}
		rows = append(rows, row)
	}
	header := []string{"Time (UTC)", "Channel", "Poster", "Trigger", "Urgency", "Result", "Attempts", "Code", "Meaning"}
	if withRoutes {
		header = append(header[:2], append([]string{"Route"}, header[2:]...)...)
	}
	return fmt.Sprintf("#### Last %d deliveries (newest first)\n", len(entries)) + markdownTable(header, rows)
}

// markdownTable renders a table; cells may hold any text (pipes and line breaks are escaped).
func markdownTable(header []string, rows [][]string) string {
	var b strings.Builder
	line := func(cells []string) {
		for _, c := range cells {
			b.WriteString("| " + cell(c) + " ")
		}
		b.WriteString("|\n")
	}
	line(header)
	b.WriteString(strings.Repeat("|---", len(header)) + "|\n")
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}
