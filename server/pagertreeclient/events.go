package pagertreeclient

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// This file decodes PagerTree's outgoing-webhook events (DESIGN §10): {"type", "data"} with
// possibly extra top-level keys from the admin's outgoing rules. The alert object's exact
// keys are unverified, so every field is read defensively and both spellings are accepted.

// ErrNotAnEvent means the body is not a PagerTree event at all (not a JSON object with a type).
var ErrNotAnEvent = errors.New("the body is not a PagerTree event: a JSON object with \"type\" and \"data\" is expected")

// ChannelKey is the top-level key an outgoing rule sets (setval) to choose the Mattermost
// channel of an alert that did not come from Mattermost.
const ChannelKey = "mattermost_channel"

// DecodeEvent reads one event, every field bounded (limits.go). Unknown types decode to
// alertstate.KindUnknown without error.
func DecodeEvent(body []byte) (alertstate.Event, error) {
	e, err := decodeEvent(body)
	return bound(e), err
}

func decodeEvent(body []byte) (alertstate.Event, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return alertstate.Event{}, ErrNotAnEvent
	}
	typ, ok := str(top["type"])
	if !ok || typ == "" {
		return alertstate.Event{}, ErrNotAnEvent
	}
	e := alertstate.Event{Kind: alertstate.ParseKind(typ), RawType: typ}
	// Outgoing rules' setval keys sit next to type and data (DESIGN §10).
	if ch, ok := str(top[ChannelKey]); ok {
		e.Channel = strings.TrimSpace(ch)
	}
	var data map[string]json.RawMessage
	_ = json.Unmarshal(top["data"], &data) // a missing or odd data leaves the fields empty
	sum := sha256.Sum256(append(append([]byte(typ), 0), canonical(top["data"])...))
	e.Key = hex.EncodeToString(sum[:12])
	if data == nil {
		return e, nil
	}
	if e.Kind.IsComment() {
		decodeComment(&e, data)
		return e, nil
	}
	e.AlertID = field(data, "id")
	e.TinyID = field(data, "tinyId", "tiny_id")
	e.ThirdPartyID = field(data, "thirdparty_id", "thirdpartyId", "thirdParty_id")
	e.Status = field(data, "status")
	e.Title = field(data, "title")
	e.Description = field(data, "description")
	e.Urgency = field(data, "urgency")
	e.Incident, e.Severity = incidentOf(data)
	linked := person(data["d_user"]) // "send linked data": the alert's current user
	if linked.ID == "" {
		linked.ID = field(data, "d_user_id")
	}
	switch e.Kind {
	case alertstate.KindAcknowledged:
		e.By = withLinked(personOf(data, "acknowledgedby", "acknowledged_by"), linked)
		e.At = when(data, "acknowledged", "acknowledged_at")
	case alertstate.KindResolved:
		e.By = withLinked(personOf(data, "resolvedby", "resolved_by"), linked)
		e.At = when(data, "resolved", "resolved_at")
	case alertstate.KindRejected:
		e.By = withLinked(personOf(data, "rejectedby", "rejected_by"), linked)
		e.At = when(data, "rejected", "rejected_at")
	case alertstate.KindTimeout:
		e.At = when(data, "timed_out", "timeout_at", "timed_out_at")
	case alertstate.KindHandoff:
		var handoffs []map[string]json.RawMessage
		if json.Unmarshal(data["handoffs"], &handoffs) == nil && len(handoffs) > 0 {
			last := handoffs[len(handoffs)-1]
			e.By = withLinked(personOf(last, "to"), linked)
			e.From = personOf(last, "from")
		}
	}
	return e, nil
}

func decodeComment(e *alertstate.Event, data map[string]json.RawMessage) {
	e.CommentID = field(data, "id")
	e.CommentPrefixID = field(data, "prefix_id")
	if t := field(data, "commentable_type"); t == "" || strings.EqualFold(t, "alert") {
		e.AlertID = field(data, "commentable_id")
	}
	e.CommentBody = field(data, "body")
	var au struct {
		User json.RawMessage `json:"user"`
	}
	_ = json.Unmarshal(data["account_user"], &au)
	p := person(au.User)
	if p.Name == "" {
		p.Name = field(data, "created_by_name")
	}
	if p.ID == "" {
		p.ID = field(data, "created_by_id", "account_user_id")
	}
	e.By = p
}

// personOf reads a person from the first key present: an id string or an object.
func personOf(m map[string]json.RawMessage, keys ...string) alertstate.Person {
	for _, k := range keys {
		if raw, ok := m[k]; ok {
			if p := person(raw); p != (alertstate.Person{}) {
				return p
			}
		}
	}
	return alertstate.Person{}
}

// person reads "usr_…" or {"id", "name", "email", "username"} (also first_name/last_name).
func person(raw json.RawMessage) alertstate.Person {
	if s, ok := str(raw); ok {
		return alertstate.Person{ID: s}
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		return alertstate.Person{}
	}
	p := alertstate.Person{
		ID: field(obj, "id"), Name: field(obj, "name", "full_name"),
		Email: field(obj, "email"), Username: field(obj, "username"),
	}
	if p.Name == "" {
		p.Name = strings.TrimSpace(field(obj, "first_name") + " " + field(obj, "last_name"))
	}
	return p
}

// withLinked fills a person known only by id from the linked user when it is the same one.
func withLinked(p, linked alertstate.Person) alertstate.Person {
	if p.Name != "" || p.Email != "" || linked.Name == "" && linked.Email == "" {
		return p
	}
	if p.ID == "" || p.ID == linked.ID {
		linked.ID = p.ID
		return linked
	}
	return p
}

// field returns the first present key as text: strings as they are, numbers in decimal.
func field(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		if s, ok := str(raw); ok {
			return strings.TrimSpace(s)
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// when reads a time as seconds: a number (seconds or milliseconds) or an RFC 3339 string.
func when(m map[string]json.RawMessage, keys ...string) int64 {
	for _, k := range keys {
		v := field(m, k)
		if v == "" {
			continue
		}
		if n, err := strconv.ParseFloat(v, 64); err == nil && n > 0 && n < 1e15 {
			if n > 1e11 { // milliseconds
				n /= 1000
			}
			return int64(n)
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t.Unix()
		}
	}
	return 0
}

func str(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// canonical is raw JSON in one form (object keys sorted, no spacing): the same data sent with
// its keys in another order digests the same. Not JSON: the bytes as they are.
func canonical(raw json.RawMessage) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return bytes.TrimSpace(raw)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return bytes.TrimSpace(raw)
	}
	return out
}
