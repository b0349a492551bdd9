package alertstate

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

func buttonIDs(in CardInput) []string {
	var ids []string
	for _, a := range Card(in).Actions {
		ids = append(ids, a.Id)
	}
	return ids
}

// TestButtonsPerState: Acknowledge when open or dropped, Resolve until resolved, none while an
// action is on its way or when no route to PagerTree exists; offered again once unconfirmed.
func TestButtonsPerState(t *testing.T) {
	on := Buttons{URL: "/plugins/pagertree/api/v1/actions/card", Alert: "tp1"}
	pending := &PendingAction{Action: Acknowledge, By: "bob", Since: 1}
	unconfirmed := &PendingAction{Action: Acknowledge, By: "bob", Since: 1, Unconfirmed: true}
	for _, c := range []struct {
		name    string
		state   State
		pending *PendingAction
		buttons Buttons
		want    []string
	}{
		{"before any event", "", nil, on, []string{"acknowledge", "resolve"}},
		{"open", Open, nil, on, []string{"acknowledge", "resolve"}},
		{"acknowledged", Acknowledged, nil, on, []string{"resolve"}},
		{"dropped", Dropped, nil, on, []string{"acknowledge", "resolve"}},
		{"resolved", Resolved, nil, on, nil},
		{"open, acknowledging", Open, pending, on, nil},
		{"open, not confirmed", Open, unconfirmed, on, []string{"acknowledge", "resolve"}},
		{"open, no route", Open, nil, Buttons{}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := CardInput{Status: Status{State: c.state, Pending: c.pending}, Buttons: c.buttons}
			if got := buttonIDs(in); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("buttons %v, want %v", got, c.want)
			}
			for _, a := range Card(in).Actions {
				if a.Integration.URL != on.URL || len(a.Integration.Context) != 2 || a.Integration.Context["alert"] != "tp1" || a.Integration.Context["action"] != a.Id {
					t.Fatalf("action %+v", a)
				}
			}
		})
	}
}

func TestPressPendingConfirmAndExpire(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	s, why := Press(Status{State: Open}, Acknowledge, "bob", now)
	if why != "" || s.Pending == nil || s.Pending.Action != Acknowledge {
		t.Fatalf("press: %q %+v", why, s.Pending)
	}
	if got := fieldValue(Card(CardInput{Status: s}), "From Mattermost"); got != "Acknowledging… (@bob)" {
		t.Fatalf("pending field %q", got)
	}
	if _, why := Press(s, Resolve, "carol", now); !strings.Contains(why, "@bob already asked") {
		t.Fatalf("double press allowed: %q", why)
	}
	if _, changed := Expire(s, now.Add(ConfirmWithin-time.Second)); changed {
		t.Fatal("expired too early")
	}
	late, changed := Expire(s, now.Add(ConfirmWithin))
	if !changed || !late.Pending.Unconfirmed {
		t.Fatalf("not expired: %+v", late.Pending)
	}
	if got := fieldValue(Card(CardInput{Status: late}), "From Mattermost"); !strings.Contains(got, "not confirmed by PagerTree — press again or check PagerTree") {
		t.Fatalf("unconfirmed field %q", got)
	}
	if again, why := Press(late, Acknowledge, "carol", now); why != "" || again.Pending.By != "carol" || again.Pending.Unconfirmed {
		t.Fatalf("press again after unconfirmed: %q %+v", why, again.Pending)
	}
	// PagerTree's event confirms: the pending action goes, in the same Apply.
	r := Apply(s, Event{Kind: KindAcknowledged, By: Person{Name: "Kay"}})
	if r.Status.Pending != nil || r.Status.State != Acknowledged || !r.Redraw {
		t.Fatalf("confirm: %+v", r)
	}
	// A resolve confirms a pending acknowledge too; an acknowledge does not confirm a resolve.
	res, _ := Press(Status{State: Open}, Resolve, "bob", now)
	if r := Apply(res, Event{Kind: KindAcknowledged}); r.Status.Pending == nil {
		t.Fatal("an acknowledge confirmed a resolve")
	}
	if r := Apply(res, Event{Kind: KindResolved}); r.Status.Pending != nil {
		t.Fatal("the resolve was not confirmed")
	}
	if _, why := Press(Status{State: Resolved}, Acknowledge, "bob", now); !strings.Contains(why, "cannot be acknowledged any more") {
		t.Fatalf("acknowledge of a resolved alert: %q", why)
	}
	if got := Withdraw(s, Acknowledge); got.Pending != nil {
		t.Fatal("withdraw kept the action")
	}
}

func fieldValue(c *model.SlackAttachment, title string) string {
	for _, f := range c.Fields {
		if f.Title == title {
			return f.Value.(string)
		}
	}
	return ""
}
