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
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
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
