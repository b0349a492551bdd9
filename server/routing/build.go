package routing

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// DefaultID is the default route's id: an alert without a route id (queued before routes
// existed) went through it.
const DefaultID = ""

// DefaultName names the default route for people and in metrics.
const DefaultName = "default"

// Route is a validated route, immutable once built.
type Route struct {
	ID   string
	Name string
	// Teams and Channels are the scope (empty for the default route).
	Teams, Channels []string
	Rules           *paging.Rules
	OwnTriggers     bool // the route's own trigger words, not the default route's
	EveryMessage    bool
	Format          paging.Format
	Endpoint        string
	Token           string
	EndpointHost    string
	// Paused, when set, says in one sentence why the route does not page (it is valid but
	// cannot be used, e.g. its token was never stored).
	Paused string
	Spec   Spec
}

// IsDefault says whether r is the default route.
func (r *Route) IsDefault() bool { return r != nil && r.ID == DefaultID }

// TokenSet says whether the route has a token.
func (r *Route) TokenSet() bool { return strings.TrimSpace(r.Token) != "" }

// Base is what routes inherit from the default route.
type Base struct {
	Default *Route // the default route, already built from the top-level settings
	Aliases map[string]paging.Urgency
	// ValidateEndpoint is the default route's rule for endpoints: the host, or why not.
	ValidateEndpoint func(endpoint string) (host string, err error)
	// Placeholder is what the panel sends for a token it did not change (model.FakeSetting);
	// found in a stored token it means the token was never resolved and the route pauses.
	Placeholder string
}

// Build validates specs and makes the table. problems are save-time refusals, one sentence
// each; a configuration with problems must not forward (the caller pauses it).
func Build(specs []Spec, tokens map[string]string, base Base) (*Table, []string) {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if len(specs) > MaxRoutes {
		fail("there are %d routes, more than the limit of %d", len(specs), MaxRoutes)
		specs = specs[:MaxRoutes]
	}
	t := newTable(base.Default)
	ids, names := map[string]bool{}, map[string]string{}
	channelOwner, teamOwner := map[string]string{}, map[string]string{}
	for i, s := range specs {
		label := routeLabel(s, i)
		r, routeProblems := buildRoute(s, label, tokens[s.ID], base)
		problems = append(problems, routeProblems...)
		switch {
		case !idRE.MatchString(s.ID):
			fail("%s has the id %q, which is not 1 to 64 letters, digits, - or _", label, s.ID)
		case ids[s.ID]:
			fail("two routes have the id %q", s.ID)
		}
		ids[s.ID] = true
		if key := strings.ToLower(strings.TrimSpace(s.Name)); key != "" {
			if other, dup := names[key]; dup {
				fail("two routes are named %q (%s): give each route its own name", strings.TrimSpace(s.Name), other)
			}
			names[key] = strings.TrimSpace(s.Name)
		}
		for _, ch := range r.Channels {
			if other, taken := channelOwner[ch]; taken && other != r.Name {
				fail("the channel %s is in the scope of two routes, %q and %q: a channel may be in one route only", ch, other, r.Name)
				continue
			}
			channelOwner[ch] = r.Name
			t.byChannel[ch] = r
		}
		for _, team := range r.Teams {
			if other, taken := teamOwner[team]; taken && other != r.Name {
				fail("the team %s is in the scope of two routes, %q and %q: a team may be in one route only", team, other, r.Name)
				continue
			}
			teamOwner[team] = r.Name
			t.byTeam[team] = r
		}
		t.routes = append(t.routes, r)
		t.byID[r.ID] = r
	}
	t.buildGate()
	return t, problems
}

func routeLabel(s Spec, i int) string {
	if n := strings.TrimSpace(s.Name); n != "" {
		return fmt.Sprintf("the route %q", n)
	}
	return fmt.Sprintf("route %d", i+1)
}

