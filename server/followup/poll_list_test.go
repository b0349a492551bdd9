package followup

import (
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func TestPolledListOldestCheckedFirstAndBounded(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := newRecords(kvstoretest.New(), nil, func() time.Time { return now })
	for _, tp := range []string{"a", "b", "c"} {
		if err := s.trackOpen(tp); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := s.duePolls(2)
	if len(due) != 2 || due[0] != "a" || due[1] != "b" {
		t.Fatalf("due %v", due)
	}
	now = now.Add(time.Second)
	if err := s.polled(due, map[string]bool{"b": true}); err != nil { // b resolved
		t.Fatal(err)
	}
	due, _ = s.duePolls(50)
	if len(due) != 2 || due[0] != "c" || due[1] != "a" {
		t.Fatalf("c was never checked, a was: %v", due)
	}
	if err := s.trackOpen("a"); err != nil { // tracking again keeps its time
		t.Fatal(err)
	}
	if due, _ = s.duePolls(1); due[0] != "c" || s.openCount() != 2 {
		t.Fatalf("due %v count %d", due, s.openCount())
	}
}

func TestPollLeaseOneNodeAtATime(t *testing.T) {
	kv := kvstoretest.New()
	if ok, err := takePollLease(kv, "A", time.Minute); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, _ := takePollLease(kv, "B", time.Minute); ok {
		t.Fatal("B polled while A holds the lease")
	}
}
