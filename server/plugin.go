package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/followup"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/metrics"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// Plugin is the thin wiring between Mattermost and the paging, delivery and client packages.
type Plugin struct {
	plugin.MattermostPlugin

	config atomic.Pointer[runtimeConfig]

	// Set in OnActivate, read-only afterwards.
	botID    string
	kv       kvstore.KV
	outbox   *delivery.Outbox
	history  *delivery.History
	followup *followup.Service // what happens after a page: records, cards, buttons, polling
	limiter  *delivery.Limiter
	router   *mux.Router
	nodeID   string
	metrics  *metrics.Metrics
	// lifetime is cancelled in OnDeactivate: the PagerTree calls of commands and of the
	// owners' background work stop with it.
	lifetime context.Context
	stop     context.CancelFunc

	// Test seams: nil means the real thing.
	newKV       func() kvstore.KV
	outboxTuner func(*delivery.Options)
	now         func() time.Time

	lookups  lookupCache    // channels, users, teams read for matched posts
	feedback *feedbackQueue // reactions and replies of delivered alerts

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
	p.lifetime, p.stop = context.WithCancel(context.Background())
	if p.oncall.now == nil {
		p.oncall.now = p.clock
	}
	if p.newKV != nil {
		p.kv = p.newKV()
	} else {
		p.kv = kvstore.NewPluginStore(p.API)
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
	p.followup = followup.New(followup.Deps{
		KV: p.kv, MM: p.API, BotID: p.botID, NodeID: p.nodeID, Now: p.clock, ActionsURL: actionsURL,
		Config: func() *followup.Config {
			if c := p.config.Load(); c != nil {
				return c.Followup
			}
			return nil
		},
		EventReceived:      func(k alertstate.Kind) { p.metrics.EventReceived(eventLabel(k)) },
		CredentialsChanged: p.announceCredentials,
	})
	if _, err := p.followup.EnsureCredentials(); err != nil {
		p.API.LogError("PagerTree: the receiver's credentials could not be created; PagerTree's events will be refused", "error", err.Error())
	}
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
		Endpoint: p.endpointOf,
		Prepare:  p.prepare,
		Stamp:    p.stamp,
		OnFinal:  p.onFinal,
		OnRetry:  p.onRetry,
		OnOutage: p.onOutage,
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
	p.feedback = newFeedbackQueue()
	p.followup.Start(p.lifetime)
	p.outbox.Start()
	return nil
}

// stopWithin bounds OnDeactivate: every owner is stopped at once, within this one deadline.
const stopWithin = 5 * time.Second

// OnDeactivate cancels the background work (PagerTree calls in flight included) and stops the
// owners of goroutines in parallel, within stopWithin. Queued alerts, cards and actions stay
// in the KV store for the next activation (or another node). It returns (and logs) which
// owners did not stop in time.
func (p *Plugin) OnDeactivate() error {
	if p.outbox == nil {
		return nil
	}
	p.stop()
	ctx, cancel := context.WithTimeout(context.Background(), stopWithin)
	defer cancel()
	stops := []func() error{
		func() error { return p.outbox.Stop(ctx) },
		func() error {
			if !p.feedback.close(ctx) {
				return fmt.Errorf("the reactions and replies of delivered alerts did not finish within %s", stopWithin)
			}
			return nil
		},
		func() error { return p.followup.Stop(ctx) },
	}
	errs := make([]error, len(stops))
	var wg sync.WaitGroup
	for i, stop := range stops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = stop()
		}()
	}
	wg.Wait()
	err := errors.Join(errs...)
	if err != nil {
		p.API.LogWarn("PagerTree: " + strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return err
}
