package routing

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// OutgoingWebhook is a Mattermost built-in outgoing webhook as its REST API returns it
// (GET /api/v4/hooks/outgoing); the panel reads them with the admin's own session.
type OutgoingWebhook struct {
	ID           string   `json:"id"`
	TeamID       string   `json:"team_id"`
	ChannelID    string   `json:"channel_id"`
	TriggerWords []string `json:"trigger_words"`
	TriggerWhen  int      `json:"trigger_when"` // 0: the first word is a trigger; 1: it starts with one
	CallbackURLs []string `json:"callback_urls"`
	DisplayName  string   `json:"display_name"`
	ContentType  string   `json:"content_type"`
	Token        string   `json:"token"`
	DeleteAt     int64    `json:"delete_at"`
}

// Imported is one webhook turned into a route, with its token (kept apart, as a secret).
type Imported struct {
	Spec     Spec     `json:"route"`
	Token    string   `json:"token"`
	Webhook  string   `json:"webhook_id"`
	Warnings []string `json:"warnings"`
}

// Skipped is a webhook that did not become a route, and why.
type Skipped struct {
	Webhook string `json:"webhook_id"`
	Name    string `json:"display_name"`
	Reason  string `json:"reason"`
}

// pagerTreeEndpoint is the form of a PagerTree integration endpoint, on any host.
var pagerTreeEndpoint = regexp.MustCompile(`^/integration/int_[A-Za-z0-9_-]+/?$`)

// IsPagerTreeEndpoint says whether u is a PagerTree integration endpoint (…/integration/int_…).
func IsPagerTreeEndpoint(u string) bool {
	parsed, err := url.Parse(strings.TrimSpace(u))
	return err == nil && parsed.Host != "" && (parsed.Scheme == "https" || parsed.Scheme == "http") && pagerTreeEndpoint.MatchString(parsed.Path)
}

// Import converts webhooks into routes next to the existing ones: team → team scope, channel →
// channel scope, trigger words and "first word is / starts with" → triggers and match mode, no
// trigger words → every message, callback URL and token → endpoint and token. Webhooks already
// imported, without a PagerTree endpoint, or whose team or channel a route already holds are
// skipped, saying why. The result is not validated here: saving does that.
func Import(hooks []OutgoingWebhook, existing []Spec, teamNames, channelNames map[string]string) ([]Imported, []Skipped) {
	var made []Imported
	var skipped []Skipped
	taken := map[string]string{} // team or channel id → route name
	names := map[string]bool{}
	imported := map[string]string{}
	for _, s := range existing {
		for _, id := range append(append([]string{}, s.Teams...), s.Channels...) {
			taken[id] = s.Name
		}
		names[strings.ToLower(strings.TrimSpace(s.Name))] = true
		if s.ImportedFrom != "" {
			imported[s.ImportedFrom] = s.Name
		}
	}
	// Team webhooks fire for every channel of the team: a channel webhook in such a team
	// fires together with it today, and routes page once.
	teamHook := map[string]string{}
	for _, h := range hooks {
		if _, seen := teamHook[h.TeamID]; !seen && h.ChannelID == "" && h.DeleteAt == 0 {
			teamHook[h.TeamID] = h.DisplayName
		}
	}
	for _, h := range hooks {
		skip := func(format string, args ...any) {
			skipped = append(skipped, Skipped{Webhook: h.ID, Name: h.DisplayName, Reason: fmt.Sprintf(format, args...)})
		}
		var endpoints, others []string
		for _, u := range h.CallbackURLs {
			if IsPagerTreeEndpoint(u) {
				endpoints = append(endpoints, strings.TrimSpace(u))
			} else {
				others = append(others, u)
			}
		}
		scopeID := h.ChannelID
		if scopeID == "" {
			scopeID = h.TeamID
		}
		switch {
		case h.DeleteAt != 0:
			skip("it was deleted")
			continue
		case imported[h.ID] != "":
			skip("it was imported already, as the route %q", imported[h.ID])
			continue
		case len(endpoints) == 0:
			skip("none of its callback URLs is a PagerTree integration endpoint (…/integration/int_…)")
			continue
		case taken[scopeID] != "":
			skip("its %s is already in the scope of the route %q: two webhooks fire for one post today, a route pages once; merge their trigger words into that route by hand", scopeKind(h), taken[scopeID])
			continue
		}
		warnings := []string{} // a list, never null, for the panel
		if len(endpoints) > 1 {
			warnings = append(warnings, fmt.Sprintf("it has %d PagerTree callback URLs: only the first is used (a route pages one integration)", len(endpoints)))
		}
		if len(others) > 0 {
			warnings = append(warnings, fmt.Sprintf("its other callback URLs (%d) are not PagerTree's and are not kept: keep the webhook if they still need the posts", len(others)))
		}
		if ct := strings.TrimSpace(h.ContentType); ct != "" && ct != "application/json" {
			warnings = append(warnings, "it sends "+ct+"; the plugin sends JSON, which PagerTree's Mattermost integration reads")
		}
		if h.ChannelID != "" && teamHook[h.TeamID] != "" {
			warnings = append(warnings, fmt.Sprintf("the team webhook %q also fires in its channel today; routes page once: this channel's route first, the team's when its triggers do not match", teamHook[h.TeamID]))
		}
		spec := Spec{ID: "wh" + h.ID, Name: uniqueName(hookName(h, teamNames, channelNames), names), EndpointURL: endpoints[0], Format: "mattermost", ImportedFrom: h.ID}
		if h.ChannelID != "" {
			spec.Channels = []string{h.ChannelID}
		} else {
			spec.Teams = []string{h.TeamID}
		}
		triggers := cleanTriggers(h.TriggerWords)
		switch {
		case len(triggers) == 0 && h.ChannelID != "":
			spec.EveryMessage = true
		case len(triggers) == 0:
			skip("it has no trigger words and no channel, which Mattermost does not allow")
			continue
		default:
			spec.TriggerWords = strings.Join(triggers, ", ")
			spec.MatchMode = "first_word_is"
			if h.TriggerWhen == 1 {
				spec.MatchMode = "first_word_starts_with"
			}
		}
		taken[scopeID] = spec.Name
		imported[h.ID] = spec.Name
		made = append(made, Imported{Spec: spec, Token: h.Token, Webhook: h.ID, Warnings: warnings})
	}
	return made, skipped
}

func scopeKind(h OutgoingWebhook) string {
	if h.ChannelID != "" {
		return "channel"
	}
	return "team"
}

func hookName(h OutgoingWebhook, teams, channels map[string]string) string {
	if n := strings.TrimSpace(h.DisplayName); n != "" {
		return n
	}
	if c := channels[h.ChannelID]; c != "" {
		return "~" + c
	}
	if t := teams[h.TeamID]; t != "" {
		return t
	}
	return "Imported webhook"
}

// uniqueName adds " (2)", " (3)"… to a name another route has, and truncates to the limit.
func uniqueName(name string, taken map[string]bool) string {
	if r := []rune(name); len(r) > MaxNameRunes-5 {
		name = string(r[:MaxNameRunes-5])
	}
	if strings.EqualFold(name, DefaultName) {
		name += " webhook"
	}
	out := name
	for i := 2; taken[strings.ToLower(out)]; i++ {
		out = fmt.Sprintf("%s (%d)", name, i)
	}
	taken[strings.ToLower(out)] = true
	return out
}

// cleanTriggers keeps the webhook's words; a first-word trigger cannot hold a space.
func cleanTriggers(words []string) []string {
	var out []string
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}
