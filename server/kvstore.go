package main

import (
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// pluginKV adapts the plugin KV store (shared by every node of a cluster) to delivery.KV.
type pluginKV struct {
	api plugin.API
}

func (k pluginKV) Get(key string) ([]byte, error) {
	v, appErr := k.api.KVGet(key)
	if appErr != nil {
		return nil, appErr
	}
	return v, nil
}

func (k pluginKV) CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error) {
	ok, appErr := k.api.KVSetWithOptions(key, value, model.PluginKVSetOptions{
		Atomic: true, OldValue: old, ExpireInSeconds: int64(ttl / time.Second),
	})
	if appErr != nil {
		return false, appErr
	}
	return ok, nil
}

func (k pluginKV) ListKeys(page, perPage int) ([]string, error) {
	keys, appErr := k.api.KVList(page, perPage)
	if appErr != nil {
		return nil, appErr
	}
	return keys, nil
}
