package kvstore

import (
	"time"

	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
)

// PluginStore adapts the plugin KV store (shared by every node of a cluster), through
// pluginapi's KV service, to KV.
type PluginStore struct {
	kv *pluginapi.KVService
}

// NewPluginStore is the plugin's own KV store.
func NewPluginStore(api plugin.API) PluginStore {
	return PluginStore{kv: &pluginapi.NewClient(api, nil).KV}
}

// Get returns the value, nil when absent.
func (k PluginStore) Get(key string) ([]byte, error) {
	var v []byte
	if err := k.kv.Get(key, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// CompareAndSet is pluginapi's Set with SetAtomic(old) (SetAtomic(nil) creates only); a nil value deletes.
func (k PluginStore) CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error) {
	return k.kv.Set(key, value, pluginapi.SetAtomic(old), pluginapi.SetExpiry(ttl))
}

// Update is pluginapi's SetAtomicWithRetries.
func (k PluginStore) Update(key string, fn func(old []byte) ([]byte, error)) error {
	return k.kv.SetAtomicWithRetries(key, func(old []byte) (any, error) {
		return fn(old)
	})
}

// ListKeys lists unfiltered pages: pluginapi's WithPrefix filters each page, so a short page
// would no longer mean the last one; callers filter by prefix themselves.
func (k PluginStore) ListKeys(page, perPage int) ([]string, error) {
	return k.kv.ListKeys(page, perPage)
}
