package delivery_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// standIn is a scriptable PagerTree endpoint: answers[i] is the status for request i
// (0 = hang past the client timeout); after the script it answers 200.
type standIn struct {
	srv      *httptest.Server
	mu       sync.Mutex
	answers  []int
	headers  map[int]http.Header
	requests []time.Time
	ok       atomic.Int32 // requests answered 2xx
	quit     chan struct{}
}

func newStandIn(t *testing.T, answers ...int) *standIn {
	s := &standIn{answers: answers, headers: map[int]http.Header{}, quit: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		i := len(s.requests)
		s.requests = append(s.requests, time.Now())
		code := 200
		if i < len(s.answers) {
			code = s.answers[i]
		}
		h := s.headers[i]
		s.mu.Unlock()
		if code == 0 {
			select {
			case <-r.Context().Done():
			case <-s.quit:
			}
			return
		}
		for k, v := range h {
			w.Header()[k] = v
		}
		if code < 300 {
			s.ok.Add(1)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(func() { close(s.quit); s.srv.Close() })
	return s
}

func (s *standIn) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

type result struct {
	job     delivery.Job
	outcome paging.Outcome
}

type harness struct {
	box     *delivery.Outbox
	finals  chan result
	retries atomic.Int32
}

func fastOptions(node string) delivery.Options {
	return delivery.Options{
		NodeID:     node,
		Workers:    2,
		Backoff:    func(int) time.Duration { return 5 * time.Millisecond },
		Lease:      2 * time.Second,
		SweepEvery: 20 * time.Millisecond,
	}
}

// stopWithin stops b, waiting at most d (as OnDeactivate passes its one deadline).
func stopWithin(b *delivery.Outbox, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return b.Stop(ctx)
}

func start(t *testing.T, kv kvstore.KV, endpoint string, opt delivery.Options) *harness {
	t.Helper()
	client := pagertreeclient.New(endpoint, "tok", paging.FormatMattermost, 300*time.Millisecond, "test", nil)
	h := &harness{finals: make(chan result, 16)}
	opt.OnFinal = func(j delivery.Job, o paging.Outcome) { h.finals <- result{j, o} }
	opt.OnRetry = func(delivery.Job, paging.Outcome) { h.retries.Add(1) }
	h.box = delivery.New(kv, client.Send, opt)
	h.box.Start()
	t.Cleanup(func() { _ = stopWithin(h.box, 5*time.Second) })
	return h
}

func (h *harness) final(t *testing.T) result {
	t.Helper()
	select {
	case r := <-h.finals:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no final outcome within 10 s")
	}
	return result{}
}

// stopped stops the outbox (waiting for its goroutines) and checks it finished nothing more.
func (h *harness) stopped(t *testing.T) {
	t.Helper()
	if err := stopWithin(h.box, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-h.finals:
		t.Fatalf("unexpected second final outcome: %+v", r)
	default:
	}
}

// noMoreFinals waits a little for an outcome that must not come (a live lease is respected
// for its length, so there is no event to wait for).
func (h *harness) noMoreFinals(t *testing.T) {
	t.Helper()
	select {
	case r := <-h.finals:
		t.Fatalf("unexpected second final outcome: %+v", r)
	case <-time.After(150 * time.Millisecond):
	}
}

// eventually polls cond until it holds, failing the test after 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no %s within 10 s", what)
		}
	}
}

func alert(id string) paging.Alert {
	return paging.Alert{ID: id, PostID: id, ChannelID: "c", ChannelName: "ops", UserName: "alice", Message: "outage", Trigger: "outage", CreateAt: 1}
}

func TestRetriesTransientThenDelivers(t *testing.T) {
	pt := newStandIn(t, 503, 503, 503, 200)
	h := start(t, kvstoretest.New(), pt.srv.URL, fastOptions("a"))
	if err := h.box.Enqueue(alert("a1")); err != nil {
		t.Fatal(err)
	}
	r := h.final(t)
	if r.outcome.Class != paging.Delivered || r.job.Attempts != 4 || pt.ok.Load() != 1 || h.retries.Load() != 3 {
		t.Fatalf("outcome %+v after %d attempts, %d delivered, %d retries", r.outcome, r.job.Attempts, pt.ok.Load(), h.retries.Load())
	}
	h.stopped(t)
}

