package main

import (
	"net/http"

	"github.com/pagertree/mattermost-plugin-pagertree/server/routing"
)

// importRequest carries Mattermost's outgoing webhooks as its REST API returned them to the
// admin's session (the plugin API cannot list them), and the routes on screen.
type importRequest struct {
	Webhooks []routing.OutgoingWebhook `json:"webhooks"`
	Routes   string                    `json:"routes"` // the Routes setting on screen (JSON text)
}

type importResponse struct {
	Routes  []routing.Imported `json:"routes"`
	Skipped []routing.Skipped  `json:"skipped"`
	Found   int                `json:"found"`
}

// maxImportWebhooks bounds one import; a site with more imports in several steps.
const maxImportWebhooks = 500

// handleImportRoutes converts outgoing webhooks into routes next to the ones on screen; the
// admin reviews them and saves (the save hook validates everything, as for routes typed in).
func (p *Plugin) handleImportRoutes(w http.ResponseWriter, r *http.Request) {
	var req importRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if len(req.Webhooks) > maxImportWebhooks {
		writeError(w, http.StatusBadRequest, "Import at most 500 webhooks at a time.")
		return
	}
	existing, err := routing.ParseSpecs(req.Routes)
	if err != nil {
		writeError(w, http.StatusBadRequest, "The routes on screen could not be read: "+err.Error()+".")
		return
	}
	teams, channels := map[string]string{}, map[string]string{}
	for _, h := range req.Webhooks {
		if h.DisplayName != "" {
			continue // named: no lookup needed
		}
		if h.ChannelID != "" {
			if ch, appErr := p.API.GetChannel(h.ChannelID); appErr == nil {
				channels[h.ChannelID] = ch.Name
			}
		} else if t, appErr := p.API.GetTeam(h.TeamID); appErr == nil {
			teams[h.TeamID] = t.DisplayName
			if t.DisplayName == "" {
				teams[h.TeamID] = t.Name
			}
		}
	}
	made, skipped := routing.Import(req.Webhooks, existing, teams, channels)
	if made == nil {
		made = []routing.Imported{}
	}
	if skipped == nil {
		skipped = []routing.Skipped{}
	}
	writeJSON(w, http.StatusOK, importResponse{Routes: made, Skipped: skipped, Found: len(req.Webhooks)})
}
