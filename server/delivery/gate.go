package delivery

import (
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Each endpoint's health is shared by this node's queued alerts that go to it (with routes,
// alerts go to several PagerTree integrations, and one failing must not hold back the others):
// once a send to an endpoint fails transiently, that endpoint counts as failing and only one
// of its alerts at a time probes it, at the probe pace (and never before a Retry-After); its
// other alerts wait ("parked") without sending. The first answer that is not a transient
// failure ends that endpoint's outage and sends everything that waited for it at once (the
// workers bound the concurrency). An outage is reported twice: when it starts and when it ends.
//
// Only failing endpoints have an entry, so a healthy one costs nothing. The entries are bounded
// (maxFailingEndpoints): beyond the bound, a failing endpoint's alerts each retry on their own
// backoff, as every alert did before the gate. An entry ends when its endpoint answers, when
// the settings send its alerts somewhere else (the endpoint was changed), or when no alert used
// it for the retry window (expired: nothing waits for it any more).

// maxFailingEndpoints bounds the gate: far more than the routes a configuration may hold.
const maxFailingEndpoints = 256

// Outage describes the start (Ended false) or the end of an endpoint failure.
type Outage struct {
	Endpoint string // as Options.Endpoint names it
	Ended    bool
	// Expired (at the end): no alert went to the endpoint for the retry window, so it is no
	// longer followed; it may still be failing.
	Expired  bool
	Since    time.Time
	Duration time.Duration  // at the end: how long it lasted
	Waited   int            // at the end: alerts that waited for it
	Probes   int            // at the end: failed probes
	Last     paging.Outcome // what the endpoint answered (the first failure, or the answer that ended it)
}

// gates holds the failing endpoints and which of them each alert probes or waits for.
type gates struct {
	mu      sync.Mutex
	failing map[string]*health
	role    map[string]string // alert key → the failing endpoint it probes or waits for
}

// health is one failing endpoint.
type health struct {
	endpoint  string
	since     time.Time
	failures  int
	nextProbe time.Time
	probe     string          // the key probing now, or planned to
	parked    map[string]work // waiting for the endpoint
	waited    map[string]bool
	last      paging.Outcome // the last failure
	sample    paging.Alert   // an alert that went to it: when it goes elsewhere, the endpoint was changed
	used      time.Time      // the last time an alert was admitted to it or reported on it
}

func newGates() gates {
	return gates{failing: map[string]*health{}, role: map[string]string{}}
}

// verdict of admit.
type verdict int

const (
	send verdict = iota
	park
	wait // the probe's time has not come: look again at the returned time
)

// admit decides whether w may be sent now, and names the endpoint it goes to.
func (o *Outbox) admit(w work, now time.Time) (verdict, time.Time, string) {
	ep := o.opt.Endpoint(w.job.Alert)
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	o.tidy(now)
	if had, ok := g.role[w.key]; ok && had != ep {
		o.leave(w.key) // its route's endpoint was changed
	}
	h := g.failing[ep]
	if h == nil {
		return send, time.Time{}, ep
	}
	h.used = now
	h.waited[w.key] = true
	g.role[w.key] = ep
	if h.probe == "" || h.probe == w.key {
		h.probe = w.key
		if now.Before(h.nextProbe) {
			return wait, h.nextProbe, ep
		}
		return send, time.Time{}, ep
	}
	h.parked[w.key] = w
	return park, time.Time{}, ep
}

// report tells the gate what the send of job (its attempts counted) to ep answered and returns
// when the job should be tried again if it failed transiently (zero: not at all).
func (o *Outbox) report(key, ep string, job Job, out paging.Outcome, now time.Time) time.Time {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.failing[ep]
	if !out.Class.WillRetry() {
		if h != nil {
			if h.probe == key {
				h.probe = ""
			}
			o.endOutage(h, out, now, false)
		}
		delete(g.role, key)
		return time.Time{}
	}
	if h == nil {
		if len(g.failing) >= maxFailingEndpoints {
			return now.Add(o.opt.Backoff(job.Attempts)) // not followed: retried on its own backoff
		}
		h = &health{endpoint: ep, since: now, parked: map[string]work{}, waited: map[string]bool{key: true}, last: out, sample: job.Alert}
		g.failing[ep] = h
		o.opt.OnOutage(Outage{Endpoint: ep, Since: now, Last: out})
	}
	h.used, h.last = now, out
	if h.probe == key || h.probe == "" || h.failures == 0 {
		h.failures++
		wait := o.opt.ProbeBackoff(h.failures)
		if out.RetryAfter > wait {
			wait = out.RetryAfter
		}
		if out.StatusCode == 429 { // rate limited: the normal backoff, not the quick probe pace
			wait = max(wait, o.opt.Backoff(h.failures))
		}
		h.nextProbe = now.Add(wait)
		h.probe = key
	}
	// An alert sent in parallel before the gate closed waits like the rest.
	g.role[key] = ep
	h.waited[key] = true
	return h.nextProbe
}

// released ends the probe role of a key that was not sent after all (finished, or taken by
// another node) and returns a parked alert to probe in its place, if any.
func (o *Outbox) released(key string) (work, time.Time, bool) {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.of(key)
	delete(g.role, key)
	if h == nil || h.probe != key {
		return work{}, time.Time{}, false
	}
	h.probe = ""
	return h.nextParked()
}

// of (locked) is the failing endpoint key probes or waits for, if any.
func (g *gates) of(key string) *health {
	ep, ok := g.role[key]
	if !ok {
		return nil
	}
	return g.failing[ep]
}

// nextParked (gate locked) makes a parked alert the probe.
func (h *health) nextParked() (work, time.Time, bool) {
	for k, w := range h.parked {
		delete(h.parked, k)
		h.probe = k
		return w, h.nextProbe, true
	}
	return work{}, time.Time{}, false
}

// leave (gate locked) takes key out of the endpoint it probed or waited for; a parked alert
// takes over its probe.
func (o *Outbox) leave(key string) {
	g := &o.gate
	h := g.of(key)
	delete(g.role, key)
	if h == nil {
		return
	}
	delete(h.parked, key)
	if h.probe == key {
		h.probe = ""
		if w, at, ok := h.nextParked(); ok {
			o.reschedule(w.key, at)
		}
	}
}

// tidy (gate locked) ends the outages of endpoints the settings no longer send to, and
// forgets the ones no alert used for the retry window. The entries are few (bounded).
func (o *Outbox) tidy(now time.Time) {
	window := o.opt.RetryWindow()
	for _, h := range o.gate.failing {
		switch {
		case o.opt.Endpoint(h.sample) != h.endpoint:
			o.endOutage(h, paging.Outcome{Meaning: "the endpoint was changed"}, now, false)
		case h.probe == "" && len(h.parked) == 0 && now.Sub(h.used) > window:
			o.endOutage(h, h.last, now, true)
		}
	}
}

// endOutage (gate locked) reports the end and sends every alert parked for the endpoint now.
func (o *Outbox) endOutage(h *health, out paging.Outcome, now time.Time, expired bool) {
	g := &o.gate
	o.opt.OnOutage(Outage{Endpoint: h.endpoint, Ended: true, Expired: expired, Since: h.since, Duration: now.Sub(h.since),
		Waited: len(h.waited), Probes: h.failures, Last: out})
	delete(g.failing, h.endpoint)
	items := make([]work, 0, len(h.parked))
	for k, w := range h.parked {
		delete(g.role, k)
		w.released = true
		items = append(items, w)
	}
	if h.probe != "" {
		delete(g.role, h.probe)
	}
	o.push(items...)
}

// parkedExpired is a parked alert whose retry window ran out, with what its endpoint answered.
type parkedExpired struct {
	w    work
	last paging.Outcome
}

// expiredParked takes the parked alerts whose retry window ran out.
func (o *Outbox) expiredParked(now time.Time) []parkedExpired {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []parkedExpired
	window := o.opt.RetryWindow()
	for _, h := range g.failing {
		for k, w := range h.parked {
			if w.job != nil && now.After(w.job.Queued.Add(window)) {
				delete(h.parked, k)
				delete(g.role, k)
				out = append(out, parkedExpired{w, h.last})
			}
		}
	}
	return out
}

// takeParked empties every parked set (stopping).
func (o *Outbox) takeParked() []work {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	var items []work
	for _, h := range g.failing {
		for k, w := range h.parked {
			delete(g.role, k)
			items = append(items, w)
		}
		h.parked = map[string]work{}
	}
	return items
}

// tidyGates is tidy for the sweeper: a changed endpoint's alerts are sent even when no new
// alert comes to notice the change.
func (o *Outbox) tidyGates() {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	o.tidy(o.opt.Now())
}
