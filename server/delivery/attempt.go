package delivery

import (
	"context"
	"errors"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func (o *Outbox) runWorker() {
	defer o.wg.Done()
	for {
		w, ok := o.next()
		if !ok {
			return
		}
		// The key stays planned while in flight or parked, so a sweep cannot start a second send.
		next, again, parked := o.attempt(w)
		switch {
		case parked:
		case again:
			o.reschedule(w.key, next)
		default:
			o.unplan(w.key)
		}
	}
}

// attempt sends one job once, if it is due, nobody else holds it and the endpoint is not
// failing. It returns when to look at the job again, if ever, or that it waits for the endpoint.
func (o *Outbox) attempt(w work) (next time.Time, again, parked bool) {
	key := w.key
	now := o.opt.Now()
	// Just created here, lease still long: send without reading the store again.
	fresh := w.raw != nil && w.job != nil && w.job.LeaseOwner == o.opt.NodeID && w.job.LeaseUntil.Sub(now) > o.opt.Lease/4
	var raw []byte
	var job Job
	if fresh {
		raw, job = w.raw, *w.job
	} else {
		var err error
		if raw, err = o.kv.Get(key); err != nil {
			o.opt.OnError("could not read an outbox entry; will try again", err, key)
			return now.Add(o.opt.Backoff(1)), true, false
		}
		if raw == nil {
			o.handOver(key)
			return time.Time{}, false, false
		}
		if job, err = decodeJob(raw); err != nil || job.State == stateDone {
			o.forget(key)
			o.handOver(key)
			return time.Time{}, false, false
		}
		if job.LeaseOwner != "" && job.LeaseOwner != o.opt.NodeID && now.Before(job.LeaseUntil) {
			o.handOver(key)
			return job.LeaseUntil, true, false // look again when that node's lease runs out
		}
		if now.Before(job.NextAttempt) && !w.released {
			return job.NextAttempt, true, false
		}
	}
	v, at, ep := o.admit(work{key: key, raw: raw, job: &job, side: w.side}, now)
	switch v {
	case park:
		return time.Time{}, false, true
	case wait:
		return at, true, false
	}
	if !fresh {
		leased := job
		leased.LeaseOwner, leased.LeaseUntil = o.opt.NodeID, now.Add(o.opt.Lease)
		leasedRaw := leased.encode()
		if ok, err := o.kv.CompareAndSet(key, raw, leasedRaw, 0); err != nil || !ok {
			if err != nil {
				o.opt.OnError("could not take an outbox entry; will try again", err, key)
			}
			o.handOver(key)
			return now.Add(o.opt.Backoff(1)), true, false // someone changed it: look again soon
		}
		raw = leasedRaw
	}

	ctx := o.ctx
	if fresh && !w.since.IsZero() {
		ctx = context.WithValue(ctx, presendKey{}, w.since)
	}
	outcome := o.send(ctx, job.Alert)
	o.finishAlongside(key, w.side) // before the result: see alongside.go
	if o.ctx.Err() != nil && outcome.Class != paging.Delivered {
		// Stopping: hand the job back untouched for the next start or another node.
		job.LeaseOwner, job.LeaseUntil = "", time.Time{}
		if _, err := o.kv.CompareAndSet(key, raw, job.encode(), 0); err != nil {
			o.opt.OnError("could not release an outbox entry while stopping; another node takes it when its lease expires", err, key)
		}
		return time.Time{}, false, false
	}
	return o.record(key, ep, raw, job, outcome)
}

// record stores the result of an attempt to ep: finished, or pending with its next attempt.
func (o *Outbox) record(key, ep string, raw []byte, job Job, outcome paging.Outcome) (time.Time, bool, bool) {
	job.Attempts++
	job.Last = &outcome
	job.LeaseOwner, job.LeaseUntil = "", time.Time{}
	now := o.opt.Now()
	next := o.report(key, ep, job, outcome, now)
	final := !outcome.Class.WillRetry()
	if deadline := job.Queued.Add(o.opt.RetryWindow()); !final && next.After(deadline) {
		if now.Before(deadline) {
			// A long backoff or Retry-After must not end the retries early: one last
			// attempt when the window closes (the gate may still hold it for a Retry-After).
			next = deadline
		} else {
			final, job.GaveUp = true, true
		}
	}
	ttl := time.Duration(0)
	if final {
		job.State = stateDone
		ttl = o.opt.DoneTTL
	} else {
		job.NextAttempt = next
	}
	ok, err := o.storeResult(key, raw, job.encode(), ttl)
	if err != nil || !ok {
		if err == nil {
			err = errors.New("the entry changed while it was being sent (this node's lease had expired)")
		}
		o.opt.OnError("could not record the result of a delivery", err, key)
		if final {
			o.handOver(key)
		}
		return next, !final, false
	}
	if !final {
		o.opt.OnRetry(job, outcome)
		o.giveUpExpired()
		return next, true, false
	}
	o.forget(key)
	if job.GaveUp {
		o.handOver(key)
	}
	if outcome.Class != paging.Delivered {
		o.release(job.Alert) // not delivered: the next message in the thread or channel may page
	}
	o.opt.OnFinal(job, outcome)
	return time.Time{}, false, false
}

// handOver passes the probe role of key (if it had it) to a parked alert.
func (o *Outbox) handOver(key string) {
	if w, at, ok := o.released(key); ok {
		o.reschedule(w.key, at)
	}
}

// giveUpExpired finishes the parked alerts whose retry window ran out while their endpoint failed.
func (o *Outbox) giveUpExpired() {
	for _, pe := range o.expiredParked(o.opt.Now()) {
		w, last := pe.w, pe.last
		var final Job
		err := kvstore.Update(o.kv, w.key, o.opt.DoneTTL, func(old []byte) ([]byte, error) {
			j, err := decodeJob(old)
			if old == nil || err != nil || j.State == stateDone ||
				j.LeaseOwner != "" && j.LeaseOwner != o.opt.NodeID && o.opt.Now().Before(j.LeaseUntil) {
				final = Job{}
				return old, nil // finished or taken elsewhere: not ours to end
			}
			j.State, j.GaveUp, j.LeaseOwner, j.LeaseUntil = stateDone, true, "", time.Time{}
			if j.Last == nil {
				j.Last = &last
			}
			final = j
			return j.encode(), nil
		})
		o.unplan(w.key)
		if err != nil {
			o.opt.OnError("could not end an alert whose retry window ran out; will try again", err, w.key)
			continue
		}
		if final.State == stateDone {
			o.forget(w.key)
			o.release(final.Alert)
			o.opt.OnFinal(final, *final.Last)
		}
	}
}

// releaseParked (stopping) gives back the leases this node holds on alerts it has not sent.
func (o *Outbox) releaseParked() {
	o.mu.Lock()
	items := append([]work(nil), o.ready...)
	o.ready = nil
	o.mu.Unlock()
	for _, w := range append(items, o.takeParked()...) {
		if w.raw == nil || w.job == nil || w.job.LeaseOwner != o.opt.NodeID {
			continue
		}
		j := *w.job
		j.LeaseOwner, j.LeaseUntil = "", time.Time{}
		if _, err := o.kv.CompareAndSet(w.key, w.raw, j.encode(), 0); err != nil {
			o.opt.OnError("could not release an outbox entry while stopping; another node takes it when its lease expires", err, w.key)
		}
	}
}

// storeResult writes an attempt's result. A store error is retried briefly: a result that is
// not written leaves the job pending under an expiring lease, and a delivered alert would be
// sent again once the lease ran out.
func (o *Outbox) storeResult(key string, old, next []byte, ttl time.Duration) (bool, error) {
	var err error
	for i, wait := range []time.Duration{0, 50 * time.Millisecond, 250 * time.Millisecond, time.Second} {
		if i > 0 {
			select {
			case <-o.ctx.Done():
				return false, err
			case <-time.After(wait):
			}
		}
		var ok bool
		if ok, err = o.kv.CompareAndSet(key, old, next, ttl); err == nil {
			return ok, nil
		}
	}
	return false, err
}
