// Mattermost 9.11 (an Extended Support Release) for the end-to-end suite: server/v8 and server/public at
// one commit of the monorepo, the one tagged server/public/v0.1.6 (2024-07-25; its model/version.go says
// 9.11.0, released 2024-08-16). The module proxy this project builds from serves no commit of a v9.11.x
// release tag (those tags are no Go versions of the /v8 module), so this is 9.11 as of that tag, not a patch.
// Only this file, go.sum and the scripts beside it are ours; Mattermost's source comes from the proxy.
module pagertree-e2e/mmserver

go 1.21.0

require (
	github.com/mattermost/mattermost/server/public v0.1.6
	github.com/mattermost/mattermost/server/v8 v8.0.0-20240725195723-b244bb621d4d
)
