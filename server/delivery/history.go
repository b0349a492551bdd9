package delivery

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Status is how an alert ended, in the history (its JSON value is the panel's and the support data's).
type Status string

// The statuses of a history entry.
const (
	StatusDelivered  Status = "delivered"
	StatusFailed     Status = "failed"     // permanent failure, or retries ran out
	StatusSuppressed Status = "suppressed" // flood control: thread already paged, channel cooldown
)

// Entry is one line of the delivery history.
type Entry struct {
	Time        time.Time      `json:"time"`
	AlertID     string         `json:"alert_id"`
	PostID      string         `json:"post_id,omitempty"`
	ChannelID   string         `json:"channel_id"`
	ChannelName string         `json:"channel_name"`
	TeamName    string         `json:"team_name,omitempty"`
	UserName    string         `json:"user_name"`
	Trigger     string         `json:"trigger"`
	Urgency     paging.Urgency `json:"urgency"`
	Format      paging.Format  `json:"format,omitempty"`
	Status      Status         `json:"status"`
	Attempts    int            `json:"attempts"`
	StatusCode  int            `json:"status_code,omitempty"`
	Meaning     string         `json:"meaning,omitempty"`
	Error       string         `json:"error,omitempty"`
	Test        bool           `json:"test,omitempty"`
	Resent      *paging.Resent `json:"resent,omitempty"` // this try is a resend
	// RouteID and RouteName are the route the alert went through; empty for the default route.
	RouteID   string `json:"route_id,omitempty"`
	RouteName string `json:"route_name,omitempty"`
}

// EntryFor makes a history entry for an alert.
func EntryFor(a paging.Alert, status Status, now time.Time) Entry {
	return Entry{
		Time: now, AlertID: a.ID, PostID: a.PostID, ChannelID: a.ChannelID, ChannelName: a.ChannelName,
		TeamName: a.TeamName, UserName: a.UserName, Trigger: a.Trigger, Urgency: a.Urgency, Status: status,
		Test: a.Origin == paging.OriginTest, Resent: a.Resent, RouteID: a.RouteID, RouteName: a.RouteName,
	}
}

// DefaultHistorySize is how many entries are shown at most.
const DefaultHistorySize = 500

// DefaultHistoryTTL is how long an entry is kept (like a finished job's claim).
const DefaultHistoryTTL = 7 * 24 * time.Hour

// Keys: one key per entry, named by time so that names sort like times, written once with a
// time to live: recording an outcome is one write of one small value whatever the history
// holds, and concurrent deliveries (on any node) never write the same key. The newest entry
// of each rare status (failed, suppressed) also goes to a small key, for status at a glance.
const (
	historyPrefix     = "hist_"
	historyLastPrefix = "histlast_"
	legacyHistoryKey  = "history" // one value of up to 500 entries, before per-entry keys
)

func historyEntryKey(e Entry) string {
	var salt [4]byte
	_, _ = rand.Read(salt[:])
	return fmt.Sprintf("%s%019d_%s", historyPrefix, e.Time.UnixNano(), hex.EncodeToString(salt[:]))
}

// History is the delivery history, newest first when read.
type History struct {
	kv    kvstore.KV
	size  int
	ttl   time.Duration
	index *historyIndex
	built atomic.Bool // the index holds what a version without it wrote (history_index.go)
}

// NewHistory shows the last size entries (DefaultHistorySize when size <= 0).
func NewHistory(kv kvstore.KV, size int) *History {
	if size <= 0 {
		size = DefaultHistorySize
	}
	return &History{kv: kv, size: size, ttl: DefaultHistoryTTL, index: newHistoryIndex(kv, size, DefaultHistoryTTL)}
}

