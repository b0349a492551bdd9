package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// counter is a PagerTree that counts sends per alert and can be failing.
type counter struct {
	mu      sync.Mutex
	sends   map[string]int
	ok      map[string]int
	failing atomic.Bool
	total   atomic.Int32
}

func newCounter() *counter { return &counter{sends: map[string]int{}, ok: map[string]int{}} }

func (c *counter) send(_ context.Context, a paging.Alert) paging.Outcome {
	c.total.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sends[a.ID]++
	if c.failing.Load() {
		return paging.Outcome{Class: paging.Transient, StatusCode: 503, Meaning: "PagerTree is unavailable: will retry"}
	}
	c.ok[a.ID]++
	return paging.Outcome{Class: paging.Delivered, StatusCode: 200}
}

// sweepWatch is one node's view of the store that tells when the node read the whole pending
// index: the index's shards are read in order, pending_00 … pending_15, by every sweep (and
// by Pending), so a read of the last shard ends a scan. The names are part of what is stored.
type sweepWatch struct {
	kvstore.KV
	scans chan struct{}
}

func watchSweeps(kv kvstore.KV) *sweepWatch {
	return &sweepWatch{KV: kv, scans: make(chan struct{}, 4096)}
}

func (w *sweepWatch) Get(key string) ([]byte, error) {
	v, err := w.KV.Get(key)
	if key == "pending_15" {
		select {
		case w.scans <- struct{}{}:
		default: // nobody counts scans this far back
		}
	}
	return v, err
}

// sweeps waits for n scans of the index that start after the call: the scans seen so far are
// dropped, and the first one counted may have been under way, so it waits for n+1.
func (w *sweepWatch) sweeps(t *testing.T, n int) {
	t.Helper()
	for len(w.scans) > 0 {
		<-w.scans
	}
	timeout := time.After(10 * time.Second)
	for i := 0; i <= n; i++ {
		select {
		case <-w.scans:
		case <-timeout:
			t.Fatalf("only %d of %d sweeps within 10 s", i, n+1)
		}
	}
}

func TestThousandAlertsOnTwoNodesAreEachSentOnce(t *testing.T) {
	const n = 1000
	kv := kvstoretest.New()
	pt := newCounter()
	var finals sync.Map
	var finalCount atomic.Int32
	allFinal := make(chan struct{})
	boxes := make([]*delivery.Outbox, 2)
	views := make([]*sweepWatch, 2)
	for i := range boxes {
		opt := fastOptions(fmt.Sprintf("node%d", i))
		opt.OnFinal = func(j delivery.Job, _ paging.Outcome) {
			if _, dup := finals.LoadOrStore(j.Alert.ID, true); dup {
				t.Errorf("alert %s finished twice", j.Alert.ID)
			}
			if finalCount.Add(1) == n {
				close(allFinal)
			}
		}
		views[i] = watchSweeps(kv)
		boxes[i] = delivery.New(views[i], pt.send, opt)
		boxes[i].Start()
		defer func(b *delivery.Outbox) { _ = stopWithin(b, 5*time.Second) }(boxes[i])
	}
	// Every alert is enqueued on both nodes at once (the hook running on each): one wins.
	var wg sync.WaitGroup
	var won atomic.Int32
	for i := 0; i < n; i++ {
		for _, b := range boxes {
			wg.Add(1)
			go func(b *delivery.Outbox, id string) {
				defer wg.Done()
				err := b.Enqueue(alert(id))
				switch {
				case err == nil:
					won.Add(1)
				case !errors.Is(err, delivery.ErrDuplicate):
					t.Error(err)
				}
			}(b, fmt.Sprintf("alert%04d", i))
		}
	}
	wg.Wait()
	if won.Load() != n {
		t.Fatalf("%d enqueues won for %d alerts", won.Load(), n)
	}
	select {
	case <-allFinal:
	case <-time.After(20 * time.Second):
		t.Fatalf("%d of %d alerts finished within 20 s", finalCount.Load(), n)
	}
	for _, v := range views { // several sweeps on both nodes: nothing is sent again
		v.sweeps(t, 3)
	}
	pt.mu.Lock()
	defer pt.mu.Unlock()
	if len(pt.ok) != n || int(finalCount.Load()) != n {
		t.Fatalf("%d of %d alerts delivered, %d finished", len(pt.ok), n, finalCount.Load())
	}
	for id, c := range pt.sends {
		if c != 1 {
			t.Fatalf("alert %s sent %d times", id, c)
		}
	}
	if left, err := boxes[0].Pending(); err != nil || left != 0 {
		t.Fatalf("Pending after all delivered = %d, %v", left, err)
	}
}

