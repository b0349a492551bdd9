package main

import (
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
)

// ServeMetrics serves the plugin's Prometheus metrics on the server's metrics listener, at
// /plugins/pagertree/metrics (MetricsSettings.Enable and ListenAddress, default :8067).
func (p *Plugin) ServeMetrics(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	if p.metrics == nil {
		http.Error(w, "the PagerTree plugin is starting", http.StatusServiceUnavailable)
		return
	}
	p.metrics.Handler().ServeHTTP(w, r)
}

// GenerateSupportData adds the plugin's diagnostics to a Support Packet: redacted settings,
// version, queue and the last outcomes (never message text, secrets or the endpoint's path).
func (p *Plugin) GenerateSupportData(_ *plugin.Context) ([]*model.FileData, error) {
	var problems []string
	raw := p.API.GetPluginConfig()
	problem := ""
	if cfg := p.config.Load(); cfg != nil {
		problem = cfg.Problem
	}
	var q delivery.QueueStats
	var entries []delivery.Entry
	if p.outbox != nil {
		var err error
		if q, err = p.outbox.Stats(); err != nil {
			problems = append(problems, "queue: "+err.Error())
		}
	}
	if p.history != nil {
		var err error
		if entries, err = p.history.Recent(supportOutcomes); err != nil {
			problems = append(problems, "history: "+err.Error())
		}
	}
	d := buildSupportData(raw, manifest.SettingsSchema.Settings, problem, q, entries, p.clock(), problems)
	f, err := d.file()
	if err != nil {
		return nil, err
	}
	return []*model.FileData{f}, nil
}
