// Package kvstore is the contract of the plugin KV store (shared by every node of a cluster)
// that the packages below main write through: opaque bytes, compare-and-set, time to live. It
// holds no plugin logic: the adapter over Mattermost's store (plugin_store.go), the sharded key
// set with group commit (keyset.go), and, in kvstoretest, the in-memory double for tests.
package kvstore

import (
	"bytes"
	"errors"
	"time"
)

// KV is the part of the plugin KV store the plugin needs. Values are opaque bytes.
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

// Update is KV.Update with a time to live for the stored value, and without a write when fn
// changes nothing (the plugin KV store refuses to delete a key that does not exist).
func Update(kv KV, key string, ttl time.Duration, fn func(old []byte) ([]byte, error)) error {
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
