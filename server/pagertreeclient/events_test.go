package pagertreeclient

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// The documented v3 example (PagerTree's outgoing-webhook guide), trimmed, plus an extra
// top-level key as an outgoing rule's setval adds it.
const documentedResolved = `{
  "type": "alert.resolved",
  "data": {
    "sid": "acc_H1fh_yx6z", "id": "alt_HJ3eGW-6M", "createdAt": "2018-04-27T00:02:50.419Z",
    "updatedAt": "2018-04-27T00:03:06.098Z", "meta": {"key": "value"}, "tinyId": 1,
    "thirdparty_id": "abc-123", "title": "CPU usage over 95%", "status": "resolved", "urgency": "critical",
    "d_team_id": "tem_ByxQ3ukgTM", "d_user_id": "usr_r1mnuJg6z", "created": 1524859374,
    "acknowledged": 1524859483, "acknowledgedby": "usr_xxxxxxxx", "resolved": 1524859487, "resolvedby": "usr_xxxxxxxx",
    "handoffs": [{"to": "usr_a", "from": "usr_b", "time": 1524859488}]
  },
  "channel": "C3QCH7S7C"
}`

func TestDecodeDocumentedEvent(t *testing.T) {
	e, err := DecodeEvent([]byte(documentedResolved))
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != alertstate.KindResolved || e.AlertID != "alt_HJ3eGW-6M" || e.TinyID != "1" || e.ThirdPartyID != "abc-123" ||
		e.Urgency != "critical" || e.By.ID != "usr_xxxxxxxx" || e.By.Name != "" || e.At != 1524859487 || e.Key == "" {
		t.Fatalf("got %+v", e)
	}
	if e.By.Display() != "someone in PagerTree" {
		t.Fatalf("a bare user id must not be shown: %q", e.By.Display())
	}
}

func TestDecodeSpellingsAndLinkedData(t *testing.T) {
	cases := []struct {
		name, body string
		check      func(alertstate.Event) bool
	}{
		{"tiny_id and acknowledged_by", `{"type":"alert.acknowledged","data":{"id":"alt_1","tiny_id":"17","thirdparty_id":"c.1","acknowledged_by":"usr_1"}}`,
			func(e alertstate.Event) bool {
				return e.TinyID == "17" && e.By.ID == "usr_1" && e.Kind == alertstate.KindAcknowledged
			}},
		{"linked user fills the name", `{"type":"alert.acknowledged","data":{"id":"alt_1","acknowledgedby":"usr_1","d_user_id":"usr_1","d_user":{"id":"usr_1","name":"Ann Lee","email":"ann@example.com"}}}`,
			func(e alertstate.Event) bool { return e.By.Name == "Ann Lee" && e.By.Email == "ann@example.com" }},
		{"linked user of someone else is not used", `{"type":"alert.resolved","data":{"resolvedby":"usr_2","d_user":{"id":"usr_1","name":"Ann"}}}`,
			func(e alertstate.Event) bool { return e.By.ID == "usr_2" && e.By.Name == "" }},
		{"person as an object", `{"type":"alert.resolved","data":{"resolved_by":{"id":"usr_3","first_name":"Bo","last_name":"Ng"},"resolved":"2024-01-02T03:04:05Z"}}`,
			func(e alertstate.Event) bool { return e.By.Name == "Bo Ng" && e.At == 1704164645 }},
		{"handoff", `{"type":"alert.handoff","data":{"handoffs":[{"to":"usr_a","from":"usr_b"},{"to":{"id":"usr_c","name":"Cy"},"from":"usr_a"}]}}`,
			func(e alertstate.Event) bool { return e.By.Name == "Cy" && e.From.ID == "usr_a" }},
		{"comment", `{"type":"comment.created","data":{"id":"cmt_1","commentable_type":"Alert","commentable_id":"alt_9","body":"on it","account_user":{"user":{"name":"Dee","email":"dee@example.com"}}}}`,
			func(e alertstate.Event) bool {
				return e.AlertID == "alt_9" && e.CommentID == "cmt_1" && e.CommentBody == "on it" && e.By.Name == "Dee" && e.ThirdPartyID == ""
			}},
		{"comment by created_by_name", `{"type":"comment.created","data":{"id":"cmt_2","commentable_id":"alt_9","body":"x","created_by_name":"Eve"}}`,
			func(e alertstate.Event) bool { return e.By.Name == "Eve" }},
		{"comment on something else", `{"type":"comment.created","data":{"id":"cmt_3","commentable_type":"Incident","commentable_id":"inc_1"}}`,
			func(e alertstate.Event) bool { return e.AlertID == "" }},
		{"unknown type", `{"type":"event_reminder.going_on_call","data":{"id":"x"}}`,
			func(e alertstate.Event) bool {
				return e.Kind == alertstate.KindUnknown && e.RawType == "event_reminder.going_on_call"
			}},
		{"numeric thirdparty id", `{"type":"alert.open","data":{"thirdparty_id":12345}}`,
			func(e alertstate.Event) bool { return e.ThirdPartyID == "12345" }},
		{"milliseconds", `{"type":"alert.acknowledged","data":{"acknowledged":1524859483000}}`,
			func(e alertstate.Event) bool { return e.At == 1524859483 }},
		{"data missing", `{"type":"alert.open"}`, func(e alertstate.Event) bool { return e.Kind == alertstate.KindOpen && e.AlertID == "" }},
	}
	for _, c := range cases {
		e, err := DecodeEvent([]byte(c.body))
		if err != nil || !c.check(e) {
			t.Errorf("%s: %+v, %v", c.name, e, err)
		}
	}
}

