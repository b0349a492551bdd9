package delivery_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

func TestLimiterSlidingWindow(t *testing.T) {
	kv := kvstoretest.New()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	kv.Now = func() time.Time { return now }
	l := delivery.NewLimiter(kv, 10*time.Minute)

	steps := []struct {
		after   time.Duration
		allowed bool
		used    int
	}{
		{0, true, 1}, {time.Minute, true, 2}, {time.Minute, true, 3},
		{time.Minute, false, 3},    // 3 in the last 10 minutes
		{7 * time.Minute, true, 3}, // 10 min after the first: it left the window
		{0, false, 3},
	}
	for i, s := range steps {
		now = now.Add(s.after)
		d, err := l.Take("alice", 3, now)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != s.allowed || d.Used != s.used {
			t.Fatalf("step %d: %+v, want allowed=%v used=%d", i, d, s.allowed, s.used)
		}
		if !d.Allowed && !d.RetryAt.After(now) {
			t.Fatalf("step %d: RetryAt %v must be in the future", i, d.RetryAt)
		}
	}
	if d, _ := l.Take("bob", 3, now); !d.Allowed || d.Used != 1 {
		t.Fatalf("users are counted apart: %+v", d)
	}
	if d, _ := l.Take("alice", 0, now); !d.Allowed {
		t.Fatal("limit 0 means no limit")
	}
}

func TestLimiterRetryAtAndRelease(t *testing.T) {
	kv := kvstoretest.New()
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := delivery.NewLimiter(kv, 10*time.Minute)
	first, _ := l.Take("alice", 2, start)
	second, _ := l.Take("alice", 2, start.Add(4*time.Minute))
	d, _ := l.Take("alice", 2, start.Add(5*time.Minute))
	if d.Allowed || !d.RetryAt.Equal(start.Add(10*time.Minute)) {
		t.Fatalf("refused until the oldest leaves the window: %+v", d)
	}
	// The second page could not be announced: its slot comes back.
	if err := l.Release("alice", second.Stamp, start.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if d, _ := l.Take("alice", 2, start.Add(5*time.Minute)); !d.Allowed || d.Used != 2 {
		t.Fatalf("after release: %+v", d)
	}
	if err := l.Release("alice", first.Stamp, start.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := l.Release("nobody", 12345, start); err != nil {
		t.Fatal("releasing with nothing stored is fine:", err)
	}
}

// Twenty parallel commands by one user (the flood) on two "nodes" sharing the store:
// exactly the limit go through.
func TestLimiterIsAtomicAcrossNodes(t *testing.T) {
	kv := kvstoretest.New()
	nodes := []*delivery.Limiter{delivery.NewLimiter(kv, 10*time.Minute), delivery.NewLimiter(kv, 10*time.Minute)}
	var allowed atomic.Int32
	var wg sync.WaitGroup
	now := time.Now()
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d, err := nodes[i%2].Take("alice", 3, now)
			if err != nil {
				t.Error(err)
			}
			if d.Allowed {
				allowed.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if allowed.Load() != 3 {
		t.Fatalf("%d of 20 parallel pages allowed, want 3", allowed.Load())
	}
}

func TestLimiterStoreOutageIsAnError(t *testing.T) {
	kv := kvstoretest.New()
	kv.SetFailure(errors.New("database is down"))
	if _, err := delivery.NewLimiter(kv, time.Minute).Take("alice", 3, time.Now()); err == nil {
		t.Fatal("the caller must learn that the count could not be kept")
	}
}

func TestLimiterKeyExpires(t *testing.T) {
	kv := kvstoretest.New()
	now := time.Now()
	kv.Now = func() time.Time { return now }
	l := delivery.NewLimiter(kv, 10*time.Minute)
	_, _ = l.Take("alice", 3, now)
	if len(kv.Keys()) != 1 {
		t.Fatalf("keys %v", kv.Keys())
	}
	now = now.Add(11 * time.Minute)
	if len(kv.Keys()) != 0 {
		t.Fatal("the counter must expire with the window, not stay in the KV store forever")
	}
}