func TestHonoursRetryAfter(t *testing.T) {
	pt := newStandIn(t, 429, 200)
	pt.headers[0] = http.Header{"Retry-After": {"1"}}
	h := start(t, kvstoretest.New(), pt.srv.URL, fastOptions("a"))
	_ = h.box.Enqueue(alert("a1"))
	r := h.final(t)
	if r.outcome.Class != paging.Delivered {
		t.Fatalf("outcome %+v", r.outcome)
	}
	pt.mu.Lock()
	gap := pt.requests[1].Sub(pt.requests[0])
	pt.mu.Unlock()
	if gap < time.Second {
		t.Fatalf("retried after %s, before Retry-After's 1 s (the backoff alone is 5 ms)", gap)
	}
}

// A Retry-After longer than what is left of the retry window does not end the retries at once:
// the alert is tried again when the window closes.
func TestLongRetryAfterDoesNotGiveUpEarly(t *testing.T) {
	pt := newStandIn(t, 429, 200)
	pt.headers[0] = http.Header{"Retry-After": {"1"}}
	opt := fastOptions("a")
	opt.RetryWindow = func() time.Duration { return 300 * time.Millisecond }
	h := start(t, kvstoretest.New(), pt.srv.URL, opt)
	_ = h.box.Enqueue(alert("a1"))
	if r := h.final(t); r.outcome.Class != paging.Delivered || r.job.Attempts != 2 {
		t.Fatalf("outcome %+v after %d attempts", r.outcome, r.job.Attempts)
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	pt := newStandIn(t, 403)
	kv := kvstoretest.New()
	h := start(t, kv, pt.srv.URL, fastOptions("a"))
	_ = h.box.Enqueue(alert("a1"))
	r := h.final(t)
	if r.outcome.Class != paging.Permanent || r.outcome.StatusCode != 403 || r.job.Attempts != 1 {
		t.Fatalf("outcome %+v attempts %d", r.outcome, r.job.Attempts)
	}
	// Final means done in the store: no worker or sweep on any node sends it again.
	if raw, _ := kv.Get(delivery.JobKey("a1")); !strings.Contains(string(raw), `"state":"done"`) || h.retries.Load() != 0 {
		t.Fatalf("after a 403 the job is %s (%d retries)", raw, h.retries.Load())
	}
	if err := stopWithin(h.box, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if pt.count() != 1 {
		t.Fatalf("403 was retried: %d requests", pt.count())
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	pt := newStandIn(t, 0, 200) // the first request hangs past the 300 ms client timeout
	h := start(t, kvstoretest.New(), pt.srv.URL, fastOptions("a"))
	_ = h.box.Enqueue(alert("a1"))
	r := h.final(t)
	if r.outcome.Class != paging.Delivered || r.job.Attempts != 2 || r.job.Last.StatusCode != 200 {
		t.Fatalf("outcome %+v attempts %d", r.outcome, r.job.Attempts)
	}
}

func TestGivesUpAfterTheRetryWindow(t *testing.T) {
	pt := newStandIn(t, 500, 500, 500, 500, 500, 500, 500, 500)
	opt := fastOptions("a")
	opt.Backoff = func(int) time.Duration { return 30 * time.Millisecond }
	opt.RetryWindow = func() time.Duration { return 100 * time.Millisecond }
	h := start(t, kvstoretest.New(), pt.srv.URL, opt)
	_ = h.box.Enqueue(alert("a1"))
	r := h.final(t)
	if r.outcome.Class != paging.Transient || !r.job.GaveUp || r.job.Attempts < 2 || r.job.Attempts > 5 {
		t.Fatalf("outcome %+v gave up %v after %d attempts", r.outcome, r.job.GaveUp, r.job.Attempts)
	}
}

// listenAgain reopens a closed test server's address: PagerTree coming back.
func listenAgain(t *testing.T, addr string, h http.Handler) {
	t.Helper()
	var ln net.Listener
	var err error
	eventually(t, "listening again on "+addr, func() bool {
		ln, err = net.Listen("tcp", addr)
		return err == nil
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
}

func TestDeliversWhenPagerTreeComesBack(t *testing.T) {
	pt := newStandIn(t)
	addr := pt.srv.Listener.Addr().String()
	url := pt.srv.URL
	pt.srv.Close() // connection refused from now on
	opt := fastOptions("a")
	opt.Backoff = delivery.Backoff(10*time.Millisecond, 40*time.Millisecond)
	h := start(t, kvstoretest.New(), url, opt)
	_ = h.box.Enqueue(alert("a1"))
	eventually(t, "4 retries", func() bool { return h.retries.Load() >= 4 })
	var got atomic.Int32
	listenAgain(t, addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { got.Add(1) }))
	r := h.final(t)
	if r.outcome.Class != paging.Delivered || got.Load() != 1 || r.job.Attempts < 5 {
		t.Fatalf("outcome %+v, %d requests after coming back, %d attempts", r.outcome, got.Load(), r.job.Attempts)
	}
}

func TestRestartMidOutageDeliversOnce(t *testing.T) {
	kv := kvstoretest.New()
	pt := newStandIn(t, 503, 503, 503, 503, 503, 503)
	first := start(t, kv, pt.srv.URL, fastOptions("first"))
	_ = first.box.Enqueue(alert("a1"))
	eventually(t, "2 retries", func() bool { return first.retries.Load() >= 2 })
	if err := stopWithin(first.box, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := pt.count(); n >= 6 {
		t.Fatalf("the outage script ran out before the restart (%d requests)", n)
	}
	second := start(t, kv, pt.srv.URL, fastOptions("second"))
	r := second.final(t)
	if r.outcome.Class != paging.Delivered || pt.ok.Load() != 1 {
		t.Fatalf("outcome %+v, %d delivered", r.outcome, pt.ok.Load())
	}
	second.stopped(t)
	first.stopped(t)
}

func TestTwoNodesSamePostDeliverOnce(t *testing.T) {
	kv := kvstoretest.New()
	pt := newStandIn(t)
	a := start(t, kv, pt.srv.URL, fastOptions("a"))
	b := start(t, kv, pt.srv.URL, fastOptions("b"))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, h := range []*harness{a, b} {
		wg.Add(1)
		go func(i int, h *harness) { defer wg.Done(); errs[i] = h.box.Enqueue(alert("same")) }(i, h)
	}
	wg.Wait()
	dups := 0
	for _, err := range errs {
		if errors.Is(err, delivery.ErrDuplicate) {
			dups++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if dups != 1 {
		t.Fatalf("want exactly one duplicate, got errors %v", errs)
	}
	select {
	case <-a.finals:
	case <-b.finals:
	case <-time.After(10 * time.Second):
		t.Fatal("not delivered")
	}
	for _, h := range []*harness{a, b} { // after Stop no node sends anything
		if err := stopWithin(h.box, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if pt.count() != 1 {
		t.Fatalf("PagerTree got %d requests for one post", pt.count())
	}
	// A late duplicate (the hook running again after delivery) is refused too.
	if err := a.box.Enqueue(alert("same")); !errors.Is(err, delivery.ErrDuplicate) {
		t.Fatalf("late duplicate: %v", err)
	}
}

func TestExpiredLeaseOfADeadNodeIsTakenOver(t *testing.T) {
	kv := kvstoretest.New()
	pt := newStandIn(t)
	// A node took the alert and died while sending: its lease ran out a second ago.
	dead := delivery.New(kv, func(context.Context, paging.Alert) paging.Outcome { select {} }, delivery.Options{NodeID: "dead"})
	_ = dead.Enqueue(alert("a1"))
	raw, _ := kv.Get(delivery.JobKey("a1"))
	leased := []byte(string(raw[:len(raw)-1]) + `,"lease_owner":"dead","lease_until":"` + time.Now().Add(-time.Second).Format(time.RFC3339Nano) + `"}`)
	kv.Set(delivery.JobKey("a1"), leased)
	h := start(t, kv, pt.srv.URL, fastOptions("alive"))
	if r := h.final(t); r.outcome.Class != paging.Delivered || pt.count() != 1 {
		t.Fatalf("outcome %+v, %d requests", r.outcome, pt.count())
	}
}

func TestLiveLeaseOfAnotherNodeIsRespected(t *testing.T) {
	kv := kvstoretest.New()
	pt := newStandIn(t)
	dead := delivery.New(kv, nil, delivery.Options{NodeID: "busy"})
	_ = dead.Enqueue(alert("a1"))
	raw, _ := kv.Get(delivery.JobKey("a1"))
	leased := []byte(string(raw[:len(raw)-1]) + `,"lease_owner":"busy","lease_until":"` + time.Now().Add(time.Hour).Format(time.RFC3339Nano) + `"}`)
	kv.Set(delivery.JobKey("a1"), leased)
	h := start(t, kv, pt.srv.URL, fastOptions("other"))
	h.noMoreFinals(t)
	if pt.count() != 0 {
		t.Fatal("a job leased by a live node was sent again")
	}
	if n, err := h.box.Pending(); err != nil || n != 1 {
		t.Fatalf("Pending = %d, %v", n, err)
	}
}

func TestStopIsQuickAndKeepsTheAlert(t *testing.T) {
	kv := kvstoretest.New()
	pt := newStandIn(t, 0, 0, 0)
	opt := fastOptions("a")
	client := pagertreeclient.New(pt.srv.URL, "", paging.FormatMattermost, 10*time.Second, "test", nil)
	box := delivery.New(kv, client.Send, opt)
	box.Start()
	_ = box.Enqueue(alert("a1"))
	eventually(t, "a request in flight", func() bool { return pt.count() > 0 })
	began := time.Now()
	if err := stopWithin(box, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > time.Second {
		t.Fatalf("Stop took %s while a request was in flight", d)
	}
	next := delivery.New(kv, nil, opt)
	if n, _ := next.Pending(); n != 1 {
		t.Fatalf("the in-flight alert was lost: %d pending", n)
	}
}

// Stop waits only until its context ends (OnDeactivate's one deadline) and says which owner
// did not stop: here a send that ignores its context.
func TestStopReportsWorkersStillBusyAtTheDeadline(t *testing.T) {
	release := make(chan struct{})
	inSend := make(chan struct{}, 1)
	send := func(context.Context, paging.Alert) paging.Outcome {
		inSend <- struct{}{}
		<-release // deaf to cancellation
		return paging.Outcome{Class: paging.Delivered, StatusCode: 200}
	}
	box := delivery.New(kvstoretest.New(), send, fastOptions("a"))
	box.Start()
	if err := box.Enqueue(alert("a1")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-inSend:
	case <-time.After(10 * time.Second):
		t.Fatal("the alert was not sent within 10 s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := box.Stop(ctx)
	if err == nil || !strings.Contains(err.Error(), "did not stop in time") {
		t.Fatalf("Stop with a worker stuck in a send = %v, want the workers named", err)
	}
	close(release)
	if err := stopWithin(box, 5*time.Second); err != nil {
		t.Fatalf("Stop once the send returned = %v", err)
	}
}

func TestKVOutageAtEnqueueIsAnError(t *testing.T) {
	kv := kvstoretest.New()
	kv.SetFailure(errors.New("database is down"))
	box := delivery.New(kv, nil, delivery.Options{NodeID: "a"})
	if err := box.Enqueue(alert("a1")); err == nil || errors.Is(err, delivery.ErrDuplicate) {
		t.Fatalf("Enqueue with the kvstore.KV store down: %v", err)
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	b := delivery.Backoff(2*time.Second, 5*time.Minute)
	for attempt, want := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 3: 8 * time.Second, 12: 5 * time.Minute} {
		for i := 0; i < 50; i++ {
			got := b(attempt)
			if got < want*8/10 || got > want*12/10 {
				t.Fatalf("Backoff(%d) = %s, want %s ±20%%", attempt, got, want)
			}
		}
	}
}

// A store error when the result of a delivered alert is written is retried: the job must not
// stay pending under its lease and be sent again when the lease runs out.
func TestResultWriteIsRetriedAfterAStoreError(t *testing.T) {
	pt := newStandIn(t)
	kv := kvstoretest.New()
	client := pagertreeclient.New(pt.srv.URL, "tok", paging.FormatMattermost, 300*time.Millisecond, "test", nil)
	send := func(ctx context.Context, a paging.Alert) paging.Outcome {
		o := client.Send(ctx, a)
		kv.SetFailure(errors.New("the database blinked")) // the result's write fails at first…
		time.AfterFunc(100*time.Millisecond, func() { kv.SetFailure(nil) })
		return o
	}
	finals := make(chan paging.Outcome, 4)
	opt := fastOptions("a")
	opt.OnFinal = func(_ delivery.Job, o paging.Outcome) { finals <- o }
	box := delivery.New(kv, send, opt)
	box.Start()
	t.Cleanup(func() { _ = stopWithin(box, 5*time.Second) })
	if err := box.Enqueue(alert("a1")); err != nil {
		t.Fatal(err)
	}
	select {
	case o := <-finals:
		if o.Class != paging.Delivered || pt.count() != 1 {
			t.Fatalf("outcome %+v after %d requests", o, pt.count())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no final outcome")
	}
}
