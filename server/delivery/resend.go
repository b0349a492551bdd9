package delivery

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Why an alert cannot be resent.
var (
	ErrResendUnknown = errors.New("no alert with that id is kept (finished alerts are kept for 7 days)")
	ErrResendPending = errors.New("that alert is still being delivered")
	ErrResendOK      = errors.New("that alert was delivered; there is nothing to resend")
	ErrResendTest    = errors.New("test alerts are not resent: send a new one with /pagertree test")
)

// resendKey is the outbox key of the n-th resend of an alert: its own "exactly once" claim.
// The alert keeps its id, so PagerTree aggregates a resend with anything that got through.
func resendKey(alertID string, n int) string {
	if n == 0 {
		return JobKey(alertID)
	}
	return JobKey(alertID) + "~resend" + strconv.Itoa(n)
}

// Resend queues an alert that failed for good once more, through the outbox, with the
// settings live at send time. It acts on the latest try of the alert: each failed try can be
// resent once (a second click, here or on another node, finds it already resent and gets
// the resend in flight instead: resent is false). It returns the alert as queued.
func (o *Outbox) Resend(alertID, by string) (a paging.Alert, resent bool, err error) {
	n, job, raw, err := o.latestTry(alertID)
	if err != nil {
		return paging.Alert{}, false, err
	}
	switch {
	case job.State != stateDone && n > 0:
		return job.Alert, false, nil // resent already (a second click): the resend is on its way
	case job.State != stateDone:
		return job.Alert, false, ErrResendPending
	case job.Last != nil && job.Last.Class == paging.Delivered:
		return job.Alert, false, ErrResendOK
	case job.Alert.Origin == paging.OriginTest:
		return job.Alert, false, ErrResendTest
	}

	// Claim the resend on the failed try: of two admins clicking at once, one wins.
	next := n + 1
	job.ResentAs = resendKey(alertID, next)
	ok, err := o.kv.CompareAndSet(resendKey(alertID, n), raw, job.encode(), o.opt.DoneTTL)
	if err != nil {
		return paging.Alert{}, false, fmt.Errorf("could not record the resend: %w", err)
	}
	if !ok {
		_, latest, _, readErr := o.latestTry(alertID)
		return latest.Alert, false, readErr // someone else resent it just now
	}

	a = job.Alert
	a.Resent = &paging.Resent{Number: next, By: by}
	w, err := o.createAt(resendKey(alertID, next), a)
	if err != nil {
		return paging.Alert{}, false, fmt.Errorf("could not queue the resend: %w", err)
	}
	o.handOut(w)
	return a, true, nil
}

// latestTry follows an alert's resends to the newest one.
func (o *Outbox) latestTry(alertID string) (int, Job, []byte, error) {
	for n := 0; ; n++ {
		raw, err := o.kv.Get(resendKey(alertID, n))
		if err != nil {
			return 0, Job{}, nil, fmt.Errorf("could not read the alert from the outbox: %w", err)
		}
		if raw == nil {
			return 0, Job{}, nil, ErrResendUnknown
		}
		job, err := decodeJob(raw)
		if err != nil {
			return 0, Job{}, nil, fmt.Errorf("the outbox entry could not be read: %w", err)
		}
		if job.ResentAs == "" {
			return n, job, raw, nil
		}
	}
}

// FailedSince lists the alerts whose latest try failed for good at or after since (newest
// first, test alerts left out), from the history: what `/pagertree resend failed` resends.
func FailedSince(entries []Entry, since time.Time) []string {
	var ids []string
	seen := map[string]bool{}
	for _, e := range entries { // newest first: the first entry of an alert is its latest try
		if seen[e.AlertID] {
			continue
		}
		seen[e.AlertID] = true
		if e.Status == StatusFailed && !e.Test && !e.Time.Before(since) {
			ids = append(ids, e.AlertID)
		}
	}
	return ids
}
