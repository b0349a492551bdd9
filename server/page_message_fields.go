package main

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// The choices the "Page PagerTree…" dialog offers, and the one check of what comes back.

// routeChoices are the routes a message in ch may page through: its own candidates, most
// specific first (the channel's route, its team's, the default) — never another team's.
func routeChoices(cfg *runtimeConfig, ch *model.Channel, message string) []routeChoice {
	var out []routeChoice
	for _, r := range cfg.Routes.Candidates(ch.Id, ch.TeamId) {
		key, label := r.ID, r.Name
		if r.IsDefault() {
			key, label = defaultRouteKey, "Default route"
		}
		urg := paging.UrgencyDefault
		if r.Rules != nil {
			urg = r.Rules.Weigh(message).Urgency.Urgency
		}
		out = append(out, routeChoice{Key: key, Label: label, Urgency: string(urg)})
	}
	return out
}

func urgencyChoices() []choice {
	out := []choice{{Value: "", Label: paging.UrgencyDefault.String()}}
	for _, u := range paging.Levels {
		out = append(out, choice{Value: string(u), Label: string(u)})
	}
	return out
}

func severityChoices() []choice {
	out := []choice{{Value: "", Label: "None (not an incident)"}}
	for _, s := range paging.Severities {
		out = append(out, choice{Value: string(s), Label: string(s)})
	}
	return out
}

// checkPageFields validates what the person typed or chose, each with the field it concerns.
func checkPageFields(req pageRequest, routes []routeChoice, table *routing.Table) (*routing.Route, paging.Urgency, paging.Severity, string, string, *pageRefusal) {
	bad := func(field, msg string) (*routing.Route, paging.Urgency, paging.Severity, string, string, *pageRefusal) {
		return nil, "", "", "", "", &pageRefusal{Status: http.StatusBadRequest, Error: msg, Field: field}
	}
	key := req.Route
	if key == "" {
		key = routes[0].Key
	}
	var route *routing.Route
	for _, c := range routes {
		if c.Key == key {
			id := c.Key
			if id == defaultRouteKey {
				id = routing.DefaultID
			}
			route, _ = table.ByID(id)
		}
	}
	if route == nil {
		return bad("route", "That route does not serve this channel: choose one of the routes listed.")
	}
	urg, err := paging.ParseUrgency(req.Urgency)
	if err != nil {
		return bad("urgency", "Choose an urgency: low, medium, high, critical, or the PagerTree default.")
	}
	sev, err := paging.ParseSeverity(req.Severity)
	if err != nil {
		return bad("severity", "Choose an incident severity from SEV-1 (most severe) to SEV-5, or none.")
	}
	title := strings.Join(strings.Fields(req.Title), " ")
	if n := utf8.RuneCountInString(title); n > paging.TitleMaxRunes {
		return bad("title", fmt.Sprintf("The title is %d characters; PagerTree titles here hold at most %d. Shorten it and put the rest in the note.", n, paging.TitleMaxRunes))
	}
	if title == "" {
		return bad("title", "Give the alert a title: what is happening, in a few words.")
	}
	note := strings.TrimSpace(req.Note)
	if n := utf8.RuneCountInString(note); n > paging.NoteMaxRunes {
		return bad("note", fmt.Sprintf("The note is %d characters; it holds at most %d.", n, paging.NoteMaxRunes))
	}
	return route, urg, sev, title, note, nil
}
