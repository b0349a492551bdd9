package kvstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"sync"
)

// KeySet is a set of keys kept in a few shard keys (prefix + two digits), so that whoever
// needs "everything pending" reads O(set) values and never lists the store, and so that no
// single key takes every write in a burst. Concurrent changes of a shard are batched into one
// compare-and-set ("group commit"): the writer that finds the shard idle writes everything
// that queued up behind it, so the set costs about one write per shard and round trip, not
// per key. Safe for concurrent use; every node keeps its own KeySet over the same keys.
type KeySet struct {
	kv     KV
	prefix string
	shards []keyShard
}

type keyShard struct {
	mu       sync.Mutex
	adds     map[string][]chan error
	removes  map[string][]chan error
	flushing bool
	last     []byte // the value this node last read or wrote (flusher only): tried first
	known    bool
}

// NewKeySet keeps the set in shards keys named prefix00, prefix01… (1 to 100 shards). The
// names are part of what is stored: a set must keep its prefix and shard count.
func NewKeySet(kv KV, prefix string, shards int) *KeySet {
	shards = min(max(shards, 1), 100)
	s := &KeySet{kv: kv, prefix: prefix, shards: make([]keyShard, shards)}
	for i := range s.shards {
		s.shards[i].adds = map[string][]chan error{}
		s.shards[i].removes = map[string][]chan error{}
	}
	return s
}

func (s *KeySet) shardKey(n int) string { return fmt.Sprintf("%s%02d", s.prefix, n) }

func (s *KeySet) shardOf(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % uint32(len(s.shards))) //nolint:gosec // at most 100 shards
}

// Add puts key in the set and returns once it is stored.
func (s *KeySet) Add(key string) error { return s.change(key, true) }

// Remove drops key from the set and returns once it is stored.
func (s *KeySet) Remove(key string) error { return s.change(key, false) }

func (s *KeySet) change(key string, add bool) error {
	n := s.shardOf(key)
	sh := &s.shards[n]
	done := make(chan error, 1)
	sh.mu.Lock()
	if add {
		sh.adds[key] = append(sh.adds[key], done)
	} else {
		sh.removes[key] = append(sh.removes[key], done)
	}
	leader := !sh.flushing
	sh.flushing = true
	sh.mu.Unlock()
	if leader {
		s.flush(n)
	}
	return <-done // always answered: by this call's flush or by the leader's
}

// flush writes batches until none is waiting.
func (s *KeySet) flush(n int) {
	sh := &s.shards[n]
	for {
		sh.mu.Lock()
		adds, removes := sh.adds, sh.removes
		if len(adds) == 0 && len(removes) == 0 {
			sh.flushing = false
			sh.mu.Unlock()
			return
		}
		sh.adds, sh.removes = map[string][]chan error{}, map[string][]chan error{}
		sh.mu.Unlock()
		err := s.write(sh, n, func(set map[string]bool) {
			for k := range removes {
				delete(set, k)
			}
			for k := range adds {
				set[k] = true
			}
		})
		for _, waiters := range []map[string][]chan error{adds, removes} {
			for _, chans := range waiters {
				for _, c := range chans {
					c <- err
				}
			}
		}
	}
}

// write applies change to the shard with compare-and-set. It first assumes the shard still
// holds what this node last wrote (usually true: one round trip), and reads it when not. A
// change that the remembered value says is made already is checked against the store: another
// node may have undone it since.
func (s *KeySet) write(sh *keyShard, n int, change func(set map[string]bool)) error {
	key := s.shardKey(n)
	for range 20 {
		fresh := !sh.known
		if fresh {
			cur, err := s.kv.Get(key)
			if err != nil {
				return err
			}
			sh.last, sh.known = cur, true
		}
		set := decodeKeySet(sh.last)
		change(set)
		next := encodeKeySet(set)
		if bytes.Equal(next, sh.last) {
			if fresh {
				return nil
			}
			sh.known = false
			continue
		}
		ok, err := s.kv.CompareAndSet(key, sh.last, next, 0)
		if err != nil {
			sh.known = false
			return err
		}
		if ok {
			sh.last = next
			return nil
		}
		sh.known = false // another node changed it: read and try again
	}
	return fmt.Errorf("too many concurrent updates of %s", key)
}

// Keys returns every key in the set, sorted.
func (s *KeySet) Keys() ([]string, error) {
	var all []string
	for n := range s.shards {
		raw, err := s.kv.Get(s.shardKey(n))
		if err != nil {
			return nil, err
		}
		for k := range decodeKeySet(raw) {
			all = append(all, k)
		}
	}
	sort.Strings(all)
	return all, nil
}

func decodeKeySet(raw []byte) map[string]bool {
	var list []string
	set := map[string]bool{}
	if len(raw) > 0 && json.Unmarshal(raw, &list) == nil {
		for _, k := range list {
			set[k] = true
		}
	}
	return set
}

// encodeKeySet stores nil (deletes the shard key) when the set is empty.
func encodeKeySet(set map[string]bool) []byte {
	if len(set) == 0 {
		return nil
	}
	list := make([]string, 0, len(set))
	for k := range set {
		list = append(list, k)
	}
	sort.Strings(list)
	raw, _ := json.Marshal(list)
	return raw
}
