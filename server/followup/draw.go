package followup

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// CardProp marks the bot's card post with the alert's thirdparty id.
const CardProp = "pagertree_alert"

// errCardGone: someone deleted the card; it is not drawn again.
var errCardGone = errors.New("the status card was deleted")

// cardMessage is the card post's text: what paged, readable in notifications and search.
func cardMessage(rec Record) string {
	if rec.External {
		if rec.Summary == "" {
			return "PagerTree alert"
		}
		return "PagerTree alert: " + alertstate.Neutralize(rec.Summary)
	}
	return fmt.Sprintf("Paged PagerTree — %s (trigger: %s)", paging.PagedAs(rec.Severity, rec.Urgency), rec.Trigger)
}

func (s *Service) setCard(post *model.Post, rec Record) {
	in := rec.CardInput()
	in.Buttons = s.buttonsFor(rec)
	post.AddProp("attachments", []*model.SlackAttachment{alertstate.Card(in)})
	post.AddProp(CardProp, rec.ThirdPartyID)
}

// buttonsFor gives the card its buttons when an action can reach PagerTree.
func (s *Service) buttonsFor(rec Record) alertstate.Buttons {
	route := s.config().actor().Decide(targetOf(rec)).Route
	if s.actions == "" || route == pagertreeclient.RouteNone {
		return alertstate.Buttons{}
	}
	return alertstate.Buttons{URL: s.actions, Alert: rec.ThirdPartyID, WebhookOnly: route == pagertreeclient.RouteWebhook}
}

// drawCard creates the card in the thread if it has none, or edits it in place, and returns
// the revision it drew, and whether the record already says so (a new card's revision is
// recorded with its post id, in one write). UpdatePost replaces all props, so the post is
// read, changed and written. After writing it checks the record again: if another node
// changed it meanwhile, it draws again, so the newest wins.
func (s *Service) drawCard(rec Record) (rev int64, recorded bool, err error) {
	if rec.CardPostID == "" {
		post := &model.Post{UserId: s.botID, ChannelId: rec.ChannelID, RootId: rec.RootID, Message: cardMessage(rec)}
		s.setCard(post, rec)
		created, appErr := s.mm.CreatePost(post)
		if appErr != nil {
			return 0, false, appErr
		}
		cur, err := retriedValue(func() (Record, error) { return s.records.setCard(rec.ThirdPartyID, created.Id, rec.Rev) })
		if err != nil {
			_ = s.mm.DeletePost(created.Id) // not recorded: the next try makes the card again
			return 0, false, err
		}
		if cur.CardPostID != created.Id { // another node made the card first (or the record expired): ours goes
			_ = s.mm.DeletePost(created.Id)
		} else {
			s.pointThread(cur.RootID, rec.ThirdPartyID) // from another source, its card starts the thread (setCard)
			if cur.Rev == rec.Rev {
				return rec.Rev, true, nil // the record holds the revision drawn (setCard)
			}
			rec = cur // changed before the card was recorded: the edit below draws the newest
		}
		rec.CardPostID = cur.CardPostID
		if rec.CardPostID == "" {
			return 0, false, errCardGone // the record expired meanwhile
		}
	}
	for i := 0; i < 5; i++ {
		post, appErr := s.mm.GetPost(rec.CardPostID)
		if appErr != nil && appErr.StatusCode == http.StatusNotFound || appErr == nil && post.DeleteAt != 0 {
			return 0, false, errCardGone
		}
		if appErr != nil {
			return 0, false, fmt.Errorf("the card post %s could not be read: %w", rec.CardPostID, appErr)
		}
		post = post.Clone()
		s.setCard(post, rec)
		if _, appErr := s.mm.UpdatePost(post); appErr != nil {
			return 0, false, appErr
		}
		cur, ok, err := s.records.get(rec.ThirdPartyID)
		if err != nil || !ok || cur.Rev == rec.Rev {
			return rec.Rev, false, nil // drawn; a newer revision read later is the sweep's
		}
		rec = cur
	}
	return rec.Rev - 1, false, nil // the newest was not drawn: the card stays behind for the next try
}

// retriedValue is retried for a write that returns a value.
func retriedValue[T any](write func() (T, error)) (T, error) {
	var v T
	err := retried(func() error {
		var err error
		v, err = write()
		return err
	})
	return v, err
}

// Confirm posts the card (open) as the confirmation reply when the alert is delivered, and
// with it points the thread at the alert (its replies may become comments). It returns false
// when there is no record for the alert (then the plain reply is posted, and Delivered points
// the thread).
func (s *Service) Confirm(thirdPartyID string) bool {
	rec, ok, err := s.records.get(thirdPartyID)
	if err != nil || !ok {
		return false
	}
	if rec.CardPostID != "" {
		return true // an event was faster and drew it already (and pointed the thread)
	}
	rev, recorded, err := s.drawCard(rec)
	switch {
	case err != nil:
		s.mm.LogWarn("PagerTree: could not post the status card", "thirdparty_id", thirdPartyID, "error", err.Error())
		s.pointThread(rec.RootID, thirdPartyID)
	case !recorded:
		if err := s.records.markDrawn(thirdPartyID, rev); err != nil {
			s.mm.LogWarn("PagerTree: could not record the status card drawn", "thirdparty_id", thirdPartyID, "error", err.Error())
		}
	}
	return true
}
