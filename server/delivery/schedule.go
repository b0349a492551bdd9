package delivery

import (
	"container/heap"
	"time"
)

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
