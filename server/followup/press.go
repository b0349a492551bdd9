package followup

import (
	"context"
	"fmt"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// A press, from a card's button or from /pagertree ack|resolve, takes one path: the card (or
// the command's alert) is checked, then who may press, then the route to PagerTree is decided
// once, the press is recorded once (the record's pending action and outbound job, in one
// compare-and-set), the card queue is kicked to show it ("acknowledging…", no buttons), and
// the first try is made through that route; the person gets a sentence. The card is drawn by
// the card queue alone, once per state: again only if the outcome gives the buttons back.

// pressTimeout bounds the first try: Mattermost waits 30 s (by default) for a button's answer,
// and the checks before it and this fit.
const pressTimeout = 10 * time.Second

// PressCard answers a press on the card postID by userID (the Mattermost-User-Id the server
// set; nothing in the request body is trusted beyond what the stored card confirms). ctx is
// the request's. It returns the sentence for the person.
func (s *Service) PressCard(ctx context.Context, userID, postID string, pressed map[string]any) string {
	const notCard = "This is not a PagerTree status card; nothing was done."
	if !model.IsValidId(postID) {
		return notCard
	}
	post, appErr := s.mm.GetPost(postID)
	if appErr != nil || post.UserId != s.botID || post.DeleteAt != 0 {
		return notCard
	}
	tp, _ := post.GetProp(CardProp).(string)
	if tp == "" {
		return notCard
	}
	if !s.mm.HasPermissionToChannel(userID, post.ChannelId, model.PermissionReadChannel) {
		return "You cannot act on alerts in a channel you cannot read; nothing was done."
	}
	action := alertstate.ParseAction(contextString(pressed, "action"))
	// A card is visible a moment before its post id is stored (drawCard creates the post, then
	// records it): a press in that moment is checked against the alert's thread (isCardOf).
	rec, ok, err := s.records.get(tp)
	switch {
	case err != nil:
		return "The plugin could not read this alert's record; try again in a moment."
	case !ok || !isCardOf(rec, post) || contextString(pressed, "alert") != tp:
		return "This button does not match the alert the plugin recorded for this card; nothing was done."
	case action == "":
		return "That is not something the PagerTree card offers; nothing was done."
	}
	return s.press(ctx, rec, post.Id, action, userID)
}

// isCardOf reports whether post is the alert's card: the recorded one, or while none is
// recorded yet, a card post in the alert's thread (only the plugin's bot can make one).
func isCardOf(rec Record, post *model.Post) bool {
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

// press is what a button and /pagertree ack|resolve share. cardPostID is the card pressed
// ("" for the command); the press is refused when the record names another card.
func (s *Service) press(ctx context.Context, rec Record, cardPostID string, action alertstate.Action, userID string) string {
	cfg := s.config()
	if cfg == nil {
		return "The PagerTree plugin is starting; try again in a moment."
	}
	user, appErr := s.mm.GetUser(userID)
	if appErr != nil {
		return "The plugin could not read your Mattermost account; try again."
	}
	// Everything decided locally comes before the one check that may ask PagerTree (a refused
	// press costs PagerTree nothing): the rule's local half, the route, the alert's state.
	isAdmin := s.mm.HasPermissionTo(userID, model.PermissionManageSystem)
	if why := mayPressLocally(cfg, user, isAdmin); why != "" {
		return why
	}
	route := cfg.Actor.Decide(targetOf(rec)).For(isAdmin) // once: the first try goes this way
	if route.Route == pagertreeclient.RouteNone {
		why := route.Why
		if !isAdmin {
			why = "the plugin's PagerTree settings do not allow it. Ask a System Admin to check the PagerTree plugin"
		}
		msg := fmt.Sprintf("This alert cannot be %s from Mattermost: %s.", action.PastTense(), why)
		if link := alertstate.Link(rec.Status); link != "" {
			msg += " Open it in PagerTree: " + link
		}
		return msg
	}
	if _, why := alertstate.Press(rec.Status, action, user.Username, s.now()); why != "" {
		return why // checked again when the press is recorded
	}
	if why := s.mayPressAsTeamMember(ctx, cfg, user, isAdmin); why != "" {
		return why
	}
	after, refusal, err := s.records.press(rec.ThirdPartyID, cardPostID, action, userID, user.Username)
	if err != nil {
		s.mm.LogWarn("PagerTree: could not record an action", "thirdparty_id", rec.ThirdPartyID, "error", err.Error())
		return "The plugin could not record your request, so nothing was sent to PagerTree; try again."
	}
	if refusal != "" {
		return refusal
	}
	s.cards.kick(rec.ThirdPartyID) // the card shows the press at once, whatever PagerTree takes
	ctx, cancel := context.WithTimeout(ctx, pressTimeout)
	defer cancel()
	text, _ := s.runAction(ctx, route, after, *after.Outbound)
	return text
}

// press records a press on the card cardPostID (which must be the alert's card, when set):
// the pending action the card shows and the outbound job that must reach PagerTree, in one
// write. refusal is a sentence for the person when the press is not accepted (nothing is
// recorded then).
func (s *records) press(tp, cardPostID string, a alertstate.Action, userID, username string) (rec Record, refusal string, err error) {
	now := s.now()
	// Intent first: the retries and the card queue's sweep find the alert even if this node
	// stops right after the write (an entry for a press refused is dropped by them).
	if err = s.actions.Add(tp); err != nil {
		return Record{}, "", err
	}
	if err = s.work.Add(tp); err != nil {
		return Record{}, "", err
	}
	rec, _, err = s.update(tp, func(r *Record) bool {
		if cardPostID != "" && r.CardPostID != "" && r.CardPostID != cardPostID {
			refusal = "This button does not belong to this alert's card."
			return false
		}
		next, why := alertstate.Press(r.Status, a, username, now)
		if why != "" {
			refusal = why
			return false
		}
		r.Status = next
		r.Outbound = &ActionJob{Action: a, UserID: userID, Username: username, First: now, NextTry: now, LeaseUntil: now.Add(actionLease)}
		r.Rev++
		return true
	})
	return rec, refusal, err
}

// AlertRef is how a command names an alert.
type AlertRef struct {
	By AlertRefKind
	// Value is PagerTree's alert number (without # or leading zeros), its alert id (from a
	// link), or the root of the thread the command was typed in ("": not in a thread).
	Value string
}

// AlertRefKind says what an AlertRef's value is.
type AlertRefKind int

// The kinds.
const (
	ByThread AlertRefKind = iota
	ByNumber
	ByAlertID
)

// unknownAlert and noCardInThread answer a command naming an alert the plugin has no record
// of, or a thread without a card; an alert or thread in a channel the user cannot read gets
// the same sentence (issue 21 finding 4: the command must not tell which alerts exist there).
const (
	unknownAlert   = "The plugin has no record of that alert (it only knows alerts it sent in the last days set by \"Follow alerts for\"). Act on it in PagerTree."
	noCardInThread = "This thread has no PagerTree status card: name the alert."
)

// PressFromCommand is /pagertree ack|resolve: the card's buttons as a command, for keyboards
// and for alerts whose card scrolled away, with the same rule and route as the buttons. ctx
// bounds the PagerTree calls. usage is true when the answer should repeat how to name an alert.
func (s *Service) PressFromCommand(ctx context.Context, userID string, ref AlertRef, action alertstate.Action) (text string, usage bool) {
	var rec Record
	var ok bool
	var err error
	switch {
	case ref.By == ByNumber:
		rec, ok, err = s.records.findByNumber(ref.Value)
	case ref.By == ByAlertID:
		rec, ok, err = s.records.findByAlertID(ref.Value)
	case ref.Value == "":
		return "Name the alert, or use the command in the thread of its PagerTree card.", true
	default:
		tp, why := s.cardInThread(userID, ref.Value)
		if why != "" {
			return why, true
		}
		rec, ok, err = s.records.get(tp)
	}
	if err != nil {
		return "The plugin could not read its record of the alert; try again in a moment.", true
	}
	if !ok || !s.mm.HasPermissionToChannel(userID, rec.ChannelID, model.PermissionReadChannel) {
		return unknownAlert, true
	}
	return s.press(ctx, rec, "", action, userID), false
}

// cardInThread finds the alert whose status card is in the thread. A thread userID cannot
// read (or that does not exist) is answered like one without a card, before anything in it is
// looked at.
func (s *Service) cardInThread(userID, rootID string) (string, string) {
	root, appErr := s.mm.GetPost(rootID)
	if appErr != nil || root == nil || !s.mm.HasPermissionToChannel(userID, root.ChannelId, model.PermissionReadChannel) {
		return "", noCardInThread
	}
	list, appErr := s.mm.GetPostThread(rootID)
	if appErr != nil {
		return "", "The plugin could not read this thread; try again in a moment."
	}
	found := ""
	for _, post := range list.Posts {
		if tp := s.cardOf(post); tp != "" {
			if found != "" && found != tp {
				return "", "This thread has more than one PagerTree alert: name the one you mean."
			}
			found = tp
		}
	}
	if found == "" {
		return "", noCardInThread
	}
	return found, ""
}

// cardOf is the thirdparty id of the alert whose status card post is, "" when it is not one.
func (s *Service) cardOf(post *model.Post) string {
	if tp, _ := post.GetProp(CardProp).(string); tp != "" && post.UserId == s.botID && post.DeleteAt == 0 {
		return tp
	}
	return ""
}

// ThreadCard finds a PagerTree status card in the thread of rootID (the oldest, when there are
// several) and returns its post id, "" when the thread has none. The caller has checked that
// the user may read the thread.
func (s *Service) ThreadCard(rootID string) (string, error) {
	list, appErr := s.mm.GetPostThread(rootID)
	if appErr != nil {
		return "", appErr
	}
	var card *model.Post
	for _, post := range list.Posts {
		if s.cardOf(post) != "" && (card == nil || post.CreateAt < card.CreateAt) {
			card = post
		}
	}
	if card == nil {
		return "", nil
	}
	return card.Id, nil
}
