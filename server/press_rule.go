package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// pressRule is who may acknowledge and resolve alerts from Mattermost (the WhoMayPress setting).
type pressRule string

const (
	pressChannelMembers pressRule = "channel_members" // anyone who can read the channel (default)
	pressPagerTreeUsers pressRule = "pagertree_users" // e-mail matches a PagerTree user (needs the API key)
	pressSystemAdmins   pressRule = "system_admins"
)

func parsePressRule(s string) (pressRule, error) {
	switch r := pressRule(strings.TrimSpace(s)); r {
	case "":
		return pressChannelMembers, nil
	case pressChannelMembers, pressPagerTreeUsers, pressSystemAdmins:
		return r, nil
	}
	return pressChannelMembers, fmt.Errorf("who may acknowledge and resolve must be %q, %q or %q, not %q", pressChannelMembers, pressPagerTreeUsers, pressSystemAdmins, s)
}

// mayPress applies the rule to a user who can read the channel; "" means allowed, otherwise
// the sentence says why not.
func (p *Plugin) mayPress(cfg *runtimeConfig, user *model.User) string {
	switch cfg.WhoMayPress {
	case pressSystemAdmins:
		if !p.API.HasPermissionTo(user.Id, model.PermissionManageSystem) {
			return "Only System Admins may acknowledge or resolve PagerTree alerts from Mattermost (a plugin setting). Open the alert in PagerTree instead."
		}
	case pressPagerTreeUsers:
		if cfg.REST.API == nil {
			return "Only PagerTree team members may acknowledge or resolve alerts from Mattermost, and the plugin cannot check who is one because " + cfg.REST.apiUnavailable() + ". Ask a System Admin."
		}
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		defer cancel()
		_, ok, err := cfg.REST.API.AccountUserByEmail(ctx, user.Email)
		if err != nil {
			return "The plugin could not check with PagerTree that you are a PagerTree team member: " + err.Error() + ". Try again in a moment."
		}
		if !ok {
			return "Only PagerTree team members may acknowledge or resolve alerts from Mattermost, and your Mattermost e-mail is not a PagerTree user's in this account."
		}
	}
	return ""
}

// actionsSummary says, for the settings panel and /pagertree status, whether the card offers
// Acknowledge and Resolve, how they reach PagerTree and who may press; or why there are none.
func actionsSummary(cfg *runtimeConfig) string {
	if cfg == nil {
		return "unknown: the plugin is starting"
	}
	who := map[pressRule]string{
		pressChannelMembers: "anyone who can read the channel",
		pressPagerTreeUsers: "PagerTree team members (e-mail matches)",
		pressSystemAdmins:   "System Admins",
	}[cfg.WhoMayPress]
	switch {
	case cfg.REST.API != nil:
		return "On every card, through PagerTree's REST API (API key set); " + who + " may press them."
	case cfg.Client != nil && cfg.Client.CanAct():
		return "On cards of alerts sent in the Webhook format to the endpoint now configured, through that integration (no API key set); " + who + " may press them."
	}
	return "None: the Mattermost (Outgoing Webhook) integration cannot acknowledge or resolve alerts, and " + cfg.REST.apiUnavailable() +
		". The card links to the alert in PagerTree instead. Add a PagerTree API key, or use the Webhook format, to get the buttons."
}
