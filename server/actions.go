package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// actionsPath is where the card's buttons post (DESIGN §10). Mattermost calls it as the user
// who pressed, with the Mattermost-User-Id header it sets; a logged-in user can also POST it
// directly, so nothing in the body is trusted beyond what the stored card confirms.
const actionsPath = "/api/v1/actions/card"

// actionsURL is the buttons' integration URL: relative, so it works behind any proxy.
const actionsURL = "/plugins/" + "pagertree" + actionsPath

// handleCardAction answers a button press with {"update", "ephemeral_text"}.
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
	writeJSON(w, http.StatusOK, p.pressCard(userID, req.PostId, req.Context))
}

// pressCard checks a press against what the plugin stored for the card, then acts.
func (p *Plugin) pressCard(userID, postID string, ctx map[string]any) model.PostActionIntegrationResponse {
	refuse := func(s string) model.PostActionIntegrationResponse {
		return model.PostActionIntegrationResponse{EphemeralText: s}
	}
	const notCard = "This is not a PagerTree status card; nothing was done."
	if !model.IsValidId(postID) {
		return refuse(notCard)
	}
	post, appErr := p.API.GetPost(postID)
	if appErr != nil || post.UserId != p.botID || post.DeleteAt != 0 {
		return refuse(notCard)
	}
	tp, _ := post.GetProp(cardProp).(string)
	if tp == "" {
		return refuse(notCard)
	}
	if !p.API.HasPermissionToChannel(userID, post.ChannelId, model.PermissionReadChannel) {
		return refuse("You cannot act on alerts in a channel you cannot read; nothing was done.")
	}
	action := alertstate.ParseAction(contextString(ctx, "action"))
	rec, ok, err := p.cardRecord(tp)
	switch {
	case err != nil:
		return refuse("The plugin could not read this alert's record; try again in a moment.")
	case !ok || !isCardOf(rec, post) || contextString(ctx, "alert") != tp:
		return refuse("This button does not match the alert the plugin recorded for this card; nothing was done.")
	case action == "":
		return refuse("That is not something the PagerTree card offers; nothing was done.")
	}
	text, after := p.act(rec, rec.CardPostID, action, userID)
	resp := refuse(text)
	if after.Rev != rec.Rev {
		post = post.Clone()
		p.setCard(post, after)
		resp.Update = post
	}
	return resp
}

