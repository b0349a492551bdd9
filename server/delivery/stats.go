package delivery

import "time"

// QueueStats describes the alerts waiting to be delivered, on every node.
type QueueStats struct {
	Pending      int
	OldestQueued time.Time // zero when nothing is pending
}

// Stats reads the queue from the shared store (one scan of the outbox keys).
func (o *Outbox) Stats() (QueueStats, error) {
	var s QueueStats
	err := o.eachPending(func(_ string, j Job) {
		s.Pending++
		if s.OldestQueued.IsZero() || j.Queued.Before(s.OldestQueued) {
			s.OldestQueued = j.Queued
		}
	})
	return s, err
}
