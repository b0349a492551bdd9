// The oldest Mattermost server the end-to-end suite runs: mattermost-server/v6 at the commit of the v7.4.0
// release tag (Mattermost 7.x still lived in module mattermost-server/v6, so the tag has no semver of its own).
// Only this file, go.sum and the scripts beside it are ours; Mattermost's source comes from the proxy.
module pagertree-e2e/mmserver

go 1.18

require github.com/mattermost/mattermost-server/v6 v6.0.0-20221012175353-8cb6718a9bcc
