package main

import (
	"net/http"
	"reflect"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// allowedInternal is the server's ServiceSettings.AllowedUntrustedInternalConnections.
func allowedInternal(cfg *model.Config) string {
	if cfg == nil || cfg.ServiceSettings.AllowedUntrustedInternalConnections == nil {
		return ""
	}
	return *cfg.ServiceSettings.AllowedUntrustedInternalConnections
}

// configFromRaw decodes settings as Mattermost stores them and validates them; wrongly typed
// values are problems like any other (forwarding pauses, the save is refused).
func configFromRaw(raw map[string]any, userAgent string, guard *pagertreeclient.Guard) *runtimeConfig {
	s, typeProblems := decodeSettings(raw, defaultSettings())
	c := buildConfig(s, userAgent, guard)
	if len(typeProblems) > 0 {
		c.problems = append(typeProblems, c.problems...)
		c.Problem = problemText(c.problems)
		c.Client = nil
	}
	return c
}

// ConfigurationWillBeSaved (Mattermost 8.0 and later) refuses an invalid PagerTree
// configuration before it is stored, so the System Console and PUT /api/v4/config show the
// same sentence that would otherwise pause forwarding. Older servers and config changed by
// file or environment still get the runtime check (OnConfigurationChange pauses forwarding).
func (p *Plugin) ConfigurationWillBeSaved(newCfg *model.Config) (*model.Config, error) {
	if newCfg == nil {
		return nil, nil
	}
	raw, ok := newCfg.PluginSettings.Plugins[manifest.Id]
	if !ok {
		return nil, nil
	}
	current := p.API.GetConfig()
	if current != nil && samePluginSettings(current.PluginSettings.Plugins[manifest.Id], raw) {
		// Someone saves other settings: a PagerTree problem that is already stored (and shown
		// by status) must not block them.
		return nil, nil
	}
	guard := pagertreeclient.NewGuard(allowedInternal(newCfg))
	// The saved secrets: GetConfig shows every secret as the placeholder, set or not; the
	// plugin's own settings are read unmasked. Unreadable, the masked copy stands in (every
	// secret counts as saved, so a moved URL is refused rather than let through).
	var stored map[string]any
	if err := p.API.LoadPluginConfiguration(&stored); err != nil && current != nil {
		stored = current.PluginSettings.Plugins[manifest.Id]
	}
	// The routes' per-route "unchanged" placeholders become the saved tokens (routes_save.go).
	tokens := resolveRouteTokens(stored, raw, false)
	checked := make(map[string]any, len(raw))
	for k, v := range raw {
		checked[k] = v
	}
	setFold(checked, keyRouteTokens, tokens.text)
	problems := saveProblems(checked, p.userAgent(), guard)
	for _, b := range []boundSecret{tokenBinding, apiKeyBinding} {
		if err := b.saveRefusal(stored, raw, guard); err != nil {
			problems = append(problems, settingProblem{Key: b.settingKey, Text: err.Error()})
		}
	}
	if len(tokens.moved) > 0 {
		problems = append(problems, routeTokensMoved(tokens.moved))
	}
	if pr := p.externalChannelProblem(raw); pr != "" {
		problems = append(problems, settingProblem{Key: "ExternalAlertsChannel", Text: pr})
	}
	problems = append(problems, p.routeScopeProblems(raw)...)
	if len(problems) > 0 {
		msg := "The PagerTree settings were not saved: " + problemText(problems) + "."
		return nil, &model.AppError{
			Id: "plugin.pagertree.settings_invalid", Message: msg, Where: "PagerTree.ConfigurationWillBeSaved",
			StatusCode: http.StatusBadRequest, SkipTranslation: true,
		}
	}
	if next, _ := lookupString(raw, keyRouteTokens); next != model.FakeSetting && next != tokens.text {
		setFold(raw, keyRouteTokens, tokens.text) // placeholders replaced by the saved tokens
		return newCfg, nil
	}
	return nil, nil
}

// externalChannelProblem checks that the channel for alerts from other sources exists and
// can hold the cards (not a direct message, not archived). A malformed id is saveProblems'.
func (p *Plugin) externalChannelProblem(raw map[string]any) string {
	s, _ := decodeSettings(raw, defaultSettings())
	id := strings.TrimSpace(s.ExternalAlertsChannel)
	if id == "" || !model.IsValidId(id) {
		return ""
	}
	ch, appErr := p.API.GetChannel(id)
	switch {
	case appErr != nil && appErr.StatusCode == http.StatusNotFound:
		return "the channel for alerts that did not come from Mattermost (" + id + ") does not exist"
	case appErr != nil:
		return "" // a passing database problem must not block saving; posting will say it
	case ch.DeleteAt != 0:
		return "the channel for alerts that did not come from Mattermost (~" + ch.Name + ") is archived"
	case ch.Type != model.ChannelTypeOpen && ch.Type != model.ChannelTypePrivate:
		return "the channel for alerts that did not come from Mattermost must be a public or private channel, not a direct or group message"
	}
	return ""
}

// saveProblems is why raw may not be saved: what pauses forwarding, and what keeps the REST
// API unused (apiProblems). One exception to the runtime check: with forwarding disabled an
// empty endpoint is fine (an admin may save before PagerTree is set up).
func saveProblems(raw map[string]any, userAgent string, guard *pagertreeclient.Guard) []settingProblem {
	c := configFromRaw(raw, userAgent, guard)
	defer c.closeIdle()
	return saveProblemsOf(c)
}

// saveProblemsOf is saveProblems for a configuration already built.
func saveProblemsOf(c *runtimeConfig) []settingProblem {
	out := []settingProblem{}
	for _, pr := range c.problems {
		if c.Enabled || !c.noEndpoint || pr.Text != errNoEndpoint.Error() {
			out = append(out, pr)
		}
	}
	return append(out, c.REST.problems...)
}

// samePluginSettings compares stored and about-to-be-saved settings; the console sends a saved
// secret back as model.FakeSetting, which counts as unchanged.
func samePluginSettings(stored, next map[string]any) bool {
	if len(stored) != len(next) {
		return false
	}
	for k, v := range next {
		if v == model.FakeSetting {
			if _, ok := stored[k]; ok {
				continue
			}
		}
		if !reflect.DeepEqual(stored[k], v) {
			return false
		}
	}
	return true
}
