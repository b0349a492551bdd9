package main

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

// Alerts that did not come from Mattermost (issue 12 point 4): an alert.created/alert.open
// event for an alert the plugin did not send starts a card in the configured channel, or in
// the channel an outgoing rule named with the top-level setval "mattermost_channel".

// adoptExternal records such an alert when a channel is known for it; otherwise the event
// stays ignored (answered 2xx, as before).
func (p *Plugin) adoptExternal(ev alertstate.Event, cfg *runtimeConfig, replies bool) (delivery.Applied, error) {
	if !delivery.Adoptable(ev) {
		return delivery.Applied{}, nil
	}
	channelID := p.externalChannelFor(ev, cfg)
	if channelID == "" {
		return delivery.Applied{}, nil
	}
	applied, err := p.alerts.Adopt(ev, channelID, replies)
	if err == nil && applied.Matched && cfg.polling() {
		err = p.alerts.TrackOpen(applied.ThirdPartyID)
	}
	return applied, err
}

// externalChannelFor picks the channel: the event's mattermost_channel when it names a public
// or private channel (an id; "team/channel"; or a name in the default channel's team), else
// the configured channel. A name that does not resolve falls back, with a warning in the log.
func (p *Plugin) externalChannelFor(ev alertstate.Event, cfg *runtimeConfig) string {
	def := ""
	if cfg != nil {
		def = cfg.ExternalChannel
	}
	want := strings.TrimPrefix(strings.TrimSpace(ev.Channel), "~")
	if want == "" {
		return def
	}
	ch, appErr := p.lookupExternalChannel(want, def)
	if appErr != nil || ch == nil || ch.DeleteAt != 0 || ch.Type != model.ChannelTypeOpen && ch.Type != model.ChannelTypePrivate {
		where := "no channel for alerts from other sources is set"
		if def != "" {
			where = "posted to the configured channel instead"
		}
		p.API.LogWarn("PagerTree: mattermost_channel does not name a public or private channel; "+where, "mattermost_channel", want, "alert_id", ev.AlertID)
		return def
	}
	return ch.Id
}

func (p *Plugin) lookupExternalChannel(want, def string) (*model.Channel, *model.AppError) {
	if model.IsValidId(want) {
		return p.API.GetChannel(want)
	}
	if team, name, ok := strings.Cut(want, "/"); ok {
		return p.API.GetChannelByNameForTeamName(strings.TrimSpace(team), strings.TrimPrefix(strings.TrimSpace(name), "~"), false)
	}
	if def == "" {
		return nil, nil // a bare name needs the configured channel's team
	}
	home, appErr := p.API.GetChannel(def)
	if appErr != nil {
		return nil, appErr
	}
	return p.API.GetChannelByName(home.TeamId, want, false)
}
