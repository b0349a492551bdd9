package delivery

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Status of a history entry.
const (
	StatusDelivered  = "delivered"
	StatusFailed     = "failed"     // permanent failure, or retries ran out
	StatusSuppressed = "suppressed" // flood control: thread already paged, channel cooldown
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
	Status      string         `json:"status"`
	Attempts    int            `json:"attempts"`
	StatusCode  int            `json:"status_code,omitempty"`
	Meaning     string         `json:"meaning,omitempty"`
	Error       string         `json:"error,omitempty"`
	Test        bool           `json:"test,omitempty"`
	Resent      *paging.Resent `json:"resent,omitempty"` // this try is a resend
}

// EntryFor makes a history entry for an alert.
func EntryFor(a paging.Alert, status string, now time.Time) Entry {
	return Entry{
		Time: now, AlertID: a.ID, PostID: a.PostID, ChannelID: a.ChannelID, ChannelName: a.ChannelName,
		TeamName: a.TeamName, UserName: a.UserName, Trigger: a.Trigger, Urgency: a.Urgency, Status: status,
		Test: a.Origin == paging.OriginTest, Resent: a.Resent,
	}
}

// DefaultHistorySize is how many entries are kept.
const DefaultHistorySize = 500

const historyKey = "history"

// History is the bounded delivery history, stored in one KV value, newest last.
type History struct {
	kv   KV
	size int
	mu   sync.Mutex // serialises this node's writers; other nodes are handled by compare-and-set
}

// NewHistory keeps the last size entries.
func NewHistory(kv KV, size int) *History {
	if size <= 0 {
		size = DefaultHistorySize
	}
	return &History{kv: kv, size: size}
}

// Add appends an entry, dropping the oldest beyond the bound.
func (h *History) Add(e Entry) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.kv.Update(historyKey, func(old []byte) ([]byte, error) {
		var list []Entry
		if len(old) > 0 {
			if err := json.Unmarshal(old, &list); err != nil {
				list = nil // a damaged history is replaced rather than blocking deliveries
			}
		}
		list = append(list, e)
		if len(list) > h.size {
			list = list[len(list)-h.size:]
		}
		return json.Marshal(list)
	})
}

// Recent returns up to n entries, newest first.
func (h *History) Recent(n int) ([]Entry, error) {
	raw, err := h.kv.Get(historyKey)
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var list []Entry
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	out := make([]Entry, 0, n)
	for i := len(list) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, list[i])
	}
	return out, nil
}

// Last returns the newest entry with the given status (zero Entry and false if none).
func (h *History) Last(status string) (Entry, bool, error) {
	list, err := h.Recent(h.size)
	if err != nil {
		return Entry{}, false, err
	}
	for _, e := range list {
		if e.Status == status {
			return e, true, nil
		}
	}
	return Entry{}, false, nil
}
