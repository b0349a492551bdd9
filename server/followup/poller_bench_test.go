package followup

import (
	"fmt"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// A poll round must cost O(followed open alerts), not O(every alert remembered in the last
// days): the store holds 10 or 100 000 records, 5 of them still open (`make bench`).
var rememberedSizes = []int{10, 100000}

var pollStores = map[int]*records{}

func storeWithRecords(b *testing.B, n int) *records {
	b.Helper()
	if s := pollStores[n]; s != nil {
		return s
	}
	s := newRecords(kvstoretest.New(), nil, nil)
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("done%06d", i)
		a := paging.Alert{ID: id, PostID: id, ChannelID: "channel", CreateAt: int64(i), Origin: paging.OriginPost, Trigger: "outage"}
		if _, err := s.remember(a, paging.FormatWebhook, "pagertree.example", ""); err != nil {
			b.Fatal(err)
		}
		if i < 5 {
			if err := s.trackOpen(paging.ThirdPartyID(a, paging.FormatWebhook)); err != nil {
				b.Fatal(err)
			}
		}
	}
	pollStores[n] = s
	return s
}

// BenchmarkPollRound: the store's side of one round of the poller: the lease, the alerts due,
// their records, and the list written back.
func BenchmarkPollRound(b *testing.B) {
	for _, n := range rememberedSizes {
		b.Run(fmt.Sprintf("remembered=%d", n), func(b *testing.B) {
			s := storeWithRecords(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := takePollLease(s.kv, fmt.Sprintf("node%d", i%2), time.Millisecond); err != nil {
					b.Fatal(err)
				}
				due, err := s.duePolls(25)
				if err != nil || len(due) != 5 {
					b.Fatalf("%d due, %v", len(due), err)
				}
				for _, tp := range due {
					if _, ok, err := s.get(tp); !ok || err != nil {
						b.Fatalf("record %s: %v, %v", tp, ok, err)
					}
				}
				if err := s.polled(due, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
