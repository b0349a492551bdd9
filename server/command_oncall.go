package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// oncallMaxTeams bounds how many teams one /pagertree oncall asks PagerTree about.
const oncallMaxTeams = 10

const oncallUsage = "Usage: `/pagertree oncall [team]`, for example `/pagertree oncall devops`."

// commandOncall answers who is on call now, per PagerTree team, from the REST API.
func (p *Plugin) commandOncall(args *model.CommandArgs, rest string) string {
	cfg := p.config.Load()
	isAdmin := p.API.HasPermissionTo(args.UserId, model.PermissionManageSystem)
	if cfg == nil || cfg.REST.API == nil {
		why := "the plugin is starting"
		if cfg != nil {
			why = cfg.REST.apiUnavailable()
		}
		if isAdmin {
			return "Who is on call comes from PagerTree's REST API, and " + why + ". Add a PagerTree user API key (PagerTree: User Settings > API keys) in System Console > Plugins > PagerTree > PagerTree API key, then press **Check API key**."
		}
		return "Who is on call comes from PagerTree's REST API, and " + why + ". Ask a System Admin to add a PagerTree API key to the plugin settings."
	}
	api := cfg.REST.API
	want := strings.TrimSpace(rest)
	ctx, cancel := context.WithTimeout(p.lifetime, 20*time.Second)
	defer cancel()
	teams, more, ok := p.oncall.teams(api)
	if !ok {
		var err error
		if teams, more, err = api.Teams(ctx); err != nil {
			return oncallFailure(err, isAdmin)
		}
		p.oncall.putTeams(api, teams, more)
	}
	if len(teams) == 0 {
		return "PagerTree shows no teams to the plugin's API key, so there is nobody on call to show."
	}
	shown := teams
	if want != "" {
		shown = matchTeams(teams, want)
		if len(shown) == 0 {
			hint := ""
			if more {
				hint = " (the plugin reads the first 100 teams)"
			}
			return fmt.Sprintf("No PagerTree team matches `%s`. Teams%s: %s. %s", cell(want), hint, teamNames(teams, 15), oncallUsage)
		}
	}
	var b strings.Builder
	b.WriteString("#### On call now in PagerTree\n")
	users := map[string]string{} // account user id → how to show them
	for i, t := range shown {
		if i == oncallMaxTeams {
			fmt.Fprintf(&b, "\n…and %d more teams. Name one: %s\n", len(shown)-oncallMaxTeams, oncallUsage)
			break
		}
		if line, ok := p.oncall.line(api, t.ID); ok {
			b.WriteString(line)
			continue
		}
		layers, err := api.CurrentOncall(ctx, t.ID)
		if err != nil {
			var ae *pagertreeclient.APIError
			if errors.As(err, &ae) && ae.Kind == pagertreeclient.KindBadKey {
				return oncallFailure(err, isAdmin)
			}
			fmt.Fprintf(&b, "- **%s**: could not be read. %s\n", mdEscape(t.Name), sentenceOf(err))
			continue
		}
		line := fmt.Sprintf("- **%s**: %s\n", mdEscape(t.Name), p.describeLayers(ctx, api, layers, users))
		p.oncall.putLine(api, t.ID, line)
		b.WriteString(line)
	}
	return b.String()
}

// oncallTTL is how long what PagerTree said is reused: who is on call changes rarely, and every
// user may run the command, so PagerTree's rate limit (shared with acting on alerts) is spared.
// The team list and each team's line are kept, not answers to a question, so asking with
// different words costs PagerTree nothing more.
const oncallTTL = 30 * time.Second

// oncallCache keeps the team list and each team's on-call line per API client (a new
// configuration starts afresh).
type oncallCache struct {
	mu        sync.Mutex
	api       *pagertreeclient.API
	teamList  []pagertreeclient.Team
	teamsMore bool
	teamsAt   time.Time
	lines     map[string]oncallAnswer // by team id
	now       func() time.Time        // test seam; nil: time.Now
}

type oncallAnswer struct {
	text string
	at   time.Time
}

