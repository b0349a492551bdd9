package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

const commandTrigger = "pagertree"

const helpText = "#### /pagertree — page the on-call team in PagerTree\n" +
	"| Command | Who | What it does |\n|---|---|---|\n" +
	"| `/pagertree alert [low\\|medium\\|high\\|critical] <message>` | everyone | Pages PagerTree now, from any channel, thread or direct message. Without an urgency it is read from the message like a post (`urgency:high`, level words, aliases). |\n" +
	"| `/pagertree test` | System Admins | Sends a clearly marked low-urgency test alert and shows PagerTree's answer. |\n" +
	"| `/pagertree status` | System Admins | Shows whether forwarding is on, the settings in use, the queue and the last success and failure. |\n" +
	"| `/pagertree history [n]` | System Admins | Shows the last n deliveries (default 10, at most 50). |\n" +
	"| `/pagertree help` | everyone | Shows this help. |\n\n" +
	"Examples: `/pagertree alert critical checkout is down for all users` · `/pagertree alert db replica lag urgency:high` · `/pagertree history 20`"

func commandDefinition() *model.Command {
	root := model.NewAutocompleteData(commandTrigger, "[command]", "Page the on-call team in PagerTree")
	alert := model.NewAutocompleteData("alert", "[urgency] <message>", "Page the on-call team now")
	items := []model.AutocompleteListItem{}
	for _, l := range paging.Levels {
		items = append(items, model.AutocompleteListItem{Item: string(l), HelpText: "Urgency " + string(l)})
	}
	alert.AddStaticListArgument("Urgency (optional; otherwise read from the message)", false, items)
	alert.AddTextArgument("What is happening", "<message>", "")
	test := model.NewAutocompleteData("test", "", "Send a test alert to PagerTree and show its answer (System Admins)")
	status := model.NewAutocompleteData("status", "", "Show the plugin's state, queue and last deliveries (System Admins)")
	history := model.NewAutocompleteData("history", "[n]", "Show the last n deliveries, default 10 (System Admins)")
	history.AddTextArgument("How many (1-50)", "[n]", "^[0-9]*$")
	for _, admin := range []*model.AutocompleteData{test, status, history} {
		admin.RoleID = model.SystemAdminRoleId
	}
	help := model.NewAutocompleteData("help", "", "Show how to use /pagertree")
	for _, sub := range []*model.AutocompleteData{alert, test, status, history, help} {
		root.AddCommand(sub)
	}
	return &model.Command{
		Trigger:          commandTrigger,
		DisplayName:      "PagerTree",
		Description:      "Page the on-call team in PagerTree",
		AutoComplete:     true,
		AutoCompleteDesc: "Available commands: alert, test, status, history, help",
		AutoCompleteHint: "[command]",
		AutocompleteData: root,
	}
}

// ExecuteCommand answers /pagertree. Every answer is a sentence for a person, never a stack trace.
func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	fields := strings.Fields(args.Command)
	if len(fields) == 0 || fields[0] != "/"+commandTrigger {
		return ephemeral("Unknown command. " + helpText), nil
	}
	sub := ""
	if len(fields) > 1 {
		sub = strings.ToLower(fields[1])
	}
	rest := restAfter(args.Command, 2)
	switch sub {
	case "", "help":
		return ephemeral(helpText), nil
	case "alert":
		return p.commandAlert(args, rest), nil
	case "test", "status", "history":
		if !p.API.HasPermissionTo(args.UserId, model.PermissionManageSystem) {
			return ephemeral(fmt.Sprintf("Only System Admins can use `/pagertree %s`. Anyone can use `/pagertree alert <message>`.", sub)), nil
		}
		switch sub {
		case "test":
			return ephemeral(p.commandTest(args)), nil
		case "status":
			return ephemeral(p.commandStatus()), nil
		default:
			return ephemeral(p.commandHistory(rest)), nil
		}
	}
	msg := fmt.Sprintf("`%s` is not a /pagertree command.", sub)
	if near := nearest(sub, []string{"alert", "test", "status", "history", "help"}, 2); near != "" {
		msg += fmt.Sprintf(" Did you mean `/pagertree %s`?", near)
	}
	return ephemeral(msg + "\n\n" + helpText), nil
}

func ephemeral(text string) *model.CommandResponse {
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: text}
}

