package delivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"sync"
)

// The pending index: the keys of jobs not finished yet, in a few shard keys, so that a sweep
// reads O(pending) values and never lists the store (which holds every finished job's claim
// and thread claim for days). A job is added before its first attempt, in parallel with its
// creation, and removed once it is finished; a stale entry (the job finished or expired and
// the removal was lost) is dropped by the next sweep that reads it.
const (
	indexShards   = 16
	indexPrefix   = "pending_"
	indexBuiltKey = "pending_index_built" // set once every job of an older version is indexed
)

func indexShardKey(shard int) string { return fmt.Sprintf("%s%02d", indexPrefix, shard) }

func shardOf(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % indexShards)
}

// pendingIndex batches concurrent changes of a shard into one compare-and-set ("group
// commit"): in a burst, the writer that finds the shard idle writes everything that queued
// up behind it, so the index costs about one write per shard and round trip, not per alert.
type pendingIndex struct {
	kv     KV
	shards [indexShards]indexShard
}

type indexShard struct {
	mu       sync.Mutex
	adds     map[string][]chan error
	removes  map[string][]chan error
	flushing bool
	last     []byte // the value this node last read or wrote (flusher only): tried first
	known    bool
}

func newPendingIndex(kv KV) *pendingIndex {
	x := &pendingIndex{kv: kv}
	for i := range x.shards {
		x.shards[i].adds = map[string][]chan error{}
		x.shards[i].removes = map[string][]chan error{}
	}
	return x
}

// add records key as pending and returns once it is stored.
func (x *pendingIndex) add(key string) error { return x.change(key, true) }

// remove drops key and returns once it is stored.
func (x *pendingIndex) remove(key string) error { return x.change(key, false) }

func (x *pendingIndex) change(key string, add bool) error {
	n := shardOf(key)
	s := &x.shards[n]
	done := make(chan error, 1)
	s.mu.Lock()
	if add {
		s.adds[key] = append(s.adds[key], done)
	} else {
		s.removes[key] = append(s.removes[key], done)
	}
	leader := !s.flushing
	s.flushing = true
	s.mu.Unlock()
	if leader {
		x.flush(n)
	}
	return <-done
}

// flush writes batches until none is waiting.
func (x *pendingIndex) flush(n int) {
	s := &x.shards[n]
	for {
		s.mu.Lock()
		adds, removes := s.adds, s.removes
		if len(adds) == 0 && len(removes) == 0 {
			s.flushing = false
			s.mu.Unlock()
			return
		}
		s.adds, s.removes = map[string][]chan error{}, map[string][]chan error{}
		s.mu.Unlock()
		err := x.write(s, n, func(set map[string]bool) {
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
// holds what this node last wrote (usually true: one round trip), and reads it when not.
func (x *pendingIndex) write(s *indexShard, n int, change func(set map[string]bool)) error {
	key := indexShardKey(n)
	for range 20 {
		if !s.known {
			cur, err := x.kv.Get(key)
			if err != nil {
				return err
			}
			s.last, s.known = cur, true
		}
		set := decodeKeySet(s.last)
		change(set)
		next := encodeKeySet(set)
		if bytes.Equal(next, s.last) {
			return nil
		}
		ok, err := x.kv.CompareAndSet(key, s.last, next, 0)
		if err != nil {
			s.known = false
			return err
		}
		if ok {
			s.last = next
			return nil
		}
		s.known = false // another node changed it: read and try again
	}
	return fmt.Errorf("too many concurrent updates of %s", key)
}

// keys returns every indexed key.
func (x *pendingIndex) keys() ([]string, error) {
	var all []string
	for n := 0; n < indexShards; n++ {
		raw, err := x.kv.Get(indexShardKey(n))
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
