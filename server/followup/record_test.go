package followup

import (
	"sync"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func sent(id string) paging.Alert {
	return paging.Alert{ID: id, PostID: id, RootID: "root1", ChannelID: "chan1", CreateAt: 1700000000123, Trigger: "outage", Urgency: paging.UrgencyHigh}
}

func TestMappingByThirdPartyIdForBothFormats(t *testing.T) {
	cases := []struct {
		format paging.Format
		tp     string
	}{
		{paging.FormatWebhook, "post1"},                  // the Id we sent
		{paging.FormatMattermost, "chan1.1700000000123"}, // channel_id.timestamp
	}
	for _, c := range cases {
		s := newRecords(kvstoretest.New(), nil, nil)
		if err := s.remember(sent("post1"), c.format, "pt.example", ""); err != nil {
			t.Fatal(err)
		}
		res, err := s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: c.tp, AlertID: "alt_1", TinyID: "5", Key: "k"}, true)
		if err != nil || !res.Matched || !res.Changed || !res.Work || res.ThirdPartyID != c.tp {
			t.Fatalf("%s: %+v %v", c.format, res, err)
		}
		rec, ok, _ := s.get(c.tp)
		if !ok || rec.PostID != "post1" || rec.RootID != "root1" || rec.ChannelID != "chan1" || rec.Format != c.format ||
			rec.EndpointHost != "pt.example" || rec.Status.State != alertstate.Acknowledged || len(rec.Pending) != 1 || !rec.CardDirty {
			t.Fatalf("%s: record %+v", c.format, rec)
		}
		// A comment names the alert only by PagerTree's id: it maps through the pointer.
		com, err := s.apply(alertstate.Event{Kind: alertstate.KindCommentCreated, AlertID: "alt_1", CommentID: "c1", CommentBody: "hi"}, true)
		if err != nil || !com.Matched || com.ThirdPartyID != c.tp {
			t.Fatalf("%s: comment %+v %v", c.format, com, err)
		}
	}
}

func TestEventsForOtherAlertsAreNotMatched(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_ = s.remember(sent("post1"), paging.FormatWebhook, "", "")
	for _, e := range []alertstate.Event{
		{Kind: alertstate.KindOpen, ThirdPartyID: "someone-else"},
		{Kind: alertstate.KindOpen},
		{Kind: alertstate.KindCommentCreated, AlertID: "alt_unknown"},
		{Kind: alertstate.KindOpen, ThirdPartyID: string(make([]byte, 500))},
	} {
		if res, err := s.apply(e, true); err != nil || res.Matched {
			t.Fatalf("%+v matched: %+v %v", e, res, err)
		}
	}
}

func TestTestAlertsAreNotRemembered(t *testing.T) {
	kv := kvstoretest.New()
	a := sent("t1")
	a.Origin = paging.OriginTest
	_ = newRecords(kv, nil, nil).remember(a, paging.FormatWebhook, "", "")
	if keys := kv.Keys(); len(keys) != 0 {
		t.Fatalf("keys %v", keys)
	}
}

func TestRepeatedEventOnTwoNodesQueuesOnce(t *testing.T) {
	kv := kvstoretest.New()
	nodes := []*records{newRecords(kv, nil, nil), newRecords(kv, nil, nil)}
	_ = nodes[0].remember(sent("p"), paging.FormatWebhook, "", "")
	ev := alertstate.Event{Kind: alertstate.KindResolved, ThirdPartyID: "p", Key: "r"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	changed := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(s *records) {
			defer wg.Done()
			res, err := s.apply(ev, true)
			if err != nil {
				t.Error(err)
			}
			if res.Changed {
				mu.Lock()
				changed++
				mu.Unlock()
			}
		}(nodes[i%2])
	}
	wg.Wait()
	rec, _, replies, _ := func() (Record, bool, []PendingReply, error) {
		r, rs, card, err := nodes[1].takeWork("p")
		return r, card, rs, err
	}()
	if changed != 1 || len(replies) != 1 || rec.Status.State != alertstate.Resolved {
		t.Fatalf("%d writers changed it, %d replies, %+v", changed, len(replies), rec.Status)
	}
	if _, again, card, _ := nodes[0].takeWork("p"); len(again) != 0 || card {
		t.Fatalf("work taken twice: %v %v", again, card)
	}
}

func TestCardsOnlyQueuesNoReplies(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	res, _ := s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: "p"}, false)
	_, replies, card, _ := s.takeWork("p")
	if !res.Work || len(replies) != 0 || !card {
		t.Fatalf("%+v replies %v card %v", res, replies, card)
	}
}

func TestGiveBackKeepsOrderAndPendingList(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	_, _ = s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: "p"}, true)
	if list, _ := s.pending(); len(list) != 1 || list[0] != "p" {
		t.Fatalf("pending %v", list)
	}
	_, first, _, _ := s.takeWork("p")
	_, _ = s.apply(alertstate.Event{Kind: alertstate.KindResolved, ThirdPartyID: "p"}, true)
	if err := s.giveBack("p", first, false); err != nil {
		t.Fatal(err)
	}
	_, all, _, _ := s.takeWork("p")
	if len(all) != 2 || all[0].ID != first[0].ID {
		t.Fatalf("order %+v", all)
	}
	if err := s.done("p"); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.pending(); len(list) != 0 {
		t.Fatalf("pending after done %v", list)
	}
}

func TestSetCardFirstWriterWins(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	if id, _ := s.setCard("p", "card1"); id != "card1" {
		t.Fatal(id)
	}
	if id, _ := s.setCard("p", "card2"); id != "card1" {
		t.Fatalf("second card won: %s", id)
	}
}

func TestRecordsExpireAfterTheLifetime(t *testing.T) {
	kv := kvstoretest.New()
	now := time.Now()
	kv.Now = func() time.Time { return now }
	s := newRecords(kv, func() time.Duration { return time.Hour }, func() time.Time { return now })
	_ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	now = now.Add(59 * time.Minute)
	if _, ok, _ := s.get("p"); !ok {
		t.Fatal("gone too early")
	}
	now = now.Add(2 * time.Minute)
	if _, ok, _ := s.get("p"); ok {
		t.Fatal("kept past its lifetime")
	}
}

func TestARefusedReplyIsDroppedAfterSomeAttempts(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	_, _ = s.apply(alertstate.Event{Kind: alertstate.KindResolved, ThirdPartyID: "p"}, true)
	for i := 1; i <= maxReplyAttempts; i++ {
		_, replies, _, _ := s.takeWork("p")
		if len(replies) != 1 {
			t.Fatalf("attempt %d: %d replies", i, len(replies))
		}
		_ = s.giveBack("p", replies, false)
	}
	if _, replies, _, _ := s.takeWork("p"); len(replies) != 0 {
		t.Fatalf("still retrying after %d attempts", maxReplyAttempts)
	}
}
