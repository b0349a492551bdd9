package followup

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/pagertreeclient"
)

// Polling (DESIGN §10, issue 12 point 5): behind a firewall PagerTree cannot push its events,
// so the plugin asks the REST API for the state of its alerts that are not resolved yet. The
// poller is an owner of the Service; this file also owns the KV keys of polling: the list of
// alerts to poll (oldest-checked first) and the lease that lets one node of a cluster poll at
// a time. The last poll is in status.go.
const (
	openKey   = "alerts_open"
	pollLease = "poll_lease"
	// maxOpenTracked bounds the list; beyond it the oldest-checked entries are dropped.
	maxOpenTracked = 5000
	// maxPollPerRound bounds the REST calls of one poll: the oldest-checked alerts go first,
	// so a long list is covered over several rounds.
	maxPollPerRound = 50
	// pollTimeout bounds one REST call of a poll.
	pollTimeout = 15 * time.Second
)

type poller struct {
	s    *Service
	tick time.Duration // how often it wakes to see whether a poll is due (the interval can change)
}

func newPoller(s *Service) *poller { return &poller{s: s, tick: time.Second} }

func (w *poller) run(ctx context.Context) {
	t := time.NewTicker(w.tick)
	defer t.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			last = w.round(ctx, last)
		}
	}
}

// round polls when a round is due by the plugin's clock (last is when the previous one was)
// and this node holds the round's lease; it returns when this round was.
func (w *poller) round(ctx context.Context, last time.Time) time.Time {
	cfg := w.s.config()
	now := w.s.now()
	if !cfg.Polling() || now.Sub(last) < cfg.Updates.Every {
		return last
	}
	// The lease lasts a little less than the interval, so each round one node polls.
	if ok, err := takePollLease(w.s.kv, w.s.nodeID, cfg.Updates.Every*9/10); err == nil && ok {
		w.s.pollOnce(ctx, cfg)
	}
	return now
}

// pollOnce checks up to maxPollPerRound alerts and feeds what PagerTree says through the
// same state machine as pushed events, so a change seen both ways posts once. A cancelled ctx
// ends the round (and the call in flight).
func (s *Service) pollOnce(ctx context.Context, cfg *Config) {
	due, err := s.records.duePolls(maxPollPerRound)
	if err != nil {
		s.mm.LogWarn("PagerTree: could not read the alerts to poll", "error", err.Error())
		return
	}
	replies := cfg.replies()
	result := LastPoll{At: s.now().UTC()}
	done := map[string]bool{}
	var checked []string
	for _, tp := range due {
		if ctx.Err() != nil {
			return
		}
		rec, ok, gerr := s.records.get(tp)
		if gerr != nil {
			continue
		}
		checked = append(checked, tp)
		if !ok || rec.Status.State.Final() {
			done[tp] = true // expired or already resolved
			continue
		}
		alert, aerr := fetchAlert(ctx, cfg.Actor.API, rec)
		var apiErr *pagertreeclient.APIError
		if errors.As(aerr, &apiErr) && apiErr.Kind == pagertreeclient.KindNotFound {
			continue // not created in PagerTree yet (or deleted): asked again next round
		}
		if aerr != nil {
			if ctx.Err() != nil {
				return // stopping: not a problem of PagerTree's
			}
			result.Problem = aerr.Error()
			checked = checked[:len(checked)-1] // keep its place: it is asked first next round
			break
		}
		result.Checked++
		ev := pagertreeclient.PolledEvent(alert)
		applied, perr := s.records.apply(ev, replies)
		if perr != nil {
			s.mm.LogWarn("PagerTree: could not record a polled update", "thirdparty_id", tp, "error", perr.Error())
			continue
		}
		if applied.Changed {
			result.Changed++
		}
		if applied.Work {
			s.cards.kick(applied.ThirdPartyID)
		}
		if cur, ok, _ := s.records.get(tp); ok && cur.Status.State.Final() {
			done[tp] = true
		}
	}
	if err := s.records.polled(checked, done); err != nil {
		s.mm.LogWarn("PagerTree: could not update the polled list", "error", err.Error())
	}
	if result.Problem != "" {
		s.mm.LogWarn("PagerTree: polling PagerTree's API failed: " + result.Problem)
	}
	if err := recordLastPoll(s.kv, result); err != nil {
		s.mm.LogWarn("PagerTree: could not record the last poll", "error", err.Error())
	}
}

