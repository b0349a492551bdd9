package pagertreeclient

import "testing"

// An event's identity comes from its meaning: the same event with its keys in another order,
// other spacing or extra top-level keys is the same; another comment, person or time is not.
func TestEventIdentityByMeaning(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		same bool
	}{
		{"comment, keys reordered", `{"type":"comment.created","data":{"id":"c1","commentable_id":"alt_1","body":"hi"}}`,
			`{"data":{"body":"hi","commentable_id":"alt_1","id":"c1"},"type":"comment.created","extra":1}`, true},
		{"comment, edited body", `{"type":"comment.created","data":{"id":"c1","commentable_id":"alt_1","body":"hi"}}`,
			`{"type":"comment.created","data":{"id":"c1","commentable_id":"alt_1","body":"hi!"}}`, true},
		{"another comment", `{"type":"comment.created","data":{"id":"c1","commentable_id":"alt_1","body":"hi"}}`,
			`{"type":"comment.created","data":{"id":"c2","commentable_id":"alt_1","body":"hi"}}`, false},
		{"rejection, spacing and order", `{"type":"alert.rejected","data":{"id":"alt_1","rejectedby":"usr_1","x":[1, 2]}}`,
			`{"type":"alert.rejected","data":{"x":[1,2],"rejectedby":"usr_1","id":"alt_1"}}`, true},
		{"rejection by another", `{"type":"alert.rejected","data":{"id":"alt_1","rejectedby":"usr_1"}}`,
			`{"type":"alert.rejected","data":{"id":"alt_1","rejectedby":"usr_2"}}`, false},
		{"handoff, same people", `{"type":"alert.handoff","data":{"id":"alt_1","handoffs":[{"from":"usr_1","to":"usr_2"}],"updated":"a"}}`,
			`{"type":"alert.handoff","data":{"updated":"b","handoffs":[{"to":"usr_2","from":"usr_1"}],"id":"alt_1"}}`, true},
		{"handoff to another", `{"type":"alert.handoff","data":{"id":"alt_1","handoffs":[{"from":"usr_1","to":"usr_2"}]}}`,
			`{"type":"alert.handoff","data":{"id":"alt_1","handoffs":[{"from":"usr_1","to":"usr_3"}]}}`, false},
		{"timeout, keys reordered", `{"type":"alert.timeout","data":{"id":"alt_1","layer":1}}`,
			`{"type":"alert.timeout","data":{"layer":1,"id":"alt_1"}}`, true},
		{"timeout at another layer", `{"type":"alert.timeout","data":{"id":"alt_1","layer":1}}`,
			`{"type":"alert.timeout","data":{"id":"alt_1","layer":2}}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := DecodeEvent([]byte(c.a))
			if err != nil {
				t.Fatal(err)
			}
			b, err := DecodeEvent([]byte(c.b))
			if err != nil {
				t.Fatal(err)
			}
			if a.Identity() == "" || (a.Identity() == b.Identity()) != c.same {
				t.Fatalf("identities %q and %q, same: want %v", a.Identity(), b.Identity(), c.same)
			}
		})
	}
}
