// Package delivery is the durable outbox: alerts are recorded in the plugin KV store (shared
// by all nodes of a cluster) before the post hook returns, then sent by a bounded worker pool
// with retries, leases that expire when a node dies, and a bounded history of outcomes.
package delivery

import (
	"bytes"
	"errors"
	"time"
)

// KV is the part of the plugin KV store the outbox needs. Values are opaque bytes.
type KV interface {
	Get(key string) ([]byte, error)
	// CompareAndSet stores value only if the current value equals old (nil old: the key must
	// not exist). A nil value deletes. ttl 0 keeps the key until deleted.
	CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error)
	// ListKeys returns one page of keys.
	ListKeys(page, perPage int) ([]string, error)
}

// ErrDuplicate is returned by Enqueue when the alert was already taken (by this or another node).
var ErrDuplicate = errors.New("alert already queued or delivered")

// updateBytes applies fn to the current value of key and stores the result with
// compare-and-set, retrying on conflicts with other writers (other nodes).
func updateBytes(kv KV, key string, ttl time.Duration, fn func(old []byte) ([]byte, error)) error {
	for attempt := 0; attempt < 20; attempt++ {
		old, err := kv.Get(key)
		if err != nil {
			return err
		}
		next, err := fn(old)
		if err != nil {
			return err
		}
		if bytes.Equal(old, next) {
			return nil // nothing changes (and deleting an absent key is refused by the plugin KV store)
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
