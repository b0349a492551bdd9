package followup

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/alertstate"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// The alert <-> post map (DESIGN §10): one record per alert sent, keyed by the thirdparty id
// PagerTree will send back, and a pointer from PagerTree's alert id once an event told it
// (comment events carry only that). Both live as long as an alert can (settable). The keys
// are those 0.1.0 wrote, so its records keep working.
const (
	alertPrefix   = "alert_tp_"
	alertIDPrefix = "alert_pt_"
	// maxThirdPartyLen bounds ids taken from events (keys are limited to 150 bytes).
	maxThirdPartyLen = 120
)

// PendingReply is a thread reply decided but not yet posted.
type PendingReply struct {
	ID       string `json:"id"`
	Message  string `json:"message"`
	Attempts int    `json:"attempts,omitempty"` // failed tries so far
}

// maxReplyAttempts bounds the tries of one reply (an archived channel refuses them forever).
const maxReplyAttempts = 5

// Record is what one delivered alert needs for PagerTree's events to reach its thread.
type Record struct {
	ThirdPartyID string         `json:"thirdparty_id"`
	PostID       string         `json:"post_id"`
	RootID       string         `json:"root_id"` // the thread: the trigger post's root, or the post itself
	ChannelID    string         `json:"channel_id"`
	Format       paging.Format  `json:"format"`
	EndpointHost string         `json:"endpoint_host,omitempty"`
	Urgency      paging.Urgency `json:"urgency,omitempty"`
	Trigger      string         `json:"trigger,omitempty"`
	// Severity is the incident severity the alert was sent with (Alert.IncidentIn its format):
	// SeverityNone for a plain alert, and in the Mattermost format, which has no incidents.
	Severity   paging.Severity   `json:"severity,omitempty"`
	Created    time.Time         `json:"created"`
	CardPostID string            `json:"card_post_id,omitempty"`
	Status     alertstate.Status `json:"status"`
	Rev        int64             `json:"rev"` // bumped whenever the card's content changes
	// CardRev is the revision the card shows: set (compare-and-set, never lowered) after a
	// draw succeeded, so a draw that fails leaves the card visibly behind its record.
	CardRev int64 `json:"card_rev"`
	// CardDirty mirrors CardRev < Rev for records written by versions without CardRev (read
	// once when card_rev is absent; written for a downgrade).
	CardDirty bool `json:"card_dirty,omitempty"`
	// Touched is when the record was last written: a work-set entry is dropped only when its
	// record has no work and settled (workSettle), so an event between its intent and its
	// write is never left out.
	Touched     time.Time      `json:"touched,omitempty"`
	Pending     []PendingReply `json:"pending,omitempty"` // replies to post
	LastEventAt time.Time      `json:"last_event_at,omitempty"`
	EndpointFP  string         `json:"endpoint_fp,omitempty"` // which endpoint it was sent to (a fingerprint, not the URL)
	RouteID     string         `json:"route_id,omitempty"`    // the plugin route it was sent through ("": the default)
	Outbound    *ActionJob     `json:"outbound,omitempty"`    // an action pressed in Mattermost still to reach PagerTree (action_retry.go)
	// External: the alert did not come from Mattermost (adopt.go); its card is the root
	// post, showing the alert's Summary (title) and Details (description).
	External bool   `json:"external,omitempty"`
	Summary  string `json:"summary,omitempty"`
	Details  string `json:"details,omitempty"`
	// Sent are the comments the plugin made, or is making, on the alert's timeline: how
	// PagerTree's echo of them is recognised (comments_echo.go). Bounded, newest last.
	Sent []SentComment `json:"sent,omitempty"`
}

// HasWork reports whether the Mattermost side is behind the record.
func (r Record) HasWork() bool { return r.CardBehind() || len(r.Pending) > 0 }

// CardBehind reports whether the card shows an older revision than the record's.
func (r Record) CardBehind() bool { return r.CardRev < r.Rev }

// decodeRecord reads a stored record. One written before CardRev existed says with
// CardDirty whether its card is behind.
func decodeRecord(raw []byte) (Record, error) {
	rec := Record{CardRev: -1}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return Record{}, err
	}
	if rec.CardRev < 0 {
		rec.CardRev = rec.Rev
		if rec.CardDirty {
			rec.CardRev = rec.Rev - 1
		}
	}
	return rec, nil
}

