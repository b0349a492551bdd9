package main

import (
	"strconv"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// incidentsNeedWebhook is the one sentence that says why an incident severity word does not
// open an incident in the Mattermost format (DESIGN §13): the panel, the preview and
// /pagertree status all show it.
const incidentsNeedWebhook = "PagerTree's Mattermost (Outgoing Webhook) integration has no incident field, " +
	"so a post with an incident severity word pages as a plain alert (with that severity's urgency): " +
	"to open incidents, use a PagerTree Webhook integration and the Webhook format"

// incidentFormatNote is incidentsNeedWebhook, naming the routes it concerns, when incident
// severities are set and some route that pages sends the Mattermost format; "" otherwise.
func incidentFormatNote(c *runtimeConfig) string {
	if c == nil || c.Rules == nil || c.Rules.Severity.Len() == 0 || c.Routes == nil {
		return ""
	}
	var names []string
	def := c.Routes.Default
	defaultToo := def != nil && def.Format == paging.FormatMattermost && def.EndpointHost != ""
	for _, r := range c.Routes.Routes() {
		if r.Format == paging.FormatMattermost {
			names = append(names, strconv.Quote(r.Name))
		}
	}
	switch {
	case len(names) == 0 && !defaultToo:
		return ""
	case len(names) == 0: // the common case: no routes, or only the default sends this format
		return sentence(incidentsNeedWebhook)
	}
	who := "the routes " + strings.Join(names, ", ")
	if len(names) == 1 {
		who = "the route " + names[0]
	}
	if defaultToo {
		who = "the default route and " + who
	}
	return sentence(incidentsNeedWebhook + " (this concerns " + who + ")")
}

// previewIncident says what the previewed message is sent as: "" for no severity word, else a
// sentence naming the severity and, in the Mattermost format, that it goes as a plain alert.
func previewIncident(s paging.SeverityResult, route *routing.Route) string {
	if !s.Severity.IsIncident() || route == nil {
		return ""
	}
	named := "Incident " + string(s.Severity) + " (from " + strconv.Quote(s.Word) + ")"
	if (paging.Alert{Severity: s.Severity}).IncidentIn(route.Format).IsIncident() {
		return named + "."
	}
	return named + " would page as a plain alert: " + incidentsNeedWebhook + "."
}

// incidentStatus is the status row of the incident severities: how many words, and the
// sentence about the Mattermost format when it applies.
func incidentStatus(c *runtimeConfig) string {
	n := c.Rules.Severity.Len()
	if n == 0 {
		return "none (every page is a plain alert)"
	}
	text := plural(n, "word")
	if note := incidentFormatNote(c); note != "" {
		text += " — " + note
	}
	return text
}
