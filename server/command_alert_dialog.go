package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// /pagertree alert with no text opens a form (Mattermost's interactive dialog, which mobile
// apps show too); its submission pages exactly like /pagertree alert <text>.

// The dialog's fields.
const (
	dialogMessage  = "message"
	dialogUrgency  = "urgency"
	dialogSeverity = "severity"
	// dialogFromMessage is the urgency choice "read it from the message", as typed alerts do.
	dialogFromMessage = "from_message"
	// dialogMessageMax bounds the message the dialog accepts: the announcement quotes it.
	dialogMessageMax = 3000
)

// alertDialogState is what the dialog carries from the command to its submission: the thread it
// was opened in. It comes back from the client, so the submission checks it again.
type alertDialogState struct {
	RootID string `json:"root_id,omitempty"`
}

func (p *Plugin) openAlertDialog(args *model.CommandArgs) *model.CommandResponse {
	state, _ := json.Marshal(alertDialogState{RootID: args.RootId}) // a struct of strings always encodes
	urgencies := []*model.PostActionOptions{{Text: "Read it from the message (like a post)", Value: dialogFromMessage}}
	for _, c := range urgencyChoices() {
		if c.Value != "" {
			urgencies = append(urgencies, &model.PostActionOptions{Text: c.Label, Value: c.Value})
		}
	}
	urgencies = append(urgencies, &model.PostActionOptions{Text: paging.UrgencyDefault.String(), Value: "pagertree_default"})
	var severities []*model.PostActionOptions
	for _, c := range severityChoices() {
		v := c.Value
		if v == "" {
			v = "none"
		}
		severities = append(severities, &model.PostActionOptions{Text: c.Label, Value: v})
	}
	req := model.OpenDialogRequest{
		TriggerId: args.TriggerId,
		URL:       alertDialogURL,
		Dialog: model.Dialog{
			CallbackId:  "pagertree_alert",
			Title:       "Page PagerTree",
			SubmitLabel: "Page",
			State:       string(state),
			Elements: []model.DialogElement{
				{DisplayName: "What is happening", Name: dialogMessage, Type: "textarea", MaxLength: dialogMessageMax,
					Placeholder: "checkout is failing for all users", HelpText: "The first line is the alert's title."},
				{DisplayName: "Urgency", Name: dialogUrgency, Type: "select", Default: dialogFromMessage, Options: urgencies},
				{DisplayName: "Incident severity", Name: dialogSeverity, Type: "select", Default: "none", Options: severities,
					HelpText: "An incident with a severity changes who PagerTree tells, and how."},
			},
		},
	}
	if appErr := p.API.OpenInteractiveDialog(req); appErr != nil {
		return ephemeral("The form could not be opened (" + appErr.Message + "). Type it instead: " + alertUsage)
	}
	return &model.CommandResponse{}
}

// checkAlertDialog validates a submission: the field errors Mattermost shows under each field,
// or the alert to page.
func checkAlertDialog(sub map[string]any) (alertInput, map[string]string) {
	errs := map[string]string{}
	text := func(name string) string { s, _ := sub[name].(string); return strings.TrimSpace(s) }
	in := alertInput{Message: text(dialogMessage)}
	switch n := utf8.RuneCountInString(in.Message); {
	case n == 0:
		errs[dialogMessage] = "Say what is happening."
	case n > dialogMessageMax:
		errs[dialogMessage] = fmt.Sprintf("The message is %d characters; the form holds at most %d.", n, dialogMessageMax)
	}
	switch u := text(dialogUrgency); u {
	case "", dialogFromMessage: // read from the message by the channel's route
	default:
		level, err := paging.ParseUrgency(u)
		if err != nil {
			errs[dialogUrgency] = "Choose an urgency from the list."
			break
		}
		in.Urgency = &paging.UrgencyResult{Urgency: level, Source: paging.SourceCommand, Word: string(level)}
	}
	sev, err := paging.ParseSeverity(text(dialogSeverity))
	if err != nil {
		errs[dialogSeverity] = "Choose an incident severity from the list."
	}
	in.Severity, in.SeverityChosen = sev, true // the form always chooses: "None" is a plain alert
	return in, errs
}

// handleAlertDialog is the dialog's submission, as the user who submitted. The channel and
// thread come from the client: the user must be able to post in that channel, and the thread
// must be in it.
func (p *Plugin) handleAlertDialog(w http.ResponseWriter, r *http.Request, userID string) {
	body, err := io.ReadAll(r.Body)
	var req model.SubmitDialogRequest
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "The form's submission could not be read.")
		return
	}
	if req.Cancelled {
		writeJSON(w, http.StatusOK, model.SubmitDialogResponse{})
		return
	}
	answer := func(msg string) { writeJSON(w, http.StatusOK, model.SubmitDialogResponse{Error: msg}) }
	cfg := p.config.Load()
	if !cfg.forwarding() || p.outbox == nil {
		answer(p.pausedAnswer(cfg, userID))
		return
	}
	if !model.IsValidId(req.ChannelId) || !p.API.HasPermissionToChannel(userID, req.ChannelId, model.PermissionCreatePost) {
		answer("PagerTree was not paged: you cannot post in this channel.")
		return
	}
	in, fieldErrs := checkAlertDialog(req.Submission)
	if len(fieldErrs) > 0 {
		writeJSON(w, http.StatusOK, model.SubmitDialogResponse{Errors: fieldErrs})
		return
	}
	var state alertDialogState
	_ = json.Unmarshal([]byte(req.State), &state) // a bad state is "no thread"
	if state.RootID != "" {
		root, appErr := p.API.GetPost(state.RootID)
		if appErr != nil || root == nil || root.ChannelId != req.ChannelId || root.DeleteAt != 0 {
			state.RootID = "" // not a thread of this channel: the announcement goes in the channel
		} else if root.RootId != "" {
			state.RootID = root.RootId
		}
	}
	teamID := req.TeamId // a direct message's route is the team's the user is in: only a team of theirs
	if teamID != "" {
		if _, appErr := p.API.GetTeamMember(teamID, userID); appErr != nil {
			teamID = ""
		}
	}
	in.UserID, in.ChannelID, in.TeamID, in.RootID = userID, req.ChannelId, teamID, state.RootID
	if refusal := p.alertNow(cfg, in); refusal != "" {
		answer(refusal)
		return
	}
	writeJSON(w, http.StatusOK, model.SubmitDialogResponse{})
}
