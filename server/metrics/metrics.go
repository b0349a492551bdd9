// Package metrics counts what the plugin does, for Prometheus, on a registry of its own (never
// the global one: the server and other plugins must not see or clash with these). The wiring
// feeds it from the post hook and the outbox callbacks; Handler serves it through the plugin
// ServeMetrics hook. Counters are per node; the queue gauges read the shared store.
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Namespace prefixes every metric name.
const Namespace = "mattermost_plugin_pagertree"

// Queue is what the outbox knows about alerts waiting to be delivered, on every node.
type Queue struct {
	Pending      int
	OldestQueued time.Time // zero when nothing is pending
}

// QueueFunc reads the queue; it is called at most once per queueCacheFor, on scrape.
type QueueFunc func() (Queue, error)

const queueCacheFor = 5 * time.Second

// Metrics holds the plugin's collectors. The counting methods do nothing on a nil *Metrics
// (before activation), so callers need no checks.
type Metrics struct {
	reg *prometheus.Registry
	now func() time.Time

	matched    *prometheus.CounterVec
	queued     *prometheus.CounterVec
	delivered  *prometheus.CounterVec
	failed     *prometheus.CounterVec
	suppressed *prometheus.CounterVec
	attempts   prometheus.Counter
	retries    prometheus.Counter
	answers    *prometheus.CounterVec
	latency    prometheus.Histogram
	presend    prometheus.Histogram
	events     *prometheus.CounterVec

	queueFn  QueueFunc
	queueMu  sync.Mutex
	queueAt  time.Time
	queueVal Queue
	queueErr error
}

// New registers every collector on a new registry. now may be nil (time.Now).
func New(queue QueueFunc, now func() time.Time) *Metrics {
	if now == nil {
		now = time.Now
	}
	m := &Metrics{reg: prometheus.NewRegistry(), now: now, queueFn: queue}
	counterVec := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help}, labels)
		m.reg.MustRegister(c)
		return c
	}
	counter := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help})
		m.reg.MustRegister(c)
		return c
	}
	m.matched = counterVec("alerts_matched_total", "Messages that matched a trigger (origin: post, command or message), by route.", "origin", "route")
	m.queued = counterVec("alerts_queued_total", "Alerts recorded in the outbox for delivery (origin: post, command or resend), by route.", "origin", "route")
	m.delivered = counterVec("alerts_delivered_total", "Alerts PagerTree accepted (origin: post, command or resend), by route.", "origin", "route")
	m.failed = counterVec("alerts_failed_total", "Alerts not delivered, for good (reason: token_rejected, no_integration, integration_disabled, payment_required, bad_request, redirect, other_status, gave_up), by route.", "reason", "route")
	m.suppressed = counterVec("alerts_suppressed_total", "Matched messages that did not page (reason: flood control and filters).", "reason")
	m.attempts = counter("delivery_attempts_total", "Requests sent to PagerTree, first tries and retries.")
	m.retries = counter("delivery_retries_total", "Attempts that failed for a passing reason and are retried.")
	m.answers = counterVec("pagertree_answers_total", "PagerTree's answers by class (delivered, transient, permanent) and HTTP status (\"none\": no answer, e.g. a timeout).", "class", "status")
	m.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "post_to_pagertree_seconds",
		Help:    "Time from the message being posted to PagerTree accepting the alert, retries included.",
		Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600},
	})
	m.reg.MustRegister(m.latency)
	// The plugin's own share of post → PagerTree: what it does before the request is on the wire
	// (matching, lookups, the outbox write, the hand-off to a worker). Fine buckets: the target is
	// one KV write, a millisecond or two.
	m.presend = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "presend_seconds",
		Help:    "Time from the post hook's entry to the alert's first request being written to PagerTree (first attempts of alerts from posts).",
		Buckets: []float64{0.00025, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.5},
	})
	m.reg.MustRegister(m.presend)
	m.events = counterVec("events_received_total", "Events received from PagerTree (the two-way loop), by kind.", "kind")
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "queue_depth", Help: "Alerts waiting to be delivered, on every node (read from the shared store).",
	}, func() float64 { return float64(m.queue().Pending) }))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "oldest_pending_seconds", Help: "Age of the oldest alert waiting to be delivered (0 when none).",
	}, func() float64 {
		q := m.queue()
		if q.OldestQueued.IsZero() {
			return 0
		}
		return m.now().Sub(q.OldestQueued).Seconds()
	}))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "queue_read_errors", Help: "1 when the last read of the queue from the store failed (the queue gauges then show the last good values).",
	}, func() float64 {
		m.queue()
		m.queueMu.Lock()
		defer m.queueMu.Unlock()
		if m.queueErr != nil {
			return 1
		}
		return 0
	}))
	m.reg.MustRegister(collectors.NewGoCollector())
	return m
}

