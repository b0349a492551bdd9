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

type savedRoute struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ImportedFrom string `json:"imported_from,omitempty"`
}

// handleSavedRoutes is GET routes/saved: the routes as stored, without tokens or endpoints, so
// the panel offers to delete an imported webhook only once its route is saved.
func (p *Plugin) handleSavedRoutes(w http.ResponseWriter, _ *http.Request) {
	var raw map[string]any
	if err := p.API.LoadPluginConfiguration(&raw); err != nil {
		writeError(w, http.StatusInternalServerError, "The saved settings could not be read.")
		return
	}
	text, _ := lookupString(raw, keyRoutes)
	specs, err := routing.ParseSpecs(text)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "The saved routes could not be read: "+err.Error()+".")
		return
	}
	out := make([]savedRoute, 0, len(specs))
	for _, s := range specs {
		out = append(out, savedRoute{ID: s.ID, Name: s.Name, ImportedFrom: s.ImportedFrom})
	}
	writeJSON(w, http.StatusOK, map[string]any{"routes": out})
}
