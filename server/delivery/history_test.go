package delivery_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func TestHistoryIsBoundedNewestFirst(t *testing.T) {
	h := delivery.NewHistory(kvstoretest.New(), 500)
	for i := 0; i < 510; i++ {
		if err := h.Add(delivery.Entry{AlertID: fmt.Sprint(i), Status: delivery.StatusDelivered, Time: time.Unix(int64(i), 0)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := h.Recent(1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 500 || all[0].AlertID != "509" || all[499].AlertID != "10" {
		t.Fatalf("got %d entries, newest %s, oldest %s", len(all), all[0].AlertID, all[len(all)-1].AlertID)
	}
	last, ok, _ := h.Last(delivery.StatusFailed)
	if ok {
		t.Fatalf("no failure was added, got %+v", last)
	}
}

func TestHistoryConcurrentWritersFromTwoNodes(t *testing.T) {
	kv := kvstoretest.New()
	nodes := []*delivery.History{delivery.NewHistory(kv, 500), delivery.NewHistory(kv, 500)}
	var wg sync.WaitGroup
	for n, h := range nodes {
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(n, i int, h *delivery.History) {
				defer wg.Done()
				if err := h.Add(delivery.Entry{AlertID: fmt.Sprintf("%d-%d", n, i)}); err != nil {
					t.Error(err)
				}
			}(n, i, h)
		}
	}
	wg.Wait()
	all, _ := nodes[0].Recent(100)
	if len(all) != 40 {
		t.Fatalf("compare-and-set lost entries: %d of 40", len(all))
	}
}

// countingKV counts the reads and listings of a store.
type countingKV struct {
	*kvstoretest.MemKV
	gets, lists atomic.Int32
}

func (c *countingKV) Get(key string) ([]byte, error) {
	c.gets.Add(1)
	return c.MemKV.Get(key)
}

func (c *countingKV) ListKeys(page, perPage int) ([]string, error) {
	c.lists.Add(1)
	return c.MemKV.ListKeys(page, perPage)
}

func TestReadingTheHistoryCostsTheEntriesShownNotTheStore(t *testing.T) {
	kv := &countingKV{MemKV: kvstoretest.New()}
	h := delivery.NewHistory(kv, 500)
	start := time.Now()
	for i := 0; i < 2000; i++ {
		if err := h.Add(delivery.Entry{AlertID: fmt.Sprint(i), Status: delivery.StatusDelivered, Time: start.Add(time.Duration(i) * time.Millisecond)}); err != nil {
			t.Fatal(err)
		}
		kv.Set(fmt.Sprintf("job_%d", i), []byte("{}")) // what else a week of deliveries leaves
	}
	if _, err := h.Recent(10); err != nil { // the first read looks for entries of an older version, once
		t.Fatal(err)
	}
	kv.gets.Store(0)
	kv.lists.Store(0)
	got, err := h.Recent(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || got[0].AlertID != "1999" || got[9].AlertID != "1990" {
		t.Fatalf("got %d entries: %+v", len(got), got)
	}
	if kv.lists.Load() != 0 || kv.gets.Load() > 8+10 {
		t.Fatalf("reading 10 entries listed the store %d times and read %d values", kv.lists.Load(), kv.gets.Load())
	}
	// Another node (a new History on the same store) does not list it again either.
	kv.lists.Store(0)
	if _, err := delivery.NewHistory(kv, 500).Recent(10); err != nil || kv.lists.Load() != 0 {
		t.Fatalf("a second node listed the store %d times (%v)", kv.lists.Load(), err)
	}
}

func TestHistoryWrittenByAVersionWithoutTheIndexIsStillShown(t *testing.T) {
	kv := kvstoretest.New()
	base := time.Now()
	for i := 0; i < 3; i++ {
		e := delivery.Entry{AlertID: fmt.Sprintf("old%d", i), Status: delivery.StatusDelivered, Time: base.Add(time.Duration(i) * time.Second)}
		raw, _ := json.Marshal(e)
		kv.Set(fmt.Sprintf("hist_%019d_%08x", e.Time.UnixNano(), i), raw) // the older version's keys
	}
	h := delivery.NewHistory(kv, 500)
	if err := h.Add(delivery.Entry{AlertID: "new", Status: delivery.StatusDelivered, Time: base.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	got, err := h.Recent(10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range got {
		ids = append(ids, e.AlertID)
	}
	if fmt.Sprint(ids) != "[new old2 old1 old0]" {
		t.Fatalf("history after the upgrade: %v", ids)
	}
}
