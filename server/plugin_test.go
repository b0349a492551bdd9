package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// hangingServer answers nothing until its caller gives up: it reports each request it holds
// and each cancellation it sees.
type hangingServer struct {
	srv      *httptest.Server
	held     chan string
	canceled chan string
}

func newHangingServer(t *testing.T) *hangingServer {
	h := &hangingServer{held: make(chan string, 16), canceled: make(chan string, 16)}
	release := make(chan struct{})
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h.held <- r.URL.Path
		select {
		case <-r.Context().Done():
			h.canceled <- r.URL.Path
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); h.srv.Close() })
	return h
}

// OnDeactivate stops every owner at once within its one deadline, and cancels their
// PagerTree calls in flight: here an alert being sent (the outbox) and a poll (the
// follow-up's poller), both on a PagerTree that never answers. Were either call not cancelled,
// or an owner not stopped, OnDeactivate would return an error naming it after 5 s.
func TestOnDeactivateStopsEveryOwnerWithinTheDeadline(t *testing.T) {
	pt := newHangingServer(t)
	s := baseSettings(pt.srv.URL + "/integration/int_hang")
	s.APIKey, s.APIBaseURL, s.UpdatesArrive = savedKey, pt.srv.URL, "polled"
	env := newEnv(t, s, nil)
	env.p.MessageHasBeenPosted(nil, userPost(publicID, "outage in eu"))
	got := map[string]bool{}
	for len(got) < 2 { // the send, then the poll of the alert it recorded (the poller wakes each second)
		got[receive(t, pt.held, "a held request")] = true
	}
	if !got["/integration/int_hang"] || !got["/api/v4/alerts"] {
		t.Fatalf("held %v", got)
	}
	start := time.Now()
	if err := env.p.OnDeactivate(); err != nil {
		t.Fatalf("OnDeactivate: %v", err)
	}
	if took := time.Since(start); took >= stopWithin {
		t.Fatalf("OnDeactivate took %s", took)
	}
	for range 2 {
		receive(t, pt.canceled, "a cancelled request")
	}
	// The alert was not lost: it waits in the store for the next activation.
	if n, err := env.p.outbox.Pending(); err != nil || n != 1 {
		t.Fatalf("pending %d %v", n, err)
	}
}
