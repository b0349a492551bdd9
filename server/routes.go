package main

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// noDefaultEndpoint pauses the default route of a site whose routes cover what should page.
const noDefaultEndpoint = "the default route has no endpoint URL, so only posts in a route's teams and channels page"

// buildRoutes makes the route table over the default route (the top-level settings) and
// returns the save-time problems of the routes.
func (c *runtimeConfig) buildRoutes(s settings, specs []routing.Spec, aliases map[string]paging.Urgency, guard *pagertreeclient.Guard) []settingProblem {
	def := &routing.Route{
		ID: routing.DefaultID, Name: routing.DefaultName, Rules: c.Rules, Format: c.Format,
		Endpoint: strings.TrimSpace(s.EndpointURL), Token: strings.TrimSpace(s.Token), EndpointHost: c.EndpointHost,
	}
	if c.noEndpoint {
		def.Paused = noDefaultEndpoint
	}
	var problems []settingProblem
	tokens, err := routing.ParseTokens(s.RouteTokens)
	if err != nil {
		problems = append(problems, settingProblem{Key: "RouteTokens", Text: err.Error()})
	}
	table, routeProblems := routing.Build(specs, tokens, routing.Base{
		Default: def, Aliases: aliases, Placeholder: model.FakeSetting,
		ValidateEndpoint: func(endpoint string) (string, error) { return validateEndpoint(endpoint, guard) },
	})
	c.Routes = table
	for _, text := range routeProblems {
		problems = append(problems, settingProblem{Key: "Routes", Text: text})
	}
	return problems
}

// buildClients makes one client per route with an endpoint (a valid configuration only).
func (c *runtimeConfig) buildClients(userAgent string, guard *pagertreeclient.Guard) {
	def := c.Routes.Default
	if def.Paused == "" {
		c.Client = pagertreeclient.New(def.Endpoint, def.Token, def.Format, pagertreeclient.DefaultTimeout, userAgent, guard)
	}
	c.clients = map[string]*pagertreeclient.Client{}
	for _, r := range c.Routes.Routes() {
		if r.Paused == "" {
			c.clients[r.ID] = pagertreeclient.New(r.Endpoint, r.Token, r.Format, pagertreeclient.DefaultTimeout, userAgent, guard)
		}
	}
}

// routeClient is the route an alert goes through and its client; the client is nil when the
// route is paused or the configuration is not valid, and why says so in one sentence.
func (c *runtimeConfig) routeClient(routeID string) (r *routing.Route, cl *pagertreeclient.Client, why string) {
	if c == nil || c.Routes == nil {
		return nil, nil, "the plugin is starting"
	}
	r, ok := c.Routes.ByID(routeID)
	switch {
	case !ok:
		return nil, nil, "its route (id " + routeID + ") is no longer in the plugin settings"
	case c.Problem != "":
		return r, nil, c.Problem
	case r.Paused != "":
		return r, nil, r.Paused
	case r.IsDefault():
		return r, c.Client, ""
	}
	return r, c.clients[r.ID], ""
}

// routeNames is how an alert names its route: the default route is "" in the alert (as in
// alerts queued before routes existed) and "default" for people.
func routeDisplayName(name string) string {
	if name == "" {
		return routing.DefaultName
	}
	return name
}

// endpointOf is where an alert goes now, for the outbox's per-endpoint health: its route's
// endpoint URL. It stays in memory; the log names the routes at it (routesAt), never the URL,
// whose path identifies the integration.
func (p *Plugin) endpointOf(a paging.Alert) string {
	cfg := p.config.Load()
	if cfg == nil || cfg.Routes == nil {
		return ""
	}
	if r, ok := cfg.Routes.ByID(a.RouteID); ok {
		return r.Endpoint
	}
	return "" // the route was removed: the send fails for good, whatever the endpoint's health
}

// routesAt names, for the log, the routes whose endpoint is endpoint, and its host.
func (c *runtimeConfig) routesAt(endpoint string) (names []string, host string) {
	if c == nil || c.Routes == nil {
		return nil, ""
	}
	for _, r := range append([]*routing.Route{c.Routes.Default}, c.Routes.Routes()...) {
		if r.Endpoint == endpoint && endpoint != "" {
			names = append(names, routeDisplayName(r.Name))
			host = r.EndpointHost
		}
	}
	return names, host
}
