package pagertreeclient

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Acting on a delivered alert from Mattermost (DESIGN §10): through the REST API when an API
// key is set, otherwise through the Webhook integration that created the alert, otherwise not
// at all. This is the one place that decides which; callers (buttons, commands) only ask.

// Route is how an action reaches PagerTree.
type Route string

// The routes, in the order Actor.Decide prefers them.
const (
	RouteAPI     Route = "api"     // REST API v4 with the API key: find, act, comment
	RouteWebhook Route = "webhook" // the Webhook integration: event_type + the same Id
	RouteNone    Route = "none"    // cannot act from Mattermost
)

// Target is a delivered alert as the plugin remembers it.
type Target struct {
	ThirdpartyID string        // Webhook format: the Id sent; Mattermost format: channel_id.timestamp
	Format       paging.Format // the format it was sent in
	Endpoint     string        // the integration endpoint it was sent to ("" when unknown)
	// EndpointFingerprint is Fingerprint(endpoint) when only that was kept ("" when unknown).
	EndpointFingerprint string
	AlertID             string // PagerTree's alert id, once an event has told it ("" when unknown)
	// Route is the id of the plugin's route it was sent through ("": the default route, as for
	// alerts sent before routes existed); a Webhook-format action goes to that route's integration.
	Route string
}

// Actor holds the clients of one configuration; any may be nil.
type Actor struct {
	API         *API
	Integration *Client // the default route's integration
	// Routes are the other routes' integrations by route id (a paused route has none).
	Routes map[string]*Client
}

// integration is the integration of the route t was sent through, and whether the
// configuration still has that route.
func (a Actor) integration(t Target) (*Client, bool) {
	if t.Route == "" {
		return a.Integration, true
	}
	c, ok := a.Routes[t.Route]
	return c, ok
}

// Decision is how one attempt of an action on an alert reaches PagerTree, decided once by
// Decide and then acted through (Do): the route cannot change between the check that tells the
// person and the request that is sent.
type Decision struct {
	Route Route
	Why   string // for RouteNone: why not, as a clause ("it was sent to …")
	actor Actor
	t     Target
	// forAdmin: the sentences may name settings, hosts and configuration problems (For).
	forAdmin bool
}

// For says who will read the sentences of Do: a System Admin keeps every detail; anyone else
// is told that a System Admin must look when the cause is the plugin's settings (a rejected
// key or token, an internal host, an endpoint PagerTree does not know), never what it is.
func (d Decision) For(isAdmin bool) Decision {
	d.forAdmin = isAdmin
	return d
}

// Decide says how an action on t would reach PagerTree with this actor's clients, whatever
// the action (the card asks it to know whether it has buttons at all).
func (a Actor) Decide(t Target) Decision { return a.decide(t, "") }

// DecideAction is Decide for one action: the Webhook route is refused for an action the
// Webhook integration cannot do (alertstate's table says which), so a press of it is told why
// before anything is recorded or sent.
func (a Actor) DecideAction(t Target, action alertstate.Action) Decision { return a.decide(t, action) }

func (a Actor) decide(t Target, action alertstate.Action) Decision {
	integ, routeKept := a.integration(t)
	d := Decision{Route: RouteWebhook, actor: Actor{API: a.API, Integration: integ}, t: t}
	switch {
	case a.API != nil:
		d.Route = RouteAPI
	case t.Format != paging.FormatWebhook:
		d.Route, d.Why = RouteNone, "it was sent to a Mattermost (Outgoing Webhook) integration, which cannot "+alertstate.Verbs("or")+" alerts, and no PagerTree API key is set in the plugin settings"
	case !routeKept:
		d.Route, d.Why = RouteNone, "it was sent through a route that is no longer in the plugin settings, and no PagerTree API key is set"
	case integ == nil || !integ.CanAct():
		d.Route, d.Why = RouteNone, "the plugin's PagerTree integration settings no longer point at a Webhook integration, and no PagerTree API key is set"
	case t.Endpoint != "" && t.Endpoint != integ.endpoint,
		t.EndpointFingerprint != "" && t.EndpointFingerprint != integ.Fingerprint():
		d.Route, d.Why = RouteNone, "it was sent to a PagerTree integration the plugin no longer uses, and no PagerTree API key is set"
	case action != "" && action.Valid() && !webhookKnows(action):
		d.Route, d.Why = RouteNone, webhookLacks(action)
	}
	return d
}

