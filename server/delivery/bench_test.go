package delivery

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Background work must cost O(pending alerts), and reading the history O(entries shown), not
// O(everything sent in the last days): these benchmarks compare a store holding 10 finished
// alerts with one holding 100 000 (`make bench`).
var finishedSizes = []int{10, 100000}

// filled is a store after n deliveries, built once per size and shared by the benchmarks
// (the sweep only reads it; history writes add keys of their own).
type filled struct {
	kv      *kvstoretest.MemKV
	history *History
}

var stores = map[int]*filled{}

// storeWithFinished delivers n alerts through a real outbox (history written as the plugin
// does) and leaves a few pending, so the store looks like a busy week's.
func storeWithFinished(b *testing.B, n int) *filled {
	b.Helper()
	if s := stores[n]; s != nil {
		return s
	}
	kv := kvstoretest.New()
	h := NewHistory(kv, DefaultHistorySize)
	if _, err := h.Recent(1); err != nil { // a new store: nothing of an older version to index
		b.Fatal(err)
	}
	done := make(chan struct{}, n)
	o := New(kv, func(context.Context, paging.Alert) paging.Outcome {
		return paging.Outcome{Class: paging.Delivered, StatusCode: 200}
	}, Options{NodeID: "filler", Workers: 8, OnFinal: func(j Job, _ paging.Outcome) {
		_ = h.Add(EntryFor(j.Alert, StatusDelivered, time.Now()))
		// The thread claim the post hook took for this alert stays as long as the finished job.
		_, _ = kv.CompareAndSet("thread_"+j.Alert.ID, nil, []byte(j.Alert.ID), 30*24*time.Hour)
		done <- struct{}{}
	}})
	o.Start()
	// A week of alerts comes in over time, not all at once: at most 100 wait at a time.
	finished := 0
	for i := 0; i < n; i++ {
		for ; i-finished >= 100; finished++ {
			<-done
		}
		if err := o.Enqueue(benchAlert(fmt.Sprintf("done%06d", i))); err != nil {
			b.Fatal(err)
		}
	}
	for ; finished < n; finished++ {
		<-done
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.Stop(ctx); err != nil {
		b.Fatal(err)
	}
	// A few alerts still waiting (PagerTree was down): the sweep's real work.
	idle := New(kv, nil, Options{NodeID: "idle"})
	for i := 0; i < 5; i++ {
		if err := idle.Enqueue(benchAlert(fmt.Sprintf("wait%d", i))); err != nil {
			b.Fatal(err)
		}
	}
	s := &filled{kv: kv, history: h}
	stores[n] = s
	return s
}

func benchAlert(id string) paging.Alert {
	return paging.Alert{ID: id, PostID: id, ChannelID: "channel", ChannelName: "ops", UserName: "alice",
		Message: "outage in checkout", Trigger: "outage", Urgency: paging.UrgencyHigh, CreateAt: 1}
}

// BenchmarkSweep: one sweep of a node that has run for a while (what it costs every 30 s).
func BenchmarkSweep(b *testing.B) {
	for _, n := range finishedSizes {
		b.Run(fmt.Sprintf("finished=%d", n), func(b *testing.B) {
			kv := storeWithFinished(b, n).kv
			o := New(kv, nil, Options{NodeID: "sweeper"})
			o.sweep() // a node that has swept before
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				o.sweep()
			}
		})
	}
}

// BenchmarkSweepAfterStart: the first sweep of a node that just started (plugin restart, failover).
func BenchmarkSweepAfterStart(b *testing.B) {
	for _, n := range finishedSizes {
		b.Run(fmt.Sprintf("finished=%d", n), func(b *testing.B) {
			kv := storeWithFinished(b, n).kv
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				New(kv, nil, Options{NodeID: "fresh"}).sweep()
			}
		})
	}
}

// BenchmarkHistoryAdd: recording one outcome in the history as it is after n deliveries.
func BenchmarkHistoryAdd(b *testing.B) {
	for _, n := range finishedSizes {
		b.Run(fmt.Sprintf("finished=%d", n), func(b *testing.B) {
			s := storeWithFinished(b, n)
			e := EntryFor(benchAlert("new"), StatusDelivered, time.Now())
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.history.Add(e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHistoryRead: an admin opening Recent deliveries (the newest 50) on a fresh node.
func BenchmarkHistoryRead(b *testing.B) {
	for _, n := range finishedSizes {
		b.Run(fmt.Sprintf("finished=%d", n), func(b *testing.B) {
			kv := storeWithFinished(b, n).kv
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				got, err := NewHistory(kv, DefaultHistorySize).Recent(50)
				if err != nil || len(got) < min(n, 50) {
					b.Fatalf("%d entries, %v", len(got), err)
				}
			}
		})
	}
}
