package main

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// eventsPath is where PagerTree's Outgoing Webhook integration posts (DESIGN §10).
const eventsPath = "/api/v1/pagertree/events"

// handleEvents receives PagerTree's outgoing webhooks. It needs no Mattermost session: the
// basic-auth credentials the plugin generated are the only key. It records what the event
// changed in the KV store (durable) and answers; the card and replies follow asynchronously.
func (p *Plugin) handleEvents(w http.ResponseWriter, r *http.Request) {
	creds, ok, err := delivery.LoadCredentials(p.kv)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "The PagerTree plugin could not read its credentials; try again.")
		return
	}
	if !ok || !pagertreeclient.CheckBasicAuth(r.Header.Get("Authorization"), creds.Username, creds.Password) {
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
	ev, err := pagertreeclient.DecodeEvent(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	cfg := p.config.Load()
	replies := cfg == nil || cfg.StatusReplies
	var applied delivery.Applied
	if ev.Kind != alertstate.KindUnknown {
		p.mentionPeople(&ev)
		applied, err = p.alerts.Apply(ev, replies)
		if err == nil && !applied.Matched {
			applied, err = p.adoptExternal(ev, cfg, replies) // external.go
		}
		if err != nil {
			// Not recorded: PagerTree retries a non-2xx answer, so nothing is lost.
			p.API.LogError("PagerTree: could not record an event", "type", ev.RawType, "error", err.Error())
			writeError(w, http.StatusServiceUnavailable, "The event could not be recorded; PagerTree will retry.")
			return
		}
	}
	if err := delivery.RecordLastEvent(p.kv, delivery.LastEvent{At: p.clock().UTC(), Type: ev.RawType, Matched: applied.Matched}); err != nil {
		p.API.LogWarn("PagerTree: could not record the last event received", "error", err.Error())
	}
	result := "ignored" // unknown types and alerts this plugin did not send
	switch {
	case applied.Matched && applied.Changed:
		result = "applied"
	case applied.Matched:
		result = "unchanged" // a repeat, or a late event that would move the alert backwards
	}
	p.metrics.EventReceived(eventLabel(ev.Kind))
	writeJSON(w, http.StatusOK, map[string]string{"result": result})
	if applied.Work {
		p.cards.kick(applied.ThirdPartyID)
	}
}

// mentionPeople turns PagerTree people into @mentions when their e-mail or username is a
// Mattermost user's. One local lookup each; unknown people keep PagerTree's name.
func (p *Plugin) mentionPeople(ev *alertstate.Event) {
	for _, person := range []*alertstate.Person{&ev.By, &ev.From} {
		if person.Email != "" {
			if u, appErr := p.API.GetUserByEmail(person.Email); appErr == nil && u.DeleteAt == 0 {
				person.Mention = "@" + u.Username
				continue
			}
		}
		if person.Username != "" {
			if u, appErr := p.API.GetUserByUsername(person.Username); appErr == nil && u.DeleteAt == 0 {
				person.Mention = "@" + u.Username
			}
		}
	}
}