func TestDecodeRejectsWhatIsNotAnEvent(t *testing.T) {
	for _, body := range []string{``, `null`, `[]`, `"alert.open"`, `{"data":{}}`, `{"type":7}`, `{"type":""}`, `{`} {
		if _, err := DecodeEvent([]byte(body)); err == nil {
			t.Errorf("%q decoded", body)
		}
	}
}

func TestRepeatsShareAKeyDifferentEventsDoNot(t *testing.T) {
	a, _ := DecodeEvent([]byte(`{"type":"alert.rejected","data":{"id":"alt_1","updatedAt":"1"}}`))
	again, _ := DecodeEvent([]byte(`{"type":"alert.rejected", "data": {"id":"alt_1","updatedAt":"1"} , "x":1}`))
	later, _ := DecodeEvent([]byte(`{"type":"alert.rejected","data":{"id":"alt_1","updatedAt":"2"}}`))
	if a.Key != again.Key || a.Key == later.Key {
		t.Fatalf("keys %s %s %s", a.Key, again.Key, later.Key)
	}
}

func TestBasicAuthWithAndWithoutPrefix(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString([]byte("pagertree:s3cret:with:colons"))
	cases := []struct {
		header string
		ok     bool
	}{
		{enc, true},                         // PagerTree: no prefix
		{"Basic " + enc, true},              // standard
		{"basic   " + enc + "  ", true},     // case and spaces
		{strings.TrimRight(enc, "="), true}, // padding dropped
		{"", false},
		{"Basic ", false},
		{"Bearer " + enc, false},
		{base64.StdEncoding.EncodeToString([]byte("pagertree:wrong")), false},
		{base64.StdEncoding.EncodeToString([]byte("other:s3cret:with:colons")), false},
		{base64.StdEncoding.EncodeToString([]byte("pagertree")), false},
		{"!!!", false},
	}
	for _, c := range cases {
		if got := CheckBasicAuth(c.header, "pagertree", "s3cret:with:colons"); got != c.ok {
			t.Errorf("CheckBasicAuth(%q) = %v, want %v", c.header, got, c.ok)
		}
	}
	if CheckBasicAuth(base64.StdEncoding.EncodeToString([]byte(":")), "", "") {
		t.Fatal("empty stored credentials must never match")
	}
	if u, p, ok := ParseBasicAuth(enc); !ok || u != "pagertree" || p != "s3cret:with:colons" {
		t.Fatalf("ParseBasicAuth = %q %q %v", u, p, ok)
	}
}

// FuzzDecodeEvent: any body decodes without panicking; what decodes is bounded, valid where
// the input was, and carries a key.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{documentedResolved, `{"type":"comment.created","data":{"commentable_id":"alt_1","body":"hi"}}`,
		`{"type":"alert.handoff","data":{"handoffs":[{"to":{"name":"x"}}]}}`, `{"type":"alert.acknowledged","data":{"acknowledged":"1e30"}}`,
		`{"type":"x","data":[]}`, `{"type":"alert.open","data":{"tinyId":1.5e3,"id":null}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := DecodeEvent(body)
		if err != nil {
			return
		}
		if e.Key == "" || e.RawType == "" {
			t.Fatalf("decoded event without key or type: %+v", e)
		}
		if utf8.RuneCountInString(e.CommentBody) > MaxTextLen || utf8.RuneCountInString(e.Title) > MaxTextLen {
			t.Fatalf("unbounded text")
		}
		if e.At < 0 {
			t.Fatalf("negative time %d", e.At)
		}
		res := alertstate.Apply(alertstate.Status{}, e)
		if again := alertstate.Apply(res.Status, e); again.Changed || len(again.Replies) > 0 {
			t.Fatalf("not idempotent on %q: %+v", body, again)
		}
	})
}

func TestDecodeKeepsTheChannelSetvalAndDescription(t *testing.T) {
	cases := []struct {
		name, body, channel, desc string
	}{
		{"setval name", `{"type":"alert.created","mattermost_channel":" ops-alerts ","data":{"id":"alt_1","description":"disk full"}}`, "ops-alerts", "disk full"},
		{"team/channel", `{"type":"alert.open","mattermost_channel":"ops/noc","data":{"id":"alt_1"}}`, "ops/noc", ""},
		{"not text", `{"type":"alert.created","mattermost_channel":42,"data":{"id":"alt_1"}}`, "", ""},
		{"inside data is not a setval", `{"type":"alert.created","data":{"id":"alt_1","mattermost_channel":"x"}}`, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := DecodeEvent([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if e.Channel != tc.channel || e.Description != tc.desc {
				t.Fatalf("channel %q description %q, want %q %q", e.Channel, e.Description, tc.channel, tc.desc)
			}
		})
	}
}
