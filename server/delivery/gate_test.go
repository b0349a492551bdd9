package delivery_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// endpoints are several PagerTree integrations, one per route: each can be failing on its own.
type endpoints struct {
	mu      sync.Mutex
	routeTo map[string]string // route id → endpoint, as the settings say now
	failing map[string]bool
	sends   map[string]int // per endpoint
	ok      map[string]int // per alert id
}

func newEndpoints(routeTo map[string]string) *endpoints {
	return &endpoints{routeTo: routeTo, failing: map[string]bool{}, sends: map[string]int{}, ok: map[string]int{}}
}

func (e *endpoints) endpoint(a paging.Alert) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.routeTo[a.RouteID]
}

func (e *endpoints) send(_ context.Context, a paging.Alert) paging.Outcome {
	ep := e.endpoint(a)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sends[ep]++
	if e.failing[ep] {
		return paging.Outcome{Class: paging.Transient, StatusCode: 503, Meaning: "PagerTree is unavailable: will retry"}
	}
	e.ok[a.ID]++
	return paging.Outcome{Class: paging.Delivered, StatusCode: 200}
}

func (e *endpoints) set(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f()
}

func (e *endpoints) sent(ep string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sends[ep]
}

// outages collects the outage reports as events.
type outages struct {
	mu   sync.Mutex
	list []delivery.Outage
	news chan delivery.Outage
}

func newOutages() *outages { return &outages{news: make(chan delivery.Outage, 64)} }

func (o *outages) add(x delivery.Outage) {
	o.mu.Lock()
	o.list = append(o.list, x)
	o.mu.Unlock()
	o.news <- x
}

func (o *outages) next(t *testing.T, what string) delivery.Outage {
	t.Helper()
	select {
	case x := <-o.news:
		return x
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
	}
	return delivery.Outage{}
}

func routeAlert(route string, i int) paging.Alert {
	a := alert(fmt.Sprintf("%s%02d", route, i))
	a.RouteID = route
	return a
}

// finals collects the finished alerts by id.
func collect(t *testing.T, finals <-chan delivery.Job, ids map[string]bool, within time.Duration, what string) map[string]delivery.Job {
	t.Helper()
	got := map[string]delivery.Job{}
	deadline := time.After(within)
	for len(got) < len(ids) {
		select {
		case j := <-finals:
			if !ids[j.Alert.ID] {
				t.Fatalf("%s: alert %s finished, not one of these", what, j.Alert.ID)
			}
			got[j.Alert.ID] = j
		case <-deadline:
			t.Fatalf("%s: only %d of %d finished within %s", what, len(got), len(ids), within)
		}
	}
	return got
}

// One failing route endpoint holds back only its own alerts: another route's alerts are sent at
// once (one request each, long before the failing endpoint's next probe), and the outage of
// the failing one still drains, each alert once, when it answers again.
func TestFailingEndpointHoldsBackOnlyItsOwnAlerts(t *testing.T) {
	const n = 20
	const probe = 3 * time.Second // B must finish long before A's next probe
	eps := newEndpoints(map[string]string{"a": "https://pt/int_a", "b": "https://pt/int_b"})
	eps.failing["https://pt/int_a"] = true
	seen := newOutages()
	finals := make(chan delivery.Job, 2*n)
	opt := fastOptions("a")
	opt.Workers = 4
	opt.ProbeBackoff = func(int) time.Duration { return probe }
	opt.Endpoint = eps.endpoint
	opt.OnOutage = seen.add
	opt.OnFinal = func(j delivery.Job, _ paging.Outcome) { finals <- j }
	box := delivery.New(kvstoretest.New(), eps.send, opt)
	box.Start()
	defer func() { _ = stopWithin(box, 5*time.Second) }()

	idsA, idsB := map[string]bool{}, map[string]bool{}
	for i := 0; i < n; i++ {
		a := routeAlert("a", i)
		idsA[a.ID] = true
		if err := box.Enqueue(a); err != nil {
			t.Fatal(err)
		}
	}
	if o := seen.next(t, "outage of A"); o.Ended || o.Endpoint != "https://pt/int_a" {
		t.Fatalf("first report %+v", o)
	}
	started := time.Now()
	for i := 0; i < n; i++ {
		b := routeAlert("b", i)
		idsB[b.ID] = true
		if err := box.Enqueue(b); err != nil {
			t.Fatal(err)
		}
	}
	for id, j := range collect(t, finals, idsB, probe*2/3, "B while A fails") {
		if j.Attempts != 1 || j.Last == nil || j.Last.Class != paging.Delivered {
			t.Fatalf("B's alert %s: %d attempts, last %+v", id, j.Attempts, j.Last)
		}
	}
	tookB := time.Since(started)
	if got := eps.sent("https://pt/int_b"); got != n {
		t.Fatalf("%d requests to B for %d alerts", got, n)
	}
	// Held back: at most one send per worker before the first failure came back, none since.
	if heldA := eps.sent("https://pt/int_a"); heldA > opt.Workers {
		t.Fatalf("%d requests to A for %d alerts before its next probe: A's alerts were not held back", heldA, n)
	}

	eps.set(func() { eps.failing["https://pt/int_a"] = false })
	collect(t, finals, idsA, 10*time.Second, "A after it answers again")
	end := seen.next(t, "end of A's outage")
	if !end.Ended || end.Expired || end.Endpoint != "https://pt/int_a" || end.Waited != n {
		t.Fatalf("end report %+v", end)
	}
	eps.mu.Lock()
	defer eps.mu.Unlock()
	for id := range idsA {
		if eps.ok[id] != 1 {
			t.Fatalf("alert %s delivered %d times", id, eps.ok[id])
		}
	}
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if len(seen.list) != 2 {
		t.Fatalf("outage reports %+v: B never failed", seen.list)
	}
	t.Logf("B's %d alerts delivered in %s while A was failing; A drained after recovery", n, tookB.Round(time.Millisecond))
}

