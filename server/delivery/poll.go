package delivery

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
)

// Polling (DESIGN §10, issue 12 point 5): behind a firewall PagerTree cannot push its events,
// so the plugin asks the REST API for the state of its alerts that are not resolved yet. This
// file owns the KV keys of that: the list of alerts to poll (oldest-checked first), the lease
// that lets one node of a cluster poll at a time, and the last poll for the panel and status.
const (
	openKey     = "alerts_open"
	pollLease   = "poll_lease"
	lastPollKey = "last_poll"
	// MaxOpenTracked bounds the list; beyond it the oldest-checked entries are dropped.
	MaxOpenTracked = 5000
)

// TrackOpen adds an alert to the polled list (checked soon: its time is zero).
func (s *Alerts) TrackOpen(tp string) error {
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

// DuePolls returns at most n alerts to ask PagerTree about, the longest unchecked first.
func (s *Alerts) DuePolls(n int) ([]string, error) {
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

// Polled records that alerts were checked now; those in done (resolved, or no longer
// followed) leave the list.
func (s *Alerts) Polled(checked []string, done map[string]bool) error {
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

// OpenCount is how many alerts are being polled.
func (s *Alerts) OpenCount() int {
	raw, err := s.kv.Get(openKey)
	if err != nil || raw == nil {
		return 0
	}
	set := map[string]time.Time{}
	_ = json.Unmarshal(raw, &set)
	return len(set)
}

func (s *Alerts) updateOpen(fn func(map[string]time.Time) bool) error {
	return s.kv.Update(openKey, func(old []byte) ([]byte, error) {
		set := map[string]time.Time{}
		if len(old) > 0 {
			_ = json.Unmarshal(old, &set)
		}
		if !fn(set) {
			return old, nil
		}
		if len(set) > MaxOpenTracked { // keep the newest-checked: the oldest are least likely still open
			list := make([]string, 0, len(set))
			for tp := range set {
				list = append(list, tp)
			}
			sort.Slice(list, func(i, j int) bool { return set[list[i]].After(set[list[j]]) })
			for _, tp := range list[MaxOpenTracked:] {
				delete(set, tp)
			}
		}
		if len(set) == 0 {
			return nil, nil
		}
		return json.Marshal(set)
	})
}

// TakePollLease lets one node poll this round: the first to take the key holds it for ttl
// (shorter than the poll interval), and a node that died simply lets it expire.
func TakePollLease(kv kvstore.KV, node string, ttl time.Duration) (bool, error) {
	return kv.CompareAndSet(pollLease, nil, []byte(node), ttl)
}

// LastPoll is what the panel and /pagertree status show about polling.
type LastPoll struct {
	At      time.Time `json:"at"`
	Checked int       `json:"checked"`
	Changed int       `json:"changed"`           // alerts whose state PagerTree told us had changed
	Problem string    `json:"problem,omitempty"` // why the poll failed, in a sentence
}

// RecordLastPoll stores the newest poll.
func RecordLastPoll(kv kvstore.KV, p LastPoll) error {
	return kv.Update(lastPollKey, func([]byte) ([]byte, error) { return json.Marshal(p) })
}

// LoadLastPoll reads it; ok is false before the first poll.
func LoadLastPoll(kv kvstore.KV) (LastPoll, bool, error) {
	raw, err := kv.Get(lastPollKey)
	if err != nil || raw == nil {
		return LastPoll{}, false, err
	}
	var p LastPoll
	if json.Unmarshal(raw, &p) != nil {
		return LastPoll{}, false, nil
	}
	return p, true, nil
}
