package followup

import (
	"context"
	"errors"
	"sort"
	"sync"
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
	polledSetPrefix = "alerts_polled_"
	legacyOpenKey   = "alerts_open" // the single-key list of earlier versions, moved at start
	pollLease       = "poll_lease"
	// maxPollPerRound bounds the REST calls of one poll (an alert's state and its comments are
	// two): the oldest-checked alerts go first, so a long list is covered over several rounds.
	maxPollPerRound = 50
	// pollTimeout bounds one REST call of a poll.
	pollTimeout = 10 * time.Second
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

// pollOnce makes up to maxPollPerRound REST calls: for each alert due, its state and then its
// comments (comments_poll.go), fed through the same state machine and echo guard as pushed
// events, so a change or comment seen both ways posts once. A cancelled ctx ends the round
// (and the call in flight).
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
	budget := maxPollPerRound // REST calls: an alert costs one, and one more for its comments
	for _, tp := range due {
		if ctx.Err() != nil {
			return
		}
		if budget < 1 {
			break // the rest are asked first next round
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
		budget--
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
		if budget > 0 {
			budget--
			if problem := s.pollComments(ctx, tp, alert, replies); problem != "" && result.Problem == "" {
				result.Problem = problem
			}
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

// trackOpen adds an alert to the polled list (checked soon: this node never checked it).
func (s *records) trackOpen(tp string) error {
	if tp == "" || len(tp) > maxThirdPartyLen {
		return nil
	}
	return s.polledSet.Add(tp)
}

// polledChecks is when this node last asked PagerTree about each polled alert. It lives in
// memory: the list itself is a sharded key set (no hot key when many alerts are sent), and a
// node that takes the lease over starts from the alerts it never checked, in key order.
type polledChecks struct {
	mu sync.Mutex
	at map[string]time.Time
	// comments are the comment ids this node applied per alert (comments_poll.go).
	comments map[string]map[string]bool
}

// duePolls returns at most n alerts to ask PagerTree about, the longest unchecked first.
func (s *records) duePolls(n int) ([]string, error) {
	list, err := s.polledSet.Keys()
	if err != nil {
		return nil, err
	}
	c := &s.checks
	c.mu.Lock()
	defer c.mu.Unlock()
	in := make(map[string]time.Time, len(list))
	for _, tp := range list {
		in[tp] = c.at[tp]
	}
	c.at = in // forget alerts that left the list
	for tp := range c.comments {
		if _, ok := in[tp]; !ok {
			delete(c.comments, tp)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return in[list[i]].Before(in[list[j]]) })
	if len(list) > n {
		list = list[:n]
	}
	return list, nil
}

// polled records that alerts were checked now; those in done (resolved, or no longer
// followed) leave the list.
func (s *records) polled(checked []string, done map[string]bool) error {
	now := s.now()
	c := &s.checks
	c.mu.Lock()
	if c.at == nil {
		c.at = map[string]time.Time{}
	}
	for _, tp := range checked {
		if !done[tp] {
			c.at[tp] = now
		}
	}
	c.mu.Unlock()
	for _, tp := range checked {
		if done[tp] {
			if err := s.polledSet.Remove(tp); err != nil {
				return err
			}
		}
	}
	return nil
}

// openCount is how many alerts are being polled.
func (s *records) openCount() int {
	list, _ := s.polledSet.Keys()
	return len(list)
}

// takePollLease lets one node poll this round: the first to take the key holds it for ttl
// (shorter than the poll interval), and a node that died simply lets it expire.
func takePollLease(kv kvstore.KV, node string, ttl time.Duration) (bool, error) {
	return kv.CompareAndSet(pollLease, nil, []byte(node), ttl)
}
