package routing

import (
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Table answers which route a post goes through. Built once per configuration; immutable.
type Table struct {
	Default   *Route
	routes    []*Route // the routes besides the default, in settings order
	byID      map[string]*Route
	byChannel map[string]*Route
	byTeam    map[string]*Route
	// teamGate holds, per match mode, every trigger of the team routes that have their own:
	// the post hook asks it before it knows the channel's team (reading the channel is an
	// API call, made only once some trigger matched).
	teamGate []matcher
}

// matcher is a gate's question: is some trigger in the message?
type matcher interface{ Matches(message string) bool }

func newTable(def *Route) *Table {
	return &Table{Default: def, byID: map[string]*Route{DefaultID: def}, byChannel: map[string]*Route{}, byTeam: map[string]*Route{}}
}

// Routes lists the routes besides the default, in settings order.
func (t *Table) Routes() []*Route { return t.routes }

// Len is how many routes there are besides the default.
func (t *Table) Len() int { return len(t.routes) }

// ByID finds a route; DefaultID (and an alert queued before routes existed) is the default.
func (t *Table) ByID(id string) (*Route, bool) {
	r, ok := t.byID[id]
	return r, ok
}

// ByName finds a route by its name, without case; "default" is the default route.
func (t *Table) ByName(name string) *Route {
	name = strings.TrimSpace(name)
	if strings.EqualFold(name, DefaultName) {
		return t.Default
	}
	for _, r := range t.routes {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// InScope says whether channelID, or its team when teamID is known, is in some route's scope.
func (t *Table) InScope(channelID, teamID string) bool {
	if t.byChannel[channelID] != nil {
		return true
	}
	return teamID != "" && t.byTeam[teamID] != nil
}

// HasTeamRoutes says whether some route is scoped by team.
func (t *Table) HasTeamRoutes() bool { return len(t.byTeam) > 0 }

// Candidates are the routes a post in the channel is matched against, most specific first:
// the channel's route, its team's route, the default route.
func (t *Table) Candidates(channelID, teamID string) []*Route {
	out := make([]*Route, 0, 3)
	if r := t.byChannel[channelID]; r != nil {
		out = append(out, r)
	}
	if r := t.byTeam[teamID]; r != nil && teamID != "" && (len(out) == 0 || out[0] != r) {
		out = append(out, r)
	}
	return append(out, t.Default)
}

// Result is the route a message goes through and the verdict on it.
type Result struct {
	Route *Route
	Eval  paging.Evaluation
	// Tried are the more specific routes whose triggers did not match, in order.
	Tried []*Route
}

// Match picks the first candidate route whose triggers match message (every message, for a
// route that pages on every one). With no match, Route is nil and Eval the default route's.
func (t *Table) Match(channelID, teamID, message string, all bool) Result {
	var res Result
	for _, r := range t.Candidates(channelID, teamID) {
		ev := evaluate(r, message, all)
		if ev.Matched {
			res.Route, res.Eval = r, ev
			return res
		}
		if r.IsDefault() {
			res.Eval = ev
		} else {
			res.Tried = append(res.Tried, r)
		}
	}
	return res
}

func evaluate(r *Route, message string, all bool) paging.Evaluation {
	switch {
	case r.Rules == nil:
		return paging.Evaluation{}
	case r.EveryMessage:
		return paging.Evaluation{Matched: true, Weight: r.Rules.Weigh(message)}
	case all:
		return r.Rules.EvaluateAll(message)
	}
	return r.Rules.Evaluate(message)
}

// MayMatch is the post hook's cheap gate, before the channel is read: false means no route
// can page message in channelID, whatever the channel's team. It scans the channel's route,
// the team routes' own triggers (one matcher per match mode) and the default route.
func (t *Table) MayMatch(channelID, message string) bool {
	if r := t.byChannel[channelID]; r != nil && r.Rules != nil {
		if r.EveryMessage || r.OwnTriggers && r.Rules.Evaluate(message).Matched {
			return true
		}
	}
	for _, g := range t.teamGate {
		if g.Matches(message) {
			return true
		}
	}
	return t.Default.Rules != nil && t.Default.Rules.Matches(message)
}

// buildGate merges the team routes' own triggers by match mode.
func (t *Table) buildGate() {
	if t.Default.Rules == nil {
		return
	}
	byMode := map[paging.MatchMode][]string{}
	var modes []paging.MatchMode
	for _, r := range t.routes {
		if len(r.Teams) == 0 || !r.OwnTriggers || r.Rules == nil {
			continue
		}
		mode := r.Rules.Matcher.Mode()
		if _, ok := byMode[mode]; !ok {
			modes = append(modes, mode)
		}
		byMode[mode] = append(byMode[mode], r.Rules.Matcher.Triggers()...)
	}
	for _, mode := range modes {
		if mode == paging.MatchWholeWord { // one pass over the message, however many words
			t.teamGate = append(t.teamGate, paging.NewAnyIndex(byMode[mode], t.Default.Rules.IgnoreCode))
			continue
		}
		m, err := paging.NewMatcher(mode, byMode[mode])
		if err != nil {
			continue // each route's triggers compiled in this mode, so their union does too
		}
		t.teamGate = append(t.teamGate, &paging.Rules{Matcher: m, Urgency: t.Default.Rules.Urgency, IgnoreCode: t.Default.Rules.IgnoreCode})
	}
}