// restAfter returns the command text after the first n words, with its own spacing and lines kept.
func restAfter(s string, n int) string {
	s = strings.TrimSpace(s)
	for i := 0; i < n && s != ""; i++ {
		j := strings.IndexAny(s, " \t\n")
		if j < 0 {
			return ""
		}
		s = strings.TrimLeft(s[j:], " \t\n")
	}
	return strings.TrimSpace(s)
}

const alertUsage = "Usage: `/pagertree alert [low|medium|high|critical] <message>`, for example `/pagertree alert high checkout is failing`."

func (p *Plugin) commandAlert(args *model.CommandArgs, rest string) *model.CommandResponse {
	cfg := p.config.Load()
	if !cfg.forwarding() || p.outbox == nil {
		return ephemeral("PagerTree was not paged: forwarding is " + cfg.state() + ". Ask a System Admin to check the plugin settings.")
	}
	if rest == "" {
		return ephemeral("Say what is happening. " + alertUsage)
	}
	message := rest
	var urg paging.UrgencyResult
	first := strings.ToLower(strings.Fields(rest)[0])
	if u, err := paging.ParseUrgency(first); err == nil && u != paging.UrgencyDefault {
		message = restAfter(rest, 1)
		if message == "" {
			return ephemeral("Say what is happening after the urgency. " + alertUsage)
		}
		urg = paging.UrgencyResult{Urgency: u, Source: paging.SourceCommand, Word: first}
	} else if near := nearestLevel(first); near != "" {
		return ephemeral(fmt.Sprintf("`%s` is not an urgency: did you mean `%s`? Urgencies are low, medium, high and critical. %s",
			first, near, alertUsage))
	} else {
		urg = cfg.Rules.UrgencyOf(message)
	}

	user, appErr := p.API.GetUser(args.UserId)
	if appErr != nil {
		return ephemeral("PagerTree was not paged: your user could not be read (" + appErr.Message + ").")
	}
	ch, appErr := p.API.GetChannel(args.ChannelId)
	if appErr != nil {
		return ephemeral("PagerTree was not paged: this channel could not be read (" + appErr.Message + ").")
	}
	announce := &model.Post{
		UserId: p.botID, ChannelId: args.ChannelId, RootId: args.RootId,
		Message: fmt.Sprintf("@%s paged PagerTree — urgency: %s\n%s", user.Username, urg.Urgency, quote(message)),
	}
	posted, appErr := p.API.CreatePost(announce)
	if appErr != nil {
		return ephemeral("PagerTree was not paged: the announcement could not be posted in this channel (" + appErr.Message + ").")
	}
	a := paging.Alert{
		ID: posted.Id, PostID: posted.Id, RootID: args.RootId, ChannelID: ch.Id, ChannelName: ch.Name,
		ChannelDisplayName: ch.DisplayName, UserID: user.Id, UserName: user.Username, CreateAt: posted.CreateAt,
		Message: message, Trigger: triggerCommand, Urgency: urg.Urgency, UrgencySource: urg.Source,
	}
	teamID := ch.TeamId
	if teamID == "" {
		teamID = args.TeamId
	}
	if teamID != "" {
		if team, appErr := p.API.GetTeam(teamID); appErr == nil {
			a.TeamID, a.TeamName = team.Id, team.Name
		}
	}
	a.Permalink = p.permalink(a.TeamName, posted.Id)
	p.enqueue(a)
	return &model.CommandResponse{}
}

func quote(s string) string {
	return "> " + strings.ReplaceAll(s, "\n", "\n> ")
}

// testAlert is the clearly marked alert sent by the test subcommand and the settings panel.
func testAlert(userName string, now time.Time) paging.Alert {
	id := model.NewId()
	return paging.Alert{
		ID: id, PostID: id, ChannelID: "test", ChannelName: "pagertree-plugin-test", TeamName: "test",
		UserName: userName, CreateAt: now.UnixMilli(), Trigger: "test", Urgency: paging.UrgencyLow, Test: true,
		UrgencySource: paging.SourceCommand,
		Message:       "Test alert from the Mattermost PagerTree plugin. This is only a test: it is safe to acknowledge and resolve.",
	}
}