// cardRecord reads the alert's record. A card is visible a moment before its post id is stored
// (drawCard creates the post, then records it): a press in that moment waits for it briefly.
// If it is still unrecorded, a bot post carrying the alert in the alert's thread is its card
// (only the plugin can make one), and the press is checked against the thread instead.
func (p *Plugin) cardRecord(tp string) (delivery.AlertRecord, bool, error) {
	for i := 0; ; i++ {
		rec, ok, err := p.alerts.Get(tp)
		if err != nil || !ok || rec.CardPostID != "" || i == 10 {
			return rec, ok, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// isCardOf reports whether post is the alert's card: the recorded one, or while none is
// recorded yet, a card post in the alert's thread.
func isCardOf(rec delivery.AlertRecord, post *model.Post) bool {
	if rec.ChannelID != post.ChannelId {
		return false
	}
	if rec.CardPostID == "" {
		return post.RootId == rec.RootID
	}
	return rec.CardPostID == post.Id
}

func contextString(ctx map[string]any, key string) string {
	s, _ := ctx[key].(string)
	return s
}

// act is what a button and /pagertree ack|resolve share: the permission rule, the route to
// PagerTree, the durable record of the press, then one try (the worker retries). It returns
// the sentence for the person and the record after the press.
func (p *Plugin) act(rec delivery.AlertRecord, cardPostID string, action alertstate.Action, userID string) (string, delivery.AlertRecord) {
	cfg := p.config.Load()
	if cfg == nil {
		return "The PagerTree plugin is starting; try again in a moment.", rec
	}
	user, appErr := p.API.GetUser(userID)
	if appErr != nil {
		return "The plugin could not read your Mattermost account; try again.", rec
	}
	if why := p.mayPress(cfg, user); why != "" {
		return why, rec
	}
	if route, why := cfg.actor().Route(targetOf(rec)); route == pagertreeclient.RouteNone {
		msg := fmt.Sprintf("This alert cannot be %s from Mattermost: %s.", pastTense(action), why)
		if link := alertstate.Link(rec.Status); link != "" {
			msg += " Open it in PagerTree: " + link
		}
		return msg, rec
	}
	after, refusal, err := p.alerts.Press(rec.ThirdPartyID, cardPostID, action, userID, user.Username)
	if err != nil {
		p.API.LogWarn("PagerTree: could not record an action", "thirdparty_id", rec.ThirdPartyID, "error", err.Error())
		return "The plugin could not record your request, so nothing was sent to PagerTree; try again.", rec
	}
	if refusal != "" {
		return refusal, rec
	}
	p.cards.kick(rec.ThirdPartyID) // the card shows "acknowledging…"
	text, _ := p.runAction(after, *after.Outbound)
	if cur, ok, gerr := p.alerts.Get(rec.ThirdPartyID); gerr == nil && ok {
		after = cur
	}
	return text, after
}

// runAction sends one action to PagerTree and records the outcome: sent (the card waits for
// PagerTree's event), retried later (transient), or withdrawn (refused). final is false when
// the worker will try again.
func (p *Plugin) runAction(rec delivery.AlertRecord, job delivery.ActionJob) (text string, final bool) {
	cfg := p.config.Load()
	// Mattermost waits 30 s (by default) for a button's answer: the check and this fit.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	res := cfg.actor().Do(ctx, targetOf(rec), pagertreeclient.Action(job.Action), job.Username)
	tp := rec.ThirdPartyID
	var err error
	again := false
	switch {
	case res.Done && !res.Already:
		_, err = p.alerts.ActionSent(tp, job.Action)
		text = res.Sentence
	case res.Retryable:
		_, again, err = p.alerts.ActionFailed(tp, job.Action, true, p.clock().Add(actionBackoff(job.Attempts+1, res.RetryAfter)))
		text = res.Sentence
		if again {
			text += " The plugin keeps trying for a while; the card shows when PagerTree confirms."
		} else {
			text += " The plugin gave up; press the button again or act in PagerTree."
		}
	default: // refused, or already done: nothing will confirm it
		_, _, err = p.alerts.ActionFailed(tp, job.Action, false, time.Time{})
		text = res.Sentence
	}
	if err != nil {
		p.API.LogWarn("PagerTree: could not record an action's outcome", "thirdparty_id", tp, "error", err.Error())
	}
	if res.CommentError != nil {
		p.API.LogWarn("PagerTree: the action's comment failed", "thirdparty_id", tp, "error", res.CommentError.Error())
	}
	p.cards.kick(tp)
	return text, !again
}

// actionBackoff is 5 s doubling to 2 min, or PagerTree's Retry-After when longer.
func actionBackoff(attempt int, retryAfter time.Duration) time.Duration {
	d := 5 * time.Second << min(max(attempt-1, 0), 5)
	d = min(d, 2*time.Minute)
	return max(d, retryAfter)
}

// sweepActions retries due actions and marks unconfirmed ones; run by the card worker.
func (p *Plugin) sweepActions() {
	list, err := p.alerts.PendingActions()
	if err != nil {
		p.API.LogWarn("PagerTree: could not read the pending actions", "error", err.Error())
		return
	}
	for _, tp := range list {
		rec, job, err := p.alerts.ClaimAction(tp)
		if err != nil {
			continue
		}
		if job != nil {
			if text, final := p.runAction(rec, *job); final && job.UserID != "" {
				p.API.SendEphemeralPost(job.UserID, &model.Post{ChannelId: rec.ChannelID, RootId: rec.RootID, Message: text})
			}
			continue
		}
		if expired, err := p.alerts.ExpireAction(tp); err == nil && expired {
			p.applyAlert(tp)
		}
	}
}

// targetOf is the alert as the action layer needs it.
func targetOf(rec delivery.AlertRecord) pagertreeclient.Target {
	return pagertreeclient.Target{ThirdpartyID: rec.ThirdPartyID, Format: rec.Format, EndpointFingerprint: rec.EndpointFP, AlertID: rec.Status.AlertID}
}

// buttonsFor gives the card its buttons when an action can reach PagerTree.
func (p *Plugin) buttonsFor(rec delivery.AlertRecord) alertstate.Buttons {
	if route, _ := p.config.Load().actor().Route(targetOf(rec)); route == pagertreeclient.RouteNone {
		return alertstate.Buttons{}
	}
	return alertstate.Buttons{URL: actionsURL, Alert: rec.ThirdPartyID}
}

func pastTense(a alertstate.Action) string {
	if a == alertstate.Acknowledge {
		return "acknowledged"
	}
	return "resolved"
}
