package delivery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

func postAlert(id, root, channel string) paging.Alert {
	return paging.Alert{ID: id, PostID: id, RootID: root, ChannelID: channel, Origin: paging.OriginPost}
}

func TestFloodControlClaims(t *testing.T) {
	thread := delivery.FloodRule{OnePerThread: true}
	cooldown := delivery.FloodRule{Cooldown: time.Minute}
	steps := []struct {
		name   string
		alert  paging.Alert
		rule   delivery.FloodRule
		reason delivery.SuppressReason // "" = not suppressed
		says   string
	}{
		{"a root post pages", postAlert("p1", "", "c1"), thread, "", ""},
		{"the same post again (hook twice) is not suppressed", postAlert("p1", "", "c1"), thread, "", ""},
		{"a reply in its thread is suppressed", postAlert("p2", "p1", "c1"), thread, delivery.ThreadAlreadyPaged, "this thread already paged PagerTree (one alert per thread)"},
		{"another thread pages", postAlert("p3", "", "c1"), thread, "", ""},
		{"with the rule off the reply pages", postAlert("p4", "p1", "c1"), delivery.FloodRule{}, "", ""},
		{"the first post in a cooling channel pages", postAlert("p5", "", "c2"), cooldown, "", ""},
		{"the next one waits for the cooldown", postAlert("p6", "", "c2"), cooldown, delivery.ChannelCooldown, "the channel cooldown of 1m0s is running"},
		{"another channel is not cooling", postAlert("p7", "", "c3"), cooldown, "", ""},
	}
	box := delivery.New(kvstoretest.New(), nil, delivery.Options{NodeID: "a"})
	for _, s := range steps {
		held, err := box.Claim(s.alert, s.rule)
		if err != nil || held.Reason != s.reason || held.Suppressed() != (s.reason != "") || held.Sentence() != s.says || held.Label() != string(s.reason) {
			t.Errorf("%s: %+v (%q), %v", s.name, held, held.Sentence(), err)
		}
	}
}

// A post suppressed by the cooldown did not page, so its thread may page once the cooldown ends.
func TestCooldownDoesNotLeaveAThreadClaimed(t *testing.T) {
	both := delivery.FloodRule{OnePerThread: true, Cooldown: time.Minute}
	box := delivery.New(kvstoretest.New(), nil, delivery.Options{NodeID: "a"})
	if held, err := box.Claim(postAlert("p1", "", "c1"), both); held.Suppressed() || err != nil {
		t.Fatal(held, err)
	}
	if held, _ := box.Claim(postAlert("p2", "", "c1"), both); held.Reason != delivery.ChannelCooldown {
		t.Fatalf("p2 should wait for the cooldown, got %+v", held)
	}
	// The cooldown has ended (the rule in force has none left): a reply in p2's thread pages.
	if held, err := box.Claim(postAlert("p3", "p2", "c1"), delivery.FloodRule{OnePerThread: true}); held.Suppressed() || err != nil {
		t.Fatalf("p2's thread never paged, so a reply may: %+v %v", held, err)
	}
}

func TestClaimsAreReleasedWhenAnAlertIsNotDelivered(t *testing.T) {
	pt := newStandIn(t, 403)
	kv := kvstoretest.New()
	h := start(t, kv, pt.srv.URL, fastOptions("a"))
	rule := delivery.FloodRule{OnePerThread: true, Cooldown: time.Minute}
	first := postAlert("p1", "", "c1")
	if held, err := h.box.Claim(first, rule); held.Suppressed() || err != nil {
		t.Fatal(held, err)
	}
	if held, _ := h.box.Claim(postAlert("p2", "p1", "c1"), rule); held.Reason != delivery.ThreadAlreadyPaged {
		t.Fatal("the thread should be claimed while p1 is on its way")
	}
	_ = h.box.Enqueue(first)
	if r := h.final(t); r.outcome.Class != paging.Permanent {
		t.Fatalf("%+v", r.outcome)
	}
	if held, err := h.box.Claim(postAlert("p2", "p1", "c1"), rule); held.Suppressed() || err != nil {
		t.Fatalf("after a failed delivery the thread and channel may page again: %+v %v", held, err)
	}
}

func TestClaimsLetAlertsThroughWhenTheStoreFails(t *testing.T) {
	kv := kvstoretest.New()
	box := delivery.New(kv, nil, delivery.Options{NodeID: "a"})
	kv.SetFailure(errors.New("database is down"))
	held, err := box.Claim(postAlert("p1", "", "c1"), delivery.FloodRule{OnePerThread: true, Cooldown: time.Minute})
	if held.Suppressed() || err == nil {
		t.Fatalf("paging twice is better than not paging: %+v %v", held, err)
	}
}

// A job queued before alerts had an origin is read with the right one.
func TestJobsQueuedBeforeOriginsGetOne(t *testing.T) {
	kv := kvstoretest.New()
	kv.Set(delivery.JobKey("old"), []byte(`{"alert":{"id":"old","post_id":"old","trigger":"/pagertree","channel_id":"c"},"state":"pending"}`))
	pt := newStandIn(t)
	h := start(t, kv, pt.srv.URL, fastOptions("a"))
	if r := h.final(t); r.job.Alert.Origin != paging.OriginCommand || r.outcome.Class != paging.Delivered {
		t.Fatalf("%+v %+v", r.job.Alert, r.outcome)
	}
}
