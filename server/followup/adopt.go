package followup

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
)

// Alerts that did not come from Mattermost (DESIGN §10, issue 12 point 4): PagerTree alerts
// from monitoring, e-mail… that the admin wants in a channel. An alert.created/alert.open event
// for an alert the plugin did not send starts a card in the configured channel, or in the
// channel an outgoing rule named with the top-level setval "mattermost_channel". They get the
// same record as ours, keyed by PagerTree's alert id, so every later event finds them the
// usual way.

// externalPrefix starts the record key of an alert from another source.
const externalPrefix = "pt."

// adoptable reports whether an event that matched no record may start one: an alert's
// created/open event with PagerTree's alert id, whose thirdparty id is not one of a test alert.
func adoptable(e alertstate.Event) bool {
	if e.Kind != alertstate.KindCreated && e.Kind != alertstate.KindOpen {
		return false
	}
	if e.AlertID == "" || len(externalPrefix+e.AlertID) > maxThirdPartyLen {
		return false
	}
	return !strings.HasPrefix(e.ThirdPartyID, "test.") // the plugin's own test alerts are never followed
}

// adoptExternal records such an alert when a channel is known for it; otherwise the event
// stays ignored (answered 2xx, as before).
func (s *Service) adoptExternal(ev alertstate.Event, cfg *Config, replies bool) (Applied, error) {
	if !adoptable(ev) {
		return Applied{}, nil
	}
	channelID := s.externalChannelFor(ev, cfg)
	if channelID == "" {
		return Applied{}, nil
	}
	applied, err := s.records.adopt(ev, channelID, replies)
	if err == nil && applied.Matched && cfg.Polling() {
		err = s.records.trackOpen(applied.ThirdPartyID)
	}
	return applied, err
}

// externalChannelFor picks the channel: the event's mattermost_channel when it names a public
// or private channel (an id; "team/channel"; or a name in the default channel's team), else
// the configured channel. A name that does not resolve falls back, with a warning in the log.
func (s *Service) externalChannelFor(ev alertstate.Event, cfg *Config) string {
	def := ""
	if cfg != nil {
		def = cfg.ExternalChannel
	}
	want := strings.TrimPrefix(strings.TrimSpace(ev.Channel), "~")
	if want == "" {
		return def
	}
	ch, appErr := s.lookupExternalChannel(want, def)
	if appErr != nil || ch == nil || ch.DeleteAt != 0 || ch.Type != model.ChannelTypeOpen && ch.Type != model.ChannelTypePrivate {
		where := "no channel for alerts from other sources is set"
		if def != "" {
			where = "posted to the configured channel instead"
		}
		s.mm.LogWarn("PagerTree: mattermost_channel does not name a public or private channel; "+where, "mattermost_channel", want, "alert_id", ev.AlertID)
		return def
	}
	return ch.Id
}

func (s *Service) lookupExternalChannel(want, def string) (*model.Channel, *model.AppError) {
	if model.IsValidId(want) {
		return s.mm.GetChannel(want)
	}
	if team, name, ok := strings.Cut(want, "/"); ok {
		return s.mm.GetChannelByNameForTeamName(strings.TrimSpace(team), strings.TrimPrefix(strings.TrimSpace(name), "~"), false)
	}
	if def == "" {
		return nil, nil // a bare name needs the configured channel's team
	}
	home, appErr := s.mm.GetChannel(def)
	if appErr != nil {
		return nil, appErr
	}
	return s.mm.GetChannelByName(home.TeamId, want, false)
}

// adopt records an alert from another source for channelID with its event applied, in one
// write. Repeats and other nodes receiving the same event meet the same keys
// (compare-and-set): the alert gets one record and one card, and exactly one of them reports
// the work. An alert already recorded is only applied.
func (s *records) adopt(e alertstate.Event, channelID string, replies bool) (Applied, error) {
	if !adoptable(e) || channelID == "" {
		return s.apply(e, replies)
	}
	tp := externalPrefix + e.AlertID
	now := s.now()
	rec := Record{
		ThirdPartyID: tp, ChannelID: channelID, Created: now, Touched: now, External: true,
		Rev:     1, // the first card is drawn even when the event tells nothing else
		Summary: e.Title, Details: e.Description, Status: alertstate.Status{State: alertstate.Open},
	}
	applyTo(&rec, e, replies, now)
	raw := encodeRecord(&rec)
	if err := s.work.Add(tp); err != nil { // intent first: the sweep finds the card to draw
		return Applied{}, fmt.Errorf("could not queue the alert from PagerTree: %w", err)
	}
	created, err := s.kv.CompareAndSet(alertPrefix+tp, nil, raw, s.lifetime())
	if err != nil {
		return Applied{}, fmt.Errorf("could not record the alert from PagerTree: %w", err)
	}
	// The pointer from PagerTree's id is what every later event of this alert is found by.
	if _, perr := s.kv.CompareAndSet(alertIDPrefix+e.AlertID, nil, []byte(tp), s.lifetime()); perr != nil {
		return Applied{}, perr
	}
	if !created { // recorded already (a repeat, another node): the event is applied as any other
		return s.apply(e, replies)
	}
	return s.applied(rec, e, true)
}