// webhookKnows is alertstate's Webhook column (a variable so tests can take an action from it).
var webhookKnows = alertstate.Action.ViaWebhook

// webhookLacks is why an action the Webhook integration does not know cannot be done without a key.
func webhookLacks(action alertstate.Action) string {
	return fmt.Sprintf("the Webhook integration it was sent to cannot %s alerts (only PagerTree's REST API can), and no PagerTree API key is set", action)
}

// Result is the outcome of one action, with a sentence for the person who asked.
type Result struct {
	Route Route
	// Done: PagerTree took the action (RouteAPI: it answered so; RouteWebhook: it accepted the
	// request, and its outgoing-webhook event will confirm).
	Done       bool
	Already    bool          // the alert was already in the wanted state: nothing was sent
	Retryable  bool          // a transient failure: trying again later may work
	RetryAfter time.Duration // PagerTree's Retry-After, if it sent one
	AlertID    string        // PagerTree's alert id, when the REST API told it
	TinyID     int64
	Sentence   string
	Kind       ErrorKind // for REST failures
	// CommentError is set when the action worked but the "…from Mattermost by @user" comment failed.
	CommentError error
	// Comment is that comment as PagerTree made it (its ids, for the echo guard), when it was.
	Comment *Comment
}

// ActionComment is the comment an action made through the REST API leaves on PagerTree's
// timeline ("Acknowledged from Mattermost by @alice"); the follow-up keeps its hash before the
// action is sent, so PagerTree's echo of it is recognised.
func ActionComment(action alertstate.Action, byUsername string) string {
	if byUsername == "" {
		return ""
	}
	return fmt.Sprintf("%s from Mattermost by @%s", upperFirstASCII(action.PastTense()), byUsername)
}

// Do acts on the decided alert as the Mattermost user byUsername, through the decided route.
// An action the route cannot do (no event_type in the Webhook integration, no REST call) is a
// sentence, and nothing is sent.
func (d Decision) Do(ctx context.Context, action alertstate.Action, byUsername string) Result {
	a, t, route, why := d.actor, d.t, d.Route, d.Why
	if route != RouteAPI && route != RouteWebhook { // a zero Decision: nothing was decided
		route = RouteNone
		if why == "" {
			why = "the plugin could not tell how to reach PagerTree"
		}
	}
	res := Result{Route: route}
	if !action.Valid() {
		res.Sentence = fmt.Sprintf("%q is not something the plugin can do to an alert.", action)
		return res
	}
	if route == RouteWebhook && !webhookKnows(action) {
		route, why = RouteNone, webhookLacks(action)
		res.Route = route
	}
	switch route {
	case RouteNone:
		res.Sentence = fmt.Sprintf("This alert cannot be %s from Mattermost: %s. Open it in PagerTree instead.", action.PastTense(), why)
		return res
	case RouteWebhook:
		o := a.Integration.Act(ctx, t.ThirdpartyID, action)
		res.Retryable, res.RetryAfter = o.Class == paging.Transient, o.RetryAfter
		switch {
		case o.Class == paging.Delivered:
			res.Done = true
			res.Sentence = fmt.Sprintf("Asked PagerTree to %s the alert; the card updates when PagerTree confirms.", action)
		case !d.forAdmin && o.Class == paging.Transient:
			res.Sentence = fmt.Sprintf("PagerTree did not take the request to %s the alert: it could not be reached or was busy.", action)
		case !d.forAdmin:
			res.Sentence = fmt.Sprintf("PagerTree did not take the request to %s the alert. %s", action, SettingsNeedAdmin)
		default:
			res.Sentence = fmt.Sprintf("PagerTree did not take the request to %s the alert: %s.", action, o.Meaning)
		}
		return res
	}
	return a.doAPI(ctx, t, action, byUsername, d.forAdmin, res)
}