// queue reads the queue, at most once per queueCacheFor; on error the last good values stay.
func (m *Metrics) queue() Queue {
	m.queueMu.Lock()
	defer m.queueMu.Unlock()
	if m.queueFn == nil {
		return Queue{}
	}
	if now := m.now(); m.queueAt.IsZero() || now.Sub(m.queueAt) >= queueCacheFor {
		q, err := m.queueFn()
		m.queueAt, m.queueErr = now, err
		if err == nil {
			m.queueVal = q
		}
	}
	return m.queueVal
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// RouteLabel is the route label of an alert: its route's name, "default" for the default
// route (and alerts queued before routes existed). Names are bounded by the route limit.
func RouteLabel(a paging.Alert) string {
	if a.RouteName == "" {
		return "default"
	}
	return a.RouteName
}

// Matched counts a message that matched a trigger, before flood control.
func (m *Metrics) Matched(origin string, a paging.Alert) {
	if m != nil {
		m.matched.WithLabelValues(origin, RouteLabel(a)).Inc()
	}
}

// Queued counts an alert recorded in the outbox.
func (m *Metrics) Queued(origin string, a paging.Alert) {
	if m != nil {
		m.queued.WithLabelValues(origin, RouteLabel(a)).Inc()
	}
}

// Suppressed counts a matched message that did not page, by reason.
func (m *Metrics) Suppressed(reason string) {
	if m != nil {
		m.suppressed.WithLabelValues(reason).Inc()
	}
}

// EventReceived counts an event from PagerTree (the two-way loop), by kind.
func (m *Metrics) EventReceived(kind string) {
	if m != nil {
		m.events.WithLabelValues(kind).Inc()
	}
}

// Retry counts an attempt that failed for a passing reason and will be retried.
func (m *Metrics) Retry(o paging.Outcome) {
	if m == nil {
		return
	}
	m.attempt(o)
	m.retries.Inc()
}

// Final counts an alert's last attempt and its end: delivered (with the time since it was
// posted) or failed for good (with the reason).
func (m *Metrics) Final(a paging.Alert, origin string, o paging.Outcome, gaveUp bool) {
	if m == nil {
		return
	}
	m.attempt(o)
	if o.Class == paging.Delivered {
		m.delivered.WithLabelValues(origin, RouteLabel(a)).Inc()
		if a.CreateAt > 0 {
			if d := m.now().Sub(time.UnixMilli(a.CreateAt)); d >= 0 {
				m.latency.Observe(d.Seconds())
			}
		}
		return
	}
	m.failed.WithLabelValues(FailureReason(o, gaveUp), RouteLabel(a)).Inc()
}

// Presend records the time from the post hook's entry to the first request written to PagerTree.
func (m *Metrics) Presend(d time.Duration) {
	if m != nil && d >= 0 {
		m.presend.Observe(d.Seconds())
	}
}

func (m *Metrics) attempt(o paging.Outcome) {
	m.attempts.Inc()
	status := "none"
	if o.StatusCode >= 100 && o.StatusCode < 600 {
		status = strconv.Itoa(o.StatusCode)
	}
	m.answers.WithLabelValues(string(o.Class), status).Inc()
}

// FailureReason names why an alert failed for good, for the failed counter's label.
func FailureReason(o paging.Outcome, gaveUp bool) string {
	if gaveUp || o.Class == paging.Transient {
		return "gave_up"
	}
	return string(paging.AnswerOf(o.StatusCode))
}
