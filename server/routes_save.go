package main

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// Keys of the two route settings as Mattermost stores them (lower-cased).
const (
	keyRoutes      = "routes"
	keyRouteTokens = "routetokens"
)

// tokenResolution is the RouteTokens value with the panel's per-route placeholders replaced by
// the saved tokens. moved lists the routes whose placeholder stands for a saved token but
// whose endpoint changed: that token is only ever sent to the endpoint it was saved for.
type tokenResolution struct {
	text  string
	moved []string // route names
	err   error
}

// resolveRouteTokens reads next's RouteTokens over the stored settings. The whole setting
// equal to model.FakeSetting is the console sending back an untouched secret: the stored value.
// Inside it, a route's token equal to model.FakeSetting means "unchanged": the stored token of
// that route when its endpoint is the stored one, no token when none was stored.
// anyEndpoint resolves a moved route's placeholder too: for the preview, which sends nothing.
func resolveRouteTokens(stored, next map[string]any, anyEndpoint bool) tokenResolution {
	storedText, _ := lookupString(stored, keyRouteTokens)
	nextText, ok := lookupString(next, keyRouteTokens)
	if !ok || nextText == model.FakeSetting {
		return tokenResolution{text: storedText}
	}
	if !strings.Contains(nextText, model.FakeSetting) {
		return tokenResolution{text: nextText}
	}
	nextTokens, err := routing.ParseTokens(nextText)
	if err != nil {
		return tokenResolution{text: nextText, err: err}
	}
	storedTokens, err := routing.ParseTokens(storedText)
	if err != nil {
		storedTokens = map[string]string{}
	}
	storedSpecs := specsByID(stored)
	nextSpecs := specsByID(next)
	var res tokenResolution
	for id, tok := range nextTokens {
		if tok != model.FakeSetting {
			continue
		}
		saved := strings.TrimSpace(storedTokens[id])
		if saved == "" {
			nextTokens[id] = ""
			continue
		}
		was, okWas := storedSpecs[id]
		now, okNow := nextSpecs[id]
		if !anyEndpoint && (!okWas || !okNow || routeTokenRefusal(saved, was.EndpointURL, now.EndpointURL) != nil) {
			name := id
			if okNow && strings.TrimSpace(now.Name) != "" {
				name = strings.TrimSpace(now.Name)
			}
			res.moved = append(res.moved, name)
			continue // the placeholder stays: the route pauses rather than send the token elsewhere
		}
		nextTokens[id] = saved
	}
	res.text = routing.EncodeTokens(nextTokens)
	return res
}

// movedRouteTokens names the routes whose saved token the on-screen settings keep while
// moving its endpoint (what the save refuses): screen overlays saved, keys in any case.
func movedRouteTokens(saved, screen map[string]any) []string {
	next := make(map[string]any, len(saved)+len(screen))
	for k, v := range saved {
		next[strings.ToLower(k)] = v
	}
	for k, v := range screen {
		next[strings.ToLower(k)] = v
	}
	return resolveRouteTokens(saved, next, false).moved
}

func specsByID(raw map[string]any) map[string]routing.Spec {
	text, _ := lookupString(raw, keyRoutes)
	specs, err := routing.ParseSpecs(text)
	out := map[string]routing.Spec{}
	if err != nil {
		return out
	}
	for _, s := range specs {
		out[s.ID] = s
	}
	return out
}

func lookupString(raw map[string]any, key string) (string, bool) {
	v, ok := lookupFold(raw, key)
	s, isStr := v.(string)
	return s, ok && isStr
}

// setFold sets key in raw, replacing whatever case the key has there.
func setFold(raw map[string]any, key string, v any) {
	for k := range raw {
		if strings.EqualFold(k, key) {
			delete(raw, k)
		}
	}
	raw[key] = v
}

// routeScopeProblems checks that every team and channel in the routes' scopes exists and can
// page: not archived, not a direct or group message. A passing database problem does not
// block saving (posting will say it).
func (p *Plugin) routeScopeProblems(raw map[string]any) []settingProblem {
	text, _ := lookupString(raw, keyRoutes)
	specs, err := routing.ParseSpecs(text)
	if err != nil || len(specs) > routing.MaxRoutes {
		return nil // buildConfig says why
	}
	var problems []settingProblem
	add := func(text string) { problems = append(problems, settingProblem{Key: "Routes", Text: text}) }
	for _, s := range specs {
		name := strconv.Quote(strings.TrimSpace(s.Name))
		for _, id := range s.Teams {
			if !model.IsValidId(id) {
				continue
			}
			team, appErr := p.API.GetTeam(id)
			switch {
			case appErr != nil && appErr.StatusCode == http.StatusNotFound:
				add("the route " + name + " holds the team " + id + ", which does not exist")
			case appErr == nil && team.DeleteAt != 0:
				add("the route " + name + " holds the team " + team.Name + ", which is archived")
			}
		}
		for _, id := range s.Channels {
			if !model.IsValidId(id) {
				continue
			}
			ch, appErr := p.API.GetChannel(id)
			switch {
			case appErr != nil && appErr.StatusCode == http.StatusNotFound:
				add("the route " + name + " holds the channel " + id + ", which does not exist")
			case appErr != nil:
			case ch.DeleteAt != 0:
				add("the route " + name + " holds the channel ~" + ch.Name + ", which is archived")
			case ch.Type != model.ChannelTypeOpen && ch.Type != model.ChannelTypePrivate:
				add("the route " + name + " holds a direct or group message: a route's channels must be public or private channels")
			}
		}
	}
	return problems
}
