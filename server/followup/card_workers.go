package followup

import (
	"context"
	"sync"
	"time"
)

// cardWorkers draw cards and post replies side by side, so that one slow alert (a Mattermost
// call that takes long) never holds up the others; one alert is worked on by one worker at a
// time. None of them calls PagerTree: presses and their retries, polling and lookups have
// owners of their own, each call with its own timeout.
const cardWorkers = 4

// run is the card queue's owner: the workers, the sweep and the last-event writes, all
// stopped with ctx.
func (q *cardQueue) run(ctx context.Context) {
	q.s.records.migrateLegacySets(q.s.mm)
	var wg sync.WaitGroup
	for range max(q.workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case tp := <-q.kicks:
					q.process(tp)
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	defer wg.Wait()
	ticker := time.NewTicker(q.sweepIn)
	defer ticker.Stop()
	flush := time.NewTicker(lastEventEvery)
	defer flush.Stop()
	defer q.s.flushLastEvent()
	q.sweep(ctx)
	for {
		select {
		case <-ticker.C:
			q.sweep(ctx)
		case <-flush.C:
			q.s.flushLastEvent()
		case <-ctx.Done():
			return
		}
	}
}

// process brings one alert up to date unless a worker is at it already; then that worker
// runs once more, so a kick is never lost.
func (q *cardQueue) process(tp string) {
	q.mu.Lock()
	if q.busy[tp] {
		q.again[tp] = true
		q.mu.Unlock()
		return
	}
	q.busy[tp] = true
	q.mu.Unlock()
	for {
		q.s.applyAlert(tp)
		q.mu.Lock()
		if !q.again[tp] {
			delete(q.busy, tp)
			q.mu.Unlock()
			return
		}
		delete(q.again, tp)
		q.mu.Unlock()
	}
}