// sendTest sends a test alert right away (not through the outbox) and records it in the history.
func (p *Plugin) sendTest(ctx context.Context, cfg *runtimeConfig, userName string) paging.Outcome {
	a := testAlert(userName, p.clock())
	o := cfg.Client.Send(ctx, a)
	o.Meaning = withoutRetryNote(o.Meaning) // a test is sent once, not retried
	status := delivery.StatusDelivered
	if o.Class != paging.Delivered {
		status = delivery.StatusFailed
	}
	e := delivery.EntryFor(a, status, p.clock())
	e.Format, e.Attempts, e.StatusCode, e.Meaning, e.Error = cfg.Format, 1, o.StatusCode, o.Meaning, o.Error
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

func (p *Plugin) commandTest(args *model.CommandArgs) string {
	cfg := p.config.Load()
	if cfg == nil || cfg.Client == nil {
		return "Cannot send a test alert: the settings need fixing first — " + cfg.state() + "."
	}
	name := "admin"
	if u, appErr := p.API.GetUser(args.UserId); appErr == nil {
		name = u.Username
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	o := p.sendTest(ctx, cfg, name)
	return fmt.Sprintf("Sent a low-urgency test alert to %s (%s format).\n%s", cfg.EndpointHost, formatNames[cfg.Format], describeOutcome(o))
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (p *Plugin) commandStatus() string {
	cfg := p.config.Load()
	var b strings.Builder
	b.WriteString("#### PagerTree plugin status\n| | |\n|---|---|\n")
	row := func(k, v string) { fmt.Fprintf(&b, "| %s | %s |\n", k, strings.ReplaceAll(v, "|", "\\|")) }
	row("Forwarding", cfg.state())
	if cfg != nil {
		row("Endpoint host", orDash(cfg.EndpointHost))
		row("Token", map[bool]string{true: "set", false: "not set"}[cfg.TokenSet])
		row("Format", formatNames[cfg.Format])
		if cfg.Rules != nil {
			row("Match mode", matchModeNames[cfg.Rules.Matcher.Mode()])
			row("Trigger words", strconv.Itoa(len(cfg.Rules.Matcher.Triggers())))
			row("Default urgency", cfg.Rules.Urgency.Default().String())
			row("Ignore code and quotes", onOff(cfg.Rules.IgnoreCode))
		}
		row("Private channels", onOff(cfg.WatchPrivate))
		row("Bot posts", onOff(cfg.ForwardBots))
		row("One alert per thread", onOff(cfg.OnePerThread))
		cooldown := "off"
		if cfg.Cooldown > 0 {
			cooldown = cfg.Cooldown.String()
		}
		row("Channel cooldown", cooldown)
		row("Retry window", cfg.RetryWindow.String())
		if cfg.AllowList != nil {
			row("Channel allow-list", strconv.Itoa(len(cfg.AllowList))+" channels")
		}
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
	return b.String()
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

func (p *Plugin) lastOf(status string) string {
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
	var b strings.Builder
	fmt.Fprintf(&b, "#### Last %d deliveries (newest first)\n", len(entries))
	b.WriteString("| Time (UTC) | Channel | Poster | Trigger | Urgency | Result | Attempts | Code | Meaning |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, e := range entries {
		code := "—"
		if e.StatusCode != 0 {
			code = strconv.Itoa(e.StatusCode)
		}
		status := e.Status
		if e.Test {
			status += " (test)"
		}
		meaning := e.Meaning
		if e.Error != "" {
			meaning += " — " + e.Error
		}
		fmt.Fprintf(&b, "| %s | ~%s | @%s | %s | %s | %s | %d | %s | %s |\n", e.Time.UTC().Format("01-02 15:04:05"),
			cell(e.ChannelName), cell(e.UserName), cell(e.Trigger), e.Urgency.String(), status, e.Attempts, code, cell(meaning))
	}
	return b.String()
}

func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

// nearest returns the candidate within maxDist edits of word, or "".
func nearest(word string, candidates []string, maxDist int) string {
	best, bestD := "", maxDist+1
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// nearestLevel spots a mistyped urgency ("hihg", "critcal") as the first word of an alert.
// Short words must be one edit away and share the first letter, so "log" or "hi" are not taken.
func nearestLevel(word string) string {
	for _, l := range paging.Levels {
		lv := string(l)
		max := 2
		if len(lv) <= 4 {
			max = 1
		}
		if len(word) >= 3 && word[0] == lv[0] && editDistance(word, lv) <= max && !commonWords[word] {
			return lv
		}
	}
	return ""
}

// commonWords are one edit from a level but are ordinary words that start alerts.
var commonWords = map[string]bool{"log": true, "logs": true, "lot": true, "row": true, "how": true, "now": true, "media": true, "median": true}

// editDistance is the optimal-string-alignment distance on runes: Levenshtein plus the swap
// of two neighbours ("hihg"), the commonest typo.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
