package delivery_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// slowKV makes writes of the pending index take long, like a busy database.
type slowKV struct {
	*kvstoretest.MemKV
	indexDelay time.Duration
}

func (s *slowKV) CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error) {
	if strings.HasPrefix(key, "pending_") {
		time.Sleep(s.indexDelay)
	}
	return s.MemKV.CompareAndSet(key, old, value, ttl)
}

// What the first send waits for is the job's write alone: it is in the store (pending, leased
// to this node) when the request goes out, while the pending index and the loop's record are
// still being written; the result is recorded only after both landed.
func TestOnlyTheJobIsWrittenBeforeTheFirstSend(t *testing.T) {
	const slow = 300 * time.Millisecond
	kv := &slowKV{MemKV: kvstoretest.New(), indexDelay: slow}
	var mu sync.Mutex
	var prepared, sentAt time.Time
	var jobAtSend delivery.Job
	var jobStored bool
	finals := make(chan delivery.Job, 1)
	opt := fastOptions("a")
	opt.SweepEvery = time.Hour
	opt.Prepare = func(paging.Alert) {
		time.Sleep(slow)
		mu.Lock()
		prepared = time.Now()
		mu.Unlock()
	}
	opt.OnFinal = func(j delivery.Job, _ paging.Outcome) { finals <- j }
	send := func(_ context.Context, a paging.Alert) paging.Outcome {
		raw, _ := kv.Get(delivery.JobKey(a.ID))
		mu.Lock()
		defer mu.Unlock()
		sentAt = time.Now()
		jobStored = raw != nil
		if raw != nil {
			_ = json.Unmarshal(raw, &jobAtSend)
		}
		return paging.Outcome{Class: paging.Delivered, StatusCode: 200}
	}
	box := delivery.New(kv, send, opt)
	box.Start()
	defer func() { _ = stopWithin(box, 5*time.Second) }()
	began := time.Now()
	if err := box.Enqueue(alert("a1")); err != nil {
		t.Fatal(err)
	}
	var final delivery.Job
	select {
	case final = <-finals:
	case <-time.After(5 * time.Second):
		t.Fatal("not delivered")
	}
	finished := time.Now()
	mu.Lock()
	defer mu.Unlock()
	if !jobStored || jobAtSend.State != "pending" || jobAtSend.LeaseOwner != "a" {
		t.Fatalf("at the first send the job was stored %v as %+v", jobStored, jobAtSend)
	}
	if d := sentAt.Sub(began); d >= slow/2 {
		t.Fatalf("the first send waited %s: for the index or the loop's record", d)
	}
	if prepared.IsZero() || prepared.After(finished) || final.Attempts != 1 {
		t.Fatalf("the result (%d attempts) was recorded before the loop's record (%v)", final.Attempts, prepared)
	}
	if n, err := box.Pending(); err != nil || n != 0 {
		t.Fatalf("after delivery the index holds %d (%v): the entry landed after its removal", n, err)
	}
}

// A node stopped while a new job's index entry is being written waits for it, so another node
// finds and sends the job.
func TestStopWaitsForTheIndexOfANewJob(t *testing.T) {
	kv := &slowKV{MemKV: kvstoretest.New(), indexDelay: 200 * time.Millisecond}
	opt := fastOptions("a")
	box := delivery.New(kv, func(ctx context.Context, _ paging.Alert) paging.Outcome {
		<-ctx.Done() // PagerTree hangs until the node stops
		return paging.Outcome{Class: paging.Transient, Error: "stopped"}
	}, opt)
	box.Start()
	if err := box.Enqueue(alert("a1")); err != nil {
		t.Fatal(err)
	}
	if err := stopWithin(box, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	kv.indexDelay = 0
	other := newCounter()
	finals := make(chan string, 1)
	opt2 := fastOptions("b")
	opt2.OnFinal = func(j delivery.Job, _ paging.Outcome) { finals <- j.Alert.ID }
	next := delivery.New(kv, other.send, opt2)
	next.Start()
	defer func() { _ = stopWithin(next, 5*time.Second) }()
	select {
	case id := <-finals:
		if id != "a1" {
			t.Fatalf("delivered %s", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other node did not find the job the stopped node was sending")
	}
}
