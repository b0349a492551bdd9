package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
)

// /pagertree ack|resolve [alert #|link]: the card's buttons as a command (followup acts; the
// command only reads which alert is meant).

// actWithin bounds the command's PagerTree calls (a command's answer is awaited like a button's).
const actWithin = 25 * time.Second

func actUsage(sub string) string {
	return fmt.Sprintf("Usage: `/pagertree %s <alert number or link>`, for example `/pagertree %s 42`, or `/pagertree %s` alone in the thread of a PagerTree card.", sub, sub, sub)
}

func (p *Plugin) commandAct(args *model.CommandArgs, sub, rest string) string {
	action := alertstate.Acknowledge
	if sub == "resolve" {
		action = alertstate.Resolve
	}
	ref, why := alertRef(strings.TrimSpace(rest), args.RootId)
	if why != "" {
		return why + "\n" + actUsage(sub)
	}
	ctx, cancel := context.WithTimeout(p.lifetime, actWithin)
	defer cancel()
	text, usage := p.followup.PressFromCommand(ctx, args.UserId, ref, action)
	if usage {
		text += "\n" + actUsage(sub)
	}
	return text
}

// alertRef reads "42", "#42", a PagerTree link (…/alerts/alt_…), or nothing (the card in the
// thread the command was typed in).
func alertRef(arg, rootID string) (followup.AlertRef, string) {
	switch {
	case arg == "":
		return followup.AlertRef{By: followup.ByThread, Value: rootID}, ""
	case strings.Contains(arg, "/"):
		u, err := url.Parse(arg)
		if err != nil {
			return followup.AlertRef{}, fmt.Sprintf("`%s` is not a link to a PagerTree alert.", cell(arg))
		}
		parts := strings.Split(strings.Trim(u.Path+u.Fragment, "/"), "/")
		return followup.AlertRef{By: followup.ByAlertID, Value: parts[len(parts)-1]}, ""
	}
	n := strings.TrimPrefix(arg, "#")
	if n == "" || strings.Trim(n, "0123456789") != "" {
		return followup.AlertRef{}, fmt.Sprintf("`%s` is not an alert number or link.", cell(arg))
	}
	return followup.AlertRef{By: followup.ByNumber, Value: strings.TrimLeft(n, "0")}, ""
}
