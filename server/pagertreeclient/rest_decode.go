package pagertreeclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// The REST API's objects, reduced to what the plugin uses. Decoding is pure (bytes in, values
// out) so it is table-tested and fuzzed without a server. Where PagerTree's documentation is
// silent on a shape (current_oncall) or spells a key two ways (tiny_id), both are accepted.

// Alert is a PagerTree alert as GET /api/v4/alerts returns it.
type Alert struct {
	ID           string
	PrefixID     string // "alt_…"
	TinyID       int64  // the "#123" people see in PagerTree
	Status       string // open, acknowledged, resolved, dropped, …
	Title        string
	Urgency      string
	ThirdpartyID string
	// AcknowledgedAt and ResolvedAt are PagerTree's times in seconds (0 when unknown).
	AcknowledgedAt int64
	ResolvedAt     int64
	// Incident and Severity: PagerTree reports the alert as an incident (incident.go).
	Incident bool
	Severity paging.Severity
}

// Team is a PagerTree team.
type Team struct {
	ID     string
	Name   string
	TinyID int64
}

// OncallLayer is one escalation layer of a team's current on-call, with its attendees'
// account user ids (resolve names and e-mails with AccountUser).
type OncallLayer struct {
	Layer          int
	AccountUserIDs []string
}

// AccountUser is a PagerTree user within the account.
type AccountUser struct {
	ID     string
	Name   string
	Emails []string // the primary one first
}

// Email returns the primary e-mail, or "".
func (u AccountUser) Email() string {
	if len(u.Emails) == 0 {
		return ""
	}
	return u.Emails[0]
}

var errShape = errors.New("the answer is not the JSON object the PagerTree API documents")

// flexString accepts a JSON string or number (ids and tiny ids have been seen as both).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = flexString(n.String())
		return nil
	}
	*f = ""
	return nil // anything else (null, object) reads as absent rather than failing the whole answer
}

