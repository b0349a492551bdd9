package main

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

const commandTrigger = "pagertree"

const helpTable = "#### /pagertree — page the on-call team in PagerTree\n" +
	"| Command | Who | What it does |\n|---|---|---|\n" +
	"| `/pagertree alert [--severity SEV-n] [low\\|medium\\|high\\|critical] <message>` | everyone | Pages PagerTree now, from any channel, thread or direct message. Without an urgency it is read from the message like a post (`urgency:high`, level words, aliases). An incident severity word in the message (`sev-1`, see the plugin's incident severities) or `--severity SEV-1`…`SEV-5` makes it an incident. Without a message it opens a form (urgency, incident severity; on mobile too). To page from a message already posted, use **Page PagerTree…** in the message's menu. |\n" +
	"| `/pagertree ack [alert #\\|link]` | everyone* | Acknowledges a PagerTree alert the plugin sent, like the card's **Acknowledge** button. Without an argument, in the thread of the alert's card. |\n" +
	"| `/pagertree resolve [alert #\\|link]` | everyone* | Resolves it, like the card's **Resolve** button. |\n" +
	"| `/pagertree oncall [team]` | everyone | Shows who is on call now in each PagerTree team (or the team named), with @mentions where PagerTree's e-mail is a Mattermost user's verified e-mail. Needs a PagerTree API key in the plugin settings. |\n" +
	"| `/pagertree test [route]` | System Admins | Sends a clearly marked low-urgency test alert (through the route named, or the default) and shows PagerTree's answer. |\n" +
	"| `/pagertree status` | System Admins | Shows whether forwarding is on, the settings in use, the queue and the last success and failure. |\n" +
	"| `/pagertree history [n]` | System Admins | Shows the last n deliveries (default 10, at most 50). |\n" +
	"| `/pagertree resend <alert id>` · `/pagertree resend failed [since 1h]` | System Admins | Sends alerts that failed for good (wrong token, endpoint, disabled integration, gave up) again, once the settings are fixed (default: failed in the last 24h). |\n" +
	"| `/pagertree help` | everyone | Shows this help. |\n\n" +
	"\\* who may act is a plugin setting: anyone who can read the alert's channel (default), PagerTree team members, or System Admins.\n\n" +
	"Examples: `/pagertree alert critical checkout is down for all users` · `/pagertree alert db replica lag urgency:high` · `/pagertree history 20`"

// helpText is the help with the limit in force.
func (p *Plugin) helpText() string {
	return helpTable + "\n\n" + limitHelp(p.config.Load())
}

func commandDefinition() *model.Command {
	root := model.NewAutocompleteData(commandTrigger, "[command]", "Page the on-call team in PagerTree")
	alert := model.NewAutocompleteData("alert", "[--severity SEV-n] [urgency] <message>", "Page the on-call team now (an incident with --severity SEV-1…SEV-5; no message: open a form)")
	items := []model.AutocompleteListItem{}
	for _, l := range paging.Levels {
		items = append(items, model.AutocompleteListItem{Item: string(l), HelpText: "Urgency " + string(l)})
	}
	alert.AddStaticListArgument("Urgency (optional; otherwise read from the message)", false, items)
	alert.AddTextArgument("What is happening", "<message>", "")
	oncall := model.NewAutocompleteData("oncall", "[team]", "Show who is on call now in PagerTree")
	oncall.AddTextArgument("PagerTree team name (optional; otherwise every team)", "[team]", "")
	ack := model.NewAutocompleteData("ack", "[alert #|link]", "Acknowledge a PagerTree alert (in its card's thread, no argument needed)")
	ack.AddTextArgument("Alert number or link (optional in the card's thread)", "[alert #|link]", "")
	resolve := model.NewAutocompleteData("resolve", "[alert #|link]", "Resolve a PagerTree alert (in its card's thread, no argument needed)")
	resolve.AddTextArgument("Alert number or link (optional in the card's thread)", "[alert #|link]", "")
	test := model.NewAutocompleteData("test", "[route]", "Send a test alert to PagerTree and show its answer (System Admins)")
	test.AddTextArgument("Route name (optional; otherwise the default route)", "[route]", "")
	status := model.NewAutocompleteData("status", "", "Show the plugin's state, queue and last deliveries (System Admins)")
	history := model.NewAutocompleteData("history", "[n]", "Show the last n deliveries, default 10 (System Admins)")
	history.AddTextArgument("How many (1-50)", "[n]", "^[0-9]*$")
	resend := model.NewAutocompleteData("resend", "<alert id> | failed [since 1h]", "Send failed alerts again after fixing the settings (System Admins)")
	resend.AddTextArgument("An alert id from /pagertree history, or: failed [since <duration>]", "<alert id> | failed [since 1h]", "")
	for _, admin := range []*model.AutocompleteData{test, status, history, resend} {
		admin.RoleID = model.SystemAdminRoleId
	}
	help := model.NewAutocompleteData("help", "", "Show how to use /pagertree")
	for _, sub := range []*model.AutocompleteData{alert, ack, resolve, oncall, test, status, history, resend, help} {
		root.AddCommand(sub)
	}
	return &model.Command{
		Trigger:          commandTrigger,
		DisplayName:      "PagerTree",
		Description:      "Page the on-call team in PagerTree",
		AutoComplete:     true,
		AutoCompleteDesc: "Available commands: alert, ack, resolve, oncall, test, status, history, resend, help",
		AutoCompleteHint: "[command]",
		AutocompleteData: root,
	}
}

// ExecuteCommand answers /pagertree. Every answer is a sentence for a person, never a stack trace.
func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	fields := strings.Fields(args.Command)
	if len(fields) == 0 || fields[0] != "/"+commandTrigger {
		return ephemeral("Unknown command. " + p.helpText()), nil
	}
	sub := ""
	if len(fields) > 1 {
		sub = strings.ToLower(fields[1])
	}
	rest := restAfter(args.Command, 2)
	switch sub {
	case "", "help":
		return ephemeral(p.helpText()), nil
	case "alert":
		return p.commandAlert(args, rest), nil
	case "oncall":
		return ephemeral(p.commandOncall(args, rest)), nil
	case "ack", "acknowledge", "resolve":
		if sub == "acknowledge" {
			sub = "ack"
		}
		return ephemeral(p.commandAct(args, sub, rest)), nil
	case "test", "status", "history", "resend":
		if !p.API.HasPermissionTo(args.UserId, model.PermissionManageSystem) {
			return ephemeral(fmt.Sprintf("Only System Admins can use `/pagertree %s`. Anyone can use `/pagertree alert <message>`.", sub)), nil
		}
		switch sub {
		case "test":
			return ephemeral(p.commandTest(args, rest)), nil
		case "status":
			return ephemeral(p.commandStatus()), nil
		case "resend":
			return ephemeral(p.commandResend(args, rest)), nil
		default:
			return ephemeral(p.commandHistory(rest)), nil
		}
	}
	msg := fmt.Sprintf("`%s` is not a /pagertree command.", sub)
	if near := nearest(sub, []string{"alert", "ack", "resolve", "oncall", "test", "status", "history", "resend", "help"}, 2); near != "" {
		msg += fmt.Sprintf(" Did you mean `/pagertree %s`?", near)
	}
	return ephemeral(msg + "\n\n" + p.helpText()), nil
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
