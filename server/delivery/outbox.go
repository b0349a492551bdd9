package delivery

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"strings"
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

// plan schedules key at due unless this node already plans it.
func (o *Outbox) plan(key string, due time.Time) {
	o.mu.Lock()
	if o.planned[key] {
		o.mu.Unlock()
		return
	}
	o.planned[key] = true
	heap.Push(&o.queue, item{key: key, due: due})
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *Outbox) unplan(key string) {
	o.mu.Lock()
	delete(o.planned, key)
	o.mu.Unlock()
}

func (o *Outbox) runScheduler() {
	defer o.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		o.mu.Lock()
		wait := time.Hour
		var due string
		if o.queue.Len() > 0 {
			if wait = o.queue[0].due.Sub(o.opt.Now()); wait <= 0 {
				due = heap.Pop(&o.queue).(item).key
			}
		}
		o.mu.Unlock()
		if due != "" {
			select {
			case o.ready <- due:
			case <-o.ctx.Done():
				return
			}
			continue
		}
		timer.Reset(wait)
		select {
		case <-timer.C:
		case <-o.wake:
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		case <-o.ctx.Done():
			return
		}
	}
}

func (o *Outbox) runSweeper() {
	defer o.wg.Done()
	ticker := time.NewTicker(o.opt.SweepEvery)
	defer ticker.Stop()
	for {
		o.sweep()
		select {
		case <-ticker.C:
		case <-o.ctx.Done():
			return
		}
	}
}

// sweep plans every pending job nobody is sending: after a restart, or when the node that
// took an alert died (its lease expires).
func (o *Outbox) sweep() {
	now := o.opt.Now()
	err := o.eachJob(func(key string, j Job) {
		due := j.NextAttempt
		if j.LeaseOwner != "" && j.LeaseUntil.After(due) {
			due = j.LeaseUntil
		}
		if due.Before(now) {
			due = now
		}
		o.plan(key, due)
	})
	if err != nil && o.ctx.Err() == nil {
		o.opt.OnError("could not scan the outbox for pending alerts", err, "")
	}
}

// eachJob calls fn for every pending job in the KV store. It also forgets finished keys
// that have expired from the store, so the memory of finished jobs stays bounded.
func (o *Outbox) eachJob(fn func(key string, j Job)) error {
	const perPage = 1000
	listed := map[string]bool{}
	for page := 0; ; page++ {
		keys, err := o.kv.ListKeys(page, perPage)
		if err != nil {
			return err
		}
		for _, key := range keys {
			if !strings.HasPrefix(key, jobPrefix) {
				continue
			}
			listed[key] = true
			if o.isDone(key) {
				continue
			}
			raw, err := o.kv.Get(key)
			if err != nil {
				return err
			}
			if raw == nil {
				continue
			}
			j, err := decodeJob(raw)
			if err != nil {
				o.opt.OnError("an outbox entry could not be read and is skipped", err, key)
				o.markDone(key)
				continue
			}
			if j.State == stateDone {
				o.markDone(key)
				continue
			}
			fn(key, j)
		}
		if len(keys) < perPage {
			break
		}
	}
	o.mu.Lock()
	for key := range o.doneSeen {
		if !listed[key] {
			delete(o.doneSeen, key)
		}
	}
	o.mu.Unlock()
	return nil
}

func (o *Outbox) isDone(key string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.doneSeen[key]
}

func (o *Outbox) markDone(key string) {
	o.mu.Lock()
	o.doneSeen[key] = true
	o.mu.Unlock()
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
	if ok, err := o.kv.CompareAndSet(key, raw, leasedRaw, 0); err != nil || !ok {
		if err != nil {
			o.opt.OnError("could not take an outbox entry; will try again", err, key)
		}
		return now.Add(o.opt.Backoff(1)), true // someone changed it: look again soon
	}

	outcome := o.send(o.ctx, job.Alert)
	if o.ctx.Err() != nil && outcome.Class != paging.Delivered {
		// Stopping: hand the job back untouched for the next start or another node.
		job.LeaseOwner, job.LeaseUntil = "", time.Time{}
		if _, err := o.kv.CompareAndSet(key, leasedRaw, job.encode(), 0); err != nil {
			o.opt.OnError("could not release an outbox entry while stopping; another node takes it when its lease expires", err, key)
		}
		return time.Time{}, false
	}

	job.Attempts++
	job.Last = &outcome
	job.LeaseOwner, job.LeaseUntil = "", time.Time{}
	now = o.opt.Now()
	final := outcome.Class != paging.Transient
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
		o.opt.OnFinal(job, outcome)
		return time.Time{}, false
	}
	o.opt.OnRetry(job, outcome)
	return next, true
}

// item and schedule make a min-heap of due times.
type item struct {
	key string
	due time.Time
}

type schedule []item

func (s schedule) Len() int           { return len(s) }
func (s schedule) Less(i, j int) bool { return s[i].due.Before(s[j].due) }
func (s schedule) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s *schedule) Push(x any)        { *s = append(*s, x.(item)) }
func (s *schedule) Pop() any          { old := *s; it := old[len(old)-1]; *s = old[:len(old)-1]; return it }
