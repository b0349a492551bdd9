package followup

import (
	"context"

	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// In polled mode the comments of each alert polled are read too (GET …/comments, within the
// round's budget of REST calls) and fed through records.apply as comment.created events: the
// same de-duplication by comment id as pushed comments (a comment seen both ways posts once)
// and the same echo guard (the plugin's own comments never come back). This node remembers
// the comments it applied already, so a round does not read the store again for each.

// maxKnownComments bounds the comment ids remembered per alert in memory.
const maxKnownComments = 2 * pagertreeclient.MaxCommentsListed

// pollComments reads and applies the comments of a polled alert; it returns a sentence when
// PagerTree could not be asked ("" otherwise, and when stopping).
func (s *Service) pollComments(ctx context.Context, tp string, alert pagertreeclient.Alert, replies bool) string {
	api := s.config().actor().API
	if api == nil {
		return ""
	}
	eventID := alert.PrefixID // what the alert's record is found by (PolledEvent's AlertID)
	if eventID == "" {
		eventID = alert.ID
	}
	callID := alert.ID
	if callID == "" {
		callID = alert.PrefixID
	}
	cctx, cancel := context.WithTimeout(ctx, pollTimeout)
	defer cancel()
	list, err := api.Comments(cctx, callID)
	if err != nil {
		if ctx.Err() != nil || pagertreeclient.IsKind(err, pagertreeclient.KindNotFound) {
			return "" // stopping, or the alert is gone: nothing to tell
		}
		return err.Error()
	}
	for _, c := range list {
		ev := pagertreeclient.CommentEvent(eventID, c)
		if ev.CommentID == "" || s.records.checks.knownComment(tp, ev.CommentID) {
			continue
		}
		applied, err := s.records.apply(ev, replies)
		if err != nil {
			s.mm.LogWarn("PagerTree: could not record a polled comment", "thirdparty_id", tp, "error", err.Error())
			continue
		}
		s.records.checks.rememberComment(tp, ev.CommentID)
		if applied.Work {
			s.cards.kick(applied.ThirdPartyID)
		}
	}
	return ""
}

func (c *polledChecks) knownComment(tp, id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.comments[tp][id]
}

func (c *polledChecks) rememberComment(tp, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.comments == nil {
		c.comments = map[string]map[string]bool{}
	}
	m := c.comments[tp]
	if m == nil || len(m) >= maxKnownComments {
		m = map[string]bool{} // start again: the store still de-duplicates
		c.comments[tp] = m
	}
	m[id] = true
}
