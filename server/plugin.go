package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/metrics"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// Plugin is the thin wiring between Mattermost and the paging, delivery and client packages.
type Plugin struct {
	plugin.MattermostPlugin

	config atomic.Pointer[runtimeConfig]

	// Set in OnActivate, read-only afterwards.
	botID   string
	kv      delivery.KV
	outbox  *delivery.Outbox
	history *delivery.History
	limiter *delivery.Limiter
	router  *mux.Router
	nodeID  string
	metrics *metrics.Metrics

	// Test seams: nil means the real thing.
	newKV       func() delivery.KV
	outboxTuner func(*delivery.Options)
	now         func() time.Time

	problemMu   sync.Mutex
	lastProblem string

	oncall oncallCache // recent /pagertree oncall answers
}

func (p *Plugin) clock() time.Time {
	if p.now != nil {
		return p.now()
	}
	return time.Now()
}

func (p *Plugin) userAgent() string { return "mattermost-plugin-pagertree/" + manifest.Version }

// OnConfigurationChange parses, validates and swaps the configuration. An invalid one pauses
// forwarding (it is still stored so status can say why) and is logged once.
func (p *Plugin) OnConfigurationChange() error {
	// Read as a map and decode strictly: a plain Unmarshal into the struct would silently
	// zero a wrongly typed value (enabled: "yes" would turn forwarding off).
	var raw map[string]any
	if err := p.API.LoadPluginConfiguration(&raw); err != nil {
		return fmt.Errorf("could not read the PagerTree plugin settings: %w", err)
	}
	// Called on every server config change too, so the guard follows
	// AllowedUntrustedInternalConnections.
	cfg := configFromRaw(raw, p.userAgent(), pagertreeclient.NewGuard(allowedInternal(p.API.GetConfig())))
	if old := p.config.Swap(cfg); old != nil {
		old.closeIdle() // requests in flight on the old clients finish normally
	}

	p.problemMu.Lock()
	defer p.problemMu.Unlock()
	if cfg.Problem != p.lastProblem {
		if cfg.Problem != "" && cfg.Enabled {
			p.API.LogError("PagerTree forwarding is paused until the settings are fixed: " + cfg.Problem + ".")
		} else if p.lastProblem != "" {
			p.API.LogInfo("PagerTree settings are valid again; forwarding resumed.")
		}
		p.lastProblem = cfg.Problem
	}
	return nil
}

// OnActivate creates the bot, registers the command and starts the outbox workers.
func (p *Plugin) OnActivate() error {
	if p.config.Load() == nil {
		if err := p.OnConfigurationChange(); err != nil {
			return err
		}
	}
	p.nodeID = model.NewId()
	if p.newKV != nil {
		p.kv = p.newKV()
	} else {
		p.kv = newPluginKV(p.API)
	}
	botID, err := p.ensureBot()
	if err != nil {
		return err
	}
	p.botID = botID
	if err := p.API.RegisterCommand(commandDefinition()); err != nil {
		return fmt.Errorf("could not register the /%s command: %w", commandTrigger, err)
	}
	p.history = delivery.NewHistory(p.kv, delivery.DefaultHistorySize)
	p.limiter = delivery.NewLimiter(p.kv, delivery.AlertLimitWindow)
	opts := delivery.Options{
		NodeID: p.nodeID,
		Now:    p.clock,
		RetryWindow: func() time.Duration {
			if c := p.config.Load(); c != nil && c.RetryWindow > 0 {
				return c.RetryWindow
			}
			return time.Hour
		},
		OnFinal: p.onFinal,
		OnRetry: p.onRetry,
		OnError: func(msg string, err error, key string) {
			p.API.LogError("PagerTree outbox: "+msg, "key", key, "error", err.Error())
		},
	}
	if p.outboxTuner != nil {
		p.outboxTuner(&opts)
	}
	p.outbox = delivery.New(p.kv, p.send, opts)
	p.metrics = newMetrics(p.outbox, p.clock)
	p.router = p.newRouter()
	p.outbox.Start()
	return nil
}

// OnDeactivate stops the workers within a few seconds. Queued alerts stay in the KV store
// and are sent after the next activation (or by another node).
func (p *Plugin) OnDeactivate() error {
	if p.outbox == nil {
		return nil
	}
	if err := p.outbox.Stop(5 * time.Second); err != nil {
		p.API.LogWarn("PagerTree: " + err.Error())
	}
	return nil
}
