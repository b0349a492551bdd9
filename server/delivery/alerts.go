package delivery

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// The alert <-> post map (DESIGN §10): one record per alert sent, keyed by the thirdparty id
// PagerTree will send back, and a pointer from PagerTree's alert id once an event told it
// (comment events carry only that). Both live as long as an alert can (settable).
const (
	alertPrefix   = "alert_tp_"
	alertIDPrefix = "alert_pt_"
	pendingKey    = "alerts_pending"
	// maxThirdPartyLen bounds ids taken from events (keys are limited to 150 bytes).
	maxThirdPartyLen = 120
)

// DefaultAlertTTL is how long an alert's record is kept after its last change.
const DefaultAlertTTL = 30 * 24 * time.Hour

// PendingReply is a thread reply decided but not yet posted.
type PendingReply struct {
	ID       string `json:"id"`
	Message  string `json:"message"`
	Attempts int    `json:"attempts,omitempty"` // failed tries so far
}

// MaxReplyAttempts bounds the tries of one reply (an archived channel refuses them forever).
const MaxReplyAttempts = 5

// AlertRecord is what one delivered alert needs for PagerTree's events to reach its thread.
type AlertRecord struct {
	ThirdPartyID string            `json:"thirdparty_id"`
	PostID       string            `json:"post_id"`
	RootID       string            `json:"root_id"` // the thread: the trigger post's root, or the post itself
	ChannelID    string            `json:"channel_id"`
	Format       paging.Format     `json:"format"`
	EndpointHost string            `json:"endpoint_host,omitempty"`
	Urgency      paging.Urgency    `json:"urgency,omitempty"`
	Trigger      string            `json:"trigger,omitempty"`
	Created      time.Time         `json:"created"`
	CardPostID   string            `json:"card_post_id,omitempty"`
	Status       alertstate.Status `json:"status"`
	Rev          int64             `json:"rev"`                  // bumped whenever the card's content changes
	CardDirty    bool              `json:"card_dirty,omitempty"` // the card must be redrawn
	Pending      []PendingReply    `json:"pending,omitempty"`    // replies to post
	LastEventAt  time.Time         `json:"last_event_at,omitempty"`
	EndpointFP   string            `json:"endpoint_fp,omitempty"` // which endpoint it was sent to (a fingerprint, not the URL)
	Outbound     *ActionJob        `json:"outbound,omitempty"`    // an action pressed in Mattermost still to reach PagerTree (actions.go)
	// External: the alert did not come from Mattermost (external.go); its card is the root
	// post, showing the alert's Summary (title) and Details (description).
	External bool   `json:"external,omitempty"`
	Summary  string `json:"summary,omitempty"`
	Details  string `json:"details,omitempty"`
}

// HasWork reports whether the Mattermost side is behind the record.
func (r AlertRecord) HasWork() bool { return r.CardDirty || len(r.Pending) > 0 }

// CardInput is what the card shows for this record.
func (r AlertRecord) CardInput() alertstate.CardInput {
	return alertstate.CardInput{Status: r.Status, Urgency: string(r.Urgency), Trigger: r.Trigger, Summary: r.Summary, Details: r.Details}
}

// Alerts stores the map. Every change goes through compare-and-set, so the same event
// received twice or on two nodes changes the record (and queues its replies) once.
type Alerts struct {
	kv  kvstore.KV
	ttl func() time.Duration
	now func() time.Time
}

// NewAlerts keeps records for ttl() after their last change (nil: DefaultAlertTTL).
func NewAlerts(kv kvstore.KV, ttl func() time.Duration, now func() time.Time) *Alerts {
	if ttl == nil {
		ttl = func() time.Duration { return DefaultAlertTTL }
	}
	if now == nil {
		now = time.Now
	}
	return &Alerts{kv: kv, ttl: ttl, now: now}
}

func (s *Alerts) lifetime() time.Duration {
	if d := s.ttl(); d > 0 {
		return d
	}
	return DefaultAlertTTL
}

// Remember records an alert about to be sent (before the request, so an event that arrives
// before PagerTree's answer still finds it). A record already there is kept as it is.
func (s *Alerts) Remember(a paging.Alert, f paging.Format, endpointHost string) error {
	return s.RememberEndpoint(a, f, endpointHost, "")
}

