#!/usr/bin/env bash
# start-node.sh NAME PORT METRICS_PORT: execs one Mattermost server node with the suite's settings.
# Called by run.sh (node "a") and by the two-node scenario (node "b"); everything else comes from
# the environment run.sh exports (MM_* settings, E2E_RUN, E2E_MM_DIR, E2E_CONFIG_DSN).
set -euo pipefail
name=$1 port=$2 metrics=$3
mkdir -p "$E2E_RUN/logs-$name"
export MM_SERVICESETTINGS_SITEURL="http://127.0.0.1:$port"
export MM_SERVICESETTINGS_LISTENADDRESS="127.0.0.1:$port"
export MM_SERVICESETTINGS_LOCALMODESOCKETLOCATION="$E2E_RUN/mattermost-$name.sock"
export MM_METRICSSETTINGS_LISTENADDRESS="127.0.0.1:$metrics"
export MM_LOGSETTINGS_FILELOCATION="$E2E_RUN/logs-$name"
cd "$E2E_MM_DIR"
exec ./bin/mattermost server --config "$E2E_CONFIG_DSN" >"$E2E_RUN/server-$name.out" 2>&1
