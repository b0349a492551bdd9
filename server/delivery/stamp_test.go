package delivery_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// When Stamp claims another timestamp (its channel had an alert in the same millisecond),
// the durable job and the first send carry the one claimed; otherwise the job is not rewritten.
func TestStampClaimsTheTimestampBeforeTheFirstSend(t *testing.T) {
	for _, c := range []struct {
		name  string
		shift int64
	}{{"clash", 3}, {"free", 0}} {
		t.Run(c.name, func(t *testing.T) {
			kv := kvstoretest.New()
			sent := make(chan int64, 4)
			opt := fastOptions("a")
			opt.Stamp = func(a paging.Alert) paging.Alert {
				if c.shift != 0 {
					a.Stamp = a.CreateAt + c.shift
				}
				return a
			}
			box := delivery.New(kv, func(_ context.Context, a paging.Alert) paging.Outcome {
				sent <- a.SentAt()
				return paging.Outcome{Class: paging.Delivered}
			}, opt)
			box.Start()
			defer func() { _ = stopWithin(box, 5*time.Second) }()
			a := alert("stamp")
			a.CreateAt = 1000
			if err := box.Enqueue(a); err != nil {
				t.Fatal(err)
			}
			select {
			case at := <-sent:
				if at != 1000+c.shift {
					t.Fatalf("sent timestamp %d, want %d", at, 1000+c.shift)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("not sent")
			}
			var job delivery.Job
			if raw := kv.Peek(delivery.JobKey("stamp")); raw == nil || json.Unmarshal(raw, &job) != nil || job.Alert.SentAt() != 1000+c.shift {
				t.Fatalf("stored job %s", raw)
			}
		})
	}
}
