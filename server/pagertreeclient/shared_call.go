package pagertreeclient

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Shared runs one call for all concurrent callers that ask for the same key: the first runs
// it, the others wait for its answer, each no longer than its own context allows. Nothing is
// kept once the call returns (caching is the caller's). The zero value is ready to use.
type Shared[T any] struct {
	mu    sync.Mutex
	calls map[string]*sharedCall[T]
	waits atomic.Int64 // callers that waited for another's call (tests wait on it)
}

type sharedCall[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// Do returns fn's answer for key, running fn unless a call for key is under way. When the
// caller that ran it gave up (its context ended) while a waiter's context did not, the waiter
// runs it again rather than inherit someone else's timeout.
func (s *Shared[T]) Do(ctx context.Context, key string, fn func(context.Context) (T, error)) (T, error) {
	for {
		s.mu.Lock()
		if c, ok := s.calls[key]; ok {
			s.mu.Unlock()
			s.waits.Add(1)
			select {
			case <-c.done:
				if c.err != nil && isContextEnd(c.err) && ctx.Err() == nil {
					continue
				}
				return c.val, c.err
			case <-ctx.Done():
				var zero T
				return zero, &APIError{Kind: KindTransient, Op: "wait for PagerTree's answer", Err: ctx.Err()}
			}
		}
		if s.calls == nil {
			s.calls = map[string]*sharedCall[T]{}
		}
		c := &sharedCall[T]{done: make(chan struct{})}
		s.calls[key] = c
		s.mu.Unlock()

		func() {
			defer func() { // a panic in fn must not leave the waiters waiting
				s.mu.Lock()
				delete(s.calls, key)
				s.mu.Unlock()
				close(c.done)
			}()
			c.val, c.err = fn(ctx)
		}()
		return c.val, c.err
	}
}

// Waits is how many callers waited for another's call so far (for tests and diagnostics).
func (s *Shared[T]) Waits() int64 { return s.waits.Load() }

func isContextEnd(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
