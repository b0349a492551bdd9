package followup

import (
	"context"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// Actions pressed in Mattermost (acknowledge, resolve) are recorded in the alert's record
// before the plugin answers the person who pressed: the pending action (what the card shows)
// and the outbound job (what must still reach PagerTree). The action retries (an owner of the
// Service) retry the job with backoff and mark the action unconfirmed when PagerTree's event
// does not follow in time.
const (
	// actionRetryFor bounds how long a transient failure is retried.
	actionRetryFor = 15 * time.Minute
	actionLease    = 30 * time.Second
	// actionTimeout bounds one try of a retried action (the first try has pressTimeout).
	actionTimeout = 10 * time.Second
	// actionTries bounds the retries in flight at once: a hanging PagerTree holds at most these.
	actionTries = 4
)

// ActionJob is an action that must still reach PagerTree.
type ActionJob struct {
	Action     alertstate.Action `json:"action"`
	UserID     string            `json:"user_id"`  // who pressed, to tell them the outcome
	Username   string            `json:"username"` // for PagerTree's comment
	First      time.Time         `json:"first"`
	Attempts   int               `json:"attempts,omitempty"`
	NextTry    time.Time         `json:"next_try"`
	LeaseUntil time.Time         `json:"lease_until,omitempty"`
	// CommentKey names the action's comment among the record's sent comments (the echo guard).
	CommentKey string `json:"comment_key,omitempty"`
}

// targetOf is the alert as the action layer needs it.
func targetOf(rec Record) pagertreeclient.Target {
	return pagertreeclient.Target{ThirdpartyID: rec.ThirdPartyID, Format: rec.Format, EndpointFingerprint: rec.EndpointFP, AlertID: rec.Status.AlertID, Route: rec.RouteID}
}

// runAction makes one try of an action through the route decided for it and records the
// outcome: sent (the card waits for PagerTree's event), retried later (transient), or
// withdrawn or given up (the card offers the buttons again: only then does the card change,
// and the card queue is kicked). final is false when the retries will try again.
func (s *Service) runAction(ctx context.Context, route pagertreeclient.Decision, rec Record, job ActionJob) (text string, final bool) {
	res := route.Do(ctx, job.Action, job.Username)
	tp := rec.ThirdPartyID
	var err error
	again, redraw := false, false
	switch {
	case res.Done && !res.Already:
		_, err = s.records.actionSent(tp, job.Action)
		text = res.Sentence
	case res.Retryable:
		_, again, err = s.records.actionFailed(tp, job.Action, true, s.now().Add(actionBackoff(job.Attempts+1, res.RetryAfter)))
		text = res.Sentence
		if again {
			text += " The plugin keeps trying for a while; the card shows when PagerTree confirms."
		} else {
			text += " The plugin gave up; press the button again or act in PagerTree."
		}
		redraw = !again
	default: // refused, or already done: nothing will confirm it
		_, _, err = s.records.actionFailed(tp, job.Action, false, time.Time{})
		text, redraw = res.Sentence, true
	}
	if err != nil {
		s.mm.LogWarn("PagerTree: could not record an action's outcome", "thirdparty_id", tp, "error", err.Error())
	}
	if res.Comment != nil && job.CommentKey != "" {
		if nerr := s.records.noteSent(tp, job.CommentKey, *res.Comment); nerr != nil { // the hash still guards
			s.mm.LogWarn("PagerTree: could not keep the id of the action's comment", "thirdparty_id", tp, "error", nerr.Error())
		}
	}
	if res.CommentError != nil {
		s.mm.LogWarn("PagerTree: the action's comment failed", "thirdparty_id", tp, "error", res.CommentError.Error())
	}
	if redraw {
		s.cards.kick(tp)
	}
	return text, !again
}

// actionBackoff is 5 s doubling to 2 min, or PagerTree's Retry-After when longer.
func actionBackoff(attempt int, retryAfter time.Duration) time.Duration {
	d := 5 * time.Second << min(max(attempt-1, 0), 5)
	d = min(d, 2*time.Minute)
	return max(d, retryAfter)
}

// actionRetries is the owner that retries due actions and marks unconfirmed ones, and sends
// the thread replies waiting to become comments (comments_send.go): one machinery, one set of
// slots, for everything the plugin must still tell PagerTree.
type actionRetries struct {
	s     *Service
	every time.Duration
	kicks chan string // comment jobs to try now (kickComment)
}

func newActionRetries(s *Service) *actionRetries {
	return &actionRetries{s: s, every: 5 * time.Second, kicks: make(chan string, 256)}
}

func (r *actionRetries) run(ctx context.Context) {
	t := time.NewTicker(r.every)
	defer t.Stop()
	slots := make(chan struct{}, actionTries)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer r.s.flushCommentNote()
	for {
		select {
		case <-ctx.Done():
			return
		case postID := <-r.kicks:
			r.tryKicked(ctx, postID, slots, &wg)
		case <-t.C:
			r.sweep(ctx, slots, &wg)
			r.s.flushCommentNote()
		}
	}
}

// sweep claims every due action and comment and tries them side by side (at most actionTries
// at once), each with its own timeout, so one slow call does not hold up the others; it
// returns when its tries are done.
func (r *actionRetries) sweep(ctx context.Context, slots chan struct{}, all *sync.WaitGroup) {
	s := r.s
	var wg sync.WaitGroup
	all.Add(1)
	defer func() { wg.Wait(); all.Done() }()
	r.sweepComments(ctx, slots, &wg)
	list, err := s.records.pendingActions()
	if err != nil {
		s.mm.LogWarn("PagerTree: could not read the pending actions", "error", err.Error())
		return
	}
	for _, tp := range list {
		if ctx.Err() != nil {
			return
		}
		rec, job, err := s.records.claimAction(tp)
		if err != nil {
			continue
		}
		if job == nil {
			if expired, err := s.records.expireAction(tp); err == nil && expired {
				s.cards.kick(tp) // the card says "not confirmed"
			}
			continue
		}
		if !inSlot(ctx, slots, &wg, func() {
			route := s.config().actor().DecideAction(targetOf(rec), job.Action) // once per try
			tctx, cancel := context.WithTimeout(ctx, actionTimeout)
			text, final := s.runAction(tctx, route, rec, *job)
			cancel()
			if final && job.UserID != "" {
				s.mm.SendEphemeralPost(job.UserID, &model.Post{ChannelId: rec.ChannelID, RootId: rec.RootID, Message: text})
			}
		}) {
			return // the claim's lease runs out: the next start tries it
		}
	}
}

// inSlot runs try on a goroutine of its own once one of the slots is free (the calls to
// PagerTree in flight are bounded), and reports false when ctx ended first.
func inSlot(ctx context.Context, slots chan struct{}, wg *sync.WaitGroup, try func()) bool {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	wg.Add(1)
	go func() {
		defer func() { <-slots; wg.Done() }()
		try()
	}()
	return true
}

// actionSent records that PagerTree took the action: the card now waits for its event (the
// confirmation deadline counts from now).
func (s *records) actionSent(tp string, a alertstate.Action) (Record, error) {
	now := s.now()
	rec, _, err := s.update(tp, func(r *Record) bool {
		if r.Outbound == nil || r.Outbound.Action != a {
			return false
		}
		r.Outbound = nil
		if p := r.Status.Pending; p != nil && p.Action == a {
			cp := *p
			cp.Since = now.UnixMilli()
			r.Status.Pending = &cp
		}
		return true
	})
	return rec, err
}

// actionFailed withdraws an action PagerTree refused (permanent: the card shows the buttons
// again) or, when retry is set and the retry time is not over, plans another try at next.
// It reports whether the action will be retried.
func (s *records) actionFailed(tp string, a alertstate.Action, retry bool, next time.Time) (Record, bool, error) {
	now := s.now()
	again := false
	if err := s.work.Add(tp); err != nil { // intent first: the card may have to offer the buttons again
		return Record{}, false, err
	}
	rec, _, err := s.update(tp, func(r *Record) bool {
		if r.Outbound == nil || r.Outbound.Action != a {
			return false
		}
		j := *r.Outbound
		j.Attempts++
		if retry && now.Sub(j.First) < actionRetryFor {
			j.NextTry, j.LeaseUntil, again = next, time.Time{}, true
			r.Outbound = &j
			return true
		}
		r.Outbound = nil
		if retry { // gave up: the card says it was not confirmed and offers the buttons again
			if p := r.Status.Pending; p != nil && p.Action == a {
				cp := *p
				cp.Unconfirmed = true
				r.Status.Pending = &cp
			}
		} else {
			r.Status = alertstate.Withdraw(r.Status, a)
		}
		r.Rev++
		return true
	})
	return rec, again, err
}

// claimAction takes the alert's outbound action when it is due and nobody else holds it.
func (s *records) claimAction(tp string) (Record, *ActionJob, error) {
	now := s.now()
	var job *ActionJob
	rec, _, err := s.update(tp, func(r *Record) bool {
		j := r.Outbound
		if j == nil || now.Before(j.NextTry) || now.Before(j.LeaseUntil) {
			return false
		}
		if r.Status.Pending == nil || r.Status.Pending.Action != j.Action {
			r.Outbound = nil // confirmed or superseded meanwhile: nothing to send
			return true
		}
		cp := *j
		cp.LeaseUntil = now.Add(actionLease)
		r.Outbound, job = &cp, &cp
		return true
	})
	return rec, job, err
}

// expireAction marks the alert's pending action unconfirmed once its time is up; it reports
// whether the card must be redrawn. An alert with nothing left to watch leaves the list.
func (s *records) expireAction(tp string) (bool, error) {
	now := s.now()
	expired := false
	if cur, ok, err := s.get(tp); err != nil {
		return false, err
	} else if _, due := alertstate.Expire(cur.Status, now); ok && cur.Outbound == nil && due {
		if err := s.work.Add(tp); err != nil { // intent first: the card will say "not confirmed"
			return false, err
		}
	}
	rec, ok, err := s.update(tp, func(r *Record) bool {
		if r.Outbound != nil {
			return false
		}
		next, changed := alertstate.Expire(r.Status, now)
		if !changed {
			return false
		}
		r.Status, expired = next, true
		r.Rev++
		return true
	})
	if err != nil {
		return false, err
	}
	if !ok && rec.ThirdPartyID == "" { // the record is gone
		return false, s.markActions(tp, false)
	}
	if rec.Outbound == nil && (rec.Status.Pending == nil || rec.Status.Pending.Unconfirmed) {
		err = s.markActions(tp, false)
	}
	return expired, err
}

// pendingActions lists alerts with an action on its way or waiting for confirmation.
func (s *records) pendingActions() ([]string, error) { return s.actions.Keys() }

func (s *records) markActions(tp string, add bool) error {
	if add {
		return s.actions.Add(tp)
	}
	return s.actions.Remove(tp)
}
