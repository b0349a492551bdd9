// Package delivery owns every KV key the plugin writes: the durable outbox (alerts recorded in
// the plugin KV store, shared by all nodes of a cluster, before the post hook returns, then sent
// by a bounded worker pool with retries and leases that expire when a node dies), the flood-control
// claims, and the bounded history of outcomes.
package delivery

import (
	"bytes"
	"errors"
	"time"
)

// KV is the part of the plugin KV store delivery needs. Values are opaque bytes.
type KV interface {
	Get(key string) ([]byte, error)
	// CompareAndSet stores value only if the current value equals old (nil old: the key must
	// not exist). A nil value deletes. ttl 0 keeps the key until deleted.
	CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error)
	// Update stores fn(current value) atomically, retrying when another writer (another node)
	// changed the key in between; the plugin uses pluginapi's SetAtomicWithRetries.
	Update(key string, fn func(old []byte) ([]byte, error)) error
	// ListKeys returns one page of all keys (unfiltered, so a short page means the last one).
	ListKeys(page, perPage int) ([]string, error)
}

// ErrDuplicate is returned by Enqueue when the alert was already taken (by this or another node).
var ErrDuplicate = errors.New("alert already queued or delivered")

// updateBytes is Update with a time to live for the stored value, and without a write when
// fn changes nothing (the plugin KV store refuses to delete a key that does not exist).
func updateBytes(kv KV, key string, ttl time.Duration, fn func(old []byte) ([]byte, error)) error {
	for range 20 {
		old, err := kv.Get(key)
		if err != nil {
			return err
		}
		next, err := fn(old)
		if err != nil {
			return err
		}
		if bytes.Equal(old, next) {
			return nil
		}
		ok, err := kv.CompareAndSet(key, old, next, ttl)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return errors.New("too many concurrent updates of " + key)
}
