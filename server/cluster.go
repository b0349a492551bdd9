package main

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// credentialsChangedEvent tells the other nodes of a cluster that the receiver's credentials
// were regenerated: they read them again instead of refusing PagerTree with the new ones.
const credentialsChangedEvent = "receiver_credentials_changed"

// announceCredentials is followup's Deps.CredentialsChanged.
func (p *Plugin) announceCredentials() {
	if appErr := p.API.PublishPluginClusterEvent(
		model.PluginClusterEvent{Id: credentialsChangedEvent},
		model.PluginClusterEventSendOptions{SendType: model.PluginClusterEventSendTypeReliable},
	); appErr != nil {
		// The other nodes still learn it: a request they refuse makes them read the store (at most once a second).
		p.API.LogWarn("PagerTree: could not tell the other nodes about the new credentials", "error", appErr.Error())
	}
}

// OnPluginClusterEvent receives what other nodes of this plugin announce.
func (p *Plugin) OnPluginClusterEvent(_ *plugin.Context, ev model.PluginClusterEvent) {
	if ev.Id == credentialsChangedEvent && p.followup != nil {
		p.followup.ReloadCredentials()
	}
}