// When the settings send a failing endpoint's route elsewhere, its parked alerts go out to the
// new endpoint at once (the sweeper notices, even when no new alert comes); only those that
// were already retrying (the probe, the sends in flight when it failed) keep their planned time.
func TestChangedEndpointReleasesItsWaitingAlerts(t *testing.T) {
	const n = 10
	const probe = 3 * time.Second
	eps := newEndpoints(map[string]string{"a": "https://pt/int_a"})
	eps.failing["https://pt/int_a"] = true
	seen := newOutages()
	finals := make(chan delivery.Job, n)
	opt := fastOptions("a")
	opt.ProbeBackoff = func(int) time.Duration { return probe }
	opt.Endpoint = eps.endpoint
	opt.OnOutage = seen.add
	opt.OnFinal = func(j delivery.Job, _ paging.Outcome) { finals <- j }
	box := delivery.New(kvstoretest.New(), eps.send, opt)
	box.Start()
	defer func() { _ = stopWithin(box, 5*time.Second) }()
	ids := map[string]bool{}
	for i := 0; i < n; i++ {
		a := routeAlert("a", i)
		ids[a.ID] = true
		if err := box.Enqueue(a); err != nil {
			t.Fatal(err)
		}
	}
	seen.next(t, "outage of A")

	eps.set(func() { eps.routeTo["a"] = "https://pt/int_a2" })
	changed := time.Now()
	if end := seen.next(t, "end of A's outage"); !end.Ended || end.Last.Meaning != "the endpoint was changed" {
		t.Fatalf("end report %+v", end)
	}
	early := 0
	for early < n-opt.Workers {
		select {
		case <-finals:
			early++
		case <-time.After(probe - time.Since(changed) - 500*time.Millisecond):
			t.Fatalf("only %d of %d alerts sent to the new endpoint before A's next probe", early, n)
		}
	}
	for early < n {
		select {
		case <-finals:
			early++
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d alerts delivered", early, n)
		}
	}
	if got := eps.sent("https://pt/int_a2"); got != n {
		t.Fatalf("%d requests to the new endpoint for %d alerts", got, n)
	}
}

// An endpoint no alert went to for the retry window is forgotten (the map of failing endpoints
// does not keep what nothing waits for): the next alert to it is sent as to a healthy one.
func TestIdleFailingEndpointExpires(t *testing.T) {
	eps := newEndpoints(map[string]string{"a": "https://pt/int_a"})
	eps.failing["https://pt/int_a"] = true
	seen := newOutages()
	finals := make(chan delivery.Job, 2)
	opt := fastOptions("a")
	opt.ProbeBackoff = func(int) time.Duration { return 50 * time.Millisecond }
	opt.RetryWindow = func() time.Duration { return 300 * time.Millisecond }
	opt.Endpoint = eps.endpoint
	opt.OnOutage = seen.add
	opt.OnFinal = func(j delivery.Job, _ paging.Outcome) { finals <- j }
	box := delivery.New(kvstoretest.New(), eps.send, opt)
	box.Start()
	defer func() { _ = stopWithin(box, 5*time.Second) }()
	first := routeAlert("a", 1)
	if err := box.Enqueue(first); err != nil {
		t.Fatal(err)
	}
	seen.next(t, "outage of A")
	if j := collect(t, finals, map[string]bool{first.ID: true}, 10*time.Second, "first alert")[first.ID]; !j.GaveUp {
		t.Fatalf("first alert %+v: want given up after the window", j)
	}
	end := seen.next(t, "A's outage forgotten")
	if !end.Ended || !end.Expired {
		t.Fatalf("report %+v", end)
	}
	eps.set(func() { eps.failing["https://pt/int_a"] = false })
	second := routeAlert("a", 2)
	if err := box.Enqueue(second); err != nil {
		t.Fatal(err)
	}
	if j := collect(t, finals, map[string]bool{second.ID: true}, 10*time.Second, "second alert")[second.ID]; j.Attempts != 1 || j.GaveUp {
		t.Fatalf("second alert %+v", j)
	}
}
