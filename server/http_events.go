package main

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
)

// eventsPath is where PagerTree's Outgoing Webhook integration posts (DESIGN §10).
const eventsPath = "/api/v1/pagertree/events"

// handleEvents receives PagerTree's outgoing webhooks. It needs no Mattermost session: the
// basic-auth credentials the plugin generated are the only key, checked before anything else
// about the request. The event is recorded durably before the answer; the card and replies
// follow asynchronously (followup).
func (p *Plugin) handleEvents(w http.ResponseWriter, r *http.Request) {
	ok, err := p.followup.CheckCredentials(r.Header.Get("Authorization"))
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "The PagerTree plugin could not read its credentials; try again.")
		return
	}
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="PagerTree events"`)
		writeError(w, http.StatusUnauthorized, "Wrong or missing credentials: use the username and password shown in the plugin's settings.")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "PagerTree events are POSTed.")
		return
	}
	if mt, _, mtErr := mime.ParseMediaType(r.Header.Get("Content-Type")); mtErr != nil || mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		writeError(w, http.StatusUnsupportedMediaType, "PagerTree events are JSON: send Content-Type: application/json.")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "The event is larger than 64 KB.")
			return
		}
		writeError(w, http.StatusBadRequest, "The event could not be read.")
		return
	}
	result, err := p.followup.Receive(body)
	var bad *followup.BadEventError
	switch {
	case errors.As(err, &bad):
		writeError(w, http.StatusBadRequest, bad.Error())
	case err != nil: // not recorded: PagerTree retries a non-2xx answer, so nothing is lost
		writeError(w, http.StatusServiceUnavailable, "The event could not be recorded; PagerTree will retry.")
	default:
		writeJSON(w, http.StatusOK, map[string]followup.EventResult{"result": result})
	}
}
