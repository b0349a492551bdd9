package main

import (
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/metrics"
)

// newMetrics makes the plugin's Prometheus metrics, with the queue gauges read from the outbox.
func newMetrics(box *delivery.Outbox, now func() time.Time) *metrics.Metrics {
	return metrics.New(func() (metrics.Queue, error) {
		s, err := box.Stats()
		return metrics.Queue{Pending: s.Pending, OldestQueued: s.OldestQueued}, err
	}, now)
}

// eventLabel names an event from PagerTree for the events counter (its kinds are a closed set).
func eventLabel(k alertstate.Kind) string {
	if k == alertstate.KindUnknown {
		return "unknown"
	}
	return string(k)
}
