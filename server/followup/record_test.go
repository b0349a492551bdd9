package followup

import (
	"errors"
	"fmt"
	"strings"
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
		if _, err := s.remember(sent("post1"), c.format, "pt.example", ""); err != nil {
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
	_, _ = s.remember(sent("post1"), paging.FormatWebhook, "", "")
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
	_, _ = newRecords(kv, nil, nil).remember(a, paging.FormatWebhook, "", "")
	if keys := kv.Keys(); len(keys) != 0 {
		t.Fatalf("keys %v", keys)
	}
}

func TestRepeatedEventOnTwoNodesQueuesOnce(t *testing.T) {
	kv := kvstoretest.New()
	nodes := []*records{newRecords(kv, nil, nil), newRecords(kv, nil, nil)}
	_, _ = nodes[0].remember(sent("p"), paging.FormatWebhook, "", "")
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
	rec, replies, _ := nodes[1].takeReplies("p")
	if changed != 1 || len(replies) != 1 || rec.Status.State != alertstate.Resolved || !rec.CardBehind() {
		t.Fatalf("%d writers changed it, %d replies, %+v", changed, len(replies), rec.Status)
	}
	if _, again, _ := nodes[0].takeReplies("p"); len(again) != 0 {
		t.Fatalf("replies taken twice: %v", again)
	}
	// The card stays behind until a draw is marked; marking an older revision changes nothing.
	if err := nodes[0].markDrawn("p", rec.Rev); err != nil {
		t.Fatal(err)
	}
	_ = nodes[1].markDrawn("p", rec.Rev-1)
	if cur, _, _ := nodes[1].get("p"); cur.CardBehind() || cur.HasWork() {
		t.Fatalf("card still behind after it was drawn: %+v", cur)
	}
}

func TestCardsOnlyQueuesNoReplies(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	res, _ := s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: "p"}, false)
	rec, replies, _ := s.takeReplies("p")
	if !res.Work || len(replies) != 0 || !rec.CardBehind() {
		t.Fatalf("%+v replies %v card %+v", res, replies, rec)
	}
}

func TestGiveBackKeepsOrderAndPendingList(t *testing.T) {
	now := time.Now()
	s := newRecords(kvstoretest.New(), nil, func() time.Time { return now })
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	_, _ = s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: "p"}, true)
	if list, _ := s.work.Keys(); len(list) != 1 || list[0] != "p" {
		t.Fatalf("pending %v", list)
	}
	_, first, _ := s.takeReplies("p")
	_, _ = s.apply(alertstate.Event{Kind: alertstate.KindResolved, ThirdPartyID: "p"}, true)
	if err := s.giveBack("p", first); err != nil {
		t.Fatal(err)
	}
	if err := s.giveBack("p", first); err != nil { // a retried give-back that had landed
		t.Fatal(err)
	}
	rec, all, _ := s.takeReplies("p")
	if len(all) != 2 || all[0].ID != first[0].ID {
		t.Fatalf("order %+v", all)
	}
	_ = s.markDrawn("p", rec.Rev)
	if err := s.done("p", false); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.work.Keys(); len(list) != 1 {
		t.Fatalf("dropped from the work set before the record settled: %v", list)
	}
	now = now.Add(workSettle)
	if err := s.done("p", false); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.work.Keys(); len(list) != 0 {
		t.Fatalf("pending after done %v", list)
	}
}

func TestSetCardFirstWriterWins(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	if rec, _ := s.setCard("p", "card1", 0); rec.CardPostID != "card1" {
		t.Fatal(rec.CardPostID)
	}
	if rec, _ := s.setCard("p", "card2", 0); rec.CardPostID != "card1" {
		t.Fatalf("second card won: %s", rec.CardPostID)
	}
}

// A new card records the revision it shows with its post id (one write, no markDrawn after),
// but only when the record is still at that revision: a change since leaves the card behind.
func TestSetCardRecordsTheRevisionShown(t *testing.T) {
	for _, tc := range []struct {
		name       string
		changes    int   // events applied before the card is recorded
		shown      int64 // the revision the new card was drawn from
		wantCard   int64
		wantBehind bool
	}{
		{"unchanged", 0, 0, 0, false},
		{"changed meanwhile", 1, 0, 0, true},
		{"drawn from the newest", 1, 1, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newRecords(kvstoretest.New(), nil, nil)
			_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
			for i := 0; i < tc.changes; i++ {
				if _, _, err := s.update("p", func(r *Record) bool { r.Rev++; return true }); err != nil {
					t.Fatal(err)
				}
			}
			rec, err := s.setCard("p", "card1", tc.shown)
			if err != nil || rec.CardPostID != "card1" {
				t.Fatalf("%+v %v", rec, err)
			}
			stored, _, _ := s.get("p")
			if stored.CardRev != tc.wantCard || stored.CardBehind() != tc.wantBehind {
				t.Fatalf("card rev %d (behind %v), want %d (behind %v)", stored.CardRev, stored.CardBehind(), tc.wantCard, tc.wantBehind)
			}
		})
	}
}

func TestRecordsExpireAfterTheLifetime(t *testing.T) {
	kv := kvstoretest.New()
	now := time.Now()
	kv.Now = func() time.Time { return now }
	s := newRecords(kv, func() time.Duration { return time.Hour }, func() time.Time { return now })
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
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
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	_, _ = s.apply(alertstate.Event{Kind: alertstate.KindResolved, ThirdPartyID: "p"}, true)
	for i := 1; i <= maxReplyAttempts; i++ {
		_, replies, _ := s.takeReplies("p")
		if len(replies) != 1 {
			t.Fatalf("attempt %d: %d replies", i, len(replies))
		}
		replies[0].Attempts++ // as the card queue counts a failed post
		_ = s.giveBack("p", replies)
	}
	if _, replies, _ := s.takeReplies("p"); len(replies) != 0 {
		t.Fatalf("still retrying after %d attempts", maxReplyAttempts)
	}
}

