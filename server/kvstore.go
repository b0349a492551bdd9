package main

import (
	"time"

	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
)

// pluginKV adapts the plugin KV store (shared by every node of a cluster), through pluginapi's
// KV service, to delivery.KV.
type pluginKV struct {
	kv *pluginapi.KVService
}

func newPluginKV(api plugin.API) pluginKV {
	return pluginKV{kv: &pluginapi.NewClient(api, nil).KV}
}

func (k pluginKV) Get(key string) ([]byte, error) {
	var v []byte
	if err := k.kv.Get(key, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// CompareAndSet: pluginapi's Set with SetAtomic(nil) creates only; a nil value deletes.
func (k pluginKV) CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error) {
	return k.kv.Set(key, value, pluginapi.SetAtomic(old), pluginapi.SetExpiry(ttl))
}

func (k pluginKV) Update(key string, fn func(old []byte) ([]byte, error)) error {
	return k.kv.SetAtomicWithRetries(key, func(old []byte) (any, error) {
		return fn(old)
	})
}

// ListKeys lists unfiltered pages: pluginapi's WithPrefix filters each page, so a short page
// would no longer mean the last one; delivery filters by prefix itself.
func (k pluginKV) ListKeys(page, perPage int) ([]string, error) {
	return k.kv.ListKeys(page, perPage)
}
