package main

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// actionsPath is where the card's buttons post (DESIGN §10). Mattermost calls it as the user
// who pressed, with the Mattermost-User-Id header it sets; a logged-in user can also POST it
// directly, so nothing in the body is trusted beyond what the stored card confirms (followup).
const actionsPath = "/api/v1/actions/card"

// actionsURL is the buttons' integration URL: relative, so it works behind any proxy.
const actionsURL = "/plugins/" + "pagertree" + actionsPath

// cardPressWithin bounds a press: Mattermost waits 30 s (by default) for a button's answer.
const cardPressWithin = 25 * time.Second

// handleCardAction answers a button press with {"ephemeral_text"}. The card itself is redrawn
// by its one owner, the follow-up's card queue.
func (p *Plugin) handleCardAction(w http.ResponseWriter, r *http.Request) {
	userID := r.Header.Get("Mattermost-User-Id")
	if userID == "" {
		writeError(w, http.StatusUnauthorized, "Log in to Mattermost to act on PagerTree alerts.")
		return
	}
	var req model.PostActionIntegrationRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "The button press could not be read.")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), cardPressWithin)
	defer cancel()
	text := p.followup.PressCard(ctx, userID, req.PostId, req.Context)
	writeJSON(w, http.StatusOK, model.PostActionIntegrationResponse{EphemeralText: text})
}
