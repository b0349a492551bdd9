// Command noop-plugin is the floor for any plugin that watches posts: it implements
// MessageHasBeenPosted and does nothing in it. make bench-e2e builds and bundles it on the fly
// (never committed as a binary) and compares the cost of a post with it, without any plugin,
// and with the PagerTree plugin.
package main

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

type noop struct {
	plugin.MattermostPlugin
}

// MessageHasBeenPosted is called for every post, like the PagerTree plugin's hook.
func (*noop) MessageHasBeenPosted(*plugin.Context, *model.Post) {}

func main() {
	plugin.ClientMain(&noop{})
}
