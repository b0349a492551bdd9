package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// settings is the raw plugin configuration as the System Console stores it. Field names match
// the keys in plugin.json's settings_schema. It is only read to build a runtimeConfig.
type settings struct {
	Enabled                bool    `json:"Enabled"`
	EndpointURL            string  `json:"EndpointURL"`
	Token                  string  `json:"Token"`
	Format                 string  `json:"Format"`
	TriggerWords           string  `json:"TriggerWords"`
	MatchMode              string  `json:"MatchMode"`
	DefaultUrgency         string  `json:"DefaultUrgency"`
	UrgencyAliases         string  `json:"UrgencyAliases"`
	IncidentSeverities     string  `json:"IncidentSeverities"`
	WatchPrivateChannels   bool    `json:"WatchPrivateChannels"`
	ForwardBotPosts        bool    `json:"ForwardBotPosts"`
	IgnoreCodeAndQuotes    bool    `json:"IgnoreCodeAndQuotes"`
	ChannelAllowList       string  `json:"ChannelAllowList"`
	OneAlertPerThread      bool    `json:"OneAlertPerThread"`
	ChannelCooldownSeconds flexInt `json:"ChannelCooldownSeconds"`
	AlertCommandLimit      flexInt `json:"AlertCommandLimit"`
	RetryWindowMinutes     flexInt `json:"RetryWindowMinutes"`
	ReactionEmoji          string  `json:"ReactionEmoji"`
	ReplyInThread          bool    `json:"ReplyInThread"`
	StatusUpdates          string  `json:"StatusUpdates"`
	AlertLifetimeDays      flexInt `json:"AlertLifetimeDays"`
	ExternalAlertsChannel  string  `json:"ExternalAlertsChannel"`
	APIKey                 string  `json:"APIKey"`
	APIBaseURL             string  `json:"APIBaseURL"`
	WhoMayPress            string  `json:"WhoMayPress"`
	UpdatesArrive          string  `json:"UpdatesArrive"`
	PollSeconds            flexInt `json:"PollSeconds"`
	SendRepliesAsComments  bool    `json:"SendRepliesAsComments"`
	Routes                 string  `json:"Routes"`      // JSON list of routes (routing.Spec), no tokens
	RouteTokens            string  `json:"RouteTokens"` // JSON object of tokens by route id (secret)
}

// defaultSettings are the defaults in plugin.json's settings_schema, for callers (the API's
// preview and test) that send only some fields.
func defaultSettings() settings {
	defaults := map[string]any{}
	for _, f := range manifest.SettingsSchema.Settings {
		if f.Default != nil {
			defaults[f.Key] = f.Default
		}
	}
	var s settings
	raw, err := json.Marshal(defaults)
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	if err != nil {
		panic("plugin.json has a setting default of the wrong type: " + err.Error()) // caught by every test run
	}
	return s
}

// flexInt accepts a JSON number or a string of digits: the System Console has stored number
// settings both ways across versions. A bad value is kept as text for a clear error later.
type flexInt struct {
	n   int
	set bool
	bad string
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*f = flexInt{}
		return nil
	}
	if unq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(unq)
	}
	if s == "" {
		*f = flexInt{}
		return nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		*f = flexInt{n: n, set: true}
		return nil
	}
	if fl, err := strconv.ParseFloat(s, 64); err == nil && fl == float64(int(fl)) {
		*f = flexInt{n: int(fl), set: true}
		return nil
	}
	*f = flexInt{bad: s}
	return nil
}

func (f flexInt) MarshalJSON() ([]byte, error) {
	if !f.set {
		return []byte("null"), nil
	}
	return json.Marshal(f.n)
}

// value returns the number, def when unset, or an error naming the setting when unreadable.
func (f flexInt) value(name string, def int) (int, error) {
	if f.bad != "" {
		return 0, fmt.Errorf("%s is %q, which is not a whole number", name, f.bad)
	}
	if !f.set {
		return def, nil
	}
	return f.n, nil
}
