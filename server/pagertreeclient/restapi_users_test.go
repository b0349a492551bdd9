package pagertreeclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// usersServer answers GET /api/v4/account_users with pages of users (u1@x.example…), counting
// requests; while gate is open (not nil) every answer waits for it to close.
func usersServer(t *testing.T, total int, gate chan struct{}, status *atomic.Int32) (*atomic.Int32, *API) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if gate != nil {
			<-gate
		}
		if s := status.Load(); s != 0 {
			w.WriteHeader(int(s))
			_, _ = w.Write([]byte(`{"errors":[{"message":"busy"}]}`))
			return
		}
		page := 1
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &page)
		body := `{"data":[`
		for i := (page-1)*100 + 1; i <= min(page*100, total); i++ {
			if i > (page-1)*100+1 {
				body += ","
			}
			body += fmt.Sprintf(`{"id":"U%d","user":{"name":"User %d","emails":[{"email":"u%d@x.example","primary":true}]}}`, i, i, i)
		}
		body += fmt.Sprintf(`],"has_more":%v}`, page*100 < total)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return &n, NewAPI(srv.URL, "k", 5*time.Second, "ua", nil)
}

// Finding 6 of issue 21: 20 presses by a non-member made 20 × 5 page reads. Now one read of the
// list answers every lookup for UserListTTL, found or not.
func TestAccountUserByEmailReadsTheListOncePerTTL(t *testing.T) {
	var status atomic.Int32
	reads, api := usersServer(t, 450, nil, &status)
	now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	api.users.now = func() time.Time { return now }
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		if _, ok, err := api.AccountUserByEmail(ctx, "stranger@x.example"); ok || err != nil {
			t.Fatalf("%v %v", ok, err)
		}
	}
	if got := reads.Load(); got != 5 {
		t.Fatalf("20 lookups read %d pages, want the 5 of one read", got)
	}
	if u, ok, err := api.AccountUserByEmail(ctx, "U450@X.example"); !ok || err != nil || u.ID != "U450" || reads.Load() != 5 {
		t.Fatalf("%+v %v %v after %d pages", u, ok, err, reads.Load())
	}
	now = now.Add(UserListTTL)
	if _, ok, _ := api.AccountUserByEmail(ctx, "u1@x.example"); !ok || reads.Load() != 10 {
		t.Fatalf("after the TTL the list is read again: %d pages", reads.Load())
	}
	// A failed read is not kept.
	now = now.Add(UserListTTL)
	status.Store(http.StatusServiceUnavailable)
	if _, _, err := api.AccountUserByEmail(ctx, "u1@x.example"); !IsKind(err, KindTransient) {
		t.Fatalf("want the failure, got %v", err)
	}
	status.Store(0)
	before := reads.Load()
	if _, ok, err := api.AccountUserByEmail(ctx, "u1@x.example"); !ok || err != nil || reads.Load() != before+5 {
		t.Fatalf("%v %v, %d pages", ok, err, reads.Load()-before)
	}
}

func TestConcurrentLookupsShareOneRead(t *testing.T) {
	var status atomic.Int32
	gate := make(chan struct{})
	reads, api := usersServer(t, 50, gate, &status)
	var wg sync.WaitGroup
	found := atomic.Int32{}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, ok, err := api.AccountUserByEmail(context.Background(), fmt.Sprintf("u%d@x.example", i+1)); ok && err == nil {
				found.Add(1)
			}
		}(i)
	}
	deadline := time.After(5 * time.Second)
	for reads.Load() == 0 { // the first read is under way: the others wait for it
		select {
		case <-deadline:
			t.Fatal("no read started")
		case <-time.After(time.Millisecond):
		}
	}
	close(gate)
	wg.Wait()
	if reads.Load() != 1 || found.Load() != 20 {
		t.Fatalf("%d reads, %d found", reads.Load(), found.Load())
	}
}

func TestSharedWaitsBoundedAndRetriesAnAbandonedCall(t *testing.T) {
	var s Shared[int]
	release := make(chan struct{})
	started := make(chan struct{})
	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	leaderDone := make(chan error, 1)
	go func() {
		_, err := s.Do(leaderCtx, "k", func(ctx context.Context) (int, error) {
			close(started)
			select {
			case <-release:
				return 1, nil
			case <-ctx.Done():
				return 0, &APIError{Kind: KindTransient, Err: ctx.Err()}
			}
		})
		leaderDone <- err
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the call did not start")
	}
	// A waiter with a short deadline gives up on its own time.
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Do(short, "k", func(context.Context) (int, error) { t.Error("ran twice"); return 0, nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the waiter's deadline, got %v", err)
	}
	// The caller that ran it gives up: a waiter still willing runs it itself.
	waiter := make(chan int, 1)
	go func() {
		v, _ := s.Do(context.Background(), "k", func(context.Context) (int, error) { return 2, nil })
		waiter <- v
	}()
	waited := time.After(5 * time.Second)
	for s.waits.Load() < 2 { // the short waiter, then this one
		select {
		case <-waited:
			t.Fatal("the waiter never waited")
		case <-time.After(time.Millisecond):
		}
	}
	cancelLeader()
	select {
	case err := <-leaderDone:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("leader: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("leader stuck")
	}
	select {
	case v := <-waiter:
		if v != 2 {
			t.Fatalf("waiter got %d, want its own call's 2", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiter stuck")
	}
	close(release)
}
