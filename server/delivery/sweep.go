package delivery

import (
	"strings"
	"time"
)

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
// took an alert died (its lease expires). It reads the pending index and the jobs in it that
// this node does not already hold: O(pending alerts), whatever the store holds besides.
func (o *Outbox) sweep() {
	o.tidyGates()
	now := o.opt.Now()
	err := o.eachPending(func(key string, j Job) {
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

// eachPending calls fn for every pending job in the index that this node does not hold
// already, and drops from the index the jobs that are finished or gone.
func (o *Outbox) eachPending(fn func(key string, j Job)) error {
	keys, err := o.index.Keys()
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, key := range keys {
		seen[key] = true
		o.mu.Lock()
		mine := o.planned[key]
		o.mu.Unlock()
		if mine {
			fn(key, Job{}) // counted; plan() ignores it
			continue
		}
		raw, err := o.kv.Get(key)
		if err != nil {
			return err
		}
		if raw == nil {
			// Gone (expired), or being created right now by Enqueue on another node, which
			// indexes in parallel with the creation: drop it only when still absent next time.
			o.mu.Lock()
			drop := o.suspect[key]
			o.suspect[key] = true
			o.mu.Unlock()
			if drop {
				o.forget(key)
			}
			continue
		}
		j, err := decodeJob(raw)
		if err != nil {
			o.opt.OnError("an outbox entry could not be read and is skipped", err, key)
			o.forget(key)
			continue
		}
		if j.State == stateDone {
			o.forget(key)
			continue
		}
		fn(key, j)
	}
	o.mu.Lock()
	for key := range o.suspect {
		if !seen[key] {
			delete(o.suspect, key)
		}
	}
	o.mu.Unlock()
	return nil
}

// forget drops key from the pending index.
func (o *Outbox) forget(key string) {
	o.mu.Lock()
	delete(o.suspect, key)
	o.mu.Unlock()
	if err := o.index.Remove(key); err != nil {
		o.opt.OnError("could not update the pending index; the next sweep tries again", err, key)
	}
}

// buildIndex indexes the pending jobs of a store written by a version without the index. It
// lists the store once, ever: a marker key says it is done.
func (o *Outbox) buildIndex() error {
	if built, err := o.kv.Get(indexBuiltKey); err != nil || built != nil {
		return err
	}
	const perPage = 1000
	for page := 0; ; page++ {
		keys, err := o.kv.ListKeys(page, perPage)
		if err != nil {
			return err
		}
		for _, key := range keys {
			if !strings.HasPrefix(key, jobPrefix) {
				continue
			}
			raw, err := o.kv.Get(key)
			if err != nil {
				return err
			}
			if j, err := decodeJob(raw); raw == nil || err != nil || j.State == stateDone {
				continue
			}
			if err := o.index.Add(key); err != nil {
				return err
			}
		}
		if len(keys) < perPage {
			break
		}
	}
	_, err := o.kv.CompareAndSet(indexBuiltKey, nil, []byte("1"), 0)
	return err
}