func (c *oncallCache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// fresh reports whether something stored at `at` may be reused now; the caller holds mu.
func (c *oncallCache) fresh(api *pagertreeclient.API, at time.Time) bool {
	now := c.clock()
	return c.api == api && !at.IsZero() && now.Sub(at) <= oncallTTL && !now.Before(at)
}

// forAPI starts afresh when the configuration (and so the client) changed; the caller holds mu.
func (c *oncallCache) forAPI(api *pagertreeclient.API) {
	if c.api != api || len(c.lines) > 1000 {
		c.api, c.teamList, c.teamsAt, c.lines = api, nil, time.Time{}, map[string]oncallAnswer{}
	}
}

func (c *oncallCache) teams(api *pagertreeclient.API) ([]pagertreeclient.Team, bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fresh(api, c.teamsAt) {
		return nil, false, false
	}
	return c.teamList, c.teamsMore, true
}

func (c *oncallCache) putTeams(api *pagertreeclient.API, teams []pagertreeclient.Team, more bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forAPI(api)
	c.teamList, c.teamsMore, c.teamsAt = teams, more, c.clock()
}

func (c *oncallCache) line(api *pagertreeclient.API, teamID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.lines[teamID]
	if !ok || !c.fresh(api, a.at) {
		return "", false
	}
	return a.text, true
}

func (c *oncallCache) putLine(api *pagertreeclient.API, teamID, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forAPI(api)
	c.lines[teamID] = oncallAnswer{text: text, at: c.clock()}
}

// describeLayers renders "layer 1: @alice · layer 2: Bob Jones" (layers without anyone skipped).
func (p *Plugin) describeLayers(ctx context.Context, api *pagertreeclient.API, layers []pagertreeclient.OncallLayer, users map[string]string) string {
	parts := []string{}
	for _, l := range layers {
		people := []string{}
		for _, id := range l.AccountUserIDs {
			if _, ok := users[id]; !ok {
				users[id] = p.personFor(ctx, api, id)
			}
			people = append(people, users[id])
		}
		if len(people) == 0 {
			continue
		}
		label := ""
		if len(layers) > 1 && l.Layer > 0 {
			label = "layer " + strconv.Itoa(l.Layer) + ": "
		}
		parts = append(parts, label+strings.Join(people, ", "))
	}
	if len(parts) == 0 {
		return "nobody is on call right now"
	}
	return strings.Join(parts, " · ")
}

// personFor shows a PagerTree user as a Mattermost @mention when one of their e-mails belongs to
// an active Mattermost user, otherwise by their PagerTree name.
func (p *Plugin) personFor(ctx context.Context, api *pagertreeclient.API, accountUserID string) string {
	u, err := api.AccountUser(ctx, accountUserID)
	if err != nil {
		return "someone in PagerTree (their name could not be read)"
	}
	for _, email := range u.Emails {
		if mm, appErr := p.API.GetUserByEmail(email); appErr == nil && mm != nil && mm.DeleteAt == 0 {
			if u.Name != "" && !strings.EqualFold(u.Name, mm.Username) {
				return "@" + mm.Username + " (" + mdEscape(u.Name) + ")"
			}
			return "@" + mm.Username
		}
	}
	if u.Name == "" {
		return "someone in PagerTree without a name"
	}
	return mdEscape(u.Name)
}

// matchTeams finds teams by exact name (any case), then by name prefix or substring, or by id.
func matchTeams(teams []pagertreeclient.Team, want string) []pagertreeclient.Team {
	w := strings.ToLower(strings.TrimPrefix(want, "#"))
	var exact, partial []pagertreeclient.Team
	for _, t := range teams {
		name := strings.ToLower(t.Name)
		switch {
		case name == w || t.ID == want || (t.TinyID > 0 && strconv.FormatInt(t.TinyID, 10) == w):
			exact = append(exact, t)
		case strings.Contains(name, w):
			partial = append(partial, t)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return partial
}

func teamNames(teams []pagertreeclient.Team, limit int) string {
	names := []string{}
	for i, t := range teams {
		if i == limit {
			names = append(names, "…")
			break
		}
		names = append(names, mdEscape(t.Name))
	}
	return strings.Join(names, ", ")
}

func oncallFailure(err error, isAdmin bool) string {
	s := "Could not read who is on call from PagerTree. " + sentenceOf(err)
	if pagertreeclient.IsKind(err, pagertreeclient.KindBadKey) && !isAdmin {
		s += " Ask a System Admin to check the plugin's PagerTree API key."
	}
	return s
}

func sentenceOf(err error) string {
	var ae *pagertreeclient.APIError
	if errors.As(err, &ae) {
		return ae.Sentence()
	}
	return err.Error()
}

// mdEscape keeps text from PagerTree (names can be anything) from becoming Markdown, links or
// mentions in chat.
func mdEscape(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer(
		`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`,
		"#", `\#`, "|", `\|`, "<", `\<`, ">", `\>`, "@", "@\u200b", ":", `\:`,
	).Replace(s)
}
