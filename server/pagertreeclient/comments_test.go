package pagertreeclient

import (
	"context"
	"strings"
	"testing"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

func TestCommentsDecode(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []Comment
		err  bool
	}{
		{"envelope, newest first → oldest first", `{"data":[{"id":"2","prefix_id":"cmt_2","body":"later","created_by_name":"Kay"},` +
			`{"id":1,"body":"first","account_user":{"user":{"name":"Ada","email":"ada@x"}},"account_user_id":"usr_1","created_at":"2026-01-01T10:00:00Z"}],"has_more":false}`,
			[]Comment{{ID: "1", Body: "first", By: alertstate.Person{ID: "usr_1", Name: "Ada", Email: "ada@x"}, At: 1767261600}, {ID: "2", PrefixID: "cmt_2", Body: "later", By: alertstate.Person{Name: "Kay"}}}, false},
		{"bare array", `[{"id":"9","body":"x"}]`, []Comment{{ID: "9", Body: "x"}}, false},
		{"entries without an id are left out", `{"data":[{"body":"no id"},{"id":"3","body":"ok"},"odd"]}`, []Comment{{ID: "3", Body: "ok"}}, false},
		{"empty", `{"data":[]}`, []Comment{}, false},
		{"not a list", `{"errors":[]}`, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeComments([]byte(c.body))
			if (err != nil) != c.err || len(got) != len(c.want) {
				t.Fatalf("got %+v %v", got, err)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("[%d] %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
	// Bounded: at most MaxCommentsListed, each body at MaxTextLen.
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := 0; i < MaxCommentsListed+20; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id":"c","body":"` + strings.Repeat("x", MaxTextLen+10) + `"}`)
	}
	b.WriteString(`]}`)
	got, err := decodeComments([]byte(b.String()))
	if err != nil || len(got) != MaxCommentsListed || len([]rune(got[0].Body)) != MaxTextLen {
		t.Fatalf("%d comments, %v", len(got), err)
	}
}

func TestCommentCallsAndTheirAnswers(t *testing.T) {
	f, api := newFakeAPI(t, map[string]fakeAnswer{
		"POST /api/v4/alerts/alt_1/comments": {201, `{"id":"101","prefix_id":"cmt_101","body":"@alice: hi"}`, nil},
		"POST /api/v4/alerts/alt_2/comments": {201, `not json`, nil},
		"GET /api/v4/alerts/alt_1/comments":  {200, `{"data":[{"id":"101","body":"@alice: hi"}]}`, nil},
		"POST /api/v4/alerts/alt_3/comments": {422, `{"errors":[{"message":"body can't be blank"}],"code":422}`, nil},
	})
	ctx := context.Background()
	c, err := api.Comment(ctx, "alt_1", "@alice: hi")
	if err != nil || c.ID != "101" || c.PrefixID != "cmt_101" || f.bodies[0] != `{"body":"@alice: hi"}` {
		t.Fatalf("comment %+v %v %q", c, err, f.bodies)
	}
	if c2, err2 := api.Comment(ctx, "alt_2", "x"); err2 != nil || c2 != (Comment{}) {
		t.Fatalf("a 2xx answer that cannot be read still means the comment was made: %+v %v", c2, err2)
	}
	if _, err3 := api.Comment(ctx, "alt_3", "x"); !IsKind(err3, KindNotAllowed) || !strings.Contains(err3.Error(), "blank") {
		t.Fatalf("refusal: %v", err3)
	}
	list, err := api.Comments(ctx, "alt_1")
	if err != nil || len(list) != 1 || list[0].ID != "101" {
		t.Fatalf("list %+v %v", list, err)
	}
	if q := f.got[len(f.got)-1].URL.Query(); q.Get("limit") != "50" || q.Get("direction") != "desc" {
		t.Fatalf("query %v", q)
	}
	if _, err := api.Comments(ctx, "alt_missing"); !IsKind(err, KindNotFound) {
		t.Fatalf("missing: %v", err)
	}
}

func TestCommentEventAndHash(t *testing.T) {
	e := CommentEvent("alt_1", Comment{PrefixID: "cmt_5", Body: "hello", By: alertstate.Person{Name: "Kay"}})
	if e.Kind != alertstate.KindCommentCreated || e.AlertID != "alt_1" || e.CommentID != "cmt_5" || e.Identity() != "cmt:cmt_5" {
		t.Fatalf("event %+v", e)
	}
	if CommentHash("a\r\nb  ") != CommentHash("a\nb") || CommentHash("a") == CommentHash("b") || len(CommentHash("x")) != 16 {
		t.Fatal("hash")
	}
	ev, err := DecodeEvent([]byte(`{"type":"comment.created","data":{"id":"7","prefix_id":"cmt_7","commentable_type":"Alert","commentable_id":"alt_1","body":"b"}}`))
	if err != nil || ev.CommentID != "7" || ev.CommentPrefixID != "cmt_7" {
		t.Fatalf("decoded %+v %v", ev, err)
	}
	if ActionComment(alertstate.Acknowledge, "alice") != "Acknowledged from Mattermost by @alice" || ActionComment(alertstate.Resolve, "") != "" {
		t.Fatal("action comment")
	}
}

// FuzzDecodeComments: no input panics the comment decoders, and what comes back is bounded
// and has an id.
func FuzzDecodeComments(f *testing.F) {
	for _, s := range []string{`{"data":[{"id":"1","body":"x"}]}`, `[{"prefix_id":"cmt_1"}]`, `{"id":"1"}`, `{"data":{"id":"2"}}`, `null`, `[1,2]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if list, err := decodeComments(b); err == nil {
			if len(list) > MaxCommentsListed {
				t.Fatalf("%d comments", len(list))
			}
			for _, c := range list {
				if c.ID == "" && c.PrefixID == "" || len([]rune(c.Body)) > MaxTextLen {
					t.Fatalf("comment %+v", c)
				}
			}
		}
		if c, err := decodeRESTComment(b); err == nil && c.ID == "" && c.PrefixID == "" {
			t.Fatalf("comment without id: %+v", c)
		}
	})
}
