// Package kvstoretest has an in-memory KV store with the plugin KV store's semantics
// (atomic compare-and-set, time to live), shareable between plugin instances in tests.
package kvstoretest

import (
	"bytes"
	"errors"
	"sort"
	"sync"
	"time"
)

// MemKV is safe for concurrent use. Set Fail to make every call fail (a database outage).
type MemKV struct {
	mu   sync.Mutex
	data map[string]entry
	Now  func() time.Time
	fail error
}

type entry struct {
	value   []byte
	expires time.Time
}

// New returns an empty store on the real clock.
func New() *MemKV { return &MemKV{data: map[string]entry{}, Now: time.Now} }

// SetFailure makes every call return err (nil to recover).
func (m *MemKV) SetFailure(err error) {
	m.mu.Lock()
	m.fail = err
	m.mu.Unlock()
}

func (m *MemKV) live(key string) ([]byte, bool) {
	e, ok := m.data[key]
	if !ok {
		return nil, false
	}
	if !e.expires.IsZero() && !m.Now().Before(e.expires) {
		delete(m.data, key)
		return nil, false
	}
	return e.value, true
}

// Get returns a copy of the value, nil when absent.
func (m *MemKV) Get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	v, ok := m.live(key)
	if !ok {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

// CompareAndSet follows KVSetWithOptions with Atomic: true.
func (m *MemKV) CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	cur, exists := m.live(key)
	if old == nil && exists || old != nil && (!exists || !bytes.Equal(cur, old)) {
		return false, nil
	}
	if value == nil {
		delete(m.data, key)
		return true, nil
	}
	e := entry{value: append([]byte(nil), value...)}
	if ttl > 0 {
		e.expires = m.Now().Add(ttl)
	}
	m.data[key] = e
	return true, nil
}

// Set stores unconditionally.
func (m *MemKV) Set(key string, value []byte) {
	m.mu.Lock()
	m.data[key] = entry{value: append([]byte(nil), value...)}
	m.mu.Unlock()
}

// ListKeys pages through the live keys in order.
func (m *MemKV) ListKeys(page, perPage int) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	if perPage <= 0 {
		return nil, errors.New("perPage must be positive")
	}
	keys := make([]string, 0, len(m.data))
	for k := range m.data {
		if _, ok := m.live(k); ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	start := page * perPage
	if start >= len(keys) {
		return []string{}, nil
	}
	end := min(start+perPage, len(keys))
	return keys[start:end], nil
}

// Keys returns every live key.
func (m *MemKV) Keys() []string {
	keys, _ := m.ListKeys(0, 1<<30)
	return keys
}

// Update follows pluginapi's SetAtomicWithRetries: read, apply fn, compare-and-set, retry on conflict.
func (m *MemKV) Update(key string, fn func(old []byte) ([]byte, error)) error {
	for range 20 {
		old, err := m.Get(key)
		if err != nil {
			return err
		}
		next, err := fn(old)
		if err != nil {
			return err
		}
		ok, err := m.CompareAndSet(key, old, next, 0)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return errors.New("too many concurrent updates of " + key)
}
