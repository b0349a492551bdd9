package main

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// supportFile is the plugin's file in a Support Packet.
const supportFile = "pagertree/diagnostics.json"

// supportOutcomes is how many recent outcomes a Support Packet carries.
const supportOutcomes = 20

// supportData is built from allow-listed parts only: the settings the manifest declares
// (secrets reduced to whether they are set, URLs to their scheme and host), counts, and the
// outcomes' metadata. Message text, user names and the endpoint's path never enter it.
type supportData struct {
	Plugin          string           `json:"plugin"`
	Version         string           `json:"version"`
	GeneratedAt     time.Time        `json:"generated_at"`
	Settings        map[string]any   `json:"settings"`
	Routes          []supportRoute   `json:"routes,omitempty"`
	SettingsProblem string           `json:"settings_problem,omitempty"`
	Queue           supportQueue     `json:"queue"`
	LastOutcomes    []supportOutcome `json:"last_outcomes"`
	LastError       *supportOutcome  `json:"last_error,omitempty"`
	Problems        []string         `json:"problems,omitempty"` // what could not be read
}

type supportQueue struct {
	Depth                int     `json:"depth"`
	OldestPendingSeconds float64 `json:"oldest_pending_seconds"`
}

type supportOutcome struct {
	Time       time.Time       `json:"time"`
	AlertID    string          `json:"alert_id"`
	PostID     string          `json:"post_id,omitempty"`
	ChannelID  string          `json:"channel_id,omitempty"`
	Trigger    string          `json:"trigger,omitempty"`
	Urgency    string          `json:"urgency,omitempty"`
	Format     string          `json:"format,omitempty"`
	Status     delivery.Status `json:"status"`
	Attempts   int             `json:"attempts,omitempty"`
	StatusCode int             `json:"status_code,omitempty"`
	Meaning    string          `json:"meaning,omitempty"`
	Error      string          `json:"error,omitempty"`
	Test       bool            `json:"test,omitempty"`
	Route      string          `json:"route,omitempty"`
}

// supportRoute is a route without its token or endpoint path.
type supportRoute struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Teams        int    `json:"teams"`
	Channels     int    `json:"channels"`
	Endpoint     string `json:"endpoint"` // scheme and host
	Format       string `json:"format,omitempty"`
	TokenSet     bool   `json:"token_set"`
	OwnTriggers  bool   `json:"own_triggers,omitempty"`
	MatchMode    string `json:"match_mode,omitempty"`
	EveryMessage bool   `json:"every_message,omitempty"`
	Imported     bool   `json:"imported,omitempty"`
}

// supportRoutes describes the stored routes; their tokens only as set or not.
func supportRoutes(raw map[string]any) []supportRoute {
	text, _ := lookupString(raw, keyRoutes)
	specs, err := routing.ParseSpecs(text)
	if err != nil {
		return nil
	}
	tokenText, _ := lookupString(raw, keyRouteTokens)
	tokens, _ := routing.ParseTokens(tokenText)
	out := make([]supportRoute, 0, len(specs))
	for _, sp := range specs {
		out = append(out, supportRoute{
			ID: sp.ID, Name: sp.Name, Teams: len(sp.Teams), Channels: len(sp.Channels), Endpoint: redactURLs(sp.EndpointURL),
			Format: sp.Format, TokenSet: strings.TrimSpace(tokens[sp.ID]) != "", OwnTriggers: strings.TrimSpace(sp.TriggerWords) != "",
			MatchMode: sp.MatchMode, EveryMessage: sp.EveryMessage, Imported: sp.ImportedFrom != "",
		})
	}
	return out
}

const (
	redactedSet   = "(set, redacted)"
	redactedUnset = "(not set)"
	redactedPath  = "/(path redacted)"
)

// redactSettings keeps the settings the schema declares: a secret says only whether it is
// set, a URL keeps its scheme and host. Keys the schema does not declare are left out.
func redactSettings(raw map[string]any, schema []*model.PluginSetting) map[string]any {
	out := map[string]any{}
	for _, s := range schema {
		if s == nil || s.Key == "" || strings.EqualFold(s.Key, keyRoutes) { // routes: supportRoutes
			continue
		}
		v, ok := lookupFold(raw, s.Key)
		switch {
		case s.Secret:
			if str, isStr := v.(string); ok && v != nil && (!isStr || str != "") {
				out[s.Key] = redactedSet
			} else {
				out[s.Key] = redactedUnset
			}
		case !ok:
			continue
		default:
			if str, isStr := v.(string); isStr {
				v = redactURLs(str)
			}
			out[s.Key] = v
		}
	}
	return out
}

