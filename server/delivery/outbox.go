package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Sender sends one alert and classifies PagerTree's answer.
type Sender func(ctx context.Context, a paging.Alert) paging.Outcome

// Options tune the outbox; zero values take the defaults.
type Options struct {
	NodeID      string                          // unique per plugin instance: owns leases
	Workers     int                             // concurrent sends (default 4)
	Now         func() time.Time                // clock (default time.Now)
	Backoff     func(attempt int) time.Duration // wait after failed attempt n (default DefaultBackoff)
	RetryWindow func() time.Duration            // how long to keep retrying (default 1 hour)
	Lease       time.Duration                   // how long a node owns a job it is sending (default 2 minutes)
	SweepEvery  time.Duration                   // how often to look for jobs other nodes left (default 30 s)
	DoneTTL     time.Duration                   // how long a finished job's claim is kept (default 7 days)
	// OnFinal is called once per alert, on the node that finished it: delivered, failed for
	// good, or given up after the retry window.
	OnFinal func(j Job, o paging.Outcome)
	// OnRetry is called after each transient failure that will be retried.
	OnRetry func(j Job, o paging.Outcome)
	// OnError reports outbox trouble (KV errors) for the log.
	OnError func(msg string, err error, key string)
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.RetryWindow == nil {
		o.RetryWindow = func() time.Duration { return time.Hour }
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = 30 * time.Second
	}
	if o.DoneTTL <= 0 {
		o.DoneTTL = 7 * 24 * time.Hour
	}
	if o.OnFinal == nil {
		o.OnFinal = func(Job, paging.Outcome) {}
	}
	if o.OnRetry == nil {
		o.OnRetry = func(Job, paging.Outcome) {}
	}
	if o.OnError == nil {
		o.OnError = func(string, error, string) {}
	}
}

// Outbox owns the scheduler, the sweeper and the workers; Stop ends them all.
type Outbox struct {
	kv   KV
	send Sender
	opt  Options

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	ready  chan string   // keys due now, for the workers
	wake   chan struct{} // the schedule changed

	mu       sync.Mutex
	queue    schedule        // keys this node will look at, by due time
	planned  map[string]bool // keys in queue or in flight
	doneSeen map[string]bool // keys known finished: the sweep skips reading them
}

// New makes an outbox; Start begins work.
func New(kv KV, send Sender, opt Options) *Outbox {
	opt.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	return &Outbox{
		kv: kv, send: send, opt: opt, ctx: ctx, cancel: cancel,
		ready: make(chan string), wake: make(chan struct{}, 1),
		planned: map[string]bool{}, doneSeen: map[string]bool{},
	}
}

// Start runs the scheduler, the sweeper (which first picks up what an earlier run or
// another node left pending) and the workers.
func (o *Outbox) Start() {
	o.wg.Add(2 + o.opt.Workers)
	go o.runScheduler()
	go o.runSweeper()
	for i := 0; i < o.opt.Workers; i++ {
		go o.runWorker()
	}
}

// Stop ends every goroutine, waiting at most timeout. An alert being sent when Stop is
// called stays pending in the KV store (its lease released) for the next start or another node.
func (o *Outbox) Stop(timeout time.Duration) error {
	o.cancel()
	done := make(chan struct{})
	go func() { o.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("outbox workers did not stop within %s", timeout)
	}
}

// Enqueue records the alert durably (the "exactly once" claim) and schedules it now.
// ErrDuplicate means this alert id was already taken, here or on another node.
func (o *Outbox) Enqueue(a paging.Alert) error {
	now := o.opt.Now()
	key := JobKey(a.ID)
	job := Job{Alert: a, State: statePending, Queued: now, NextAttempt: now}
	ok, err := o.kv.CompareAndSet(key, nil, job.encode(), 0)
	if err != nil {
		o.release(a) // not queued: the next message in the thread or channel may page
		return fmt.Errorf("could not record the alert in the outbox: %w", err)
	}
	if !ok {
		return ErrDuplicate
	}
	o.plan(key, now)
	return nil
}

// Pending counts alerts waiting to be delivered, on every node.
func (o *Outbox) Pending() (int, error) {
	n := 0
	err := o.eachJob(func(string, Job) { n++ })
	return n, err
}

func (o *Outbox) runWorker() {
	defer o.wg.Done()
	for {
		select {
		case key := <-o.ready:
			// The key stays planned while in flight, so a sweep cannot start a second send.
			next, again := o.attempt(key)
			o.unplan(key)
			if again {
				o.plan(key, next)
			}
		case <-o.ctx.Done():
			return
		}
	}
}

// attempt sends one job once, if it is due and nobody else holds it. It returns when to
// look at the job again, if ever.
func (o *Outbox) attempt(key string) (time.Time, bool) {
	raw, err := o.kv.Get(key)
	if err != nil {
		o.opt.OnError("could not read an outbox entry; will try again", err, key)
		return o.opt.Now().Add(o.opt.Backoff(1)), true
	}
	if raw == nil {
		return time.Time{}, false
	}
	job, err := decodeJob(raw)
	if err != nil || job.State == stateDone {
		o.markDone(key)
		return time.Time{}, false
	}
	now := o.opt.Now()
	if job.LeaseOwner != "" && job.LeaseOwner != o.opt.NodeID && now.Before(job.LeaseUntil) {
		return job.LeaseUntil, true // look again when that node's lease runs out
	}
	if now.Before(job.NextAttempt) {
		return job.NextAttempt, true
	}
	leased := job
	leased.LeaseOwner, leased.LeaseUntil = o.opt.NodeID, now.Add(o.opt.Lease)
	leasedRaw := leased.encode()
	if ok, casErr := o.kv.CompareAndSet(key, raw, leasedRaw, 0); casErr != nil || !ok {
		if casErr != nil {
			o.opt.OnError("could not take an outbox entry; will try again", casErr, key)
		}
		return now.Add(o.opt.Backoff(1)), true // someone changed it: look again soon
	}

	outcome := o.send(o.ctx, job.Alert)
	if o.ctx.Err() != nil && outcome.Class != paging.Delivered {
		// Stopping: hand the job back untouched for the next start or another node.
		job.LeaseOwner, job.LeaseUntil = "", time.Time{}
		if _, casErr := o.kv.CompareAndSet(key, leasedRaw, job.encode(), 0); casErr != nil {
			o.opt.OnError("could not release an outbox entry while stopping; another node takes it when its lease expires", casErr, key)
		}
		return time.Time{}, false
	}

	job.Attempts++
	job.Last = &outcome
	job.LeaseOwner, job.LeaseUntil = "", time.Time{}
	now = o.opt.Now()
	final := !outcome.Class.WillRetry()
	var next time.Time
	if !final {
		wait := o.opt.Backoff(job.Attempts)
		if outcome.RetryAfter > wait {
			wait = outcome.RetryAfter
		}
		next = now.Add(wait)
		if window := o.opt.RetryWindow(); next.After(job.Queued.Add(window)) {
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
	ok, err := o.kv.CompareAndSet(key, leasedRaw, job.encode(), ttl)
	if err != nil || !ok {
		if err == nil {
			err = errors.New("the entry changed while it was being sent (this node's lease had expired)")
		}
		o.opt.OnError("could not record the result of a delivery", err, key)
		return next, !final
	}
	if final {
		o.markDone(key)
		if outcome.Class != paging.Delivered {
			o.release(job.Alert) // not delivered: the next message in the thread or channel may page
		}
		o.opt.OnFinal(job, outcome)
		return time.Time{}, false
	}
	o.opt.OnRetry(job, outcome)
	return next, true
}
