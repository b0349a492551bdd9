package alertstate

import (
	"strings"
	"testing"
)

func statusIn(s State) Status {
	st := Status{State: s, AlertID: "alt_1", TinyID: "7"}
	switch s {
	case Acknowledged:
		st.AckBy, st.AckAt = "@alice", 100
	case Resolved:
		st.AckBy, st.AckAt, st.ResolvedBy = "@alice", 100, "@alice"
	}
	return st
}

func eventOf(k Kind) Event {
	return Event{Kind: k, AlertID: "alt_1", TinyID: "7", By: Person{ID: "usr_b", Name: "Bob Smith"}, At: 200,
		CommentID: "cmt_1", CommentBody: "looking", Key: string(k) + "|1"}
}

// TestEveryStateTimesEveryEvent is the whole machine: for each state and event, the next
// state, whether a thread reply is posted, and that applying the same event again changes nothing.
func TestEveryStateTimesEveryEvent(t *testing.T) {
	type want struct {
		next    State
		replies int
	}
	table := map[State]map[Kind]want{
		Open: {
			KindCreated: {Open, 0}, KindOpen: {Open, 0}, KindAcknowledged: {Acknowledged, 1}, KindRejected: {Open, 1},
			KindTimeout: {Open, 1}, KindResolved: {Resolved, 1}, KindDropped: {Dropped, 1}, KindHandoff: {Open, 1},
			KindCommentCreated: {Open, 1}, KindCommentUpdated: {Open, 0}, KindCommentDestroyed: {Open, 0}, KindUnknown: {Open, 0},
		},
		Acknowledged: {
			KindCreated: {Acknowledged, 0}, KindOpen: {Acknowledged, 0}, KindAcknowledged: {Acknowledged, 1}, // by Bob, later
			KindRejected: {Acknowledged, 0}, KindTimeout: {Acknowledged, 0}, KindResolved: {Resolved, 1}, KindDropped: {Acknowledged, 0},
			KindHandoff: {Acknowledged, 1}, KindCommentCreated: {Acknowledged, 1}, KindCommentUpdated: {Acknowledged, 0},
			KindCommentDestroyed: {Acknowledged, 0}, KindUnknown: {Acknowledged, 0},
		},
		Resolved: {
			KindCreated: {Resolved, 0}, KindOpen: {Resolved, 0}, KindAcknowledged: {Resolved, 0}, KindRejected: {Resolved, 0},
			KindTimeout: {Resolved, 0}, KindResolved: {Resolved, 0}, KindDropped: {Resolved, 0}, KindHandoff: {Resolved, 0},
			KindCommentCreated: {Resolved, 1}, KindCommentUpdated: {Resolved, 0}, KindCommentDestroyed: {Resolved, 0}, KindUnknown: {Resolved, 0},
		},
		Dropped: {
			// PagerTree lets people acknowledge or resolve a dropped alert.
			KindCreated: {Dropped, 0}, KindOpen: {Dropped, 0}, KindAcknowledged: {Acknowledged, 1}, KindRejected: {Dropped, 0},
			KindTimeout: {Dropped, 0}, KindResolved: {Resolved, 1}, KindDropped: {Dropped, 0}, KindHandoff: {Dropped, 0},
			KindCommentCreated: {Dropped, 1}, KindCommentUpdated: {Dropped, 0}, KindCommentDestroyed: {Dropped, 0}, KindUnknown: {Dropped, 0},
		},
	}
	for _, s := range States {
		for _, k := range append([]Kind{KindUnknown}, Kinds...) {
			w, ok := table[s][k]
			if !ok {
				t.Fatalf("the table misses %s × %q", s, k)
			}
			first := Apply(statusIn(s), eventOf(k))
			if first.Status.State != w.next || len(first.Replies) != w.replies {
				t.Errorf("%s × %q: got %s with %d replies %q, want %s with %d", s, k, first.Status.State, len(first.Replies), first.Replies, w.next, w.replies)
			}
			if first.Status.State.rank() < s.rank() {
				t.Errorf("%s × %q moved backwards to %s", s, k, first.Status.State)
			}
			again := Apply(first.Status, eventOf(k))
			if again.Changed || again.Redraw || len(again.Replies) != 0 || again.Status.State != first.Status.State {
				t.Errorf("%s × %q applied twice: changed %v redraw %v replies %q", s, k, again.Changed, again.Redraw, again.Replies)
			}
		}
	}
}

func TestLateOpenAfterResolvedChangesNothing(t *testing.T) {
	s := Status{}
	for _, k := range []Kind{KindCreated, KindAcknowledged, KindResolved, KindOpen, KindAcknowledged, KindCreated} {
		s = Apply(s, eventOf(k)).Status
	}
	if s.State != Resolved || s.ResolvedBy != "Bob Smith" {
		t.Fatalf("got %+v", s)
	}
}

