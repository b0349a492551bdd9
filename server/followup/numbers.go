package followup

import (
	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// /pagertree ack|resolve names an alert by PagerTree's number (#42), by a link to it (its
// alt_… id), or by the thread of its card (press.go). This file keeps the pointer from the
// number and finds the record by number or by PagerTree's id.

// alertTinyPrefix points from PagerTree's alert number (#42) to the record, for /pagertree ack 42.
const alertTinyPrefix = "alert_no_"

// rememberNumber keeps the pointer from the alert's number once an event told it. Numbers
// are unique in one PagerTree account; if an account change reuses one, the newer alert wins.
func (s *records) rememberNumber(rec Record) error {
	n := rec.Status.TinyID
	if n == "" || len(n) > 20 {
		return nil
	}
	key := alertTinyPrefix + n
	cur, err := s.kv.Get(key)
	if err != nil || string(cur) == rec.ThirdPartyID {
		return err
	}
	if cur != nil {
		if other, ok, gerr := s.get(string(cur)); gerr == nil && ok && other.Created.After(rec.Created) {
			return nil
		}
	}
	_, err = s.kv.CompareAndSet(key, cur, []byte(rec.ThirdPartyID), s.lifetime())
	return err
}

// findByNumber finds the record of PagerTree alert #n.
func (s *records) findByNumber(n string) (Record, bool, error) {
	if n == "" || len(n) > 20 {
		return Record{}, false, nil
	}
	tp, err := s.kv.Get(alertTinyPrefix + n)
	if err != nil || tp == nil {
		return Record{}, false, err
	}
	return s.get(string(tp))
}

// findByAlertID finds the record of PagerTree's alert id (alt_…), from a link to the alert.
func (s *records) findByAlertID(id string) (Record, bool, error) {
	return s.find(alertstate.Event{Kind: alertstate.KindCommentCreated, AlertID: id})
}
