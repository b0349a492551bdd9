package alertstate

import "strings"

// Action is what a person can press on the card (or ask with /pagertree ack|resolve).
type Action string

// The actions. The values are also the buttons' ids: alphanumeric, as Mattermost wants.
const (
	Acknowledge Action = "acknowledge"
	Resolve     Action = "resolve"
)

// actionInfo is everything the plugin knows about one action. A new card button is a row in
// actions (and its REST call in pagertreeclient's restCalls): the buttons, their labels, the
// sentences that list the actions, the pending-press rules and the routes all read this table.
type actionInfo struct {
	Action      Action
	Label       string  // the button's text
	Progressive string  // the card's word while PagerTree has not confirmed
	PastTense   string  // what the action did, for chat and PagerTree's timeline
	From        []State // the states PagerTree accepts it in ("" counts as Open)
	// LeadsTo is the state PagerTree moves the alert to ("": none, the alert stays where it is).
	LeadsTo State
	// ConfirmedBy is the event that confirms it when it changes no state ("": the state confirms it).
	ConfirmedBy Kind
	Webhook     bool // the Webhook integration knows it as an event_type (else only the REST API can)
	Primary     bool // drawn as the card's primary button
}

// actions is the vocabulary, in button order.
var actions = []actionInfo{
	{Action: Acknowledge, Label: "Acknowledge", Progressive: "acknowledging…", PastTense: "acknowledged",
		From: []State{Open, Dropped}, LeadsTo: Acknowledged, Webhook: true, Primary: true},
	{Action: Resolve, Label: "Resolve", Progressive: "resolving…", PastTense: "resolved",
		From: []State{Open, Acknowledged, Dropped}, LeadsTo: Resolved, Webhook: true},
}

// Actions lists every action, in button order.
func Actions() []Action {
	out := make([]Action, 0, len(actions))
	for _, r := range actions {
		out = append(out, r.Action)
	}
	return out
}

func (a Action) info() (actionInfo, bool) {
	for _, r := range actions {
		if r.Action == a {
			return r, true
		}
	}
	return actionInfo{}, false
}

// ParseAction maps a button id or context value to an Action ("" when it is not one).
func ParseAction(s string) Action {
	if _, ok := Action(s).info(); ok {
		return Action(s)
	}
	return ""
}

// Valid reports whether a is one of the actions above.
func (a Action) Valid() bool { return ParseAction(string(a)) != "" }

// PastTense is what the action did ("acknowledged"), for sentences in chat and PagerTree's
// timeline. Anything else is named as it is.
func (a Action) PastTense() string {
	if r, ok := a.info(); ok {
		return r.PastTense
	}
	return string(a)
}

// Progressive is the card's word while PagerTree has not confirmed ("acknowledging…").
func (a Action) Progressive() string {
	if r, ok := a.info(); ok {
		return r.Progressive
	}
	return string(a) + "…"
}

// Label is the button's text.
func (a Action) Label() string {
	if r, ok := a.info(); ok {
		return r.Label
	}
	return upperFirst(string(a))
}

// LeadsTo is the state the action moves the alert to in PagerTree ("" when it changes none,
// or is not an action).
func (a Action) LeadsTo() State {
	r, _ := a.info()
	return r.LeadsTo
}

// ViaWebhook reports whether the Webhook integration can do the action (event_type a with
// the alert's Id); the others need the REST API.
func (a Action) ViaWebhook() bool {
	r, _ := a.info()
	return r.Webhook
}

// Verbs lists the actions for a sentence, joined by conj: "acknowledge or resolve".
func Verbs(conj string) string {
	return joinWords(Actions(), conj, func(a Action) string { return string(a) })
}

// Labels lists the buttons' texts for a sentence, joined by conj: "Acknowledge and Resolve".
func Labels(conj string) string {
	return joinWords(Actions(), conj, Action.Label)
}

// RESTOnly lists the actions the Webhook integration cannot do.
func RESTOnly() []Action {
	var out []Action
	for _, r := range actions {
		if !r.Webhook {
			out = append(out, r.Action)
		}
	}
	return out
}

// JoinLabels names the given actions' buttons for a sentence ("Reject", "Reject and Snooze").
func JoinLabels(list []Action, conj string) string { return joinWords(list, conj, Action.Label) }

func joinWords(list []Action, conj string, word func(Action) string) string {
	var b strings.Builder
	for i, a := range list {
		switch {
		case i == 0:
		case i == len(list)-1:
			b.WriteString(" " + conj + " ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(word(a))
	}
	return b.String()
}