// Add records an entry: one write of its own key and, at the same time, its place in the index
// (batched with the other entries written then; an index entry read before its entry is in is
// skipped like an expired one), so recording an outcome costs one round trip.
func (h *History) Add(e Entry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	key := historyEntryKey(e)
	indexed := make(chan error, 1)
	go func() { indexed <- h.index.add(key) }()
	for attempt := 0; ; attempt++ {
		ok, err := h.kv.CompareAndSet(key, nil, raw, h.ttl)
		if err != nil {
			return errors.Join(err, <-indexed)
		}
		if ok {
			break
		}
		if attempt == 3 {
			return errors.Join(errors.New("could not find a free history key"), <-indexed)
		}
		// Taken (the same nanosecond and salt): another key, indexed too; the first one
		// shows the entry that holds it.
		key = historyEntryKey(e)
		if err := h.index.add(key); err != nil {
			return errors.Join(fmt.Errorf("the entry is recorded but not listed in the history: %w", err), <-indexed)
		}
	}
	if err := <-indexed; err != nil {
		return fmt.Errorf("the entry is recorded but not listed in the history: %w", err)
	}
	if e.Status == StatusDelivered {
		return nil
	}
	return kvstore.Update(h.kv, historyLastPrefix+string(e.Status), h.ttl, func(old []byte) ([]byte, error) {
		var cur Entry
		if len(old) > 0 && json.Unmarshal(old, &cur) == nil && cur.Time.After(e.Time) {
			return old, nil
		}
		return raw, nil
	})
}

// entryKeys returns the newest n entries' keys (at most h.size), newest first, from the index:
// a few reads, whatever the store holds. The first read after an upgrade indexes older entries.
func (h *History) entryKeys(n int) ([]string, error) {
	if !h.built.Load() {
		if err := h.index.build(); err != nil {
			return nil, fmt.Errorf("could not index the history an older version wrote: %w", err)
		}
		h.built.Store(true)
	}
	return h.index.newest(n)
}

// Recent returns up to n entries, newest first: O(n) reads (and one per index shard).
func (h *History) Recent(n int) ([]Entry, error) {
	n = min(n, h.size)
	keys, err := h.entryKeys(h.size) // all shown, in case some expired meanwhile
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, n)
	for _, k := range keys {
		if len(out) == n {
			break
		}
		raw, err := h.kv.Get(k)
		if err != nil {
			return nil, err
		}
		var e Entry
		if raw == nil || json.Unmarshal(raw, &e) != nil {
			continue // expired meanwhile, or damaged: skipped rather than failing the page
		}
		out = append(out, e)
	}
	if len(out) < n {
		legacy, err := h.legacy()
		if err != nil {
			return nil, err
		}
		out = append(out, legacy...)
		if len(out) > n {
			out = out[:n]
		}
	}
	return out, nil
}

// legacy reads the single-value history an older version wrote, newest first.
func (h *History) legacy() ([]Entry, error) {
	raw, err := h.kv.Get(legacyHistoryKey)
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var list []Entry
	if json.Unmarshal(raw, &list) != nil {
		return nil, nil
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list, nil
}

// Last returns the newest entry with the given status (zero Entry and false if none).
func (h *History) Last(status Status) (Entry, bool, error) {
	if status != StatusDelivered {
		raw, err := h.kv.Get(historyLastPrefix + string(status))
		if err != nil {
			return Entry{}, false, err
		}
		var e Entry
		if raw != nil && json.Unmarshal(raw, &e) == nil {
			return e, true, nil
		}
	}
	// Delivered is the common status: the newest entries hold it; read one at a time.
	keys, err := h.entryKeys(h.size)
	if err != nil {
		return Entry{}, false, err
	}
	for _, k := range keys {
		raw, getErr := h.kv.Get(k)
		if getErr != nil {
			return Entry{}, false, getErr
		}
		var e Entry
		if raw != nil && json.Unmarshal(raw, &e) == nil && e.Status == status {
			return e, true, nil
		}
	}
	legacy, err := h.legacy()
	for _, e := range legacy {
		if e.Status == status {
			return e, true, err
		}
	}
	return Entry{}, false, err
}
