package followup

import (
	"fmt"
	"strings"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// Config is the follow-up's part of the plugin's configuration: validated and immutable, built
// by the plugin on every settings change and swapped with the rest.
type Config struct {
	StatusReplies bool          // PagerTree's updates also post thread replies, not only the card
	AlertLifetime time.Duration // how long a sent alert follows PagerTree's events
	// ExternalChannel is where alerts that did not come from Mattermost are posted ("": not posted).
	ExternalChannel string
	WhoMayPress     PressRule // who may acknowledge and resolve from Mattermost
	Updates         Updates   // pushed, polled or both
	// SendComments: people's replies in an alert's thread become comments on it in PagerTree
	// (needs the REST API: Actor.API).
	SendComments bool
	// Actor acts on alerts with this configuration's clients (the REST API, the integration).
	Actor pagertreeclient.Actor
	// APIUnavailable says in one clause why the REST API cannot be used ("" when Actor.API is set).
	APIUnavailable string
}

// DefaultAlertLifetime is how long an alert's record is kept after its last change.
const DefaultAlertLifetime = 30 * 24 * time.Hour

func (c *Config) lifetime() time.Duration {
	if c != nil && c.AlertLifetime > 0 {
		return c.AlertLifetime
	}
	return DefaultAlertLifetime
}

// replies reports whether events post thread replies (the default while starting).
func (c *Config) replies() bool { return c == nil || c.StatusReplies }

func (c *Config) actor() pagertreeclient.Actor {
	if c == nil {
		return pagertreeclient.Actor{}
	}
	return c.Actor
}

// PressRule is who may acknowledge and resolve alerts from Mattermost (the WhoMayPress setting).
type PressRule string

// The rules.
const (
	PressChannelMembers PressRule = "channel_members" // anyone who can read the channel (default)
	PressPagerTreeUsers PressRule = "pagertree_users" // a verified e-mail matches a PagerTree user (needs the API key)
	PressSystemAdmins   PressRule = "system_admins"
)

// ParsePressRule reads the setting ("" is the default). The error names the setting as
// plugin.json does ("Who may acknowledge and resolve"), not the actions' table.
func ParsePressRule(s string) (PressRule, error) {
	switch r := PressRule(strings.TrimSpace(s)); r {
	case "":
		return PressChannelMembers, nil
	case PressChannelMembers, PressPagerTreeUsers, PressSystemAdmins:
		return r, nil
	}
	return PressChannelMembers, fmt.Errorf("who may acknowledge and resolve must be %q, %q or %q, not %q", PressChannelMembers, PressPagerTreeUsers, PressSystemAdmins, s)
}

// UpdatesMode is how PagerTree's updates arrive: pushed to the receiver, polled from the REST
// API (behind a firewall), or both.
type UpdatesMode string

// The modes.
const (
	UpdatesPushed UpdatesMode = "pushed"
	UpdatesPolled UpdatesMode = "polled"
	UpdatesBoth   UpdatesMode = "both"
)

// Updates is the UpdatesArrive and PollSeconds settings.
type Updates struct {
	Mode  UpdatesMode
	Every time.Duration // the poll interval
}

// DefaultPollSeconds is the poll interval when none is set.
const DefaultPollSeconds = 30

// ParseUpdatesMode reads the UpdatesArrive setting ("" is pushed; a wrong value is pushed, with
// the error).
func ParseUpdatesMode(s string) (UpdatesMode, error) {
	switch m := UpdatesMode(strings.TrimSpace(s)); m {
	case "":
		return UpdatesPushed, nil
	case UpdatesPushed, UpdatesPolled, UpdatesBoth:
		return m, nil
	}
	return UpdatesPushed, fmt.Errorf("how PagerTree's updates arrive must be %q, %q or %q, not %q", UpdatesPushed, UpdatesPolled, UpdatesBoth, s)
}

// PollInterval checks the PollSeconds setting (the default interval comes with an error).
func PollInterval(secs int) (time.Duration, error) {
	if secs < 5 || secs > 3600 {
		return DefaultPollSeconds * time.Second, fmt.Errorf("the poll interval must be between 5 and 3600 seconds, not %d", secs)
	}
	return time.Duration(secs) * time.Second, nil
}

// Polling reports whether the plugin polls PagerTree now: polled or both, and a usable API key.
func (c *Config) Polling() bool {
	return c != nil && c.Updates.Mode != UpdatesPushed && c.Updates.Mode != "" && c.Actor.API != nil
}

// UpdatesState says in a few words how updates arrive, for the panel and /pagertree status.
func (c *Config) UpdatesState() string {
	if c == nil {
		return string(UpdatesPushed)
	}
	switch {
	case c.Updates.Mode == UpdatesPushed || c.Updates.Mode == "":
		return "pushed by PagerTree to the receiver"
	case c.Actor.API == nil:
		return fmt.Sprintf("%s is chosen, but no usable PagerTree API key is set: only pushed events arrive", c.Updates.Mode)
	case c.Updates.Mode == UpdatesPolled:
		return fmt.Sprintf("polled from PagerTree's API every %s", c.Updates.Every)
	}
	return fmt.Sprintf("pushed by PagerTree and polled from its API every %s", c.Updates.Every)
}

// restOnly names the buttons a Webhook integration cannot offer, as a clause ("" when none).
func restOnly() string {
	if only := alertstate.RESTOnly(); len(only) > 0 {
		return "; " + alertstate.JoinLabels(only, "and") + " only with an API key"
	}
	return ""
}

// webhookCanAct reports whether the default route's integration or a route's is a Webhook
// integration, which can act on the alerts sent to it.
func (c *Config) webhookCanAct() bool {
	if c.Actor.Integration != nil && c.Actor.Integration.CanAct() {
		return true
	}
	for _, cl := range c.Actor.Routes {
		if cl != nil && cl.CanAct() {
			return true
		}
	}
	return false
}

// ActionsSummary says, for the settings panel and /pagertree status, whether the card offers
// its buttons (alertstate's actions), how they reach PagerTree and who may press; or why there
// are none.
func (c *Config) ActionsSummary() string {
	if c == nil {
		return "unknown: the plugin is starting"
	}
	who := map[PressRule]string{
		PressChannelMembers: "anyone who can read the channel",
		PressPagerTreeUsers: "PagerTree team members (verified e-mail matches)",
		PressSystemAdmins:   "System Admins",
	}[c.WhoMayPress]
	switch {
	case c.Actor.API != nil:
		return "On every card, through PagerTree's REST API (API key set); " + who + " may press them."
	case c.webhookCanAct():
		return "On cards of alerts sent in the Webhook format to the endpoint now configured for their route, through that integration (no API key set" + restOnly() + "); " + who + " may press them."
	}
	return "None: the Mattermost (Outgoing Webhook) integration cannot " + alertstate.Verbs("or") + " alerts, and " + c.APIUnavailable +
		". The card links to the alert in PagerTree instead. Add a PagerTree API key, or use the Webhook format, to get the buttons."
}
