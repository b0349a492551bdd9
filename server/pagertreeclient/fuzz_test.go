package pagertreeclient

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeREST feeds any bytes to every REST answer decoder: none panics, and what comes
// back keeps its promises (ids present, error messages short and single-line).
func FuzzDecodeREST(f *testing.F) {
	for _, s := range []string{
		`{"data":[{"id":"A","tiny_id":7,"status":"open"}],"has_more":false,"total_count":1}`,
		`[{"layer":1,"attendees":[{"attendee_id":"U1"}]}]`,
		`{"id":"U1","user":{"name":"Ada","emails":[{"email":"a@x","primary":true}]}}`,
		`{"errors":[{"message":"title can't be blank"}],"code":422}`,
		`{"data":null}`, `[]`, `null`, `{"data":[{"id":{"x":1}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, ok, err := decodeAlertList(b); ok && (err != nil || (a.ID == "" && a.PrefixID == "")) {
			t.Fatalf("ok alert without id: %+v %v", a, err)
		}
		if teams, _, err := decodeTeams(b); err == nil {
			for _, tm := range teams {
				if tm.ID == "" {
					t.Fatal("team without id")
				}
			}
		}
		if layers, err := decodeOncall(b); err == nil {
			for _, l := range layers {
				for _, id := range l.AccountUserIDs {
					if id == "" {
						t.Fatal("empty attendee id")
					}
				}
			}
		}
		if u, err := decodeAccountUser(b); err == nil && u.ID == "" {
			t.Fatal("user without id")
		}
		msgs := decodeErrorMessages(b)
		if len(msgs) > maxErrorMessages {
			t.Fatalf("%d messages", len(msgs))
		}
		for _, m := range msgs {
			if m == "" || strings.ContainsAny(m, "\n\r") || utf8.RuneCountInString(m) > maxErrorMessageRunes {
				t.Fatalf("message %q", m)
			}
		}
	})
}