// buildRoute validates one spec over the default route.
func buildRoute(s Spec, label, token string, base Base) (*Route, []string) {
	var problems []string
	fail := func(format string, args ...any) {
		problems = append(problems, label+" "+fmt.Sprintf(format, args...))
	}
	def := base.Default
	r := &Route{ID: s.ID, Name: strings.TrimSpace(s.Name), Token: strings.TrimSpace(token), Spec: s, EveryMessage: s.EveryMessage}
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		fail("has no name: name it, for example after its team")
	case n > MaxNameRunes:
		fail("has a name longer than %d characters", MaxNameRunes)
	case strings.EqualFold(r.Name, DefaultName):
		fail("is named %q, which is the name of the route the top-level settings make", DefaultName)
	}
	r.Teams, r.Channels = cleanIDs(s.Teams), cleanIDs(s.Channels)
	for _, id := range append(append([]string{}, r.Teams...), r.Channels...) {
		if !isID(id) {
			fail("has %q in its scope, which is not a team or channel id (26 letters and digits)", id)
		}
	}
	switch n := len(r.Teams) + len(r.Channels); {
	case n == 0:
		fail("has no teams or channels: a route pages only for the teams and channels in its scope")
	case n > MaxScopePerRoute:
		fail("has %d teams and channels, more than the limit of %d", n, MaxScopePerRoute)
	}
	if s.EveryMessage && (len(r.Teams) > 0 || len(r.Channels) == 0) {
		fail("pages on every message, which is only for a route of channels: remove its teams")
	}

	r.Endpoint = strings.TrimSpace(s.EndpointURL)
	if host, err := base.ValidateEndpoint(r.Endpoint); err != nil {
		fail("has a problem: %s", err)
	} else {
		r.EndpointHost = host
	}
	r.Format = def.Format
	if strings.TrimSpace(s.Format) != "" {
		f, err := paging.ParseFormat(s.Format)
		if err != nil {
			fail("has a problem: %s", err)
		}
		r.Format = f
	}

	var matcher *paging.Matcher
	if def.Rules != nil {
		matcher = def.Rules.Matcher
	}
	triggers := paging.SplitList(s.TriggerWords)
	if len(triggers) > 0 || strings.TrimSpace(s.MatchMode) != "" {
		mode, err := paging.ParseMatchMode(s.MatchMode)
		if err != nil {
			fail("has a problem: %s", err)
		}
		if len(triggers) == 0 && def.Rules != nil {
			triggers = def.Rules.Matcher.Triggers()
		}
		if err == nil && len(triggers) > 0 {
			m, mErr := paging.NewMatcher(mode, triggers)
			if mErr != nil {
				fail("has a problem: %s", mErr)
			} else {
				matcher, r.OwnTriggers = m, true
			}
		}
	}
	urgency := paging.UrgencyDefault
	if def.Rules != nil {
		urgency = def.Rules.Urgency.Default()
	}
	if strings.TrimSpace(s.DefaultUrgency) != "" {
		u, err := paging.ParseUrgency(s.DefaultUrgency)
		if err != nil {
			fail("default urgency: %s", err)
		}
		urgency = u
	}
	if matcher != nil && def.Rules != nil {
		// The default route's incident severities apply to every route, as its aliases do.
		r.Rules = &paging.Rules{Matcher: matcher, Urgency: paging.NewUrgencyRules(base.Aliases, urgency),
			Severity: def.Rules.Severity, IgnoreCode: def.Rules.IgnoreCode}
	}
	if base.Placeholder != "" && strings.Contains(r.Token, base.Placeholder) {
		// Only a save hook (Mattermost 8.0+) turns the panel's "unchanged" into the saved
		// token; without one the token is unknown, and none is sent anywhere.
		r.Token = ""
		r.Paused = fmt.Sprintf("the token of the route %q was not stored (this Mattermost server kept the panel's placeholder): enter the token again and save", r.Name)
	}
	return r, problems
}

// cleanIDs trims, drops empty items and duplicates, and sorts (the order means nothing).
func cleanIDs(ids []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// isID is Mattermost's id form: 26 lower-case letters and digits.
func isID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
