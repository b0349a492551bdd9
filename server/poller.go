package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// maxPollPerRound bounds the REST calls of one poll: the oldest-checked alerts go first, so a
// long list is covered over several rounds.
const maxPollPerRound = 50

// poller asks PagerTree's REST API for the state of the alerts that are not resolved yet,
// when updates are polled (issue 12 point 5). One goroutine per node, owned by the plugin and
// stopped in OnDeactivate; a KV lease lets one node of a cluster poll per round.
type poller struct {
	p    *Plugin
	quit chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	tick time.Duration // how often it wakes to see whether a poll is due (the interval can change)
}

func newPoller(p *Plugin) *poller {
	return &poller{p: p, quit: make(chan struct{}), tick: time.Second}
}

func (w *poller) start() {
	w.wg.Add(1)
	go w.run()
}

func (w *poller) stop(timeout time.Duration) error {
	w.once.Do(func() { close(w.quit) })
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("the PagerTree poller did not stop within %s", timeout)
	}
}

func (w *poller) run() {
	defer w.wg.Done()
	t := time.NewTicker(w.tick)
	defer t.Stop()
	var last time.Time
	for {
		select {
		case <-w.quit:
			return
		case <-t.C:
		}
		cfg := w.p.config.Load()
		if !cfg.polling() || time.Since(last) < cfg.Updates.Every {
			continue
		}
		last = time.Now()
		// The lease lasts a little less than the interval, so each round one node polls.
		if ok, err := delivery.TakePollLease(w.p.kv, w.p.nodeID, cfg.Updates.Every*9/10); err != nil || !ok {
			continue
		}
		w.p.pollOnce(cfg, w.quit)
	}
}

// pollOnce checks up to maxPollPerRound alerts and feeds what PagerTree says through the
// same state machine as pushed events, so a change seen both ways posts once.
func (p *Plugin) pollOnce(cfg *runtimeConfig, quit <-chan struct{}) {
	due, err := p.alerts.DuePolls(maxPollPerRound)
	if err != nil {
		p.API.LogWarn("PagerTree: could not read the alerts to poll", "error", err.Error())
		return
	}
	replies := cfg.StatusReplies
	result := delivery.LastPoll{At: p.clock().UTC()}
	done := map[string]bool{}
	var checked []string
	for _, tp := range due {
		select {
		case <-quit:
			return
		default:
		}
		rec, ok, gerr := p.alerts.Get(tp)
		if gerr != nil {
			continue
		}
		checked = append(checked, tp)
		if !ok || rec.Status.State.Final() {
			done[tp] = true // expired or already resolved
			continue
		}
		alert, aerr := p.fetchAlert(cfg.REST.API, rec)
		var apiErr *pagertreeclient.APIError
		if errors.As(aerr, &apiErr) && apiErr.Kind == pagertreeclient.KindNotFound {
			continue // not created in PagerTree yet (or deleted): asked again next round
		}
		if aerr != nil {
			result.Problem = aerr.Error()
			checked = checked[:len(checked)-1] // keep its place: it is asked first next round
			break
		}
		result.Checked++
		ev := pagertreeclient.PolledEvent(alert)
		applied, perr := p.alerts.Apply(ev, replies)
		if perr != nil {
			p.API.LogWarn("PagerTree: could not record a polled update", "thirdparty_id", tp, "error", perr.Error())
			continue
		}
		if applied.Changed {
			result.Changed++
		}
		if applied.Work {
			p.cards.kick(applied.ThirdPartyID)
		}
		if cur, ok, _ := p.alerts.Get(tp); ok && cur.Status.State.Final() {
			done[tp] = true
		}
	}
	if err := p.alerts.Polled(checked, done); err != nil {
		p.API.LogWarn("PagerTree: could not update the polled list", "error", err.Error())
	}
	if result.Problem != "" {
		p.API.LogWarn("PagerTree: polling PagerTree's API failed: " + result.Problem)
	}
	if err := delivery.RecordLastPoll(p.kv, result); err != nil {
		p.API.LogWarn("PagerTree: could not record the last poll", "error", err.Error())
	}
}

// fetchAlert reads the alert by PagerTree's id once known, else by the thirdparty id we sent.
func (p *Plugin) fetchAlert(api *pagertreeclient.API, rec delivery.AlertRecord) (pagertreeclient.Alert, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if id := rec.Status.AlertID; id != "" {
		return api.GetAlert(ctx, id)
	}
	return api.FindAlert(ctx, rec.ThirdPartyID)
}