func (f flexString) int64() int64 {
	n, err := strconv.ParseInt(string(f), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

type listEnvelope struct {
	Data       []json.RawMessage `json:"data"`
	HasMore    bool              `json:"has_more"`
	TotalCount int               `json:"total_count"`
}

func decodeList(body []byte) (listEnvelope, error) {
	var env listEnvelope
	if err := json.Unmarshal(body, &env); err != nil || env.Data == nil {
		return env, errShape
	}
	return env, nil
}

// listItems reads a list PagerTree answers either bare ([...]) or in its {data: [...]} envelope.
func listItems(body []byte) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '[' {
		env, err := decodeList(trimmed)
		return env.Data, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(trimmed, &items); err != nil {
		return nil, errShape
	}
	return items, nil
}

type alertJSON struct {
	ID           flexString `json:"id"`
	PrefixID     flexString `json:"prefix_id"`
	TinyID       flexString `json:"tiny_id"`
	TinyIDCamel  flexString `json:"tinyId"`
	Status       flexString `json:"status"`
	Title        flexString `json:"title"`
	Urgency      flexString `json:"urgency"`
	ThirdpartyID flexString `json:"thirdparty_id"`
	AckAt        flexString `json:"acknowledged_at"`
	ResolvedAt   flexString `json:"resolved_at"`
}

// seconds reads an RFC 3339 time or a number of seconds (or milliseconds); 0 when unreadable.
func seconds(v flexString) int64 {
	raw, _ := json.Marshal(string(v))
	return when(map[string]json.RawMessage{"t": raw}, "t")
}

func decodeAlert(raw []byte) (Alert, error) {
	var a alertJSON
	if err := json.Unmarshal(raw, &a); err != nil {
		return Alert{}, errShape
	}
	if a.ID == "" && a.PrefixID == "" {
		return Alert{}, errShape
	}
	tiny := a.TinyID
	if tiny == "" {
		tiny = a.TinyIDCamel
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(raw, &fields) // it decoded as an object above
	incident, severity := incidentOf(fields)
	return Alert{ // bounded as events are (limits.go)
		Incident: incident, Severity: severity,
		ID: clip(string(a.ID), MaxIDLen), PrefixID: clip(string(a.PrefixID), MaxIDLen), TinyID: tiny.int64(),
		Status: clip(string(a.Status), MaxWordLen), Title: clip(string(a.Title), MaxTextLen),
		Urgency: clip(string(a.Urgency), MaxWordLen), ThirdpartyID: clip(string(a.ThirdpartyID), MaxIDLen),
		AcknowledgedAt: seconds(a.AckAt), ResolvedAt: seconds(a.ResolvedAt),
	}, nil
}

// decodeAlertList returns the first alert of a list answer; ok is false when the list is empty.
func decodeAlertList(body []byte) (a Alert, ok bool, err error) {
	env, err := decodeList(body)
	if err != nil {
		return Alert{}, false, err
	}
	if len(env.Data) == 0 {
		return Alert{}, false, nil
	}
	a, err = decodeAlert(env.Data[0])
	return a, err == nil, err
}

type teamJSON struct {
	ID     flexString `json:"id"`
	Name   flexString `json:"name"`
	TinyID flexString `json:"tiny_id"`
}

func decodeTeams(body []byte) ([]Team, bool, error) {
	env, err := decodeList(body)
	if err != nil {
		return nil, false, err
	}
	teams := make([]Team, 0, len(env.Data))
	for _, raw := range env.Data {
		var t teamJSON
		if json.Unmarshal(raw, &t) != nil || t.ID == "" {
			continue // one odd entry must not hide the others
		}
		teams = append(teams, Team{ID: clip(string(t.ID), MaxIDLen), Name: clip(string(t.Name), MaxNameLen), TinyID: t.TinyID.int64()})
	}
	return teams, env.HasMore, nil
}

// current_oncall is documented only as "on-call event attendees for now". PagerTree's own CLI
// reads it as an array of {layer, start_time, end_time, attendees: [{attendee_id}]}; a
// {data: [...]} envelope and attendee keys account_user_id / id are accepted too.
type oncallJSON struct {
	Layer     flexString `json:"layer"`
	Attendees []struct {
		AttendeeID    flexString `json:"attendee_id"`
		AccountUserID flexString `json:"account_user_id"`
		ID            flexString `json:"id"`
	} `json:"attendees"`
}

func decodeOncall(body []byte) ([]OncallLayer, error) {
	items, err := listItems(body)
	if err != nil {
		return nil, err
	}
	layers := []OncallLayer{}
	for _, raw := range items {
		var o oncallJSON
		if json.Unmarshal(raw, &o) != nil {
			continue
		}
		l := OncallLayer{Layer: int(o.Layer.int64())}
		seen := map[string]bool{}
		for _, at := range o.Attendees {
			id := at.AttendeeID
			if id == "" {
				id = at.AccountUserID
			}
			if id == "" {
				id = at.ID
			}
			if id != "" && !seen[string(id)] {
				seen[string(id)] = true
				l.AccountUserIDs = append(l.AccountUserIDs, clip(string(id), MaxIDLen))
			}
		}
		layers = append(layers, l)
	}
	return layers, nil
}

type emailJSON struct {
	Email   flexString `json:"email"`
	Primary bool       `json:"primary"`
}

type accountUserJSON struct {
	ID   flexString `json:"id"`
	User struct {
		Name   flexString  `json:"name"`
		Email  flexString  `json:"email"`
		Emails []emailJSON `json:"emails"`
	} `json:"user"`
	Name  flexString `json:"name"`
	Email flexString `json:"email"`
}

func decodeAccountUser(body []byte) (AccountUser, error) {
	var j accountUserJSON
	if err := json.Unmarshal(body, &j); err != nil || j.ID == "" {
		return AccountUser{}, errShape
	}
	u := AccountUser{ID: clip(string(j.ID), MaxIDLen), Name: clip(string(j.User.Name), MaxNameLen)}
	if u.Name == "" {
		u.Name = clip(string(j.Name), MaxNameLen)
	}
	add := func(e flexString, front bool) {
		s := strings.TrimSpace(string(e))
		if s == "" || len(s) > MaxNameLen || len(u.Emails) >= 10 {
			return // not an address (too long), or enough of them
		}
		for _, have := range u.Emails {
			if strings.EqualFold(have, s) {
				return
			}
		}
		if front {
			u.Emails = append([]string{s}, u.Emails...)
		} else {
			u.Emails = append(u.Emails, s)
		}
	}
	for _, e := range j.User.Emails {
		add(e.Email, e.Primary)
	}
	add(j.User.Email, false)
	add(j.Email, false)
	return u, nil
}
