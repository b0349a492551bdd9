package kvstore_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

// Two nodes add and remove at once: every change is stored (group commit batches them, and
// a node that finds another node's write reads again), and an emptied set leaves no key.
func TestKeySetTwoNodesConcurrently(t *testing.T) {
	kv := kvstoretest.New()
	nodes := []*kvstore.KeySet{kvstore.NewKeySet(kv, "pending_", 16), kvstore.NewKeySet(kv, "pending_", 16)}
	var want []string
	var wg sync.WaitGroup
	for i := range 200 {
		key := fmt.Sprintf("job_%03d", i)
		want = append(want, key)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := nodes[i%2].Add(key); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, n := range nodes {
		if got, err := n.Keys(); err != nil || !slices.Equal(got, want) {
			t.Fatalf("keys %d of %d, %v", len(got), len(want), err)
		}
	}
	for _, key := range kv.Keys() { // the names 0.1.0 wrote: pending_00 … pending_15
		if !strings.HasPrefix(key, "pending_") || len(key) != len("pending_00") {
			t.Fatalf("key %q", key)
		}
	}
	for i, key := range want {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := nodes[(i+1)%2].Remove(key); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got, _ := nodes[0].Keys(); len(got) != 0 {
		t.Fatalf("left %v", got)
	}
	if keys := kv.Keys(); len(keys) != 0 {
		t.Fatalf("empty shards kept: %v", keys)
	}
}

// A store that fails fails the change, and the set recovers with it.
func TestKeySetReportsAStoreFailure(t *testing.T) {
	kv := kvstoretest.New()
	s := kvstore.NewKeySet(kv, "set_", 4)
	down := errors.New("database down")
	kv.SetFailure(down)
	if err := s.Add("a"); !errors.Is(err, down) {
		t.Fatalf("add while down: %v", err)
	}
	kv.SetFailure(nil)
	if err := s.Add("a"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Keys(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("keys %v", got)
	}
}

// Update writes fn's value with compare-and-set and nothing when fn changes nothing.
func TestUpdateWritesOnlyAChange(t *testing.T) {
	kv := kvstoretest.New()
	calls := 0
	set := func(v string) func([]byte) ([]byte, error) {
		return func([]byte) ([]byte, error) { calls++; return []byte(v), nil }
	}
	if err := kvstore.Update(kv, "k", 0, set("1")); err != nil {
		t.Fatal(err)
	}
	if err := kvstore.Update(kv, "absent", 0, func([]byte) ([]byte, error) { return nil, nil }); err != nil {
		t.Fatalf("deleting an absent key is no write: %v", err)
	}
	if v, _ := kv.Get("k"); string(v) != "1" || calls != 1 {
		t.Fatalf("%q after %d calls", v, calls)
	}
}
