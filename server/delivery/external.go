package delivery

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// Alerts that did not come from Mattermost (DESIGN §10, issue 12 point 4): PagerTree alerts
// from monitoring, e-mail… that the admin wants in a channel. They get the same record as
// ours, keyed by PagerTree's alert id, so every later event finds them the usual way.

// externalPrefix starts the record key of an alert from another source.
const externalPrefix = "pt."

// Adoptable reports whether an event that matched no record may start one: an alert's
// created/open event with PagerTree's alert id, whose thirdparty id is not one of a test alert.
func Adoptable(e alertstate.Event) bool {
	if e.Kind != alertstate.KindCreated && e.Kind != alertstate.KindOpen {
		return false
	}
	if e.AlertID == "" || len(externalPrefix+e.AlertID) > maxThirdPartyLen {
		return false
	}
	return !strings.HasPrefix(e.ThirdPartyID, "test.") // the plugin's own test alerts are never followed
}

// Adopt records an alert from another source for channelID and applies its event. Repeats
// and other nodes receiving the same event meet the same keys (compare-and-set), so the
// alert gets one record and one card. An alert already recorded is only applied.
func (s *Alerts) Adopt(e alertstate.Event, channelID string, replies bool) (Applied, error) {
	if !Adoptable(e) || channelID == "" {
		return s.Apply(e, replies)
	}
	tp := externalPrefix + e.AlertID
	rec := AlertRecord{
		ThirdPartyID: tp, ChannelID: channelID, Created: s.now(), External: true, CardDirty: true,
		Summary: e.Title, Details: e.Description, Status: alertstate.Status{State: alertstate.Open},
	}
	raw, _ := json.Marshal(rec)
	created, err := s.kv.CompareAndSet(alertPrefix+tp, nil, raw, s.lifetime())
	if err != nil {
		return Applied{}, fmt.Errorf("could not record the alert from PagerTree: %w", err)
	}
	// The pointer from PagerTree's id is what every later event of this alert is found by.
	if _, perr := s.kv.CompareAndSet(alertIDPrefix+e.AlertID, nil, []byte(tp), s.lifetime()); perr != nil {
		return Applied{}, perr
	}
	out, err := s.Apply(e, replies)
	if err != nil {
		return out, err
	}
	if created && out.Matched { // the first card must be drawn even when the event changed nothing else
		out.Changed, out.Work = true, true
		err = s.markPending(tp, true)
	}
	return out, err
}
