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

// eventsSecretPrefix starts the receiver's URL that carries the secret: eventsPath/<secret>.
// The route is a prefix, not a mux pattern with a variable, so that nothing of mux's (its
// errors, its route templates) ever holds the secret.
const eventsSecretPrefix = eventsPath + "/"

// handleEvents receives PagerTree's outgoing webhooks. It needs no Mattermost session: the
// credentials the plugin generated are the only key (basic auth, or the secret as the URL's
// last path segment, for servers that never pass the Authorization header on), checked
// before anything else about the request, before any database work. The secret is never
// logged nor echoed. The event is recorded durably before the answer; the card and replies
// follow asynchronously (followup).
func (p *Plugin) handleEvents(w http.ResponseWriter, r *http.Request) {
	authHeader := r.Header.Get("Authorization")
	urlSecret := strings.TrimPrefix(r.URL.Path, eventsSecretPrefix)
	if urlSecret == r.URL.Path {
		urlSecret = "" // the plain URL
	}
	ok, err := p.followup.CheckCredentials(authHeader, urlSecret)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "The PagerTree plugin could not read its credentials; try again.")
		return
	}
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="PagerTree events"`)
		writeError(w, http.StatusUnauthorized, "Wrong or missing credentials: use the receiver URL with the secret, or the username and password, shown in the plugin's settings.")
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
	result, err := p.followup.Receive(body, followup.EventAuth{HeaderArrived: authHeader != "", ByURLSecret: urlSecret != ""})
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
