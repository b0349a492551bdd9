// Harness that builds a real Mattermost server from the Go module proxy for the end-to-end suite.
// Only this file, go.sum and the scripts beside it are ours; Mattermost's source comes from the proxy.
module pagertree-e2e/mmserver

go 1.24.11

// server/v8's own go.mod carries this replace; a dependent module does not inherit it.
replace github.com/olekukonko/tablewriter => github.com/olekukonko/tablewriter v0.0.5

require (
	github.com/mattermost/mattermost/server/public v0.1.22-0.20260113165922-8e4cadbc88ee
	github.com/mattermost/mattermost/server/v8 v8.0.0-20260113162330-9e1d4c2072c0
)
