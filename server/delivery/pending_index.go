package delivery

import "github.com/pagertree/mattermost-plugin-pagertree/server/kvstore"

// The pending index: the keys of jobs not finished yet, in a sharded key set, so that a sweep
// reads O(pending) values and never lists the store (which holds every finished job's claim
// and thread claim for days). A job is added before its first attempt, in parallel with its
// creation, and removed once it is finished; a stale entry (the job finished or expired and
// the removal was lost) is dropped by the next sweep that reads it. The key names are those
// 0.1.0 wrote (pending_00 … pending_15), so its stores keep working.
const (
	indexShards   = 16
	indexPrefix   = "pending_"
	indexBuiltKey = "pending_index_built" // set once every job of an older version is indexed
)

func newPendingIndex(kv kvstore.KV) *kvstore.KeySet {
	return kvstore.NewKeySet(kv, indexPrefix, indexShards)
}