// "unchanged" never leaves a card behind: a repeat that finds its record behind (its writer's
// card queue failed or stopped) re-queues it once the record settled; an immediate repeat
// leaves the work to the writer.
func TestARepeatRequeuesARecordThatIsBehind(t *testing.T) {
	now := time.Now()
	s := newRecords(kvstoretest.New(), nil, func() time.Time { return now })
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	ev := alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: "p", Key: "a"}
	if res, _ := s.apply(ev, true); !res.Changed || !res.Work {
		t.Fatalf("first: %+v", res)
	}
	if res, _ := s.apply(ev, true); res.Changed || res.Work {
		t.Fatalf("immediate repeat: %+v", res)
	}
	_ = s.work.Remove("p") // as if the work set lost it
	now = now.Add(requeueAfter)
	res, err := s.apply(ev, true)
	if err != nil || res.Changed || !res.Work {
		t.Fatalf("late repeat: %+v %v", res, err)
	}
	if list, _ := s.work.Keys(); len(list) != 1 {
		t.Fatalf("the repeat did not put the alert back in the work set: %v", list)
	}
}

// Intent first: when the work set cannot be written, the event changes nothing (the
// receiver answers 503 and PagerTree retries).
func TestAnEventIsNotRecordedWhenItsWorkCannotBeQueued(t *testing.T) {
	kv := kvstoretest.New()
	s := newRecords(kv, nil, nil)
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	kv.SetFault(func(op kvstoretest.Op, key string) error {
		if op == kvstoretest.OpCAS && strings.HasPrefix(key, workSetPrefix) {
			return errors.New("down")
		}
		return nil
	})
	if _, err := s.apply(alertstate.Event{Kind: alertstate.KindResolved, ThirdPartyID: "p", Key: "r"}, true); err == nil {
		t.Fatal("no error")
	}
	if rec, _, _ := s.get("p"); rec.Status.State != alertstate.Open || rec.HasWork() {
		t.Fatalf("the record changed: %+v", rec)
	}
}

// The single-key lists of earlier versions are moved into the sharded sets at start.
func TestLegacyPendingListsAreMoved(t *testing.T) {
	kv := kvstoretest.New()
	kv.Set(legacyWorkKey, []byte(`{"a":"2026-01-01T00:00:00Z","b":"2026-01-01T00:00:00Z"}`))
	kv.Set(legacyActionsKey, []byte(`{"c":"2026-01-01T00:00:00Z"}`))
	kv.Set(legacyOpenKey, []byte(`{"d":"0001-01-01T00:00:00Z"}`))
	s := newRecords(kv, nil, nil)
	s.migrateLegacySets(newPostStore())
	work, _ := s.work.Keys()
	actions, _ := s.actions.Keys()
	polled, _ := s.polledSet.Keys()
	if strings.Join(work, ",") != "a,b" || strings.Join(actions, ",") != "c" || strings.Join(polled, ",") != "d" ||
		kv.Peek(legacyWorkKey) != nil || kv.Peek(legacyActionsKey) != nil || kv.Peek(legacyOpenKey) != nil {
		t.Fatalf("work %v actions %v keys %v", work, actions, kv.Keys())
	}
}

// A record written before CardRev existed keeps saying whether its card is behind.
func TestOldRecordsCardDirtyStillWorks(t *testing.T) {
	for _, c := range []struct {
		raw    string
		behind bool
	}{{`{"thirdparty_id":"p","rev":3,"card_dirty":true}`, true}, {`{"thirdparty_id":"p","rev":3}`, false}} {
		rec, err := decodeRecord([]byte(c.raw))
		if err != nil || rec.CardBehind() != c.behind {
			t.Fatalf("%s: %+v %v", c.raw, rec, err)
		}
	}
}

// A comment replayed after 55 newer ones (beyond the record's own list of notices) posts
// nothing: its identity is remembered as long as the record lives.
func TestALateReplayPostsNothing(t *testing.T) {
	s := newRecords(kvstoretest.New(), nil, nil)
	_, _ = s.remember(sent("p"), paging.FormatWebhook, "", "")
	if _, err := s.apply(alertstate.Event{Kind: alertstate.KindAcknowledged, ThirdPartyID: "p", AlertID: "alt_1"}, true); err != nil {
		t.Fatal(err)
	}
	comment := func(id string) alertstate.Event {
		return alertstate.Event{Kind: alertstate.KindCommentCreated, AlertID: "alt_1", CommentID: id, CommentBody: "note " + id}
	}
	if res, _ := s.apply(comment("c0"), true); !res.Changed {
		t.Fatal("first comment not applied")
	}
	for i := 1; i <= 55; i++ {
		if res, err := s.apply(comment(fmt.Sprintf("c%d", i)), true); err != nil || !res.Changed {
			t.Fatalf("comment %d: %+v %v", i, res, err)
		}
	}
	_, before, _ := s.takeReplies("p")
	res, err := s.apply(comment("c0"), true)
	_, after, _ := s.takeReplies("p")
	if err != nil || res.Changed || len(after) != 0 || len(before) != 57 {
		t.Fatalf("late replay: %+v %v, %d replies queued (before: %d)", res, err, len(after), len(before))
	}
}
