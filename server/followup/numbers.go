package followup

import (
	"context"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// /pagertree ack|resolve names an alert by PagerTree's number (#42), by a link to it (its
// alt_… id), or by the thread of its card. This file keeps the pointer from the number and
// finds the record for each.

// alertTinyPrefix points from PagerTree's alert number (#42) to the record, for /pagertree ack 42.
const alertTinyPrefix = "alert_no_"

// rememberNumber keeps the pointer from the alert's number once an event told it. Numbers
// are unique in one PagerTree account; if an account change reuses one, the newer alert wins.
func (s *records) rememberNumber(rec Record) error {
	n := rec.Status.TinyID
	if n == "" || len(n) > 20 {
		return nil
	}
	key := alertTinyPrefix + n
	cur, err := s.kv.Get(key)
	if err != nil || string(cur) == rec.ThirdPartyID {
		return err
	}
	if cur != nil {
		if other, ok, gerr := s.get(string(cur)); gerr == nil && ok && other.Created.After(rec.Created) {
			return nil
		}
	}
	_, err = s.kv.CompareAndSet(key, cur, []byte(rec.ThirdPartyID), s.lifetime())
	return err
}

// findByNumber finds the record of PagerTree alert #n.
func (s *records) findByNumber(n string) (Record, bool, error) {
	if n == "" || len(n) > 20 {
		return Record{}, false, nil
	}
	tp, err := s.kv.Get(alertTinyPrefix + n)
	if err != nil || tp == nil {
		return Record{}, false, err
	}
	return s.get(string(tp))
}

// findByAlertID finds the record of PagerTree's alert id (alt_…), from a link to the alert.
func (s *records) findByAlertID(id string) (Record, bool, error) {
	return s.find(alertstate.Event{Kind: alertstate.KindCommentCreated, AlertID: id})
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
		tp, why := s.cardInThread(ref.Value)
		if why != "" {
			return why, true
		}
		rec, ok, err = s.records.get(tp)
	}
	if err != nil {
		return "The plugin could not read its record of the alert; try again in a moment.", true
	}
	if !ok {
		return "The plugin has no record of that alert (it only knows alerts it sent in the last days set by \"Follow alerts for\"). Act on it in PagerTree.", true
	}
	if !s.mm.HasPermissionToChannel(userID, rec.ChannelID, model.PermissionReadChannel) {
		return "That alert was paged from a channel you cannot read, so you cannot act on it from Mattermost.", false
	}
	return s.press(ctx, rec, "", action, userID), false
}

// cardInThread finds the alert whose status card is in the thread.
func (s *Service) cardInThread(rootID string) (string, string) {
	list, appErr := s.mm.GetPostThread(rootID)
	if appErr != nil {
		return "", "The plugin could not read this thread."
	}
	found := ""
	for _, post := range list.Posts {
		if tp, _ := post.GetProp(CardProp).(string); tp != "" && post.UserId == s.botID && post.DeleteAt == 0 {
			if found != "" && found != tp {
				return "", "This thread has more than one PagerTree alert: name the one you mean."
			}
			found = tp
		}
	}
	if found == "" {
		return "", "This thread has no PagerTree status card: name the alert."
	}
	return found, ""
}
