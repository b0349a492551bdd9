package followup

import (
	"errors"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func TestReceiverMapsBothFormatsAndUpdatesTheCard(t *testing.T) {
	for _, c := range []struct {
		format paging.Format
		tp     string
	}{{paging.FormatMattermost, publicID + ".1764240000123"}, {paging.FormatWebhook, "postpostpostpostpostpostpo"}} {
		t.Run(string(c.format), func(t *testing.T) {
			st := newStandIn(t)
			env := newTestService(t, st.testConfig(paging.FormatMattermost, nil), nil, nil)
			cs := env.withCard(t)
			if tp := env.sentAlert(t, c.format); tp != c.tp {
				t.Fatalf("thirdparty id %q, want %q", tp, c.tp)
			}
			body := `{"type":"alert.acknowledged","data":{"id":"alt_1","tinyId":12,"thirdparty_id":"` + c.tp +
				`","acknowledgedby":"usr_1","d_user_id":"usr_1","d_user":{"id":"usr_1","name":"Alice A","email":"alice@example.com"}},"extra":"rule"}`
			if got := env.event(t, body); got != EventApplied {
				t.Fatalf("result %q", got)
			}
			card := receive(t, cs.versions, "card update")
			color, fields := cardFields(card)
			if color != alertstate.ColorAcknowledged || fields["Acknowledged by"] != "@alice" || fields["Status"] != "Acknowledged" ||
				card.Message != "Paged PagerTree" || card.GetProp(CardProp) != c.tp {
				t.Fatalf("card %s %v %+v", color, fields, card)
			}
			reply := receive(t, env.posts, "thread reply")
			if reply.RootId != "root" || reply.ChannelId != publicID || reply.Message != "**Acknowledged** in PagerTree by @alice." {
				t.Fatalf("reply %+v", reply)
			}
			// The same event again: nothing changes, nothing is posted.
			if got := env.event(t, body); got != EventUnchanged {
				t.Fatalf("repeat result %q", got)
			}
			if rec, _, _ := env.s.Record(c.tp); rec.HasWork() {
				t.Fatalf("a repeat queued work: %+v", rec)
			}
			env.quiesce(t)
			empty(t, env.posts, "second reply")
			empty(t, cs.versions, "second card update")
		})
	}
}

func TestReceiverIgnoresOtherAlertsAndUnknownTypes(t *testing.T) {
	env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, nil), nil, nil)
	for _, body := range []string{
		`{"type":"alert.acknowledged","data":{"id":"alt_x","thirdparty_id":"not-ours"}}`,
		`{"type":"comment.created","data":{"id":"c","commentable_id":"alt_unknown","body":"hi"}}`,
		`{"type":"event_reminder.going_on_call","data":{}}`,
	} {
		if got := env.event(t, body); got != EventIgnored {
			t.Fatalf("%s: %q", body, got)
		}
	}
	e := env.s.Status().LastEvent
	if e == nil || e.Type != "event_reminder.going_on_call" || e.Matched {
		t.Fatalf("last event %+v", e)
	}
	env.quiesce(t)
	empty(t, env.posts, "post")
}

// An event that cannot be read is refused as such (400 in the receiver), and recorded nowhere.
func TestReceiverRefusesAnUnreadableEvent(t *testing.T) {
	env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, nil), nil, nil)
	for _, body := range []string{`{"type":`, `{"data":{}}`} {
		_, err := env.s.Receive([]byte(body), EventAuth{HeaderArrived: true})
		var bad *BadEventError
		if !errors.As(err, &bad) || bad.Error() == "" {
			t.Fatalf("%s: %v", body, err)
		}
	}
	if env.s.Status().LastEvent != nil {
		t.Fatal("an unreadable event was recorded as received")
	}
}

func TestCommentMapsThroughPagerTreesAlertId(t *testing.T) {
	env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, nil), nil, nil)
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatMattermost)
	env.event(t, `{"type":"alert.open","data":{"id":"alt_7","tinyId":3,"thirdparty_id":"`+tp+`"}}`)
	first := receive(t, cs.versions, "card with the number")
	if atts := first.GetProp("attachments").([]*model.SlackAttachment); atts[0].Title != "PagerTree alert #3" || atts[0].TitleLink != "https://app.pagertree.com/alerts/alt_7" {
		t.Fatalf("card %+v", atts[0])
	}
	if rec, _, _ := env.s.Record(tp); len(rec.Pending) != 0 {
		t.Fatalf("alert.open queued a reply: %+v", rec.Pending)
	}
	got := env.event(t, `{"type":"comment.created","data":{"id":"cmt_1","commentable_type":"Alert","commentable_id":"alt_7","body":"rolling back","created_by_name":"Dee"}}`)
	if got != EventApplied {
		t.Fatalf("comment %q", got)
	}
	if reply := receive(t, env.posts, "comment reply"); reply.Message != "Dee commented in PagerTree:\n> rolling back" {
		t.Fatalf("reply %q", reply.Message)
	}
}

func TestCardOnlySettingPostsNoReplies(t *testing.T) {
	env := newTestService(t, newStandIn(t).testConfig(paging.FormatMattermost, func(c *Config) { c.StatusReplies = false }), nil, nil)
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatWebhook)
	env.event(t, `{"type":"alert.dropped","data":{"thirdparty_id":"`+tp+`"}}`)
	if color, _ := cardFields(receive(t, cs.versions, "card")); color != alertstate.ColorDropped {
		t.Fatalf("colour %s", color)
	}
	if rec, _, _ := env.s.Record(tp); len(rec.Pending) != 0 {
		t.Fatalf("cards only queued replies: %+v", rec.Pending)
	}
	env.quiesce(t)
	empty(t, env.posts, "reply")
}

// An event recorded by a node that stopped before drawing it is applied by the next start.
func TestWorkLeftByAStoppedNodeIsAppliedAtStart(t *testing.T) {
	kv := kvstoretest.New()
	left := newRecords(kv, nil, nil)
	a := paging.Alert{ID: "postpostpostpostpostpostpo", PostID: "postpostpostpostpostpostpo", ChannelID: publicID, Trigger: "outage", Origin: paging.OriginPost}
	_, _ = left.remember(a, paging.FormatWebhook, "", "")
	_, _ = left.setCard(a.ID, cardID, -1)
	if res, err := left.apply(alertstate.Event{Kind: alertstate.KindRejected, ThirdPartyID: a.ID, By: alertstate.Person{Name: "Bo"}, Key: "k"}, true); err != nil || !res.Work {
		t.Fatalf("%+v %v", res, err)
	}
	// A rejection changes no card (GetPost and UpdatePost are not expected): only the reply is due.
	env := newTestService(t, newStandIn(t).testConfig(paging.FormatWebhook, nil), kv, nil,
		func(s *Service) { s.records.settle = 0 })
	reply := receive(t, env.posts, "the reply left pending")
	if reply.RootId != a.PostID || !strings.HasPrefix(reply.Message, "**Rejected** in PagerTree by Bo") {
		t.Fatalf("reply %+v", reply)
	}
	eventually(t, "the work set emptied", func() bool { list, _ := env.s.records.work.Keys(); return len(list) == 0 })
}