// fetchAlert reads the alert by PagerTree's id once known, else by the thirdparty id we sent.
func fetchAlert(ctx context.Context, api *pagertreeclient.API, rec Record) (pagertreeclient.Alert, error) {
	ctx, cancel := context.WithTimeout(ctx, pollTimeout)
	defer cancel()
	if id := rec.Status.AlertID; id != "" {
		return api.GetAlert(ctx, id)
	}
	return api.FindAlert(ctx, rec.ThirdPartyID)
}

// trackOpen adds an alert to the polled list (checked soon: its time is zero).
func (s *records) trackOpen(tp string) error {
	if tp == "" || len(tp) > maxThirdPartyLen {
		return nil
	}
	return s.updateOpen(func(set map[string]time.Time) bool {
		if _, ok := set[tp]; ok {
			return false
		}
		set[tp] = time.Time{}
		return true
	})
}

// duePolls returns at most n alerts to ask PagerTree about, the longest unchecked first.
func (s *records) duePolls(n int) ([]string, error) {
	raw, err := s.kv.Get(openKey)
	if err != nil || raw == nil {
		return nil, err
	}
	set := map[string]time.Time{}
	if json.Unmarshal(raw, &set) != nil {
		return nil, nil // a damaged list is rebuilt by the next alerts
	}
	list := make([]string, 0, len(set))
	for tp := range set {
		list = append(list, tp)
	}
	sort.Slice(list, func(i, j int) bool {
		if !set[list[i]].Equal(set[list[j]]) {
			return set[list[i]].Before(set[list[j]])
		}
		return list[i] < list[j]
	})
	if len(list) > n {
		list = list[:n]
	}
	return list, nil
}

// polled records that alerts were checked now; those in done (resolved, or no longer
// followed) leave the list.
func (s *records) polled(checked []string, done map[string]bool) error {
	now := s.now()
	return s.updateOpen(func(set map[string]time.Time) bool {
		for _, tp := range checked {
			if _, ok := set[tp]; !ok {
				continue
			}
			if done[tp] {
				delete(set, tp)
			} else {
				set[tp] = now
			}
		}
		return true
	})
}

// openCount is how many alerts are being polled.
func (s *records) openCount() int {
	raw, err := s.kv.Get(openKey)
	if err != nil || raw == nil {
		return 0
	}
	set := map[string]time.Time{}
	_ = json.Unmarshal(raw, &set)
	return len(set)
}

func (s *records) updateOpen(fn func(map[string]time.Time) bool) error {
	return s.kv.Update(openKey, func(old []byte) ([]byte, error) {
		set := map[string]time.Time{}
		if len(old) > 0 {
			_ = json.Unmarshal(old, &set)
		}
		if !fn(set) {
			return old, nil
		}
		if len(set) > maxOpenTracked { // keep the newest-checked: the oldest are least likely still open
			list := make([]string, 0, len(set))
			for tp := range set {
				list = append(list, tp)
			}
			sort.Slice(list, func(i, j int) bool { return set[list[i]].After(set[list[j]]) })
			for _, tp := range list[maxOpenTracked:] {
				delete(set, tp)
			}
		}
		if len(set) == 0 {
			return nil, nil
		}
		return json.Marshal(set)
	})
}

// takePollLease lets one node poll this round: the first to take the key holds it for ttl
// (shorter than the poll interval), and a node that died simply lets it expire.
func takePollLease(kv kvstore.KV, node string, ttl time.Duration) (bool, error) {
	return kv.CompareAndSet(pollLease, nil, []byte(node), ttl)
}
