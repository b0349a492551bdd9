// Command pagertree is the server half of the PagerTree plugin for Mattermost.
package main

import "github.com/mattermost/mattermost/server/public/plugin"

func main() {
	plugin.ClientMain(&Plugin{})
}
