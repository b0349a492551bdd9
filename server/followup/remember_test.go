package followup

import (
	"fmt"
	"sync"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// 20 trigger posts in one channel in the same millisecond (Mattermost format): each claims a
// thirdparty id of its own (the next free millisecond), so PagerTree makes 20 alerts, each
// with its record, and an event reaches only its own post's thread. Remembering an alert
// again (a retry) keeps the timestamp it claimed.
func TestConcurrentPostsInOneChannelClaimDistinctTimestamps(t *testing.T) {
	const n = 20
	kv := kvstoretest.New()
	mm := newPostStore()
	cfg := newStandIn(t).testConfig(paging.FormatMattermost, nil)
	s := New(Deps{KV: kv, MM: mm, BotID: botID, Config: func() *Config { return cfg }})
	alerts := make([]paging.Alert, n)
	var wg sync.WaitGroup
	for i := range alerts {
		a := paging.Alert{ID: fmt.Sprintf("post%022d", i), PostID: fmt.Sprintf("post%022d", i), ChannelID: publicID,
			CreateAt: 1764240000123, Trigger: "outage", Urgency: paging.UrgencyHigh, Origin: paging.OriginPost}
		wg.Add(1)
		go func() {
			defer wg.Done()
			alerts[i] = s.Remember(a, paging.FormatMattermost, "pt.example", "")
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for i, a := range alerts {
		tp := paging.ThirdPartyID(a, paging.FormatMattermost)
		if j, dup := seen[tp]; dup {
			t.Fatalf("posts %d and %d share the thirdparty id %s", j, i, tp)
		}
		seen[tp] = i
		rec, ok, err := s.records.get(tp)
		if err != nil || !ok || rec.PostID != a.PostID {
			t.Fatalf("post %d: record %+v %v %v", i, rec, ok, err)
		}
		if a.SentAt() < a.CreateAt || a.SentAt() >= a.CreateAt+n {
			t.Fatalf("post %d: timestamp %d", i, a.SentAt())
		}
		if again := s.Remember(a, paging.FormatMattermost, "pt.example", ""); again.SentAt() != a.SentAt() {
			t.Fatalf("post %d: remembered again at %d, first at %d", i, again.SentAt(), a.SentAt())
		}
	}
	// Remembered again from the job as first queued (no stamp): it finds its own record.
	orig := alerts[n-1]
	orig.Stamp = 0
	if again := s.Remember(orig, paging.FormatMattermost, "pt.example", ""); again.SentAt() != alerts[n-1].SentAt() {
		t.Fatalf("a retry claimed %d, the alert holds %d", again.SentAt(), alerts[n-1].SentAt())
	}
	// An acknowledgement of post 7's alert reaches only post 7's thread.
	s.Start(t.Context())
	defer func() { _ = s.Stop(t.Context()) }()
	tp7 := paging.ThirdPartyID(alerts[7], paging.FormatMattermost)
	if res, err := s.Receive([]byte(`{"type":"alert.acknowledged","data":{"id":"alt_7","thirdparty_id":"`+tp7+`"}}`), EventAuth{HeaderArrived: true}); err != nil || res != EventApplied {
		t.Fatalf("%q %v", res, err)
	}
	eventually(t, "the card of post 7", func() bool { st, _ := mm.cardOf(alerts[7].PostID); return st == "Acknowledged" })
	for i, a := range alerts {
		if _, cards := mm.cardOf(a.PostID); i != 7 && cards != 0 {
			t.Fatalf("post %d got a card from post 7's event", i)
		}
	}
}

// The record keeps the severity the alert was sent with: the Webhook format's, none in the
// Mattermost format (which sends a plain alert); the card's first text says so.
func TestRecordKeepsTheSeveritySent(t *testing.T) {
	for _, c := range []struct {
		format paging.Format
		want   paging.Severity
		text   string
	}{
		{paging.FormatWebhook, paging.Severity1, "Paged PagerTree — urgency: critical, incident SEV-1 (trigger: sev-1)"},
		{paging.FormatMattermost, paging.SeverityNone, "Paged PagerTree — urgency: critical (trigger: sev-1)"},
	} {
		kv := kvstoretest.New()
		cfg := newStandIn(t).testConfig(c.format, nil)
		s := New(Deps{KV: kv, MM: newPostStore(), BotID: botID, Config: func() *Config { return cfg }})
		a := paging.Alert{ID: "post000000000000000000001", PostID: "post000000000000000000001", ChannelID: publicID, CreateAt: 1764240000123,
			Trigger: "sev-1", Urgency: paging.UrgencyCritical, Origin: paging.OriginPost, Severity: paging.Severity1}
		sent := s.Remember(a, c.format, "pt.example", "")
		rec, ok, err := s.records.get(paging.ThirdPartyID(sent, c.format))
		if err != nil || !ok || rec.Severity != c.want {
			t.Fatalf("%s: record %+v %v %v, want severity %q", c.format, rec, ok, err, c.want)
		}
		if got := cardMessage(rec); got != c.text {
			t.Fatalf("%s: card text %q, want %q", c.format, got, c.text)
		}
	}
}

// In a burst on one node, the node's memory of the milliseconds it gave out spares the lost
// writes: 20 posts of one millisecond make 20 record writes, none lost, and no read. Two nodes
// on one store still claim distinct ids (the compare-and-set decides what the memory cannot).
func TestABurstClaimsEachTimestampInOneWrite(t *testing.T) {
	for _, nodes := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d nodes", nodes), func(t *testing.T) {
			kv := kvstoretest.New()
			var mu sync.Mutex
			calls := map[kvstoretest.Op]int{}
			kv.SetFault(func(op kvstoretest.Op, key string) error {
				if len(key) > len(alertPrefix) && key[:len(alertPrefix)] == alertPrefix {
					mu.Lock()
					calls[op]++
					mu.Unlock()
				}
				return nil
			})
			recs := make([]*records, nodes)
			for i := range recs {
				recs[i] = newRecords(kv, nil, nil)
			}
			const n = 20
			got := make([]paging.Alert, n)
			var wg sync.WaitGroup
			for i := range got {
				a := paging.Alert{ID: fmt.Sprintf("post%022d", i), PostID: fmt.Sprintf("post%022d", i), ChannelID: publicID,
					CreateAt: 1764240000123, Origin: paging.OriginPost}
				wg.Add(1)
				go func() {
					defer wg.Done()
					var err error
					if got[i], err = recs[i%nodes].remember(a, paging.FormatMattermost, "", ""); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			seen := map[int64]bool{}
			for _, a := range got {
				if seen[a.SentAt()] {
					t.Fatalf("two posts at %d", a.SentAt())
				}
				seen[a.SentAt()] = true
			}
			mu.Lock()
			defer mu.Unlock()
			if nodes == 1 && (calls[kvstoretest.OpCAS] != n || calls[kvstoretest.OpGet] != 0) {
				t.Fatalf("one node: %d writes and %d reads for %d posts", calls[kvstoretest.OpCAS], calls[kvstoretest.OpGet], n)
			}
		})
	}
}

func TestRecentStampsGiveAPostItsOwnStampAgainAndStayBounded(t *testing.T) {
	var r recentStamps
	if got := r.reserve("ch", "p1", 100, 10); got != 100 {
		t.Fatal(got)
	}
	if got := r.reserve("ch", "p2", 100, 10); got != 101 {
		t.Fatalf("p2 at %d", got)
	}
	if got := r.reserve("ch", "p1", 100, 10); got != 100 {
		t.Fatalf("p1 again at %d", got)
	}
	if got := r.reserve("other", "p3", 100, 10); got != 100 {
		t.Fatalf("another channel: %d", got)
	}
	r.taken("ch", "elsewhere", 102)
	if got := r.reserve("ch", "p4", 100, 10); got != 103 {
		t.Fatalf("p4 at %d", got)
	}
	for i := 0; i < 3*stampsPerChannel; i++ {
		r.reserve("ch", fmt.Sprintf("q%d", i), 1000, stampsPerChannel*4)
	}
	if c := r.channels["ch"]; len(c.owner) != stampsPerChannel {
		t.Fatalf("%d stamps kept", len(c.owner))
	}
	for i := 0; i < 2*stampChannels; i++ {
		r.reserve(fmt.Sprintf("c%d", i), "p", 1, 1)
	}
	if len(r.channels) > stampChannels {
		t.Fatalf("%d channels kept", len(r.channels))
	}
}
