package main

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// settingsCheckRequest carries the settings as they are on screen, before Save (keys in any
// case; absent keys keep the saved value; a secret shown as the placeholder is the saved one).
type settingsCheckRequest struct {
	Settings map[string]any `json:"settings"`
}

// settingsCheck is the server's word on the settings on screen, for the panel to show next to
// each field: it never decides anything the save-time check and the runtime configuration do
// not decide with the same functions. Keys are plugin.json's setting keys.
type settingsCheck struct {
	// Fields says why a value is refused (Save refuses it and forwarding would pause, or for
	// the API URL, the REST API cannot be used), one sentence per setting.
	Fields map[string]string `json:"fields"`
	// Hints warn about values that are accepted (plain http to a listed host, a host that is
	// not PagerTree's, a saved secret that would not go to a changed URL, a missing endpoint
	// while forwarding is off).
	Hints map[string]string `json:"hints"`
	// Lists are the list settings as the server reads them, so the panel shows exactly that.
	Lists settingsLists `json:"lists"`
	// Choices are the values a setting's items may take (the urgencies an alias may point to).
	Choices map[string][]string `json:"choices"`
}

type settingsLists struct {
	TriggerWords     []listItem  `json:"TriggerWords"`     // the triggers the matcher keeps, in order
	ChannelAllowList []string    `json:"ChannelAllowList"` // the channel ids
	UrgencyAliases   []aliasItem `json:"UrgencyAliases"`   // every item, accepted or not
}

type listItem struct {
	Text string `json:"text"`
	Hint string `json:"hint,omitempty"`
}

type aliasItem struct {
	Alias   string `json:"alias"`
	Urgency string `json:"urgency"` // the level as written, lower-cased ("" when missing)
	Problem string `json:"problem,omitempty"`
	Hint    string `json:"hint,omitempty"`
}

// handleSettingsCheck answers POST /api/v1/settings/check (System Admins): what is wrong with
// the settings on screen, field by field. Nothing is sent anywhere and nothing is saved.
func (p *Plugin) handleSettingsCheck(w http.ResponseWriter, r *http.Request) {
	var req settingsCheckRequest
	if !decodeBody(w, r, &req) {
		return
	}
	var saved map[string]any
	if err := p.API.LoadPluginConfiguration(&saved); err != nil {
		writeError(w, http.StatusInternalServerError, "The saved plugin settings could not be read.")
		return
	}
	merged, err := screenSettings(saved, req.Settings, false)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	res := checkSettings(saved, req.Settings, merged, p.userAgent(), pagertreeclient.NewGuard(allowedInternal(p.API.GetConfig())))
	if pr := p.externalChannelProblem(merged); pr != "" {
		res.Fields["ExternalAlertsChannel"] = sentence(pr)
	}
	addFieldProblems(res, p.routeScopeProblems(merged))
	if moved := movedRouteTokens(saved, req.Settings); len(moved) > 0 {
		addFieldProblems(res, []settingProblem{routeTokensMoved(moved)}) // as the save refuses them
	}
	writeJSON(w, http.StatusOK, res)
}

