package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	body, err := io.ReadAll(rec.Body)
	require.NoError(t, err)
	return string(body)
}

func TestMetricsCountWhatHappened(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	m := New(func() (Queue, error) { return Queue{Pending: 2, OldestQueued: now.Add(-90 * time.Second)}, nil }, func() time.Time { return now })
	a := paging.Alert{ID: "a", CreateAt: now.Add(-1500 * time.Millisecond).UnixMilli()}
	m.Matched("post", a)
	m.Queued("post", a)
	m.Retry(paging.Outcome{Class: paging.Transient, StatusCode: 503})
	m.Retry(paging.Outcome{Class: paging.Transient})
	m.Final(a, "post", paging.Outcome{Class: paging.Delivered, StatusCode: 200}, false)
	m.Final(a, "command", paging.Outcome{Class: paging.Permanent, StatusCode: 403}, false)
	m.Final(a, "post", paging.Outcome{Class: paging.Transient, StatusCode: 503}, true)
	m.Suppressed("thread_already_paged")
	m.EventReceived("acknowledged")
	m.Presend(1800 * time.Microsecond)
	m.Presend(-time.Millisecond) // a clock step: not a sample

	out := scrape(t, m)
	for _, line := range []string{
		`mattermost_plugin_pagertree_alerts_matched_total{origin="post",route="default"} 1`,
		`mattermost_plugin_pagertree_alerts_queued_total{origin="post",route="default"} 1`,
		`mattermost_plugin_pagertree_alerts_delivered_total{origin="post",route="default"} 1`,
		`mattermost_plugin_pagertree_alerts_failed_total{reason="token_rejected",route="default"} 1`,
		`mattermost_plugin_pagertree_alerts_failed_total{reason="gave_up",route="default"} 1`,
		`mattermost_plugin_pagertree_alerts_suppressed_total{reason="thread_already_paged"} 1`,
		`mattermost_plugin_pagertree_delivery_attempts_total 5`,
		`mattermost_plugin_pagertree_delivery_retries_total 2`,
		`mattermost_plugin_pagertree_pagertree_answers_total{class="transient",status="503"} 2`,
		`mattermost_plugin_pagertree_pagertree_answers_total{class="transient",status="none"} 1`,
		`mattermost_plugin_pagertree_pagertree_answers_total{class="delivered",status="200"} 1`,
		`mattermost_plugin_pagertree_post_to_pagertree_seconds_bucket{le="1"} 0`,
		`mattermost_plugin_pagertree_post_to_pagertree_seconds_bucket{le="2"} 1`,
		`mattermost_plugin_pagertree_post_to_pagertree_seconds_count 1`,
		`mattermost_plugin_pagertree_presend_seconds_bucket{le="0.0015"} 0`,
		`mattermost_plugin_pagertree_presend_seconds_bucket{le="0.002"} 1`,
		`mattermost_plugin_pagertree_presend_seconds_count 1`,
		`mattermost_plugin_pagertree_events_received_total{kind="acknowledged"} 1`,
		`mattermost_plugin_pagertree_queue_depth 2`,
		`mattermost_plugin_pagertree_oldest_pending_seconds 90`,
		`mattermost_plugin_pagertree_queue_read_errors 0`,
	} {
		assert.Contains(t, out, line+"\n")
	}
	assert.Contains(t, out, "# TYPE mattermost_plugin_pagertree_post_to_pagertree_seconds histogram")
}

func TestMetricsQueueIsReadAtMostEveryFewSecondsAndKeepsLastGoodValues(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	calls := 0
	fail := false
	m := New(func() (Queue, error) {
		calls++
		if fail {
			return Queue{}, errors.New("store down")
		}
		return Queue{Pending: 7}, nil
	}, func() time.Time { return now })
	scrape(t, m)
	scrape(t, m)
	assert.Equal(t, 1, calls, "two scrapes within the cache time read the store once")

	fail = true
	now = now.Add(queueCacheFor)
	out := scrape(t, m)
	assert.Equal(t, 2, calls)
	assert.Contains(t, out, "mattermost_plugin_pagertree_queue_depth 7\n")
	assert.Contains(t, out, "mattermost_plugin_pagertree_queue_read_errors 1\n")
	assert.Contains(t, out, "mattermost_plugin_pagertree_oldest_pending_seconds 0\n")
}

func TestFailureReason(t *testing.T) {
	for _, tc := range []struct {
		o      paging.Outcome
		gaveUp bool
		want   string
	}{
		{paging.Outcome{Class: paging.Permanent, StatusCode: 403}, false, "token_rejected"},
		{paging.Outcome{Class: paging.Permanent, StatusCode: 404}, false, "no_integration"},
		{paging.Outcome{Class: paging.Permanent, StatusCode: 405}, false, "integration_disabled"},
		{paging.Outcome{Class: paging.Permanent, StatusCode: 402}, false, "payment_required"},
		{paging.Outcome{Class: paging.Permanent, StatusCode: 422}, false, "bad_request"},
		{paging.Outcome{Class: paging.Permanent, StatusCode: 301}, false, "redirect"},
		{paging.Outcome{Class: paging.Permanent, StatusCode: 418}, false, "other_status"},
		{paging.Outcome{Class: paging.Transient, StatusCode: 503}, true, "gave_up"},
	} {
		assert.Equal(t, tc.want, FailureReason(tc.o, tc.gaveUp), "%+v", tc.o)
	}
}

func TestMetricsNameTheRoute(t *testing.T) {
	m := New(func() (Queue, error) { return Queue{}, nil }, nil)
	db := paging.Alert{ID: "a", RouteID: "db", RouteName: "Database"}
	m.Queued("post", db)
	m.Final(db, "post", paging.Outcome{Class: paging.Delivered, StatusCode: 200}, false)
	m.Final(paging.Alert{ID: "b"}, "post", paging.Outcome{Class: paging.Permanent, StatusCode: 403}, false)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`mattermost_plugin_pagertree_alerts_queued_total{origin="post",route="Database"} 1`,
		`mattermost_plugin_pagertree_alerts_delivered_total{origin="post",route="Database"} 1`,
		`mattermost_plugin_pagertree_alerts_failed_total{reason="token_rejected",route="default"} 1`,
	} {
		assert.Contains(t, rec.Body.String(), want+"\n")
	}
}