// RememberEndpoint is Remember with the fingerprint of the endpoint used, so acting on the
// alert later can tell whether the integration it was sent to is still the configured one.
func (s *Alerts) RememberEndpoint(a paging.Alert, f paging.Format, endpointHost, endpointFP string) error {
	if a.Origin == paging.OriginTest || a.PostID == "" || a.ChannelID == "" {
		return nil
	}
	root := a.RootID // the card goes in the post's thread; for /pagertree alert, under its announcement
	if root == "" {
		root = a.PostID
	}
	rec := AlertRecord{
		ThirdPartyID: paging.ThirdPartyID(a, f), PostID: a.PostID, RootID: root, ChannelID: a.ChannelID,
		Format: f, EndpointHost: endpointHost, EndpointFP: endpointFP, Urgency: a.Urgency, Trigger: a.Trigger,
		Created: s.now(), Status: alertstate.Status{State: alertstate.Open},
	}
	raw, _ := json.Marshal(rec)
	if _, err := s.kv.CompareAndSet(alertPrefix+rec.ThirdPartyID, nil, raw, s.lifetime()); err != nil {
		return fmt.Errorf("could not record the alert for PagerTree's updates: %w", err)
	}
	return nil
}

// Get reads a record by thirdparty id.
func (s *Alerts) Get(thirdPartyID string) (AlertRecord, bool, error) {
	if thirdPartyID == "" || len(thirdPartyID) > maxThirdPartyLen {
		return AlertRecord{}, false, nil
	}
	raw, err := s.kv.Get(alertPrefix + thirdPartyID)
	if err != nil || raw == nil {
		return AlertRecord{}, false, err
	}
	var rec AlertRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return AlertRecord{}, false, fmt.Errorf("the record of alert %s could not be read: %w", thirdPartyID, err)
	}
	return rec, true, nil
}

// Find maps an event to its record: by thirdparty id, else by PagerTree's alert id.
func (s *Alerts) Find(e alertstate.Event) (AlertRecord, bool, error) {
	if !e.Kind.IsComment() {
		if rec, ok, err := s.Get(e.ThirdPartyID); ok || err != nil {
			return rec, ok, err
		}
	}
	if e.AlertID == "" || len(e.AlertID) > maxThirdPartyLen {
		return AlertRecord{}, false, nil
	}
	tp, err := s.kv.Get(alertIDPrefix + e.AlertID)
	if err != nil || tp == nil {
		return AlertRecord{}, false, err
	}
	return s.Get(string(tp))
}

// update applies fn to the record with compare-and-set; fn returns false to leave it.
func (s *Alerts) update(tp string, fn func(*AlertRecord) bool) (AlertRecord, bool, error) {
	key := alertPrefix + tp
	for attempt := 0; attempt < 20; attempt++ {
		old, err := s.kv.Get(key)
		if err != nil || old == nil {
			return AlertRecord{}, false, err
		}
		var rec AlertRecord
		if uerr := json.Unmarshal(old, &rec); uerr != nil {
			return AlertRecord{}, false, uerr
		}
		if !fn(&rec) {
			return rec, false, nil
		}
		next, _ := json.Marshal(rec)
		ok, err := s.kv.CompareAndSet(key, old, next, s.lifetime())
		if err != nil {
			return AlertRecord{}, false, err
		}
		if ok {
			return rec, true, nil
		}
	}
	return AlertRecord{}, false, fmt.Errorf("too many concurrent updates of alert %s", tp)
}

// Applied says what an event did.
type Applied struct {
	Matched      bool   // the event is about an alert this plugin sent
	Changed      bool   // the record changed (false for a repeat or a late event)
	Work         bool   // the card or the thread must be updated
	ThirdPartyID string // the record's key
}

// Apply maps the event to its alert and feeds it to the state machine, queueing the card
// redraw and (when replies is true) the thread replies in the same atomic write.
func (s *Alerts) Apply(e alertstate.Event, replies bool) (Applied, error) {
	rec, ok, err := s.Find(e)
	if err != nil || !ok {
		return Applied{}, err
	}
	out := Applied{Matched: true, ThirdPartyID: rec.ThirdPartyID}
	now := s.now()
	rec, changed, err := s.update(rec.ThirdPartyID, func(r *AlertRecord) bool {
		res := alertstate.Apply(r.Status, e)
		if !res.Changed {
			return false
		}
		r.Status = res.Status
		r.LastEventAt = now
		if res.Redraw {
			r.Rev++
			r.CardDirty = true
		}
		if replies {
			for _, m := range res.Replies {
				r.Pending = append(r.Pending, PendingReply{ID: model.NewId(), Message: m})
			}
		}
		return true
	})
	if err != nil {
		return out, err
	}
	out.Changed, out.Work = changed, changed && rec.HasWork()
	if id := rec.Status.AlertID; id != "" && len(id) <= maxThirdPartyLen && !e.Kind.IsComment() {
		// Remember PagerTree's id for comment events; an existing pointer is left alone.
		if _, perr := s.kv.CompareAndSet(alertIDPrefix+id, nil, []byte(rec.ThirdPartyID), s.lifetime()); perr != nil {
			return out, perr
		}
		if perr := s.rememberNumber(rec); perr != nil { // actions.go: /pagertree ack <#>
			return out, perr
		}
	}
	if out.Work {
		err = s.markPending(rec.ThirdPartyID, true)
	}
	return out, err
}