// lookupFold finds key in the stored settings, which the server keeps lower-cased.
func lookupFold(raw map[string]any, key string) (any, bool) {
	if v, ok := raw[key]; ok {
		return v, true
	}
	for k, v := range raw {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

var urlPattern = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>]+`)

// redactURLs keeps the scheme and host of every URL in s and hides the rest (path, query,
// credentials): PagerTree's endpoint path names the integration and must not leave the server.
func redactURLs(s string) string {
	return urlPattern.ReplaceAllStringFunc(s, func(raw string) string {
		u, err := url.Parse(strings.TrimRight(raw, ".,;:)"))
		if err != nil || u.Host == "" {
			return "(url redacted)"
		}
		rest := ""
		if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
			rest = redactedPath
		}
		return u.Scheme + "://" + u.Hostname() + portOf(u) + rest + raw[len(strings.TrimRight(raw, ".,;:)")):]
	})
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return ":" + p
	}
	return ""
}

// supportOutcomeOf keeps an outcome's metadata, never its message, with URLs and secrets in
// its texts redacted.
func supportOutcomeOf(e delivery.Entry, scrub func(string) string) supportOutcome {
	return supportOutcome{
		Time: e.Time, AlertID: e.AlertID, PostID: e.PostID, ChannelID: e.ChannelID, Trigger: e.Trigger,
		Urgency: string(e.Urgency), Format: string(e.Format), Status: e.Status, Attempts: e.Attempts,
		StatusCode: e.StatusCode, Meaning: scrub(e.Meaning), Error: scrub(e.Error), Test: e.Test, Route: e.RouteName,
	}
}

// secretValues are the values of the settings the schema marks secret, to scrub from free text.
func secretValues(raw map[string]any, schema []*model.PluginSetting) []string {
	var out []string
	for _, s := range schema {
		if s == nil || !s.Secret {
			continue
		}
		if v, ok := lookupFold(raw, s.Key); ok {
			if str, isStr := v.(string); isStr && len(str) >= 4 {
				out = append(out, str)
			}
		}
	}
	tokenText, _ := lookupString(raw, keyRouteTokens)
	if tokens, err := routing.ParseTokens(tokenText); err == nil { // each route's token on its own
		for _, tok := range tokens {
			if len(tok) >= 4 {
				out = append(out, tok)
			}
		}
	}
	return out
}

// scrubber redacts URLs and every secret value from a piece of free text (errors, reasons).
func scrubber(secrets []string) func(string) string {
	return func(s string) string {
		for _, v := range secrets {
			s = strings.ReplaceAll(s, v, "(secret redacted)")
		}
		return redactURLs(s)
	}
}

// buildSupportData assembles the file from what the plugin read; entries are newest first.
func buildSupportData(raw map[string]any, schema []*model.PluginSetting, problem string, q delivery.QueueStats,
	entries []delivery.Entry, now time.Time, problems []string) supportData {
	scrub := scrubber(secretValues(raw, schema))
	for i := range problems {
		problems[i] = scrub(problems[i])
	}
	d := supportData{
		Plugin: manifest.Id, Version: manifest.Version, GeneratedAt: now.UTC(),
		Settings: redactSettings(raw, schema), Routes: supportRoutes(raw), SettingsProblem: scrub(problem),
		Queue:        supportQueue{Depth: q.Pending},
		LastOutcomes: []supportOutcome{}, Problems: problems,
	}
	if !q.OldestQueued.IsZero() {
		d.Queue.OldestPendingSeconds = now.Sub(q.OldestQueued).Seconds()
	}
	if len(entries) > supportOutcomes {
		entries = entries[:supportOutcomes]
	}
	for _, e := range entries {
		o := supportOutcomeOf(e, scrub)
		d.LastOutcomes = append(d.LastOutcomes, o)
		if d.LastError == nil && o.Status == delivery.StatusFailed {
			d.LastError = &o
		}
	}
	return d
}

func (d supportData) file() (*model.FileData, error) {
	body, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return &model.FileData{Filename: supportFile, Body: body}, nil
}
