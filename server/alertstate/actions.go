package alertstate

import (
	"fmt"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// ConfirmWithin is how long the card waits for PagerTree's event before it says the
// action was not confirmed.
const ConfirmWithin = 60 * time.Second

// PendingAction is an action pressed in Mattermost and sent (or being sent) to PagerTree,
// waiting for PagerTree's outgoing-webhook event to confirm it.
type PendingAction struct {
	Action Action `json:"action"`
	By     string `json:"by"`    // the Mattermost username who pressed
	Since  int64  `json:"since"` // unix ms of the press (or of the last send)
	// Unconfirmed: no event came within ConfirmWithin; the buttons are offered again.
	Unconfirmed bool `json:"unconfirmed,omitempty"`
}

// Allowed lists the actions PagerTree accepts in a state, in button order (the From column
// of the table): acknowledge when open or dropped, resolve when open, acknowledged or
// dropped, nothing once resolved.
func Allowed(s State) []Action {
	if s == "" {
		s = Open
	}
	var out []Action
	for _, r := range actions {
		for _, from := range r.From {
			if from == s {
				out = append(out, r.Action)
				break
			}
		}
	}
	return out
}

// Allows reports whether a can be pressed in state s.
func Allows(s State, a Action) bool {
	for _, x := range Allowed(s) {
		if x == a {
			return true
		}
	}
	return false
}

// Press records that a was pressed by username at now. It refuses (with a sentence) an action
// the state does not allow, and one already on its way (a double click); an unconfirmed one
// can be pressed again.
func Press(s Status, a Action, username string, now time.Time) (Status, string) {
	if s.State == "" {
		s.State = Open
	}
	if !Allows(s.State, a) {
		return s, fmt.Sprintf("The alert is %s, so it cannot be %s any more.", lower(s.State.Label()), a.PastTense())
	}
	if p := s.Pending; p != nil && !p.Unconfirmed {
		return s, fmt.Sprintf("@%s already asked PagerTree to %s this alert; the card updates when PagerTree confirms.", p.By, p.Action)
	}
	s.Pending = &PendingAction{Action: a, By: username, Since: now.UnixMilli()}
	return s, ""
}

// Withdraw forgets a pending action that PagerTree refused (nothing will confirm it).
func Withdraw(s Status, a Action) Status {
	if s.Pending != nil && s.Pending.Action == a {
		s.Pending = nil
	}
	return s
}

// Expire marks a pending action unconfirmed once ConfirmWithin has passed since it was
// sent; changed is false when nothing is due.
func Expire(s Status, now time.Time) (Status, bool) {
	p := s.Pending
	if p == nil || p.Unconfirmed || now.Sub(time.UnixMilli(p.Since)) < ConfirmWithin {
		return s, false
	}
	cp := *p
	cp.Unconfirmed = true
	s.Pending = &cp
	return s, true
}

// settle clears a pending action once PagerTree confirmed it: the state no longer allows it
// (it moved where the action leads, or past it: an acknowledge is also confirmed by a resolve,
// and anything by the end), or the event that confirms an action which changes no state came.
func settle(s Status, k Kind) Status {
	p := s.Pending
	if p == nil {
		return s
	}
	r, known := p.Action.info()
	if !Allows(s.State, p.Action) || known && r.ConfirmedBy != "" && r.ConfirmedBy == k {
		s.Pending = nil
	}
	return s
}

func samePending(a, b *PendingAction) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Buttons says what the card offers: URL is the plugin's relative action route ("" when no
// action can reach PagerTree: then the card has no buttons).
type Buttons struct {
	URL   string
	Alert string // the alert's thirdparty id, echoed in the context and checked by the handler
	// WebhookOnly: the alert's actions go through its Webhook integration, so only the actions
	// it knows get a button.
	WebhookOnly bool
}

// buttons renders the card's actions: those the state allows, none while an action is on
// its way (no double press) or when no route to PagerTree exists. The context is minimal:
// the handler checks everything against what it stored for the card.
func buttons(in CardInput) []*model.PostAction {
	if in.Buttons.URL == "" || in.Status.Pending != nil && !in.Status.Pending.Unconfirmed {
		return nil
	}
	var out []*model.PostAction
	for _, a := range Allowed(in.Status.State) {
		r, _ := a.info()
		if in.Buttons.WebhookOnly && !r.Webhook {
			continue // the card's route cannot do it
		}
		style := "default"
		if r.Primary {
			style = "primary"
		}
		out = append(out, &model.PostAction{
			Id: string(a), Name: a.Label(), Type: model.PostActionTypeButton, Style: style,
			Integration: &model.PostActionIntegration{URL: in.Buttons.URL, Context: map[string]any{"action": string(a), "alert": in.Buttons.Alert}},
		})
	}
	return out
}

// pendingField tells the channel that an action is on its way, or was not confirmed.
func pendingField(s Status) *model.SlackAttachmentField {
	p := s.Pending
	if p == nil {
		return nil
	}
	v := fmt.Sprintf("%s (@%s)", upperFirst(p.Action.Progressive()), p.By)
	if p.Unconfirmed {
		v = fmt.Sprintf("%s by @%s: not confirmed by PagerTree — press again or check PagerTree", upperFirst(string(p.Action)), p.By)
	}
	return &model.SlackAttachmentField{Title: "From Mattermost", Value: v, Short: false}
}

func lower(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]-'A'+'a') + s[1:]
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
