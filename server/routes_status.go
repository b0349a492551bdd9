package main

import (
	"strconv"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// routeStatus is /pagertree status's table of routes (none without routes): each route's
// name, scope, endpoint host, format, token set or not, and its last result.
func (p *Plugin) routeStatus(cfg *runtimeConfig) string {
	if cfg == nil || cfg.Routes == nil || cfg.Routes.Len() == 0 {
		return ""
	}
	last := map[string]delivery.Entry{}
	if p.history != nil {
		if entries, err := p.history.Recent(delivery.DefaultHistorySize); err == nil {
			for _, e := range entries { // newest first: keep the first of each route
				if _, seen := last[e.RouteID]; !seen && e.Status != delivery.StatusSuppressed {
					last[e.RouteID] = e
				}
			}
		}
	}
	all := append([]*routing.Route{cfg.Routes.Default}, cfg.Routes.Routes()...)
	rows := make([][]string, 0, len(all))
	for _, r := range all {
		state := "on"
		if r.Paused != "" {
			state = "paused: " + r.Paused
		}
		result := "none yet"
		if e, ok := last[r.ID]; ok {
			result = e.Time.UTC().Format("01-02 15:04") + " " + string(e.Status)
			if e.StatusCode != 0 {
				result += " (" + strconv.Itoa(e.StatusCode) + ")"
			}
		}
		rows = append(rows, []string{r.Name, scopeText(r), orDash(r.EndpointHost), formatNames[r.Format],
			map[bool]string{true: "set", false: "not set"}[r.TokenSet()], triggerText(r), state, result})
	}
	return "\n#### Routes (matched channel first, then team, then default)\n" + markdownTable(
		[]string{"Route", "Scope", "Endpoint host", "Format", "Token", "Triggers", "State", "Last result"}, rows)
}

func scopeText(r *routing.Route) string {
	if r.IsDefault() {
		return "everything else"
	}
	var parts []string
	if n := len(r.Channels); n > 0 {
		parts = append(parts, plural(n, "channel"))
	}
	if n := len(r.Teams); n > 0 {
		parts = append(parts, plural(n, "team"))
	}
	return strings.Join(parts, ", ")
}

func triggerText(r *routing.Route) string {
	switch {
	case r.EveryMessage:
		return "every message"
	case r.Rules == nil:
		return "—"
	case r.OwnTriggers || r.IsDefault():
		return strconv.Itoa(len(r.Rules.Matcher.Triggers())) + " (" + matchModeNames[r.Rules.Matcher.Mode()] + ")"
	}
	return "the default's"
}
