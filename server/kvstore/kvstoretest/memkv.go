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

// MemKV is safe for concurrent use. SetFailure makes every call fail (a database outage);
// SetFault decides call by call (a flaky database, a key another writer keeps changing).
type MemKV struct {
	mu    sync.Mutex
	data  map[string]entry
	Now   func() time.Time
	fail  error
	fault func(op Op, key string) error
	calls map[Op]int
}

// Op names a kind of call, for SetFault and Calls.
type Op string

// The calls. Update is counted as the Get and CompareAndSet calls it makes.
const (
	OpGet  Op = "get"
	OpCAS  Op = "compare-and-set"
	OpList Op = "list"
)

// ErrLost is what a fault returns to make a compare-and-set lose as it does to a
// concurrent writer (false, no error) without changing the value.
var ErrLost = errors.New("lost to a concurrent writer")

// SetFault runs f before every call (nil: none): an error fails the call with it, ErrLost
// makes a compare-and-set lose. f must not call the store.
func (m *MemKV) SetFault(f func(op Op, key string) error) {
	m.mu.Lock()
	m.fault = f
	m.mu.Unlock()
}

// Calls reports how many calls of op the store answered or refused so far.
func (m *MemKV) Calls(op Op) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls[op]
}

// enter counts a call and says how it fails (nil: it runs). Called with mu held.
func (m *MemKV) enter(op Op, key string) error {
	if m.calls == nil {
		m.calls = map[Op]int{}
	}
	m.calls[op]++
	if m.fail != nil {
		return m.fail
	}
	if m.fault != nil {
		return m.fault(op, key)
	}
	return nil
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
	if err := m.enter(OpGet, key); err != nil {
		return nil, err
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
	if err := m.enter(OpCAS, key); errors.Is(err, ErrLost) {
		return false, nil
	} else if err != nil {
		return false, err
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
	if err := m.enter(OpList, ""); err != nil {
		return nil, err
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

// Keys returns every live key, sorted (for tests to look: neither counted nor failed).
func (m *MemKV) Keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]string, 0, len(m.data))
	for k := range m.data {
		if _, ok := m.live(k); ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Peek returns a key's value without counting or failing the call (nil when absent).
func (m *MemKV) Peek(key string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, _ := m.live(key)
	return append([]byte(nil), v...)
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
