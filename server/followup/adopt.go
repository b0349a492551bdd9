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
// usual way. A mattermost_channel is never a way into a channel the admin did not open to
// the plugin (issue 21): see externalChannelFor.

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

// adoptExternal records such an alert when the setting names a channel; otherwise the event
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

// externalChannelFor picks the channel, or "" when the event stays ignored: nothing is posted
// unless the setting names a channel (cfg.ExternalChannel). The event's mattermost_channel
// (an id, "team/channel", or a name) is used only when it names a channel of the configured
// channel's team that is public, or private with the bot already a member (a channel admin
// added it on purpose); anything else is posted to the configured channel, with one warning
// in the log naming the value.
func (s *Service) externalChannelFor(ev alertstate.Event, cfg *Config) string {
	if cfg == nil || cfg.ExternalChannel == "" {
		return ""
	}
	def := cfg.ExternalChannel
	want := strings.TrimPrefix(strings.TrimSpace(ev.Channel), "~")
	if want == "" {
		return def
	}
	if id, why := s.namedExternalChannel(want, def); why != "" {
		s.mm.LogWarn("PagerTree: mattermost_channel "+why+"; posted to the configured channel instead", "mattermost_channel", want, "alert_id", ev.AlertID)
	} else {
		return id
	}
	return def
}

// namedExternalChannel resolves want in the team of the configured channel def; why says in
// a clause why it may not be used ("" when it may).
func (s *Service) namedExternalChannel(want, def string) (string, string) {
	home, appErr := s.mm.GetChannel(def)
	if appErr != nil || home == nil {
		return "", "could not be checked (the configured channel could not be read)"
	}
	var ch *model.Channel
	switch team, name, isPath := strings.Cut(want, "/"); {
	case model.IsValidId(want):
		ch, appErr = s.mm.GetChannel(want)
	case isPath:
		ch, appErr = s.mm.GetChannelByNameForTeamName(strings.TrimSpace(team), strings.TrimPrefix(strings.TrimSpace(name), "~"), false)
	default:
		ch, appErr = s.mm.GetChannelByName(home.TeamId, want, false)
	}
	switch {
	case appErr != nil || ch == nil || ch.DeleteAt != 0:
		return "", "does not name a channel"
	case ch.TeamId != home.TeamId:
		return "", "names a channel outside the configured channel's team"
	case ch.Type == model.ChannelTypeOpen:
		return ch.Id, ""
	case ch.Type != model.ChannelTypePrivate:
		return "", "does not name a public or private channel"
	}
	if member, mErr := s.mm.GetChannelMember(ch.Id, s.botID); mErr != nil || member == nil {
		return "", "names a private channel the plugin's bot is not a member of"
	}
	return ch.Id, ""
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
