package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// oncallMaxTeams bounds how many teams one /pagertree oncall asks PagerTree about.
const oncallMaxTeams = 10

const oncallUsage = "Usage: `/pagertree oncall [team]`, for example `/pagertree oncall devops`."

// commandOncall answers who is on call now, per PagerTree team, from the REST API. Only System
// Admins are told what is wrong with the API settings or PagerTree's answer about the key:
// everyone else is asked to see one.
func (p *Plugin) commandOncall(args *model.CommandArgs, rest string) string {
	cfg := p.config.Load()
	if cfg == nil {
		return "The PagerTree plugin is starting; try again in a moment."
	}
	isAdmin := p.API.HasPermissionTo(args.UserId, model.PermissionManageSystem)
	if cfg.REST.API == nil {
		switch {
		case !isAdmin:
			return "Who is on call comes from PagerTree's REST API, which the plugin is not set up to use. " + askAdmin
		case cfg.REST.Problem != "":
			return "Who is on call comes from PagerTree's REST API, and the PagerTree API settings need fixing: " + cfg.REST.Problem + ". Fix them in System Console > Plugins > PagerTree, then press **Check API key**."
		}
		return "Who is on call comes from PagerTree's REST API, and " + cfg.REST.apiUnavailable() + ". Add a PagerTree user API key (PagerTree: User Settings > API keys) in System Console > Plugins > PagerTree > PagerTree API key, then press **Check API key**."
	}
	api := cfg.REST.API
	want := strings.TrimSpace(rest)
	ctx, cancel := context.WithTimeout(p.lifetime, 20*time.Second)
	defer cancel()
	teams, more, err := p.oncall.teamsOf(ctx, api)
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
	users := map[string]string{} // account user id → how to show them (this caller's lines only)
	for i, t := range shown {
		if i == oncallMaxTeams {
			fmt.Fprintf(&b, "\n…and %d more teams. Name one: %s\n", len(shown)-oncallMaxTeams, oncallUsage)
			break
		}
		line, err := p.oncall.lineOf(ctx, api, t.ID, func(ctx context.Context) (string, error) {
			layers, err := api.CurrentOncall(ctx, t.ID)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("- **%s**: %s\n", mdEscape(t.Name), p.describeLayers(ctx, api, layers, users)), nil
		})
		if err != nil {
			if pagertreeclient.IsKind(err, pagertreeclient.KindBadKey) {
				return oncallFailure(err, isAdmin)
			}
			fmt.Fprintf(&b, "- **%s**: could not be read. %s\n", mdEscape(t.Name), apiFailureFor(err, isAdmin))
			continue
		}
		b.WriteString(line)
	}
	return b.String()
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

// personFor shows a PagerTree user as a Mattermost @mention when one of their e-mails is an
// active Mattermost user's verified e-mail (followup.VerifiedEmail), otherwise by their
// PagerTree name.
func (p *Plugin) personFor(ctx context.Context, api *pagertreeclient.API, accountUserID string) string {
	u, err := api.AccountUser(ctx, accountUserID)
	if err != nil {
		return "someone in PagerTree (their name could not be read)"
	}
	for _, email := range u.Emails {
		if mm, appErr := p.API.GetUserByEmail(email); appErr == nil && followup.VerifiedEmail(mm) != "" {
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
	return "Could not read who is on call from PagerTree. " + apiFailureFor(err, isAdmin)
}

// askAdmin ends an answer whose cause only a System Admin may see and fix.
const askAdmin = "Ask a System Admin to check the PagerTree plugin."

// apiFailureFor says what went wrong with a REST API call, as pagertreeclient.SentenceFor
// decides for a System Admin and for anyone else.
func apiFailureFor(err error, isAdmin bool) string {
	return pagertreeclient.SentenceFor(err, isAdmin)
}

// mdEscape shows a name from PagerTree (team and user names can be anything) as plain text
// (alertstate.Name: no Markdown, no image, no link, no mention).
func mdEscape(s string) string { return alertstate.Name(s) }
