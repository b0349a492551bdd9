package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagertree/mattermost-plugin-pagertree/server/delivery"
	"github.com/pagertree/mattermost-plugin-pagertree/server/kvstore/kvstoretest"
)

// What one alert costs the KV store on its own keys (its outbox job, its thread's claim, its
// record for PagerTree's events, its thread's pointer), from the trigger post to its card: under
// a burst every round trip is the database's and the server's work, so it is a budget. Shared
// sets (the pending index, the work sets, the history's index) are batched by group commit and
// not counted here.
func TestAnAlertStaysWithinItsKVBudget(t *testing.T) {
	for _, tc := range []struct {
		format   string
		comments bool // thread replies sent as comments: the thread's pointer is written too
		budget   int
	}{
		// job: create, result; thread claim; record: create, read for the card, the card's post
		// id with the revision it shows (read + compare-and-set); with comments, the thread's
		// pointer: create. (12 before the card recorded its revision and the pointer was
		// written once, and only for comments.)
		{"mattermost", false, 7},
		{"webhook", false, 7},
		{"mattermost", true, 8},
	} {
		t.Run(fmt.Sprintf("%s, comments %v", tc.format, tc.comments), func(t *testing.T) {
			pt := newFakePagerTree(t)
			s := baseSettings(pt.srv.URL)
			s.Format = tc.format
			if tc.comments {
				s.APIKey, s.APIBaseURL, s.SendRepliesAsComments = savedKey, pt.srv.URL, true
			}
			kv := kvstoretest.New()
			post := userPost(publicID, "outage in eu")
			var mu sync.Mutex
			ops := map[string]int{}
			indexReads := map[string]bool{}
			kv.SetFault(func(op kvstoretest.Op, key string) error {
				mu.Lock()
				if strings.HasPrefix(key, "pending_") {
					indexReads[key] = true
				}
				mu.Unlock()
				if strings.Contains(key, post.Id) || strings.Contains(key, publicID) {
					mu.Lock()
					ops[string(op)+" "+strings.NewReplacer(post.Id, "<post>", publicID, "<channel>").Replace(key)]++
					mu.Unlock()
				}
				return nil
			})
			// No sweep but the start's: a sweep reads what it finds pending, not the alert's path.
			env := newTunedEnv(t, s, kv, func(o *delivery.Options) { o.SweepEvery = time.Hour })
			// The outbox's first sweep runs at its start: it is over once it read every shard of the
			// pending index (what it finds there it reads next, and the alert is not there yet).
			eventually(t, "the start's sweep", func() bool { mu.Lock(); defer mu.Unlock(); return len(indexReads) >= 16 })
			env.p.MessageHasBeenPosted(nil, post)
			receive(t, env.fb.posts, "card")
			env.quiesce(t) // the card's post id is recorded before the feedback queue stops
			mu.Lock()
			defer mu.Unlock()
			total, lines := 0, []string{}
			for k, n := range ops {
				total += n
				lines = append(lines, fmt.Sprintf("%d × %s", n, k))
			}
			sort.Strings(lines)
			pointed := ops["compare-and-set alert_th_<post>"] > 0
			if total > tc.budget || total < 5 || pointed != tc.comments { // fewer than 5: the filter above lost the keys
				t.Fatalf("%d KV calls on the alert's own keys (budget %d), thread pointed %v:\n%s", total, tc.budget, pointed, strings.Join(lines, "\n"))
			}
		})
	}
}