func TestOutOfOrderResolvedBeforeAcknowledged(t *testing.T) {
	r := Apply(Status{}, eventOf(KindResolved))
	late := Apply(r.Status, eventOf(KindAcknowledged))
	if late.Status.State != Resolved || late.Changed || len(late.Replies) != 0 {
		t.Fatalf("late acknowledge after resolve: %+v", late)
	}
}

func TestAcknowledgedAgainOnlyByANewerEvent(t *testing.T) {
	s := Apply(Status{}, Event{Kind: KindAcknowledged, By: Person{Name: "Alice"}, At: 200}).Status
	older := Apply(s, Event{Kind: KindAcknowledged, By: Person{Name: "Bob"}, At: 100})
	if older.Changed || older.Status.AckBy != "Alice" {
		t.Fatalf("an older acknowledge replaced a newer one: %+v", older)
	}
	newer := Apply(s, Event{Kind: KindAcknowledged, By: Person{Name: "Bob"}, At: 300})
	if !newer.Redraw || newer.Status.AckBy != "Bob" || len(newer.Replies) != 1 {
		t.Fatalf("a later acknowledge by someone else: %+v", newer)
	}
}

func TestFirstEventTeachesIdsWithoutAReply(t *testing.T) {
	r := Apply(Status{}, Event{Kind: KindCreated, AlertID: "alt_9", TinyID: "42", Urgency: "HIGH"})
	if !r.Redraw || len(r.Replies) != 0 || r.Status.AlertID != "alt_9" || r.Status.TinyID != "42" || r.Status.Urgency != "high" {
		t.Fatalf("got %+v", r)
	}
}

func TestPeopleAreNamedNeverById(t *testing.T) {
	cases := []struct {
		p    Person
		want string
	}{
		{Person{ID: "usr_x"}, "someone in PagerTree"},
		{Person{ID: "usr_x", Name: "Ann Lee"}, "Ann Lee"},
		{Person{ID: "usr_x", Name: "Ann", Mention: "@ann"}, "@ann"},
		{Person{Name: "@channel"}, "@\u200bchannel"},
		{Person{Name: "[Bo](http://x) *B*"}, "\\[Bo\\]\\(http\\://x\\) \\*B\\*"},
		{Person{Name: "Eve ![px](http://x/t.png) :smile:"}, "Eve \\!\\[px\\]\\(http\\://x/t.png\\) \\:smile\\:"},
	}
	for _, c := range cases {
		if got := c.p.Display(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
	r := Apply(Status{}, Event{Kind: KindAcknowledged, By: Person{ID: "usr_abc"}})
	if strings.Contains(r.Replies[0], "usr_") || !strings.Contains(r.Replies[0], "someone in PagerTree") {
		t.Fatalf("reply %q", r.Replies[0])
	}
}

func TestCommentsAreQuotedAndCannotMentionEveryone(t *testing.T) {
	r := Apply(Status{}, Event{Kind: KindCommentCreated, CommentID: "c1", CommentBody: "rebooting\n@all hold on", By: Person{Name: "Bob"}})
	want := "Bob commented in PagerTree:\n> rebooting\n> @\u200ball hold on"
	if len(r.Replies) != 1 || r.Replies[0] != want || r.Redraw {
		t.Fatalf("got %q redraw %v", r.Replies, r.Redraw)
	}
	for i := 0; i < maxSeen+5; i++ {
		r = Apply(r.Status, Event{Kind: KindCommentCreated, CommentID: "x" + strings.Repeat("1", i), CommentBody: "b"})
	}
	if len(r.Status.Seen) != maxSeen {
		t.Fatalf("comment memory not bounded: %d", len(r.Status.Seen))
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"alert.acknowledged": KindAcknowledged, "ALERT.RESOLVED": KindResolved,
		"alert_dropped": KindDropped, "event_reminder.going_on_call": KindUnknown, "": KindUnknown, "comment.created": KindCommentCreated} {
		if got := ParseKind(in); got != want {
			t.Errorf("ParseKind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRepeatedNoticesWithoutStateArePostedOnce(t *testing.T) {
	s := Status{}
	for _, k := range []Kind{KindRejected, KindTimeout, KindHandoff} {
		first := Apply(s, Event{Kind: k, Key: "a"})
		second := Apply(first.Status, Event{Kind: k, Key: "a"})
		other := Apply(second.Status, Event{Kind: k, Key: "b"})
		if len(first.Replies) != 1 || !first.Changed || len(second.Replies) != 0 || second.Changed || len(other.Replies) != 1 {
			t.Fatalf("%s: first %+v second %+v other %+v", k, first, second, other)
		}
		s = other.Status
	}
}
