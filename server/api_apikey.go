package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// checkAPIKeyRequest carries the API settings as they are on screen, before Save.
type checkAPIKeyRequest struct {
	Settings struct {
		APIKey     *string `json:"apikey"`
		APIBaseURL *string `json:"apibaseurl"`
	} `json:"settings"`
}

type checkAPIKeyResponse struct {
	OK      bool                      `json:"ok"`
	Kind    pagertreeclient.ErrorKind `json:"kind,omitempty"`
	Status  int                       `json:"status,omitempty"`
	Message string                    `json:"message"`
	Host    string                    `json:"host"`
	Teams   int                       `json:"teams"`
}

// handleCheckAPIKey asks PagerTree's REST API for the key's teams and says whether the key works.
func (p *Plugin) handleCheckAPIKey(w http.ResponseWriter, r *http.Request) {
	var req checkAPIKeyRequest
	if !decodeBody(w, r, &req) {
		return
	}
	var raw map[string]any
	if err := p.API.LoadPluginConfiguration(&raw); err != nil {
		writeError(w, http.StatusInternalServerError, "The saved plugin settings could not be read.")
		return
	}
	saved, _ := decodeSettings(raw, defaultSettings())
	api, host, err := apiForCheck(saved, req, p.userAgent(), pagertreeclient.NewGuard(allowedInternal(p.API.GetConfig())))
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, upperFirst(err.Error())+".")
		return
	}
	defer api.CloseIdle()
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	teams, more, err := api.Teams(ctx)
	if err != nil {
		res := checkAPIKeyResponse{Host: host, Message: err.Error()}
		var ae *pagertreeclient.APIError
		if errors.As(err, &ae) {
			res.Kind, res.Status, res.Message = ae.Kind, ae.Status, ae.Sentence()
		}
		writeJSON(w, http.StatusOK, res)
		return
	}
	writeJSON(w, http.StatusOK, checkAPIKeyResponse{OK: true, Host: host, Teams: len(teams), Message: describeTeams(teams, more)})
}

// apiForCheck builds a client from the on-screen settings; its errors are sentences (lower-case,
// no full stop, as Go errors are). A saved key (the console shows it as a placeholder) is only
// ever sent to the saved API URL (apiKeyBinding, secret_binding.go: the rule the save applies
// too): a changed URL needs the key typed again.
func apiForCheck(saved settings, req checkAPIKeyRequest, userAgent string, guard *pagertreeclient.Guard) (*pagertreeclient.API, string, error) {
	baseRaw := saved.APIBaseURL
	if req.Settings.APIBaseURL != nil {
		baseRaw = *req.Settings.APIBaseURL
	}
	base, host, err := normalizeAPIBaseURL(baseRaw, guard)
	if err != nil {
		return nil, "", err
	}
	typed := req.Settings.APIKey != nil && !usesSavedSecret(*req.Settings.APIKey, true)
	key := saved.APIKey
	if typed {
		key = *req.Settings.APIKey
	} else if err := apiKeyBinding.refusal(saved.APIKey, saved.APIBaseURL, baseRaw, true, guard); err != nil {
		return nil, "", err
	}
	if err := checkAPIKey(key); err != nil {
		return nil, "", err
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, "", errors.New("no PagerTree API key is set: paste a PagerTree user API key (PagerTree: User Settings > API keys) first")
	}
	return pagertreeclient.NewAPI(base, key, pagertreeclient.DefaultTimeout, userAgent, guard), host, nil
}

// apiURLOrDefault is the API URL setting as used: "" means PagerTree's.
func apiURLOrDefault(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return pagertreeclient.DefaultAPIBaseURL
	}
	return raw
}

// describeTeams confirms a working key in one sentence, naming a few teams it can see.
func describeTeams(teams []pagertreeclient.Team, more bool) string {
	if len(teams) == 0 {
		return "PagerTree accepted the API key, but its user sees no teams: /pagertree oncall will have nobody to show."
	}
	names := []string{}
	for i, t := range teams {
		if i == 5 {
			names = append(names, "…")
			break
		}
		names = append(names, t.Name)
	}
	count := fmt.Sprintf("%d", len(teams))
	if more {
		count = "more than " + count
	}
	noun := "teams"
	if len(teams) == 1 && !more {
		noun = "team"
	}
	return fmt.Sprintf("PagerTree accepted the API key: it sees %s %s (%s).", count, noun, strings.Join(names, ", "))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