// checkSettings builds the configuration the merged settings give, as a save and the runtime
// would (configFromRaw, saveProblemsOf), and reads its verdicts per setting.
func checkSettings(saved, screen, merged map[string]any, userAgent string, guard *pagertreeclient.Guard) settingsCheck {
	res := settingsCheck{Fields: map[string]string{}, Hints: map[string]string{}, Choices: map[string][]string{}}
	c := configFromRaw(merged, userAgent, guard)
	defer c.closeIdle()
	addFieldProblems(res, saveProblemsOf(c))
	if c.REST.Problem != "" {
		res.Fields["APIBaseURL"] = sentence(c.REST.Problem)
	}

	s, _ := decodeSettings(merged, defaultSettings()) // its problems are among c's
	savedS, _ := decodeSettings(saved, defaultSettings())
	addURLHints(res, s, savedS, screen, guard)

	mode, _ := paging.ParseMatchMode(s.MatchMode)
	res.Lists.TriggerWords = []listItem{}
	for _, t := range paging.UniqueTriggers(mode, paging.SplitList(s.TriggerWords)) {
		res.Lists.TriggerWords = append(res.Lists.TriggerWords, listItem{Text: t, Hint: triggerHint(t)})
	}
	res.Lists.ChannelAllowList = append([]string{}, paging.SplitList(s.ChannelAllowList)...)
	res.Lists.UrgencyAliases = []aliasItem{}
	for _, a := range paging.ReadAliases(s.UrgencyAliases) {
		item := aliasItem{Alias: a.Name, Urgency: strings.ToLower(a.Level)}
		if a.Err != nil {
			item.Problem = sentence(a.Err.Error())
		}
		if a.Overridden {
			item.Hint = "\"" + a.Name + "\" is listed again further down: the last one counts."
		}
		res.Lists.UrgencyAliases = append(res.Lists.UrgencyAliases, item)
	}
	if _, refused := res.Fields["IncidentSeverities"]; !refused {
		setHint(res, "IncidentSeverities", incidentFormatNote(c))
	}
	for _, l := range paging.Levels {
		res.Choices["UrgencyAliases"] = append(res.Choices["UrgencyAliases"], string(l))
	}
	return res
}

// addFieldProblems adds the problems to their settings' sentences (several for one setting
// are joined, after any sentence it has already).
func addFieldProblems(res settingsCheck, problems []settingProblem) {
	byKey := map[string][]string{}
	var order []string
	for _, pr := range problems {
		if _, ok := byKey[pr.Key]; !ok {
			order = append(order, pr.Key)
		}
		byKey[pr.Key] = append(byKey[pr.Key], pr.Text)
	}
	for _, k := range order {
		text := sentence(strings.Join(byKey[k], "; "))
		if prev := res.Fields[k]; prev != "" {
			text = prev + " " + text
		}
		res.Fields[k] = text
	}
}

// addURLHints warns about the endpoint and the API URL when they are accepted but risky, and
// about a saved secret that would not go to a URL changed on screen (savedSecretMayGo).
func addURLHints(res settingsCheck, s, saved settings, screen map[string]any, guard *pagertreeclient.Guard) {
	endpoint := strings.TrimSpace(s.EndpointURL)
	if _, refused := res.Fields["EndpointURL"]; !refused {
		if endpoint == "" {
			res.Hints["EndpointURL"] = "No endpoint yet: nothing is sent to PagerTree until you paste one."
		} else if _, err := validateEndpoint(endpoint, guard); err == nil {
			u, _ := url.Parse(endpoint)
			setHint(res, "EndpointURL", outgoingURLHint(u, "the token", "PagerTree endpoints start with https://api.pagertree.com/integration/."))
		}
	}
	if _, _, err := normalizeAPIBaseURL(s.APIBaseURL, guard); err == nil {
		u, _ := url.Parse(apiURLOrDefault(strings.TrimSpace(s.APIBaseURL)))
		setHint(res, "APIBaseURL", outgoingURLHint(u, "the API key", "PagerTree's API is "+pagertreeclient.DefaultAPIBaseURL+" (another URL is only for a PagerTree test server)."))
	}
	token, tokenOnScreen := valueIn(screen, "token")
	if usesSavedSecret(token, tokenOnScreen) && endpoint != "" {
		if err := tokenBinding.refusal(saved.Token, saved.EndpointURL, endpoint, true, guard); err != nil {
			res.Hints["Token"] = upperFirst(err.Error()) + "."
		}
	}
	key, keyOnScreen := valueIn(screen, "apikey")
	if usesSavedSecret(key, keyOnScreen) {
		if err := apiKeyBinding.refusal(saved.APIKey, saved.APIBaseURL, s.APIBaseURL, true, guard); err != nil {
			res.Hints["APIKey"] = upperFirst(err.Error()) + "."
		}
	}
}

func setHint(res settingsCheck, key, hint string) {
	if hint != "" {
		res.Hints[key] = hint
	}
}

// valueIn finds key in m whatever its case.
func valueIn(m map[string]any, key string) (any, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// sentence turns an error's text (lower case, no full stop) into a sentence for a person.
func sentence(s string) string {
	s = upperFirst(strings.TrimSpace(s))
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
