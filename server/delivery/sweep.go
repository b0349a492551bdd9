package delivery

import (
	"strings"
	"time"
)

// runSweeper looks for work left by an earlier run or another node, every SweepEvery.
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
