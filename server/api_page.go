package main

import (
	"io"
	"net/http"
)

// The plugin API routes any logged-in user may call: paging from a message (the webapp's
// "Page PagerTree…" dialog) and the interactive dialog of /pagertree alert. Each checks the
// user's access to what it names; nothing from the body is trusted.
const (
	pageFromPostPath = "/api/v1/page-from-post"
	alertDialogPath  = "/api/v1/dialog/alert"
)

// alertDialogURL is where Mattermost posts the interactive dialog's submission: relative, so
// Mattermost calls the plugin directly, as the user who submitted.
const alertDialogURL = "/plugins/" + "pagertree" + alertDialogPath

// userHandler lets through logged-in users, with the body bounded.
func userHandler(h func(w http.ResponseWriter, r *http.Request, userID string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		userID := r.Header.Get("Mattermost-User-Id")
		if userID == "" {
			writeError(w, http.StatusUnauthorized, "Log in to Mattermost to page PagerTree.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		h(w, r, userID)
	}
}

// handlePageFromPost answers GET (what the dialog starts with) and POST (page now).
func (p *Plugin) handlePageFromPost(w http.ResponseWriter, r *http.Request, userID string) {
	switch r.Method {
	case http.MethodGet:
		prefill, refusal := p.prefillPage(userID, r.URL.Query().Get("post_id"))
		if refusal != nil {
			writeJSON(w, refusal.Status, refusal)
			return
		}
		writeJSON(w, http.StatusOK, prefill)
	case http.MethodPost:
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, "The request is too large: shorten the title or the note.")
			return
		}
		var req pageRequest
		if err := decodeStrict(body, &req); err != nil {
			writeRequestError(w, err)
			return
		}
		answer, refusal := p.pageFromPost(userID, req)
		if refusal != nil {
			writeJSON(w, refusal.Status, refusal)
			return
		}
		writeJSON(w, http.StatusOK, answer)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, "This PagerTree plugin API route accepts GET and POST only.")
	}
}
