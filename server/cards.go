package main

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

// cardWorker applies recorded PagerTree events to Mattermost: it draws the status card and
// posts the thread replies, after the receiver answered PagerTree. One goroutine per node,
// owned by the plugin and stopped in OnDeactivate; a sweep picks up what a crash left.
type cardWorker struct {
	p         *Plugin
	kicks     chan string
	quit      chan struct{}
	wg        sync.WaitGroup
	once      sync.Once
	sweepIn   time.Duration
	actionsIn time.Duration // how often pressed actions are retried and their deadline checked
}

func newCardWorker(p *Plugin) *cardWorker {
	return &cardWorker{p: p, kicks: make(chan string, 256), quit: make(chan struct{}), sweepIn: time.Minute, actionsIn: 5 * time.Second}
}

func (c *cardWorker) start() {
	c.wg.Add(1)
	go c.run()
}

// stop ends the goroutine, waiting at most timeout; unapplied work stays in the KV store.
func (c *cardWorker) stop(timeout time.Duration) error {
	c.once.Do(func() { close(c.quit) })
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("the status card worker did not stop within %s", timeout)
	}
}

// kick asks for an alert's card and replies to be brought up to date. Never blocks: when
// the queue is full the sweep catches up.
func (c *cardWorker) kick(thirdPartyID string) {
	if c == nil {
		return
	}
	select {
	case c.kicks <- thirdPartyID:
	default:
	}
}

func (c *cardWorker) run() {
	defer c.wg.Done()
	ticker := time.NewTicker(c.sweepIn)
	defer ticker.Stop()
	actions := time.NewTicker(c.actionsIn)
	defer actions.Stop()
	c.sweep()
	for {
		select {
		case tp := <-c.kicks:
			c.p.applyAlert(tp)
		case <-actions.C:
			c.p.sweepActions()
		case <-ticker.C:
			c.sweep()
		case <-c.quit:
			return
		}
	}
}

func (c *cardWorker) sweep() {
	list, err := c.p.alerts.Pending()
	if err != nil {
		c.p.API.LogWarn("PagerTree: could not read the alerts waiting for their card", "error", err.Error())
		return
	}
	for _, tp := range list {
		select {
		case <-c.quit:
			return
		default:
			c.p.applyAlert(tp)
		}
	}
}

// applyAlert draws the card and posts the replies an alert's record is waiting for.
func (p *Plugin) applyAlert(tp string) {
	for round := 0; round < 5; round++ {
		rec, replies, card, err := p.alerts.TakeWork(tp)
		if err != nil {
			p.API.LogWarn("PagerTree: could not read an alert's pending updates", "thirdparty_id", tp, "error", err.Error())
			return
		}
		if !card && len(replies) == 0 {
			break
		}
		if card || rec.CardPostID == "" {
			if err := p.drawCard(rec); errors.Is(err, errCardGone) {
				p.API.LogInfo("PagerTree: the status card was deleted; it is not posted again", "thirdparty_id", tp)
			} else if err != nil {
				p.API.LogWarn("PagerTree: could not update the status card", "thirdparty_id", tp, "error", err.Error())
				_ = p.alerts.GiveBack(tp, nil, true)
			}
		}
		if rec.RootID == "" && len(replies) > 0 { // an alert from another source: the card is the root
			if cur, ok, err := p.alerts.Get(tp); err == nil && ok {
				rec = cur
			}
			if rec.RootID == "" {
				_ = p.alerts.GiveBack(tp, replies, false)
				return
			}
		}
		for i, r := range replies {
			post := &model.Post{Id: "", UserId: p.botID, ChannelId: rec.ChannelID, RootId: rec.RootID, Message: r.Message}
			if _, appErr := p.API.CreatePost(post); appErr != nil {
				p.API.LogWarn("PagerTree: could not post a status reply; will retry", "thirdparty_id", tp, "error", appErr.Error())
				_ = p.alerts.GiveBack(tp, replies[i:], false)
				return
			}
		}
	}
	if err := p.alerts.Done(tp); err != nil {
		p.API.LogWarn("PagerTree: could not update the list of pending alerts", "error", err.Error())
	}
}

// cardMessage is the card post's text: what paged, readable in notifications and search.
func cardMessage(rec delivery.AlertRecord) string {
	if rec.External {
		if rec.Summary == "" {
			return "PagerTree alert"
		}
		return "PagerTree alert: " + alertstate.Neutralize(rec.Summary)
	}
	return fmt.Sprintf("Paged PagerTree — urgency: %s (trigger: %s)", rec.Urgency, rec.Trigger)
}

func (p *Plugin) setCard(post *model.Post, rec delivery.AlertRecord) {
	in := rec.CardInput()
	in.Buttons = p.buttonsFor(rec) // actions.go
	post.AddProp("attachments", []*model.SlackAttachment{alertstate.Card(in)})
	post.AddProp(cardProp, rec.ThirdPartyID)
}

// errCardGone: someone deleted the card; it is not drawn again.
var errCardGone = errors.New("the status card was deleted")

// cardProp marks the bot's card post with the alert's thirdparty id.
const cardProp = "pagertree_alert"

// drawCard creates the card in the thread if it has none, or edits it in place. UpdatePost
// replaces all props, so the post is read, changed and written. After writing it checks the
// record again: if another node changed it meanwhile, it draws again, so the newest wins.
func (p *Plugin) drawCard(rec delivery.AlertRecord) error {
	if rec.CardPostID == "" {
		post := &model.Post{UserId: p.botID, ChannelId: rec.ChannelID, RootId: rec.RootID, Message: cardMessage(rec)}
		p.setCard(post, rec)
		created, appErr := p.API.CreatePost(post)
		if appErr != nil {
			return appErr
		}
		id, err := p.alerts.SetCard(rec.ThirdPartyID, created.Id)
		if err != nil {
			return err
		}
		if id != created.Id { // another node made the card first: ours goes
			_ = p.API.DeletePost(created.Id)
		}
		rec.CardPostID = id
		if id == created.Id {
			if cur, ok, err := p.alerts.Get(rec.ThirdPartyID); err == nil && ok && cur.Rev == rec.Rev {
				return nil
			}
		}
	}
	for i := 0; i < 5; i++ {
		post, appErr := p.API.GetPost(rec.CardPostID)
		if appErr != nil && appErr.StatusCode == http.StatusNotFound || appErr == nil && post.DeleteAt != 0 {
			return errCardGone
		}
		if appErr != nil {
			return fmt.Errorf("the card post %s could not be read: %w", rec.CardPostID, appErr)
		}
		post = post.Clone()
		p.setCard(post, rec)
		if _, appErr := p.API.UpdatePost(post); appErr != nil {
			return appErr
		}
		cur, ok, err := p.alerts.Get(rec.ThirdPartyID)
		if err != nil || !ok || cur.Rev == rec.Rev {
			return err
		}
		rec = cur
	}
	return nil
}

// confirmCard posts the card (open) as the confirmation reply when the alert is delivered.
// It returns false when there is no record for the alert (then the plain reply is posted).
func (p *Plugin) confirmCard(tp string) bool {
	rec, ok, err := p.alerts.Get(tp)
	if err != nil || !ok {
		return false
	}
	if rec.CardPostID != "" {
		return true // an event was faster and drew it already
	}
	if err := p.drawCard(rec); err != nil {
		p.API.LogWarn("PagerTree: could not post the status card", "thirdparty_id", tp, "error", err.Error())
	}
	return true
}