func TestOutageProbesOnceThenSendsEverything(t *testing.T) {
	const n = 50
	pt := newCounter()
	pt.failing.Store(true)
	opt := fastOptions("a")
	opt.Workers = 4
	const probes = 10
	probed := make(chan struct{})
	var failedProbes atomic.Int32
	var firstFailure, tenthFailure atomic.Int64 // unix nanoseconds of the first and the probes-th call
	opt.ProbeBackoff = func(int) time.Duration {
		switch failedProbes.Add(1) {
		case 1:
			firstFailure.Store(time.Now().UnixNano())
		case probes:
			tenthFailure.Store(time.Now().UnixNano())
			close(probed)
		}
		return 30 * time.Millisecond
	}
	var outages []delivery.Outage
	var mu sync.Mutex
	finals := make(chan string, n)
	opt.OnOutage = func(o delivery.Outage) { mu.Lock(); outages = append(outages, o); mu.Unlock() }
	opt.OnFinal = func(j delivery.Job, _ paging.Outcome) { finals <- j.Alert.ID }
	box := delivery.New(kvstoretest.New(), pt.send, opt)
	box.Start()
	defer func() { _ = stopWithin(box, 5*time.Second) }()
	for i := 0; i < n; i++ {
		if err := box.Enqueue(alert(fmt.Sprintf("o%02d", i))); err != nil {
			t.Fatal(err)
		}
	}
	select { // ten probe periods
	case <-probed:
	case <-time.After(10 * time.Second):
		t.Fatalf("%d failed probes within 10 s", failedProbes.Load())
	}
	during := int(pt.total.Load())
	if during > 4+probes+5 { // the sends already in flight when the first failure came back, then probes
		t.Fatalf("%d requests for %d alerts during %d probe periods: each alert probed on its own", during, n, probes)
	}
	// Paced from the first failure (which can come back before the last alert is queued): each
	// later probe waits out the 30 ms the failure before it asked for, counted from the moment the
	// outbox took that failure's time, a little before this function ran (25 ms: room for that;
	// without pacing the ten probes take a few milliseconds).
	if took := time.Duration(tenthFailure.Load() - firstFailure.Load()); took < (probes-1)*25*time.Millisecond {
		t.Fatalf("%d failed probes within %s of the first failure: the probe pace (30 ms) was not kept", probes, took)
	}
	pt.failing.Store(false)
	recovered := time.Now()
	for i := 0; i < n; i++ {
		select {
		case <-finals:
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d of %d delivered after recovery", i, n)
		}
	}
	if took := time.Since(recovered); took > 2*time.Second {
		t.Fatalf("draining took %s after recovery", took)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(outages) != 2 || outages[0].Ended || !outages[1].Ended || outages[1].Waited != n {
		t.Fatalf("outage reports: %+v", outages)
	}
	pt.mu.Lock()
	defer pt.mu.Unlock()
	for id, c := range pt.ok {
		if c != 1 {
			t.Fatalf("alert %s delivered %d times", id, c)
		}
	}
}

func TestThreadRootSuppressedByAnEarlierReplyIsWithdrawn(t *testing.T) {
	kv := kvstoretest.New()
	pt := newCounter()
	view := watchSweeps(kv)
	opt := fastOptions("a")
	delivered := make(chan string, 4)
	opt.OnFinal = func(j delivery.Job, _ paging.Outcome) { delivered <- j.Alert.ID }
	box := delivery.New(view, pt.send, opt)
	box.Start()
	defer func() { _ = stopWithin(box, 5*time.Second) }()
	rule := delivery.FloodRule{OnePerThread: true}
	post := func(id string) paging.Alert { a := alert(id); a.Origin = paging.OriginPost; return a }
	reply := post("reply")
	reply.RootID = "root" // the reply's hook ran before its root's
	if held, _, err := box.ClaimAndEnqueue(reply, rule, time.Now()); held.Suppressed() || err != nil {
		t.Fatalf("reply: %+v, %v", held, err)
	}
	held, _, err := box.ClaimAndEnqueue(post("root"), rule, time.Now())
	if held.Reason != delivery.ThreadAlreadyPaged || err != nil {
		t.Fatalf("root: %+v, %v", held, err)
	}
	if raw, _ := kv.Get(delivery.JobKey("root")); raw != nil {
		t.Fatalf("the suppressed root's job is still queued: %s", raw)
	}
	select {
	case id := <-delivered:
		if id != "reply" {
			t.Fatalf("%s finished, not the reply", id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reply was not delivered within 10 s")
	}
	view.sweeps(t, 2) // the withdrawn root is not found by a sweep either
	pt.mu.Lock()
	defer pt.mu.Unlock()
	if pt.sends["root"] != 0 || pt.ok["reply"] != 1 {
		t.Fatalf("sends %v", pt.sends)
	}
	// The hook running again for the root is suppressed again, not sent.
	if held, _, _ := box.ClaimAndEnqueue(post("root"), rule, time.Now()); !held.Suppressed() {
		t.Fatal("a re-run of the root's hook was not suppressed")
	}
}
