package followup

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Nothing from PagerTree is unbounded: a 60 000-character tinyId (and a huge title,
// description and comment) make a short card title and a small record.
func TestHugeFieldsFromPagerTreeAreBounded(t *testing.T) {
	st := newStandIn(t)
	env := newTestService(t, st.testConfig(paging.FormatMattermost, nil), nil, nil)
	cs := env.withCard(t)
	tp := env.sentAlert(t, paging.FormatMattermost)
	huge := strings.Repeat("9", 60000)
	big := strings.Repeat("ü", 60000)
	body := `{"type":"alert.acknowledged","data":{"id":"alt_1","tinyId":"` + huge + `","thirdparty_id":"` + tp +
		`","title":"` + big + `","description":"` + big + `","acknowledgedby":{"name":"` + big + `"}}}`
	if got := env.event(t, body); got != EventApplied {
		t.Fatalf("result %q", got)
	}
	card := receive(t, cs.versions, "card update")
	title := card.GetProp("attachments").([]*model.SlackAttachment)[0].Title
	if n := utf8.RuneCountInString(title); n > 60 || !strings.HasSuffix(title, "…") {
		t.Fatalf("card title of %d characters: %.80q", n, title)
	}
	reply := receive(t, env.posts, "thread reply")
	if n := utf8.RuneCountInString(reply.Message); n > 400 {
		t.Fatalf("reply of %d characters", n)
	}
	// A comment with a huge body, then the record's size.
	for i := range 6 {
		c := `{"type":"comment.created","data":{"id":"c` + string(rune('a'+i)) + `","commentable_id":"alt_1","body":"` + big + `"}}`
		if got := env.event(t, c); got != EventApplied {
			t.Fatalf("comment %d: %q", i, got)
		}
	}
	raw := env.kv.Peek(alertPrefix + tp)
	if len(raw) > maxRecordBytes {
		t.Fatalf("record of %d bytes, bound %d", len(raw), maxRecordBytes)
	}
	rec, _, _ := env.s.Record(tp)
	if utf8.RuneCountInString(rec.Status.TinyID) > 20 || rec.Status.AlertID != "alt_1" {
		t.Fatalf("record status %+v", rec.Status)
	}
	env.quiesce(t)
}

func TestEncodeRecordTrimsTheLongestTexts(t *testing.T) {
	long := strings.Repeat("x", 30000)
	rec := Record{ThirdPartyID: "tp", Summary: long, Details: "short", Pending: []PendingReply{{ID: "1", Message: long}, {ID: "2", Message: "keep"}}}
	raw := encodeRecord(&rec)
	if len(raw) > maxRecordBytes {
		t.Fatalf("%d bytes", len(raw))
	}
	if rec.Details != "short" || rec.Pending[1].Message != "keep" || rec.ThirdPartyID != "tp" ||
		!strings.HasSuffix(rec.Summary, "…") || !strings.HasSuffix(rec.Pending[0].Message, "…") {
		t.Fatalf("trimmed the wrong fields: %d %q %d %q", len(rec.Summary), rec.Details, len(rec.Pending[0].Message), rec.Pending[1].Message)
	}
	small := Record{ThirdPartyID: "tp", Summary: "a"}
	if raw := encodeRecord(&small); small.Summary != "a" || len(raw) > 400 {
		t.Fatal("a small record changed")
	}
}
