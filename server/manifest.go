package main

// pluginID matches plugin.json (a test checks it). version is set at build time from plugin.json.
const pluginID = "pagertree"

var version = "dev"
