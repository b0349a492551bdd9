package delivery

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
)

// Keys of the receiver of PagerTree's outgoing webhooks.
const (
	credentialsKey = "receiver_credentials"
	lastEventKey   = "receiver_last_event"
)

// ReceiverUsername is the basic-auth user name PagerTree's integration is given.
const ReceiverUsername = "pagertree"

// Credentials authenticate PagerTree's outgoing webhooks (basic auth on the integration).
type Credentials struct {
	Username string    `json:"username"`
	Password string    `json:"password"`
	Created  time.Time `json:"created"`
}

// NewCredentials makes a fresh user name and a long random password (256 bits).
func NewCredentials(now time.Time) Credentials {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the platform's randomness is gone: nothing is safe
	}
	return Credentials{Username: ReceiverUsername, Password: base64.RawURLEncoding.EncodeToString(b), Created: now.UTC()}
}

// EnsureCredentials returns the stored credentials, creating them once (every node of a
// cluster ends up with the same ones: the first writer wins).
func EnsureCredentials(kv kvstore.KV, now time.Time) (Credentials, error) {
	if c, ok, err := LoadCredentials(kv); err != nil || ok {
		return c, err
	}
	raw, _ := json.Marshal(NewCredentials(now)) //nolint:gosec // the password is stored in the plugin KV store on purpose, never logged
	if _, err := kv.CompareAndSet(credentialsKey, nil, raw, 0); err != nil {
		return Credentials{}, fmt.Errorf("could not store the receiver's credentials: %w", err)
	}
	c, _, err := LoadCredentials(kv)
	return c, err
}

// LoadCredentials reads the stored credentials.
func LoadCredentials(kv kvstore.KV) (Credentials, bool, error) {
	raw, err := kv.Get(credentialsKey)
	if err != nil || raw == nil {
		return Credentials{}, false, err
	}
	var c Credentials
	if err := json.Unmarshal(raw, &c); err != nil || c.Password == "" {
		return Credentials{}, false, nil // damaged: treated as missing, so new ones are made
	}
	return c, true, nil
}

// RegenerateCredentials replaces the credentials: PagerTree's integration must be updated.
func RegenerateCredentials(kv kvstore.KV, now time.Time) (Credentials, error) {
	c := NewCredentials(now)
	err := kv.Update(credentialsKey, func([]byte) ([]byte, error) { return json.Marshal(c) }) //nolint:gosec // as above
	return c, err
}

// LastEvent is what the settings panel and /pagertree status show so an admin sees it works.
type LastEvent struct {
	At      time.Time `json:"at"`
	Type    string    `json:"type"`
	Matched bool      `json:"matched"` // it was about an alert this plugin sent
}

// RecordLastEvent stores the newest authenticated event.
func RecordLastEvent(kv kvstore.KV, e LastEvent) error {
	return kv.Update(lastEventKey, func(old []byte) ([]byte, error) {
		var cur LastEvent
		if json.Unmarshal(old, &cur) == nil && cur.At.After(e.At) {
			return old, nil // a slower request must not hide a newer event
		}
		return json.Marshal(e)
	})
}

// LoadLastEvent reads it; ok is false before the first event.
func LoadLastEvent(kv kvstore.KV) (LastEvent, bool, error) {
	raw, err := kv.Get(lastEventKey)
	if err != nil || raw == nil {
		return LastEvent{}, false, err
	}
	var e LastEvent
	if err := json.Unmarshal(raw, &e); err != nil {
		return LastEvent{}, false, nil
	}
	return e, true, nil
}
