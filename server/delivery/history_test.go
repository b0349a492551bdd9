package delivery_test

import (
	"fmt"
	"sync"
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
