package delivery_test

import (
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func TestPolledListOldestCheckedFirstAndBounded(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := delivery.NewAlerts(kvstoretest.New(), nil, func() time.Time { return now })
	for _, tp := range []string{"a", "b", "c"} {
		if err := s.TrackOpen(tp); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := s.DuePolls(2)
	if len(due) != 2 || due[0] != "a" || due[1] != "b" {
		t.Fatalf("due %v", due)
	}
	now = now.Add(time.Second)
	if err := s.Polled(due, map[string]bool{"b": true}); err != nil { // b resolved
		t.Fatal(err)
	}
	due, _ = s.DuePolls(50)
	if len(due) != 2 || due[0] != "c" || due[1] != "a" {
		t.Fatalf("c was never checked, a was: %v", due)
	}
	if err := s.TrackOpen("a"); err != nil { // tracking again keeps its time
		t.Fatal(err)
	}
	if due, _ = s.DuePolls(1); due[0] != "c" || s.OpenCount() != 2 {
		t.Fatalf("due %v count %d", due, s.OpenCount())
	}
}

func TestPollLeaseOneNodeAtATime(t *testing.T) {
	kv := kvstoretest.New()
	if ok, err := delivery.TakePollLease(kv, "A", time.Minute); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, _ := delivery.TakePollLease(kv, "B", time.Minute); ok {
		t.Fatal("B polled while A holds the lease")
	}
}
