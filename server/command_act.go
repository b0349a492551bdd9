package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

// /pagertree ack|resolve [alert #|link]: the card's buttons as a command, for keyboards and
// for alerts whose card scrolled away. Same permission rule and route as the buttons.

func actUsage(sub string) string {
	return fmt.Sprintf("Usage: `/pagertree %s <alert number or link>`, for example `/pagertree %s 42`, or `/pagertree %s` alone in the thread of a PagerTree card.", sub, sub, sub)
}

func (p *Plugin) commandAct(args *model.CommandArgs, sub, rest string) string {
	action := alertstate.Acknowledge
	if sub == "resolve" {
		action = alertstate.Resolve
	}
	rec, found, why := p.findAlertForCommand(args, strings.TrimSpace(rest))
	if why != "" {
		return why + "\n" + actUsage(sub)
	}
	if !found {
		return "The plugin has no record of that alert (it only knows alerts it sent in the last days set by \"Follow alerts for\"). Act on it in PagerTree.\n" + actUsage(sub)
	}
	if !p.API.HasPermissionToChannel(args.UserId, rec.ChannelID, model.PermissionReadChannel) {
		return "That alert was paged from a channel you cannot read, so you cannot act on it from Mattermost."
	}
	text, _ := p.act(rec, "", action, args.UserId)
	return text
}

// findAlertForCommand reads "42", "#42", a PagerTree link (…/alerts/alt_…), or nothing (the
// card in the thread the command was typed in).
func (p *Plugin) findAlertForCommand(args *model.CommandArgs, arg string) (delivery.AlertRecord, bool, string) {
	var rec delivery.AlertRecord
	var ok bool
	var err error
	switch {
	case arg == "":
		if args.RootId == "" {
			return rec, false, "Name the alert, or use the command in the thread of its PagerTree card."
		}
		tp, why := p.cardInThread(args.RootId)
		if why != "" {
			return rec, false, why
		}
		rec, ok, err = p.alerts.Get(tp)
	case strings.Contains(arg, "/"):
		u, perr := url.Parse(arg)
		if perr != nil {
			return rec, false, fmt.Sprintf("`%s` is not a link to a PagerTree alert.", cell(arg))
		}
		parts := strings.Split(strings.Trim(u.Path+u.Fragment, "/"), "/")
		rec, ok, err = p.alerts.FindByAlertID(parts[len(parts)-1])
	default:
		n := strings.TrimPrefix(arg, "#")
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return rec, false, fmt.Sprintf("`%s` is not an alert number or link.", cell(arg))
		}
		rec, ok, err = p.alerts.FindByNumber(strings.TrimLeft(n, "0"))
	}
	if err != nil {
		return rec, false, "The plugin could not read its record of the alert; try again in a moment."
	}
	return rec, ok, ""
}

// cardInThread finds the alert whose status card is in the thread.
func (p *Plugin) cardInThread(rootID string) (string, string) {
	list, appErr := p.API.GetPostThread(rootID)
	if appErr != nil {
		return "", "The plugin could not read this thread."
	}
	found := ""
	for _, post := range list.Posts {
		if tp, _ := post.GetProp(cardProp).(string); tp != "" && post.UserId == p.botID && post.DeleteAt == 0 {
			if found != "" && found != tp {
				return "", "This thread has more than one PagerTree alert: name the one you mean."
			}
			found = tp
		}
	}
	if found == "" {
		return "", "This thread has no PagerTree status card: name the alert."
	}
	return found, ""
}
