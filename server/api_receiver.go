package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
)

// receiverEvents are the event types to tick in PagerTree's Outgoing Webhook integration:
// alert.created too, or alerts from other sources never reach the feed channel.
var receiverEvents = func() []string {
	out := []string{}
	for _, k := range []alertstate.Kind{alertstate.KindCreated, alertstate.KindOpen, alertstate.KindAcknowledged, alertstate.KindRejected,
		alertstate.KindTimeout, alertstate.KindResolved, alertstate.KindDropped, alertstate.KindHandoff} {
		out = append(out, string(k))
	}
	return out
}()

type receiverInfo struct {
	URL       string               `json:"url"`
	SecretURL string               `json:"secret_url"` // the URL with the secret (itself a secret)
	Advice    followup.SetupAdvice `json:"advice"`     // what to paste into PagerTree on this server
	Problem   string               `json:"problem,omitempty"`
	Username  string               `json:"username"`
	Password  string               `json:"password"`
	Created   time.Time            `json:"created"`
	LastEvent *followup.LastEvent  `json:"last_event"`
	Events    []string             `json:"events"`
	Actions   string               `json:"actions"` // the card's buttons, or why there are none
	Updates   string               `json:"updates"` // how PagerTree's updates arrive
	LastPoll  *followup.LastPoll   `json:"last_poll"`
}

// followupConfig is the follow-up's configuration in force (nil while starting).
func (p *Plugin) followupConfig() *followup.Config {
	if c := p.config.Load(); c != nil {
		return c.Followup
	}
	return nil
}

// receiverURL is where PagerTree must post, from the Site URL ("" and why when it is unset).
func (p *Plugin) receiverURL() (string, string) {
	cfg := p.API.GetConfig()
	site := ""
	if cfg != nil && cfg.ServiceSettings.SiteURL != nil {
		site = strings.TrimRight(*cfg.ServiceSettings.SiteURL, "/")
	}
	if site == "" {
		return "", "Set the Site URL in System Console > Environment > Web Server: PagerTree needs the full address of this Mattermost."
	}
	return site + "/plugins/" + manifest.Id + eventsPath, ""
}

func (p *Plugin) receiverInfo(c followup.Credentials) receiverInfo {
	info := receiverInfo{Username: c.Username, Password: c.Password, Created: c.Created, Events: receiverEvents}
	info.URL, info.Problem = p.receiverURL()
	if info.URL != "" && c.Secret != "" {
		info.SecretURL = info.URL + "/" + c.Secret
	}
	info.Actions = p.followupConfig().ActionsSummary()
	info.Updates = p.followupConfig().UpdatesState()
	st := p.followup.Status()
	info.LastEvent, info.LastPoll = st.LastEvent, st.LastPoll
	info.Advice = followup.Advise(st.LastEvent, p.API.GetServerVersion())
	return info
}

func (p *Plugin) handleReceiver(w http.ResponseWriter, _ *http.Request) {
	c, err := p.followup.EnsureCredentials()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "The receiver's credentials could not be read from the database.")
		return
	}
	writeJSON(w, http.StatusOK, p.receiverInfo(c))
}

func (p *Plugin) handleRegenerate(w http.ResponseWriter, r *http.Request) {
	c, err := p.followup.RegenerateCredentials()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "New credentials could not be stored; the old ones still work.")
		return
	}
	p.API.LogInfo("PagerTree: the receiver's password and URL secret were regenerated (or had just been); PagerTree's integration must be updated",
		"user_id", r.Header.Get("Mattermost-User-ID"))
	writeJSON(w, http.StatusOK, p.receiverInfo(c))
}

// receiverRows adds the PagerTree → Mattermost part of /pagertree status: the same as the
// settings panel shows, without the password or the URL secret.
func (p *Plugin) receiverRows(row func(k, v string)) {
	url, problem := p.receiverURL()
	if url == "" {
		url = problem
	}
	row("PagerTree → Mattermost URL", url)
	if c, ok, err := p.followup.Credentials(); err == nil && ok {
		if c.Secret != "" && problem == "" {
			row("URL with the secret", url+"/•••••••• (copy it from System Console > Plugins > PagerTree)")
		}
		row("Basic auth username", c.Username+" (password in System Console > Plugins > PagerTree)")
	}
	st := p.followup.Status()
	row("What to paste into PagerTree", followup.Advise(st.LastEvent, p.API.GetServerVersion()).Text)
	updates := "card and thread replies"
	if cfg := p.followupConfig(); cfg != nil && !cfg.StatusReplies {
		updates = "card only"
	}
	row("Status updates", updates)
	row("Acknowledge / Resolve buttons", p.followupConfig().ActionsSummary())
	last := "none yet"
	if e := st.LastEvent; st.LastEventError != nil {
		last = "unknown (" + st.LastEventError.Error() + ")"
	} else if e != nil {
		last = e.At.UTC().Format("2006-01-02 15:04:05 UTC") + " (" + e.Type + ")"
		if !e.Matched {
			last += ", not about an alert from this plugin"
		}
		switch {
		case e.ByURLSecret && !e.HeaderArrived:
			last += ", by the URL secret, no Authorization header"
		case e.ByURLSecret:
			last += ", by the URL secret"
		default:
			last += ", by basic auth"
		}
	}
	row("Last event from PagerTree", last)
	row("Updates arrive", p.followupConfig().UpdatesState())
	if st.LastPoll != nil {
		row("Last poll of PagerTree", lastPollText(*st.LastPoll))
	}
}

// lastPollText says when the plugin last asked PagerTree and what it learned.
func lastPollText(lp followup.LastPoll) string {
	s := fmt.Sprintf("%s: %d alerts checked, %d changed", lp.At.UTC().Format("2006-01-02 15:04:05 UTC"), lp.Checked, lp.Changed)
	if lp.Problem != "" {
		s += "; failed: " + lp.Problem
	}
	return s
}
