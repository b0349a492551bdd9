package delivery

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
)

// The history's index: the keys of the newest entries, in a few shard keys, so that reading
// the history costs O(entries shown) reads and never lists the store (which holds a week of
// finished jobs, claims and entries). Keys go to shards by hash, so of the newest `size` entries
// each shard gets about size/8; each keeps its newest 2·size/8 (a margin of many standard
// deviations), so together they hold the newest `size` of all, and a write stays small. An entry is indexed after its own key is written; an index
// entry whose entry expired is skipped when read. Changes of a shard are batched into one
// compare-and-set ("group commit"), as for the pending index, so a burst of deliveries costs
// about one write per shard and round trip.
const (
	historyIndexShards   = 8
	historyIndexPrefix   = "histidx_"
	historyIndexBuiltKey = "histidx_built" // set once the entries of a version without the index are indexed
)

func historyIndexKey(shard int) string { return fmt.Sprintf("%s%d", historyIndexPrefix, shard) }

type historyIndex struct {
	kv       kvstore.KV
	size     int // keys shown at most
	perShard int // keys each shard keeps
	ttl      time.Duration
	shards   [historyIndexShards]historyShard
}

type historyShard struct {
	mu       sync.Mutex
	adds     []string
	waiters  []chan error
	flushing bool
	last     []byte // the value this node last read or wrote (flusher only): tried first
	known    bool
}

func newHistoryIndex(kv kvstore.KV, size int, ttl time.Duration) *historyIndex {
	return &historyIndex{kv: kv, size: size, perShard: max(2*size/historyIndexShards, 16), ttl: ttl}
}

func historyShardOf(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % historyIndexShards)
}

// add indexes the entry keys and returns once they are stored.
func (x *historyIndex) add(keys ...string) error {
	byShard := map[int][]string{}
	for _, k := range keys {
		byShard[historyShardOf(k)] = append(byShard[historyShardOf(k)], k)
	}
	var firstErr error
	for n, ks := range byShard {
		if err := x.addToShard(n, ks); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func (x *historyIndex) addToShard(n int, keys []string) error {
	s := &x.shards[n]
	done := make(chan error, 1)
	s.mu.Lock()
	s.adds = append(s.adds, keys...)
	s.waiters = append(s.waiters, done)
	leader := !s.flushing
	s.flushing = true
	s.mu.Unlock()
	if leader {
		x.flush(n)
	}
	return <-done
}

// flush writes batches until none is waiting.
func (x *historyIndex) flush(n int) {
	s := &x.shards[n]
	for {
		s.mu.Lock()
		adds, waiters := s.adds, s.waiters
		if len(waiters) == 0 {
			s.flushing = false
			s.mu.Unlock()
			return
		}
		s.adds, s.waiters = nil, nil
		s.mu.Unlock()
		err := x.write(s, n, adds)
		for _, c := range waiters {
			c <- err
		}
	}
}

// write merges keys into the shard with compare-and-set. It first assumes the shard still holds
// what this node last wrote (usually true: one round trip), and reads it when not. The shard
// lives as long as an entry, from its last change.
func (x *historyIndex) write(s *historyShard, n int, keys []string) error {
	key := historyIndexKey(n)
	for range 20 {
		if !s.known {
			cur, err := x.kv.Get(key)
			if err != nil {
				return err
			}
			s.last, s.known = cur, true
		}
		next := encodeHistoryKeys(mergeNewest(decodeHistoryKeys(s.last), newestKeys(keys, x.perShard), x.perShard))
		if bytes.Equal(next, s.last) {
			return nil
		}
		ok, err := x.kv.CompareAndSet(key, s.last, next, x.ttl)
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

// newest returns the newest n indexed keys (at most size), newest first: one read per shard.
func (x *historyIndex) newest(n int) ([]string, error) {
	n = min(n, x.size)
	var all []string
	for shard := 0; shard < historyIndexShards; shard++ {
		raw, err := x.kv.Get(historyIndexKey(shard))
		if err != nil {
			return nil, err
		}
		all = mergeNewest(all, decodeHistoryKeys(raw), n)
	}
	return all, nil
}

// build indexes the entries of a store written by a version without the index. It lists the
// store once, ever: a marker key says it is done.
func (x *historyIndex) build() error {
	if built, err := x.kv.Get(historyIndexBuiltKey); err != nil || built != nil {
		return err
	}
	const perPage = 1000
	var keys []string
	for page := 0; ; page++ {
		list, err := x.kv.ListKeys(page, perPage)
		if err != nil {
			return err
		}
		for _, k := range list {
			if strings.HasPrefix(k, historyPrefix) {
				keys = append(keys, k)
			}
		}
		if len(list) < perPage {
			break
		}
	}
	if err := x.add(newestKeys(keys, x.size)...); err != nil { // each shard keeps its newest
		return err
	}
	_, err := x.kv.CompareAndSet(historyIndexBuiltKey, nil, []byte("1"), 0)
	return err
}

// newestKeys sorts entry keys newest first (their names sort like their times), drops
// repeats and keeps at most size.
func newestKeys(keys []string, size int) []string {
	sort.Sort(sort.Reverse(sort.StringSlice(keys)))
	out := make([]string, 0, min(len(keys), size))
	for i, k := range keys {
		if i > 0 && k == keys[i-1] {
			continue
		}
		if len(out) == size {
			break
		}
		out = append(out, k)
	}
	return out
}

// mergeNewest merges two lists that are newest first already, dropping repeats, keeping at most size.
func mergeNewest(a, b []string, size int) []string {
	out := make([]string, 0, min(len(a)+len(b), size))
	for len(out) < size && (len(a) > 0 || len(b) > 0) {
		var k string
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] >= b[0]:
			k, a = a[0], a[1:]
		default:
			k, b = b[0], b[1:]
		}
		if len(out) == 0 || out[len(out)-1] != k {
			out = append(out, k)
		}
	}
	return out
}

// A shard's value is its keys, newest first, one per line (keys never hold a line break):
// cheaper to read and rewrite on every delivery than JSON.
func decodeHistoryKeys(raw []byte) []string {
	if len(raw) == 0 {
		return nil
	}
	list := strings.Split(string(raw), "\n")
	if !sort.IsSorted(sort.Reverse(sort.StringSlice(list))) {
		return newestKeys(list, len(list)) // damaged or written otherwise: put in order
	}
	return list
}

func encodeHistoryKeys(keys []string) []byte {
	if len(keys) == 0 {
		return nil
	}
	return []byte(strings.Join(keys, "\n"))
}
