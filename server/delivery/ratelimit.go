package delivery

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"
)

// AlertLimitWindow is the window of the per-user limit on /pagertree alert.
const AlertLimitWindow = 10 * time.Minute

// Limiter counts the pages one user sent with /pagertree alert over a sliding window. The
// count lives in the KV store (shared by every node) and changes only by compare-and-set, so
// parallel commands on several nodes cannot all slip under the limit.
type Limiter struct {
	kv     kvstore.KV
	window time.Duration
}

// NewLimiter counts over window (AlertLimitWindow in the plugin).
func NewLimiter(kv kvstore.KV, window time.Duration) *Limiter {
	return &Limiter{kv: kv, window: window}
}

// Window is the length of the sliding window.
func (l *Limiter) Window() time.Duration { return l.window }

// Decision says whether a page may go out, and if not, how many were sent and when the next may.
type Decision struct {
	Allowed bool
	// Used is how many pages the user sent within the window, this one included when allowed.
	Used int
	// RetryAt is when the oldest page in the window leaves it (set when refused).
	RetryAt time.Time
	// Stamp identifies this page's slot, to give it back with Release.
	Stamp int64
}

func limitKey(userID string) string { return "alertlimit_" + userID }

// Take records one page for userID if fewer than limit were sent in the window before now.
// limit <= 0 means no limit (nothing is stored).
func (l *Limiter) Take(userID string, limit int, now time.Time) (Decision, error) {
	if limit <= 0 {
		return Decision{Allowed: true}, nil
	}
	var d Decision
	err := l.update(limitKey(userID), func(old []byte) ([]byte, error) {
		stamps, err := l.live(old, now)
		if err != nil {
			return nil, err
		}
		d = Decision{Used: len(stamps)}
		if len(stamps) >= limit {
			d.RetryAt = time.Unix(0, stamps[len(stamps)-limit]).Add(l.window)
			return old, errRefused
		}
		stamp := now.UnixNano()
		for _, s := range stamps { // two pages in the same nanosecond stay two entries
			if s >= stamp {
				stamp = s + 1
			}
		}
		d.Allowed, d.Used, d.Stamp = true, len(stamps)+1, stamp
		return json.Marshal(append(stamps, stamp))
	})
	if errors.Is(err, errRefused) {
		return d, nil
	}
	if err != nil {
		return Decision{}, err
	}
	return d, nil
}

// Release gives back the slot of a page that did not go out (it could not be announced or
// queued), so a failure does not count against the user.
func (l *Limiter) Release(userID string, stamp int64, now time.Time) error {
	if stamp == 0 {
		return nil
	}
	err := l.update(limitKey(userID), func(old []byte) ([]byte, error) {
		if old == nil {
			return nil, errUnchanged
		}
		stamps, err := l.live(old, now)
		if err != nil {
			return nil, err
		}
		kept := stamps[:0]
		for _, s := range stamps {
			if s != stamp {
				kept = append(kept, s)
			}
		}
		if len(kept) == 0 {
			return nil, nil
		}
		return json.Marshal(kept)
	})
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// update stores fn(current value) with compare-and-set and the window as time to live (so an
// idle user's counter leaves the store), retrying when another node wrote in between. An error
// from fn ends it without writing.
func (l *Limiter) update(key string, fn func(old []byte) ([]byte, error)) error {
	for attempt := 0; attempt < 50; attempt++ {
		old, err := l.kv.Get(key)
		if err != nil {
			return err
		}
		next, err := fn(old)
		if err != nil {
			return err
		}
		ok, err := l.kv.CompareAndSet(key, old, next, l.window)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return errors.New("too many concurrent updates of " + key)
}

var (
	errRefused   = errors.New("limit reached")
	errUnchanged = errors.New("nothing to change")
)

// live decodes the stored stamps and drops those older than the window. An unreadable value
// (written by a future version, or damaged) counts as empty rather than blocking paging.
func (l *Limiter) live(old []byte, now time.Time) ([]int64, error) {
	if old == nil {
		return nil, nil
	}
	var stamps []int64
	if err := json.Unmarshal(old, &stamps); err != nil {
		return nil, nil
	}
	cutoff := now.Add(-l.window).UnixNano()
	kept := stamps[:0]
	for _, s := range stamps {
		if s > cutoff {
			kept = append(kept, s)
		}
	}
	return kept, nil
}
