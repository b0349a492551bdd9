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
	// gate holds, per match mode, the default route's triggers and those of the team routes
	// that have their own: the post hook asks it before it knows the channel's team (reading
	// the channel is an API call, made only once some trigger matched).
	gate gate
}

// gate is one matcher per match mode. Concrete types, not an interface: the prepared text
// then stays on the stack and the non-trigger post allocates nothing for it.
type gate struct {
	index *paging.AnyIndex // the whole-word triggers, when merged over team routes
	rules []*paging.Rules  // the other modes (or the default route's rules alone)
}

func (g gate) matches(text *paging.Text) bool {
	if g.index != nil && g.index.MatchesText(text) {
		return true
	}
	for _, r := range g.rules {
		if r.MatchesText(text) {
			return true
		}
	}
	return false
}

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

// text prepares message once for every route: all routes share the default route's code rule.
func (t *Table) text(message string) paging.Text {
	return paging.NewText(message, t.Default.Rules != nil && t.Default.Rules.IgnoreCode)
}

// Match picks the first candidate route whose triggers match message (every message, for a
// route that pages on every one). With no match, Route is nil and Eval the default route's.
// The message is masked and folded once for all the candidates.
func (t *Table) Match(channelID, teamID, message string, all bool) Result {
	var res Result
	text := t.text(message)
	for _, r := range t.Candidates(channelID, teamID) {
		ev := evaluate(r, &text, all)
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

func evaluate(r *Route, text *paging.Text, all bool) paging.Evaluation {
	switch {
	case r.Rules == nil:
		return paging.Evaluation{}
	case r.EveryMessage:
		return paging.Evaluation{Matched: true, Weight: r.Rules.WeighText(text)}
	case all:
		return r.Rules.EvaluateAllText(text)
	}
	return r.Rules.EvaluateText(text)
}

// MayMatch is the post hook's cheap gate, before the channel is read: false means no route
// can page message in channelID, whatever the channel's team. It masks and folds the message
// once, then asks the channel's route and the gate: one matcher per match mode over the
// default route's triggers and every team route's own.
func (t *Table) MayMatch(channelID, message string) bool {
	if t.Default.Rules == nil {
		return false
	}
	text := t.text(message)
	if r := t.byChannel[channelID]; r != nil && r.Rules != nil {
		if r.EveryMessage || r.OwnTriggers && r.Rules.MatchesText(&text) {
			return true
		}
	}
	return t.gate.matches(&text)
}

// buildGate merges, by match mode, the default route's triggers with the team routes' own.
// Without team routes of their own triggers the gate is the default route's rules, as before
// routes existed.
func (t *Table) buildGate() {
	def := t.Default.Rules
	if def == nil {
		return
	}
	byMode := map[paging.MatchMode][]string{def.Matcher.Mode(): def.Matcher.Triggers()}
	modes := []paging.MatchMode{def.Matcher.Mode()}
	merged := false
	for _, r := range t.routes {
		if len(r.Teams) == 0 || !r.OwnTriggers || r.Rules == nil {
			continue
		}
		mode := r.Rules.Matcher.Mode()
		if _, ok := byMode[mode]; !ok {
			modes = append(modes, mode)
		}
		byMode[mode] = append(byMode[mode], r.Rules.Matcher.Triggers()...)
		merged = true
	}
	if !merged {
		t.gate.rules = []*paging.Rules{def}
		return
	}
	for _, mode := range modes {
		if mode == paging.MatchWholeWord { // one pass over the message, however many words
			t.gate.index = paging.NewAnyIndex(byMode[mode], def.IgnoreCode)
			continue
		}
		m, err := paging.NewMatcher(mode, byMode[mode])
		if err != nil {
			continue // each route's triggers compiled in this mode, so their union does too
		}
		t.gate.rules = append(t.gate.rules, &paging.Rules{Matcher: m, Urgency: def.Urgency, IgnoreCode: def.IgnoreCode})
	}
}
