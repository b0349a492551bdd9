package delivery

import (
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// alongside holds the writes of a new job that its first send does not depend on, made in
// parallel with the job's own write and the send, so that only one KV round trip comes before
// the request to PagerTree (DESIGN §11):
//   - the pending index entry: the sweep's way to the job should this node stop before it is
//     finished (until the entry lands, the job is only this node's, which holds its lease);
//   - Prepare, the loop's record of the alert (PagerTree's events find its thread by it).
//
// Both are started with the job's write, so they land about when it does, before PagerTree
// has the request. The worker waits for them after the send and before it records the
// result, so the result never overtakes them (the job is removed from the index after it was
// added; the confirmation finds the loop's record), and Stop waits for the ones in flight.
type alongside struct {
	indexed  chan error    // the index entry's write
	prepared chan struct{} // Prepare's
}

// startAlongside starts the side writes of the job under key.
func (o *Outbox) startAlongside(key string, a paging.Alert) *alongside {
	s := &alongside{indexed: make(chan error, 1), prepared: make(chan struct{})}
	o.sides.Add(2)
	go func() { defer o.sides.Done(); s.indexed <- o.index.Add(key) }()
	go func() { defer o.sides.Done(); o.opt.Prepare(a); close(s.prepared) }()
	return s
}

// finish waits for the side writes; an index entry that could not be written is tried once
// more (the job's result is recorded only after this).
func (o *Outbox) finishAlongside(key string, s *alongside) {
	if s == nil {
		return
	}
	err := <-s.indexed
	s.indexed <- nil // finished: a second call returns at once
	<-s.prepared
	if err == nil {
		return
	}
	if err = o.index.Add(key); err != nil {
		o.opt.OnError("could not index a queued alert; if this node stops before it is delivered, another node will not find it", err, key)
	}
}
