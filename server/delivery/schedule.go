package delivery

import (
	"container/heap"
	"time"
)

// push makes work ready for the workers.
func (o *Outbox) push(items ...work) {
	o.mu.Lock()
	o.ready = append(o.ready, items...)
	o.mu.Unlock()
	select {
	case o.signal <- struct{}{}:
	default:
	}
}

// next waits for ready work; false when stopping.
func (o *Outbox) next() (work, bool) {
	for {
		o.mu.Lock()
		if len(o.ready) > 0 {
			w := o.ready[0]
			o.ready[0] = work{}
			o.ready = o.ready[1:]
			more := len(o.ready) > 0
			o.mu.Unlock()
			if more { // another worker may take the rest
				select {
				case o.signal <- struct{}{}:
				default:
				}
			}
			return w, true
		}
		o.mu.Unlock()
		select {
		case <-o.signal:
		case <-o.ctx.Done():
			return work{}, false
		}
	}
}

// plan schedules key at due unless this node already plans it.
func (o *Outbox) plan(key string, due time.Time) {
	o.mu.Lock()
	if o.planned[key] {
		o.mu.Unlock()
		return
	}
	o.planned[key] = true
	o.mu.Unlock()
	o.reschedule(key, due)
}

// reschedule puts a key this node plans back in the schedule.
func (o *Outbox) reschedule(key string, due time.Time) {
	o.mu.Lock()
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
		var due []work
		now := o.opt.Now()
		for o.queue.Len() > 0 {
			if d := o.queue[0].due.Sub(now); d > 0 {
				wait = d
				break
			}
			due = append(due, work{key: heap.Pop(&o.queue).(item).key})
		}
		o.mu.Unlock()
		if len(due) > 0 {
			o.push(due...)
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
