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
	if text, ok := p.oncall.get(api, want); ok {
		return text
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	teams, more, err := api.Teams(ctx)
	if err != nil {
		return oncallFailure(err, isAdmin)
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
	complete := true
	users := map[string]string{} // account user id → how to show them
	for i, t := range shown {
		if i == oncallMaxTeams {
			fmt.Fprintf(&b, "\n…and %d more teams. Name one: %s\n", len(shown)-oncallMaxTeams, oncallUsage)
			break
		}
		layers, err := api.CurrentOncall(ctx, t.ID)
		if err != nil {
			var ae *pagertreeclient.APIError
			if errors.As(err, &ae) && ae.Kind == pagertreeclient.KindBadKey {
				return oncallFailure(err, isAdmin)
			}
			fmt.Fprintf(&b, "- **%s**: could not be read. %s\n", mdEscape(t.Name), sentenceOf(err))
			complete = false
			continue
		}
		fmt.Fprintf(&b, "- **%s**: %s\n", mdEscape(t.Name), p.describeLayers(ctx, api, layers, users))
	}
	if complete {
		p.oncall.put(api, want, b.String())
	}
	return b.String()
}

// oncallTTL is how long an answer is reused: who is on call changes rarely, and every user may
// run the command, so PagerTree's rate limit (shared with acting on alerts) is spared.
const oncallTTL = 30 * time.Second

// oncallCache keeps recent complete answers per API client (a new configuration starts afresh)
// and question.
type oncallCache struct {
	mu      sync.Mutex
	api     *pagertreeclient.API
	answers map[string]oncallAnswer
	now     func() time.Time // test seam; nil: time.Now
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

func (c *oncallCache) get(api *pagertreeclient.API, q string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock()
	a, ok := c.answers[strings.ToLower(q)]
	if !ok || c.api != api || now.Sub(a.at) > oncallTTL || now.Before(a.at) {
		return "", false
	}
	return a.text, true
}

func (c *oncallCache) put(api *pagertreeclient.API, q, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock()
	if c.api != api || len(c.answers) > 100 {
		c.api, c.answers = api, map[string]oncallAnswer{}
	}
	c.answers[strings.ToLower(q)] = oncallAnswer{text: text, at: now}
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
