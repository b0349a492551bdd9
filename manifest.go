// Package root makes plugin.json, the one source of the plugin's id, version and setting
// defaults, available to the Go server (go:embed cannot reach outside a package's directory).
package root

import _ "embed" // for go:embed

// PluginJSON is plugin.json as built into the server binary.
//
//go:embed plugin.json
var PluginJSON []byte
