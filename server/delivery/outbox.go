// Package delivery is the durable outbox: alerts recorded in the plugin KV store (shared by
// all nodes of a cluster) before the post hook returns, then sent by a bounded worker pool with
// retries and leases that expire when a node dies; the flood-control claims, the per-user rate
// limit, the bounded history of outcomes, and resending what failed.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// ErrDuplicate is returned by Enqueue when the alert was already taken (by this or another node).
var ErrDuplicate = errors.New("alert already queued or delivered")

// Sender sends one alert and classifies PagerTree's answer.
type Sender func(ctx context.Context, a paging.Alert) paging.Outcome

// Options tune the outbox; zero values take the defaults.
type Options struct {
	NodeID  string           // unique per plugin instance: owns leases
	Workers int              // concurrent sends (default 16)
	Now     func() time.Time // clock (default time.Now)
	// Backoff is the wait after failed attempt n (default DefaultBackoff).
	Backoff func(attempt int) time.Duration
	// ProbeBackoff paces the probes while the endpoint is failing (default: Backoff capped at
	// 2 s, so alerts go out within seconds of PagerTree answering again).
	ProbeBackoff func(failures int) time.Duration
	RetryWindow  func() time.Duration // how long to keep retrying (default 1 hour)
	Lease        time.Duration        // how long a node owns a job it is sending (default 2 minutes)
	SweepEvery   time.Duration        // how often to look for jobs other nodes left (default 30 s)
	DoneTTL      time.Duration        // how long a finished job's claim is kept (default 7 days)
	// Endpoint names where an alert goes now (its route's endpoint): each endpoint's health
	// is its own (gate.go), and an endpoint's outage ends when its alerts go elsewhere.
	Endpoint func(a paging.Alert) string
	// Prepare writes what an alert needs once PagerTree has it (the record PagerTree's events
	// find it by). It starts with the outbox write and runs alongside the first send, which does
	// not wait for it; the attempt's result is recorded after it (alongside.go).
	Prepare func(a paging.Alert)
	// Stamp claims what the first send itself depends on: in the Mattermost format, the
	// channel_id.timestamp PagerTree will know the alert by (unique per channel). It runs in
	// parallel with the outbox write, so it adds no round trip; the first send waits for it. It
	// returns the alert with the timestamp it claimed (Stamp; only that is taken): when it
	// differs, the job is rewritten before the first send.
	Stamp func(a paging.Alert) paging.Alert
	// OnFinal is called once per alert, on the node that finished it: delivered, failed for
	// good, or given up after the retry window.
	OnFinal func(j Job, o paging.Outcome)
	// OnRetry is called after each transient failure that will be retried.
	OnRetry func(j Job, o paging.Outcome)
	// OnOutage is called once when the endpoint starts failing and once when it answers again.
	OnOutage func(Outage)
	// OnError reports outbox trouble (KV errors) for the log.
	OnError func(msg string, err error, key string)
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 16
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.ProbeBackoff == nil {
		backoff := o.Backoff
		o.ProbeBackoff = func(n int) time.Duration { return min(backoff(n), 2*time.Second) }
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
	if o.Endpoint == nil {
		o.Endpoint = func(paging.Alert) string { return "" }
	}
	if o.Prepare == nil {
		o.Prepare = func(paging.Alert) {}
	}
	if o.Stamp == nil {
		o.Stamp = func(a paging.Alert) paging.Alert { return a }
	}
	if o.OnFinal == nil {
		o.OnFinal = func(Job, paging.Outcome) {}
	}
	if o.OnRetry == nil {
		o.OnRetry = func(Job, paging.Outcome) {}
	}
	if o.OnOutage == nil {
		o.OnOutage = func(Outage) {}
	}
	if o.OnError == nil {
		o.OnError = func(string, error, string) {}
	}
}

// work is a job for a worker. raw and job are set when this node already holds the job's
// lease (it has just created it): the worker sends without reading the store again.
type work struct {
	key      string
	raw      []byte
	job      *Job
	released bool       // parked until the endpoint answered again: due now whatever the job says
	since    time.Time  // when the alert entered the plugin (the post hook's entry), for its first attempt
	side     *alongside // the new job's writes alongside its first send (nil: none pending)
}

// Outbox owns the scheduler, the sweeper and the workers; Stop ends them all.
type Outbox struct {
	kv    kvstore.KV
	send  Sender
	opt   Options
	index *kvstore.KeySet
	gate  gates

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	sides  sync.WaitGroup // writes alongside new jobs' first sends (alongside.go)
	wake   chan struct{}  // the schedule changed
	signal chan struct{}  // work is ready

	mu      sync.Mutex
	queue   schedule        // keys this node will look at later, by due time
	ready   []work          // due now, for the workers
	planned map[string]bool // keys queued, ready, in flight or parked
	suspect map[string]bool // indexed keys without a job at the last sweep
}

// New makes an outbox; Start begins work.
func New(kv kvstore.KV, send Sender, opt Options) *Outbox {
	opt.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	return &Outbox{
		kv: kv, send: send, opt: opt, index: newPendingIndex(kv), ctx: ctx, cancel: cancel,
		wake: make(chan struct{}, 1), signal: make(chan struct{}, 1),
		planned: map[string]bool{}, suspect: map[string]bool{}, gate: newGates(),
	}
}

// Start indexes what an older version left pending (once per store), then runs the
// scheduler, the sweeper (which first picks up what an earlier run or another node left
// pending) and the workers.
func (o *Outbox) Start() {
	if err := o.buildIndex(); err != nil {
		o.opt.OnError("could not index the alerts an older version left pending; will try again at the next start", err, "")
	}
	o.wg.Add(2 + o.opt.Workers)
	go o.runScheduler()
	go o.runSweeper()
	for i := 0; i < o.opt.Workers; i++ {
		go o.runWorker()
	}
}

// Stop ends every goroutine, waiting for them until ctx ends (OnDeactivate passes its one
// deadline). An alert being sent or waiting for the endpoint when Stop is called stays pending
// in the KV store (its lease released) for the next start or another node.
func (o *Outbox) Stop(ctx context.Context) error {
	o.cancel()
	done := make(chan struct{})
	go func() { o.wg.Wait(); o.sides.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		select {
		case <-done: // both ready: it did stop
		default:
			return errors.New("the outbox's workers did not stop in time")
		}
	}
	o.releaseParked()
	return nil
}

// Enqueue records the alert durably (the "exactly once" claim), leased to this node in the
// same write, and hands it to a worker at once. ErrDuplicate means this alert id was already
// taken, here or on another node.
func (o *Outbox) Enqueue(a paging.Alert) error { return o.enqueue(a, time.Time{}) }

func (o *Outbox) enqueue(a paging.Alert, since time.Time) error {
	w, err := o.create(a)
	if err != nil {
		if !errors.Is(err, ErrDuplicate) {
			o.release(a) // not queued: the next message in the thread or channel may page
		}
		return err
	}
	w.since = since
	o.handOut(w)
	return nil
}

// ClaimAndEnqueue applies the flood rule (as Claim does) and queues the alert unless it is
// suppressed. For a thread's first post under "one alert per thread" alone, the claim almost
// always succeeds, so it is taken in parallel with the outbox write (one round trip to the
// store before sending, not two); in the rare case it fails, the queued job is withdrawn
// before anything is sent.
// since is when the post hook started on the post: the first attempt tells the Sender (PresendStart).
func (o *Outbox) ClaimAndEnqueue(a paging.Alert, rule FloodRule, since time.Time) (held Suppression, claimErr, err error) {
	if !rule.OnePerThread || rule.Cooldown > 0 || a.RootID != "" {
		if held, claimErr = o.Claim(a, rule); held.Suppressed() {
			return held, claimErr, nil
		}
		return Suppression{}, claimErr, o.enqueue(a, since)
	}
	type claimed struct {
		held Suppression
		err  error
	}
	c := make(chan claimed, 1)
	go func() { h, e := o.Claim(a, rule); c <- claimed{h, e} }()
	w, err := o.create(a)
	got := <-c
	if got.held.Suppressed() {
		if err == nil {
			o.withdraw(w)
		}
		return got.held, got.err, nil
	}
	if err != nil {
		if !errors.Is(err, ErrDuplicate) {
			o.release(a) // after the claim is written, so that it is released too
		}
		return Suppression{}, got.err, err
	}
	w.since = since
	o.handOut(w)
	return Suppression{}, got.err, nil
}

type presendKey struct{}

// PresendStart tells a Sender when the alert it is sending entered the plugin (the post hook's
// entry), on the alert's first attempt from the node that queued it; ok is false otherwise.
func PresendStart(ctx context.Context) (since time.Time, ok bool) {
	since, ok = ctx.Value(presendKey{}).(time.Time)
	return since, ok
}

// create writes the job, leased to this node; its index entry and Prepare go alongside.
func (o *Outbox) create(a paging.Alert) (work, error) { return o.createAt(JobKey(a.ID), a) }

// createAt is create under a given key (a resend has a key of its own). The job's write is the
// one round trip before the first send: the alert's durable record, its "exactly once" claim
// and this node's lease, in one compare-and-set. The rest goes alongside (alongside.go).
func (o *Outbox) createAt(key string, a paging.Alert) (work, error) {
	now := o.opt.Now()
	job := Job{Alert: a, State: statePending, Queued: now, NextAttempt: now, LeaseOwner: o.opt.NodeID, LeaseUntil: now.Add(o.opt.Lease)}
	raw := job.encode()
	side := o.startAlongside(key, a)
	stamped := make(chan paging.Alert, 1)
	go func() { stamped <- o.opt.Stamp(a) }()
	ok, err := o.kv.CompareAndSet(key, nil, raw, 0)
	claimed := <-stamped // before the first send
	if err != nil {
		return work{}, fmt.Errorf("could not record the alert in the outbox: %w", err)
	}
	if !ok {
		return work{}, ErrDuplicate // the index entry is dropped by the winner when it finishes
	}
	if claimed.SentAt() != a.SentAt() { // its timestamp was taken: the job carries the one claimed
		job.Alert.Stamp = claimed.Stamp
		next := job.encode()
		if ok, err := o.kv.CompareAndSet(key, raw, next, 0); err == nil && ok {
			raw = next
		} else if err != nil { // the next write of the job (its lease, its outcome) stores it
			o.opt.OnError("could not store the timestamp claimed for a queued alert; it is stored with its next change", err, key)
		}
	}
	return work{key: key, raw: raw, job: &job, side: side}, nil
}

// handOut gives a job this node just created to the workers.
func (o *Outbox) handOut(w work) {
	o.mu.Lock()
	o.planned[w.key] = true
	o.mu.Unlock()
	o.push(w)
}

// withdraw deletes a job that was created but must not be sent (its claim failed).
func (o *Outbox) withdraw(w work) {
	o.finishAlongside(w.key, w.side) // indexed before it is dropped from the index
	if _, err := o.kv.CompareAndSet(w.key, w.raw, nil, 0); err != nil {
		o.opt.OnError("could not withdraw a suppressed alert from the outbox; it may be sent", err, w.key)
		o.handOut(w)
		return
	}
	o.forget(w.key)
}

// Pending counts alerts waiting to be delivered, on every node.
func (o *Outbox) Pending() (int, error) {
	n := 0
	err := o.eachPending(func(string, Job) { n++ })
	return n, err
}
