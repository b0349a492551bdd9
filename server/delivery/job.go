package delivery

import (
	"encoding/json"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// Job states.
const (
	statePending = "pending"
	stateDone    = "done"
)

// jobPrefix starts every outbox key: job_<alert id>. The key is also the "exactly once" claim:
// it is created atomically and kept (with a time to live) after the alert is done.
const jobPrefix = "job_"

// JobKey is the outbox key of an alert id.
func JobKey(alertID string) string { return jobPrefix + alertID }

// Job is an alert in the outbox.
type Job struct {
	Alert       paging.Alert    `json:"alert"`
	State       string          `json:"state"`
	Attempts    int             `json:"attempts"`
	Queued      time.Time       `json:"queued"`
	NextAttempt time.Time       `json:"next_attempt"`
	LeaseOwner  string          `json:"lease_owner,omitempty"` // the node sending it now
	LeaseUntil  time.Time       `json:"lease_until,omitempty"` // after this another node may take it
	Last        *paging.Outcome `json:"last,omitempty"`
	GaveUp      bool            `json:"gave_up,omitempty"`   // retries ran past the retry window
	ResentAs    string          `json:"resent_as,omitempty"` // the outbox key of this failed try's resend
}

func decodeJob(raw []byte) (Job, error) {
	var j Job
	err := json.Unmarshal(raw, &j)
	if err == nil && j.Alert.Origin == "" {
		// Queued by a version without origins: /pagertree alert was told by its trigger then.
		j.Alert.Origin = paging.OriginPost
		if j.Alert.Trigger == "/pagertree" {
			j.Alert.Origin = paging.OriginCommand
		}
	}
	return j, err
}

func (j Job) encode() []byte {
	raw, _ := json.Marshal(j) // a Job always encodes: only strings, numbers and times
	return raw
}
