package delivery

import (
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// The endpoint's health is shared by every queued alert of this node: once a send fails
// transiently, the endpoint counts as failing and only one alert at a time probes it, at the
// probe pace (and never before a Retry-After); the others wait ("parked") without sending.
// The first answer that is not a transient failure ends the outage and sends everything
// that waited at once (the workers bound the concurrency). An outage is reported twice: when
// it starts and when it ends.

// Outage describes the start (Ended false) or the end of an endpoint failure.
type Outage struct {
	Ended    bool
	Since    time.Time
	Duration time.Duration  // at the end: how long it lasted
	Waited   int            // at the end: alerts that waited for it
	Probes   int            // at the end: failed probes
	Last     paging.Outcome // what the endpoint answered (the first failure, or the answer that ended it)
}

type gate struct {
	mu        sync.Mutex
	endpoint  string
	failing   bool
	since     time.Time
	failures  int
	nextProbe time.Time
	probe     string          // the key probing now, or planned to
	parked    map[string]work // waiting for the endpoint
	waited    map[string]bool
}

// verdict of admit.
type verdict int

const (
	send verdict = iota
	park
	wait // the probe's time has not come: look again at the returned time
)

// admit decides whether w may be sent now.
func (o *Outbox) admit(w work, now time.Time) (verdict, time.Time) {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	if ep := o.opt.Endpoint(); ep != g.endpoint {
		g.endpoint = ep
		if g.failing { // a new endpoint starts healthy
			o.endOutage(paging.Outcome{Meaning: "the endpoint was changed"}, now)
		}
	}
	if !g.failing {
		return send, time.Time{}
	}
	g.waited[w.key] = true
	if g.probe == "" || g.probe == w.key {
		if now.Before(g.nextProbe) {
			g.probe = w.key
			return wait, g.nextProbe
		}
		g.probe = w.key
		return send, time.Time{}
	}
	g.parked[w.key] = w
	return park, time.Time{}
}

// report tells the gate what a send answered and returns when the job should be tried
// again if it failed transiently (zero: not at all).
func (o *Outbox) report(key string, out paging.Outcome, now time.Time) time.Time {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	wasProbe := g.probe == key
	if !out.Class.WillRetry() {
		if wasProbe {
			g.probe = ""
		}
		if g.failing {
			o.endOutage(out, now)
		}
		return time.Time{}
	}
	if !g.failing {
		g.failing, g.since, g.failures, g.waited = true, now, 0, map[string]bool{key: true}
		o.opt.OnOutage(Outage{Since: now, Last: out})
	}
	if wasProbe || g.probe == "" || g.failures == 0 {
		g.failures++
		wait := o.opt.ProbeBackoff(g.failures)
		if out.RetryAfter > wait {
			wait = out.RetryAfter
		}
		if out.StatusCode == 429 { // rate limited: the normal backoff, not the quick probe pace
			wait = max(wait, o.opt.Backoff(g.failures))
		}
		g.nextProbe = now.Add(wait)
		g.probe = key
		return g.nextProbe
	}
	// Sent in parallel before the gate closed: waits like the rest.
	return g.nextProbe
}

// released ends the probe role of a key that was not sent after all (finished, or taken by
// another node) and returns a parked alert to probe in its place, if any.
func (o *Outbox) released(key string) (work, time.Time, bool) {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.probe != key || !g.failing {
		return work{}, time.Time{}, false
	}
	g.probe = ""
	for k, w := range g.parked {
		delete(g.parked, k)
		g.probe = k
		return w, g.nextProbe, true
	}
	return work{}, time.Time{}, false
}

// endOutage (gate locked) reports the end and sends every parked alert now.
func (o *Outbox) endOutage(out paging.Outcome, now time.Time) {
	g := &o.gate
	o.opt.OnOutage(Outage{Ended: true, Since: g.since, Duration: now.Sub(g.since), Waited: len(g.waited), Probes: g.failures, Last: out})
	g.failing, g.failures, g.probe, g.waited = false, 0, "", nil
	items := make([]work, 0, len(g.parked))
	for _, w := range g.parked {
		w.released = true
		items = append(items, w)
	}
	g.parked = map[string]work{}
	o.push(items...)
}

// expiredParked takes the parked alerts whose retry window ran out.
func (o *Outbox) expiredParked(now time.Time) []work {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []work
	window := o.opt.RetryWindow()
	for k, w := range g.parked {
		if w.job != nil && now.After(w.job.Queued.Add(window)) {
			delete(g.parked, k)
			out = append(out, w)
		}
	}
	return out
}

// takeParked empties the parked set (stopping).
func (o *Outbox) takeParked() []work {
	g := &o.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	items := make([]work, 0, len(g.parked))
	for _, w := range g.parked {
		items = append(items, w)
	}
	g.parked = map[string]work{}
	return items
}
