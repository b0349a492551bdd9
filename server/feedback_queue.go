package main

import (
	"context"
	"sync"
)

// feedbackQueue runs the chat feedback of delivered alerts (reaction, reply) on a few
// goroutines of its own, so that the outbox's workers go on sending while a burst is being
// confirmed: a page reaches PagerTree first, its reaction follows. When the queue is full the
// caller runs the feedback itself (back pressure rather than loss).
type feedbackQueue struct {
	jobs chan func()
	wg   sync.WaitGroup
	once sync.Once
	stop chan struct{}
}

const (
	feedbackWorkers  = 4
	feedbackCapacity = 4096
)

func newFeedbackQueue() *feedbackQueue {
	q := &feedbackQueue{jobs: make(chan func(), feedbackCapacity), stop: make(chan struct{})}
	q.wg.Add(feedbackWorkers)
	for range feedbackWorkers {
		go q.run()
	}
	return q
}

func (q *feedbackQueue) run() {
	defer q.wg.Done()
	for {
		select {
		case fn := <-q.jobs:
			fn()
		case <-q.stop:
			for { // what was queued before stopping is still done
				select {
				case fn := <-q.jobs:
					fn()
				default:
					return
				}
			}
		}
	}
}

// do queues fn, or runs it now when the queue is full or stopped.
func (q *feedbackQueue) do(fn func()) {
	select {
	case <-q.stop:
		fn()
		return
	default:
	}
	select {
	case q.jobs <- fn:
	default:
		fn()
	}
}

// close finishes the queued feedback, waiting until ctx ends; false: it did not finish.
func (q *feedbackQueue) close(ctx context.Context) bool {
	q.once.Do(func() { close(q.stop) })
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
}