func (a Actor) doAPI(ctx context.Context, t Target, action alertstate.Action, byUsername string, forAdmin bool, res Result) Result {
	call := restCalls[action]
	if call == nil { // never another action in its place
		res.Kind = KindNotAllowed
		res.Sentence = fmt.Sprintf("The plugin cannot %s alerts through PagerTree's REST API; nothing was sent. Open the alert in PagerTree instead.", action)
		return res
	}
	alertID := t.AlertID
	var alert Alert
	if alertID == "" {
		found, err := a.API.FindAlert(ctx, t.ThirdpartyID)
		if err != nil {
			return apiFailure(res, err, action, forAdmin)
		}
		alert, alertID = found, found.ID
		res.TinyID = found.TinyID
		// Skip a request PagerTree would refuse (or that would change nothing): the table
		// says where the action leads and which states allow it.
		state := knownState(found.Status)
		switch {
		case state != "" && state == action.LeadsTo():
			res.Done, res.Already, res.AlertID = true, true, alertID
			res.Sentence = fmt.Sprintf("%s was already %s.", upperFirstASCII(alertLabel(found.TinyID)), action.PastTense())
			return res
		case state != "" && !alertstate.Allows(state, action):
			res.AlertID = alertID
			res.Kind = KindNotAllowed
			res.Sentence = fmt.Sprintf("%s is already %s, so it cannot be %s.", upperFirstASCII(alertLabel(found.TinyID)), found.Status, action.PastTense())
			return res
		}
	}
	res.AlertID = alertID
	if err := call(a.API, ctx, alertID); err != nil {
		return apiFailure(res, err, action, forAdmin)
	}
	res.Done = true
	res.Sentence = fmt.Sprintf("%s %s.", upperFirstASCII(action.PastTense()), alertLabel(alert.TinyID))
	if comment := ActionComment(action, byUsername); comment != "" {
		made, cerr := a.API.Comment(ctx, alertID, comment)
		if cerr != nil {
			res.CommentError = cerr
			res.Sentence += " (PagerTree's timeline could not be told who pressed it.)"
		} else {
			res.Comment = &made
		}
	}
	return res
}

// knownState is PagerTree's status of an alert as one of alertstate's states ("" for the
// others, such as suppressed: PagerTree decides then).
func knownState(status string) alertstate.State {
	for _, s := range alertstate.States {
		if string(s) == status {
			return s
		}
	}
	return ""
}

func apiFailure(res Result, err error, action alertstate.Action, forAdmin bool) Result {
	var ae *APIError
	if !errors.As(err, &ae) {
		res.Sentence = fmt.Sprintf("The alert could not be %s: %s.", action.PastTense(), SentenceFor(err, forAdmin))
		return res
	}
	res.Kind, res.Retryable, res.RetryAfter = ae.Kind, ae.Retryable(), ae.RetryAfter
	if ae.Kind == KindNotFound && ae.Status == 200 {
		res.Sentence = "PagerTree has no alert for this message yet (it may still be creating it); try again in a moment."
		res.Retryable = true
		return res
	}
	res.Sentence = fmt.Sprintf("The alert could not be %s. %s", action.PastTense(), SentenceFor(err, forAdmin))
	return res
}

// alertLabel names the alert as PagerTree shows it ("PagerTree alert #42") when its number is known.
func alertLabel(tiny int64) string {
	if tiny <= 0 {
		return "the PagerTree alert"
	}
	return fmt.Sprintf("PagerTree alert #%d", tiny)
}

func upperFirstASCII(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
