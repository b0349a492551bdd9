package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

// resendUsage is the answer to a /pagertree resend it cannot read.
const resendUsage = "Usage: `/pagertree resend <alert id>` (the id is in `/pagertree history`) or " +
	"`/pagertree resend failed [since <duration>]` (default: since 24h; e.g. `since 1h`, `since 2d`)."

// resend queues a failed alert again through the outbox and says what happened, in one sentence.
func (p *Plugin) resend(alertID, by string) (queued bool, msg string, err error) {
	a, queued, err := p.outbox.Resend(alertID, by)
	if err != nil {
		return false, "", err
	}
	if !queued {
		return false, fmt.Sprintf("Alert `%s` was already resent just now; the resend is on its way.", alertID), nil
	}
	if p.metrics != nil {
		p.metrics.Queued("resend", a)
	}
	p.API.LogInfo("PagerTree: alert resent by a System Admin", "alert_id", alertID, "resend", a.Resent.Number, "user_id", by)
	return true, fmt.Sprintf("Alert `%s` (~%s, trigger: %s) is queued again for PagerTree with the saved settings (resend %d).",
		alertID, a.ChannelName, a.Trigger, a.Resent.Number), nil
}

// commandResend answers `/pagertree resend <alert id>|failed [since <duration>]` (System Admins).
func (p *Plugin) commandResend(args *model.CommandArgs, rest string) string {
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return resendUsage
	}
	if !strings.EqualFold(fields[0], "failed") {
		if len(fields) > 1 {
			return resendUsage
		}
		_, msg, err := p.resend(fields[0], args.UserId)
		if err != nil {
			return fmt.Sprintf("Alert `%s` was not resent: %s.", fields[0], err.Error())
		}
		return msg
	}
	since := 24 * time.Hour
	switch {
	case len(fields) == 3 && strings.EqualFold(fields[1], "since"):
		d, err := parseSince(fields[2])
		if err != nil {
			return err.Error() + ". " + resendUsage
		}
		since = d
	case len(fields) != 1:
		return resendUsage
	}
	entries, err := p.history.Recent(delivery.DefaultHistorySize)
	if err != nil {
		return "The delivery history could not be read: " + err.Error()
	}
	ids := delivery.FailedSince(entries, p.clock().Add(-since))
	if len(ids) == 0 {
		return fmt.Sprintf("No alert failed in the last %s; nothing to resend.", since)
	}
	var queued int
	var notes []string
	for _, id := range ids {
		ok, _, err := p.resend(id, args.UserId)
		switch {
		case err != nil:
			notes = append(notes, fmt.Sprintf("`%s`: %s", id, err.Error()))
		case ok:
			queued++
		default:
			notes = append(notes, fmt.Sprintf("`%s`: already resent just now", id))
		}
	}
	msg := fmt.Sprintf("Queued %d of %d alerts that failed in the last %s again for PagerTree, with the saved settings. "+
		"See the results with `/pagertree history`.", queued, len(ids), since)
	if len(notes) > 0 {
		msg += "\nNot resent: " + strings.Join(notes, "; ") + "."
	}
	return msg
}

// parseSince reads a duration like 30m, 1h or 2d.
func parseSince(s string) (time.Duration, error) {
	if strings.HasSuffix(s, "d") {
		if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("`%s` is not a duration", s)
}

type resendRequest struct {
	AlertID string `json:"alert_id"`
}

type resendResponse struct {
	AlertID string `json:"alert_id"`
	Queued  bool   `json:"queued"`
	Message string `json:"message"`
}

// handleResend is POST resend {alert_id}: the settings panel's Resend button.
func (p *Plugin) handleResend(w http.ResponseWriter, r *http.Request) {
	var req resendRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil || strings.TrimSpace(req.AlertID) == "" {
		writeError(w, http.StatusBadRequest, "Send {\"alert_id\": \"<id>\"} with the alert to resend.")
		return
	}
	queued, msg, err := p.resend(req.AlertID, r.Header.Get("Mattermost-User-Id"))
	switch {
	case errors.Is(err, delivery.ErrResendUnknown):
		writeError(w, http.StatusNotFound, "Not resent: "+err.Error()+".")
	case errors.Is(err, delivery.ErrResendPending), errors.Is(err, delivery.ErrResendOK), errors.Is(err, delivery.ErrResendTest):
		writeError(w, http.StatusConflict, "Not resent: "+err.Error()+".")
	case err != nil:
		writeError(w, http.StatusInternalServerError, "Not resent: "+err.Error()+".")
	default:
		writeJSON(w, http.StatusOK, resendResponse{AlertID: req.AlertID, Queued: queued, Message: msg})
	}
}