// CardInput is what the card shows for this record.
func (r Record) CardInput() alertstate.CardInput {
	return alertstate.CardInput{Status: r.Status, Urgency: string(r.Urgency), Trigger: r.Trigger, Severity: r.Severity, Summary: r.Summary, Details: r.Details}
}

// records stores the map. Every change goes through compare-and-set, so the same event
// received twice or on two nodes changes the record (and queues its replies) once.
type records struct {
	kv  kvstore.KV
	ttl func() time.Duration
	now func() time.Time
	// work holds the alerts whose Mattermost side may be behind their record (work.go);
	// actions those with an action on its way or waiting for confirmation (action_retry.go).
	// Sharded: no single key takes every event of a burst.
	work    *kvstore.KeySet
	actions *kvstore.KeySet
	settle  time.Duration // workSettle (tests: shorter)
	// polledSet lists the alerts polled (poller.go); checks is when this node checked them.
	polledSet *kvstore.KeySet
	checks    polledChecks
	// stamps: the Mattermost-format timestamps this node claimed lately (stamps.go).
	stamps recentStamps
}

// newRecords keeps records for ttl() after their last change (nil: DefaultAlertLifetime).
func newRecords(kv kvstore.KV, ttl func() time.Duration, now func() time.Time) *records {
	if ttl == nil {
		ttl = func() time.Duration { return DefaultAlertLifetime }
	}
	if now == nil {
		now = time.Now
	}
	return &records{
		kv: kv, ttl: ttl, now: now, settle: workSettle,
		work:      kvstore.NewKeySet(kv, workSetPrefix, workSetShards),
		actions:   kvstore.NewKeySet(kv, actionSetPrefix, workSetShards),
		polledSet: kvstore.NewKeySet(kv, polledSetPrefix, workSetShards),
	}
}

func (s *records) lifetime() time.Duration {
	if d := s.ttl(); d > 0 {
		return d
	}
	return DefaultAlertLifetime
}

// get reads a record by thirdparty id.
func (s *records) get(thirdPartyID string) (Record, bool, error) {
	if thirdPartyID == "" || len(thirdPartyID) > maxThirdPartyLen {
		return Record{}, false, nil
	}
	raw, err := s.kv.Get(alertPrefix + thirdPartyID)
	if err != nil || raw == nil {
		return Record{}, false, err
	}
	rec, err := decodeRecord(raw)
	if err != nil {
		return Record{}, false, fmt.Errorf("the record of alert %s could not be read: %w", thirdPartyID, err)
	}
	return rec, true, nil
}

// find maps an event to its record: by thirdparty id, else by PagerTree's alert id.
func (s *records) find(e alertstate.Event) (Record, bool, error) {
	if !e.Kind.IsComment() {
		if rec, ok, err := s.get(e.ThirdPartyID); ok || err != nil {
			return rec, ok, err
		}
	}
	if e.AlertID == "" || len(e.AlertID) > maxThirdPartyLen {
		return Record{}, false, nil
	}
	tp, err := s.kv.Get(alertIDPrefix + e.AlertID)
	if err != nil || tp == nil {
		return Record{}, false, err
	}
	return s.get(string(tp))
}

// update applies fn to the record with compare-and-set; fn returns false to leave it.
func (s *records) update(tp string, fn func(*Record) bool) (Record, bool, error) {
	key := alertPrefix + tp
	for attempt := 0; attempt < 20; attempt++ {
		old, err := s.kv.Get(key)
		if err != nil || old == nil {
			return Record{}, false, err
		}
		rec, uerr := decodeRecord(old)
		if uerr != nil {
			return Record{}, false, uerr
		}
		if !fn(&rec) {
			return rec, false, nil
		}
		rec.Touched = s.now()
		next := encodeRecord(&rec)
		ok, err := s.kv.CompareAndSet(key, old, next, s.lifetime())
		if err != nil {
			return Record{}, false, err
		}
		if ok {
			return rec, true, nil
		}
	}
	return Record{}, false, fmt.Errorf("too many concurrent updates of alert %s", tp)
}
