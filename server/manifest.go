package main

import (
	"encoding/json"

	"github.com/mattermost/mattermost/server/public/model"

	root "github.com/pagertree/mattermost-plugin-pagertree"
)

// manifest is plugin.json, embedded at build time: the plugin's id, version and setting defaults.
var manifest = mustParseManifest(root.PluginJSON)

func mustParseManifest(raw []byte) *model.Manifest {
	var m model.Manifest
	if err := json.Unmarshal(raw, &m); err != nil || m.SettingsSchema == nil {
		panic("plugin.json embedded in the server is not a valid manifest") // caught by every test run
	}
	return &m
}
