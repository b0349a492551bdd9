package followup

import (
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

func TestEchoOf(t *testing.T) {
	h := pagertreeclient.CommentHash
	rec := Record{Sent: []SentComment{
		{Key: "p1", Hash: h("@alice: on it"), ID: "11", PrefixID: "cmt_11"},
		{Key: "p2", Hash: h("@bob: rolling back")}, // sent, PagerTree's answer not in yet
		{Key: "act:x", Hash: h("Acknowledged from Mattermost by @alice")},
	}}
	comment := func(id, prefix, body string) alertstate.Event {
		return alertstate.Event{Kind: alertstate.KindCommentCreated, CommentID: id, CommentPrefixID: prefix, CommentBody: body}
	}
	cases := []struct {
		name    string
		e       alertstate.Event
		want    int
		learned bool
	}{
		{"by id", comment("11", "", "@alice: on it"), 0, false},
		{"by prefix id", comment("", "cmt_11", "whatever PagerTree stored"), 0, false},
		{"the id matching the prefix id", comment("cmt_11", "", "x"), 0, false},
		{"by hash before the answer", comment("22", "cmt_22", "@bob: rolling back"), 1, true},
		{"by hash, line ends and spaces normalised", comment("23", "", "  @bob: rolling back\r\n"), 1, true},
		{"an action's comment", comment("33", "", "Acknowledged from Mattermost by @alice"), 2, true},
		{"same words as an identified comment, typed in PagerTree", comment("44", "", "@alice: on it"), -1, false},
		{"someone else's comment", comment("55", "", "paging the DBA"), -1, false},
		{"not a comment", alertstate.Event{Kind: alertstate.KindAcknowledged, CommentID: "11"}, -1, false},
		{"no id, same hash", comment("", "", "@alice: on it"), 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := rec.echoOf(c.e); got != c.want {
				t.Fatalf("echoOf = %d, want %d", got, c.want)
			}
			r := rec
			echo, learned := r.takeEcho(c.e)
			if echo != (c.want >= 0) || learned != c.learned {
				t.Fatalf("takeEcho = %v %v", echo, learned)
			}
			if learned && (r.Sent[c.want].ID != c.e.CommentID || rec.Sent[c.want].ID != "") {
				t.Fatalf("learned ids %+v (the original must stay as it was: %+v)", r.Sent[c.want], rec.Sent[c.want])
			}
		})
	}
	// Once the echo taught the id, a second identical comment (someone in PagerTree) is theirs.
	r := rec
	r.takeEcho(comment("22", "", "@bob: rolling back"))
	if r.echoOf(comment("66", "", "@bob: rolling back")) != -1 {
		t.Fatal("a second identical comment was taken for the echo")
	}
}

func TestSentCommentsAreBounded(t *testing.T) {
	var r Record
	for i := 0; i < maxSentComments+10; i++ {
		r.noteSending(string(rune('a'+i%26))+string(rune('0'+i/26)), pagertreeclient.CommentHash(string(rune(i))))
	}
	if len(r.Sent) != maxSentComments {
		t.Fatalf("%d sent comments kept", len(r.Sent))
	}
	if r.noteSending(r.Sent[0].Key, r.Sent[0].Hash) {
		t.Fatal("a retry of the same comment changed the record")
	}
	if !r.noteSent(r.Sent[3].Key, pagertreeclient.Comment{ID: "9"}) || r.noteSent(r.Sent[3].Key, pagertreeclient.Comment{ID: "9"}) {
		t.Fatal("ids not recorded once")
	}
	if r.noteSent("unknown", pagertreeclient.Comment{ID: "9"}) || r.noteSent(r.Sent[4].Key, pagertreeclient.Comment{}) {
		t.Fatal("recorded ids for nothing")
	}
}
