package delivery_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// A failed alert is resent once per resend, even when two admins click at once, keeps its id
// (PagerTree aggregates by it) and says which resend it is; a delivered one is not resent.
func TestResendQueuesAFailedAlertOnceAndSendsItAgain(t *testing.T) {
	kv := kvstoretest.New()
	var mu sync.Mutex
	answers := []paging.Outcome{{Class: paging.Permanent, StatusCode: 403}, {Class: paging.Delivered, StatusCode: 200}}
	var sent []paging.Alert
	gate := make(chan struct{}) // holds the resend in flight until both clicks are answered
	send := func(_ context.Context, a paging.Alert) paging.Outcome {
		if a.Resent != nil {
			<-gate
		}
		mu.Lock()
		defer mu.Unlock()
		sent = append(sent, a)
		o := answers[0]
		if len(answers) > 1 {
			answers = answers[1:]
		}
		return o
	}
	finals := make(chan delivery.Job, 4)
	box := delivery.New(kv, send, delivery.Options{NodeID: "n1", OnFinal: func(j delivery.Job, _ paging.Outcome) { finals <- j }})
	box.Start()
	t.Cleanup(func() { _ = stopWithin(box, time.Second) })

	alert := paging.Alert{ID: "post1", PostID: "post1", ChannelID: "c", Message: "outage", Origin: paging.OriginPost}
	require.NoError(t, box.Enqueue(alert))
	first := <-finals
	require.Equal(t, 403, first.Last.StatusCode)

	_, _, err := box.Resend("nope", "admin")
	assert.ErrorIs(t, err, delivery.ErrResendUnknown)

	// Two admins at once: one resend.
	var wg sync.WaitGroup
	queued := make(chan bool, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, ok, resendErr := box.Resend("post1", "admin")
			assert.NoError(t, resendErr)
			queued <- ok
		}()
	}
	wg.Wait()
	close(gate)
	close(queued)
	n := 0
	for ok := range queued {
		if ok {
			n++
		}
	}
	assert.Equal(t, 1, n, "exactly one of two simultaneous resends is queued")

	again := <-finals
	assert.Equal(t, "post1", again.Alert.ID, "the alert keeps its id")
	require.NotNil(t, again.Alert.Resent)
	assert.Equal(t, paging.Resent{Number: 1, By: "admin"}, *again.Alert.Resent)
	assert.Equal(t, 200, again.Last.StatusCode)

	_, _, err = box.Resend("post1", "admin")
	assert.ErrorIs(t, err, delivery.ErrResendOK, "a delivered resend is not resent")
	select {
	case j := <-finals:
		t.Fatalf("unexpected extra delivery %+v", j)
	case <-time.After(200 * time.Millisecond):
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, sent, 2)
}

func TestResendRefusesTestAlertsAndPendingOnes(t *testing.T) {
	kv := kvstoretest.New()
	block := make(chan struct{})
	send := func(ctx context.Context, a paging.Alert) paging.Outcome {
		if a.Origin == paging.OriginTest {
			return paging.Outcome{Class: paging.Permanent, StatusCode: 403}
		}
		select {
		case <-block:
		case <-ctx.Done():
		}
		return paging.Outcome{Class: paging.Delivered, StatusCode: 200}
	}
	finals := make(chan delivery.Job, 4)
	box := delivery.New(kv, send, delivery.Options{NodeID: "n1", OnFinal: func(j delivery.Job, _ paging.Outcome) { finals <- j }})
	box.Start()
	t.Cleanup(func() { close(block); _ = stopWithin(box, time.Second) })

	require.NoError(t, box.Enqueue(paging.Alert{ID: "t1", Origin: paging.OriginTest}))
	<-finals
	_, _, err := box.Resend("t1", "admin")
	assert.ErrorIs(t, err, delivery.ErrResendTest)

	require.NoError(t, box.Enqueue(paging.Alert{ID: "p1", Origin: paging.OriginPost}))
	_, _, err = box.Resend("p1", "admin")
	assert.ErrorIs(t, err, delivery.ErrResendPending)
}

func TestFailedSinceTakesEachAlertsLatestTry(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	entries := []delivery.Entry{ // newest first
		{AlertID: "a", Status: delivery.StatusDelivered, Time: now},
		{AlertID: "b", Status: delivery.StatusFailed, Time: now.Add(-10 * time.Minute)},
		{AlertID: "a", Status: delivery.StatusFailed, Time: now.Add(-20 * time.Minute)},
		{AlertID: "t", Status: delivery.StatusFailed, Time: now.Add(-25 * time.Minute), Test: true},
		{AlertID: "c", Status: delivery.StatusFailed, Time: now.Add(-2 * time.Hour)},
	}
	assert.Equal(t, []string{"b"}, delivery.FailedSince(entries, now.Add(-time.Hour)))
	assert.Equal(t, []string{"b", "c"}, delivery.FailedSince(entries, now.Add(-3*time.Hour)))
}
