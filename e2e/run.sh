#!/usr/bin/env bash
# End-to-end suite: builds (once per server version, cached) a real Mattermost server from the Go
# module proxy, starts it on loopback with a fresh PostgreSQL database, runs the TypeScript
# scenarios against it with the real plugin bundle, and stops everything it started, even on failure.
#
#   e2e/run.sh [VERSION]      VERSION is a directory under e2e/mmserver/ (default: the newest)
#   E2E_SCOPE=SCOPE[,SCOPE…]  which scenarios, one or more of (default: full):
#                               full   every scenario (but the two-node phase)
#                               smoke  install, trigger → alert, reaction and reply, slash commands, retry
#                               files  the test files in E2E_TESTS (space-separated, e.g.
#                                      E2E_TESTS=tests/loop.test.ts), for working on a few
#                               loop   PagerTree → Mattermost: pushed events, the card's buttons, alerts
#                                      from other sources, polled updates, /pagertree ack N
#                                      (loop.test.ts, actions.test.ts)
#   E2E_TWO_NODES=1           then a second phase: two servers on one database, node A killed (SIGKILL)
#   E2E_KEEP_SERVER=1         start the server and wait (for writing scenarios); no tests run
#   E2E_DEMO=1                `make demo`: start, run the walk-through (e2e/demo), leave it running
#   E2E_PORT, E2E_RUN_DIR     the server's port (default: a free one) and run directory (default e2e/.run)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

# --- Which Mattermost server: one directory with its own go.mod per version.
versions=$(ls "$here/mmserver" | sort -V)
version=${1:-${MM_SERVER:-$(echo "$versions" | tail -1)}}
moddir="$here/mmserver/$version"
if [ ! -f "$moddir/go.mod" ]; then
  echo "e2e: no Mattermost server \"$version\" in e2e/mmserver (known: $(echo $versions))" >&2
  exit 2
fi

# --- Which scenarios (E2E_SCOPE), checked before anything is built or started.
run_scope() {
  case "$1" in
    full) npm test -w e2e -- --testPathIgnorePatterns two_nodes ;; # every file but the two-node phase's
    smoke)
      # The smoke subset for the other server versions: install (every scenario's setup), a trigger
      # → alert, the reaction and reply, the slash commands, and retries.
      npm test -w e2e -- tests/scenarios.test.ts -t 'a trigger mid-sentence|a reaction and a bot reply|PagerTree answering 503|alert pages from any channel|test, status and history'
      ;;
    loop) npm test -w e2e -- tests/loop.test.ts tests/actions.test.ts ;;
    files) npm test -w e2e -- ${E2E_TESTS:?E2E_SCOPE=files needs E2E_TESTS, e.g. E2E_TESTS=tests/loop.test.ts} ;;
  esac
}
IFS=, read -r -a scopes <<<"${E2E_SCOPE:-full}"
for scope in "${scopes[@]}"; do
  case "$scope" in
    full | smoke | loop | files) ;;
    *) echo "e2e: E2E_SCOPE is a comma-separated list of full, smoke, loop and files (got \"${E2E_SCOPE}\")" >&2; exit 2 ;;
  esac
done

# Mattermost 8 and later live in module server/v8 of the monorepo; 7.x in mattermost-server/v6.
mm_module=$(sed -E 's/^require //' "$moddir/go.mod" | awk '$1 == "github.com/mattermost/mattermost/server/v8" || $1 == "github.com/mattermost/mattermost-server/v6" {print $1; exit}')
mm_modversion=$(sed -E 's/^require //' "$moddir/go.mod" | awk -v m="$mm_module" '$1 == m {print $2; exit}')
cache=${PAGERTREE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pagertree-e2e}/mattermost-$mm_modversion
export GONOSUMDB=github.com/mattermost/mattermost,github.com/mattermost/mattermost-server GOFLAGS=-mod=mod
if [ ! -x "$cache/bin/mattermost" ]; then
  echo "e2e: building Mattermost server $version ($mm_module $mm_modversion): first run only, 10–25 minutes on two cores; progress every 10 s"
  "$here/build-server.sh" "$moddir" "$mm_module" "$cache" "Mattermost $version"
else
  echo "e2e: using cached Mattermost server $version ($cache)"
  if [ "$mm_module" = github.com/mattermost/mattermost/server/v8 ] && [ ! -x "$cache/bin/mmctl" ]; then
    # A cache built before mmctl was part of it: add mmctl only (a few minutes; the server stays).
    echo "e2e: the cached server has no mmctl yet: building only mmctl, the server's command-line tool"
    "$here/build-server.sh" "$moddir" "$mm_module" "$cache" "Mattermost $version" mmctl
  fi
fi

# The server is built from Go modules, which do not hold Mattermost's web app, so its root URL
# (the web app's page) answered 500; `mmctl auth login` checks that URL. A one-line page stands in.
if [ ! -f "$cache/client/root.html" ]; then
  mkdir -p "$cache/client"
  echo '<!doctype html><title>Mattermost</title><p>This Mattermost server was built for the PagerTree e2e suite without the web app: use the REST API.</p>' >"$cache/client/root.html.$$"
  mv "$cache/client/root.html.$$" "$cache/client/root.html"
fi

# --- PostgreSQL: start it if needed (install it if missing).
if ! command -v pg_ctlcluster >/dev/null; then
  echo "e2e: installing PostgreSQL from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
started_pg=""
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  cluster=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  # The demo leaves the server running, so it leaves PostgreSQL running too.
  [ "${E2E_DEMO:-}" = 1 ] || started_pg=$cluster
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql_admin() { su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"$1\"" >/dev/null; }
psql_admin "DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pagertree_e2e') THEN CREATE ROLE pagertree_e2e LOGIN PASSWORD 'pagertree_e2e'; END IF; END \\\$\\\$;"
# PAGERTREE_E2E_DB lets several checkouts run the suite at once, each on its own database.
db=${PAGERTREE_E2E_DB:-pagertree_e2e}
export E2E_DB=$db # the bench reads the plugin KV table's counters (e2e/bench/kvstats.ts)
fresh_db() {
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE);"
  psql_admin "CREATE DATABASE $db OWNER pagertree_e2e;"
}

# --- The server's settings: environment variables over a configuration kept in the database,
# so that a second node on the same database reads the same configuration (as a cluster does).
run="${E2E_RUN_DIR:-$here/.run}"
dsn="postgres://pagertree_e2e:pagertree_e2e@127.0.0.1:5432/$db?sslmode=disable&connect_timeout=10"
export MM_SQLSETTINGS_DRIVERNAME=postgres
# One PostgreSQL (100 connections) serves every checkout's suite: a server may use 30 of them
# (its default of 300 let a burst of posts take the connections other suites needed).
export MM_SQLSETTINGS_MAXOPENCONNS=${PAGERTREE_E2E_MAX_CONNS:-30}
export MM_SQLSETTINGS_MAXIDLECONNS=10
export MM_SQLSETTINGS_DATASOURCE="$dsn"
export MM_SERVICESETTINGS_ENABLELOCALMODE=true
export MM_SERVICESETTINGS_ENABLEOUTGOINGWEBHOOKS=true
export MM_SERVICESETTINGS_ENABLEINCOMINGWEBHOOKS=true
export MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION=true
export MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS=true
export MM_SERVICESETTINGS_ENABLESECURITYFIXALERT=false
export MM_SERVICESETTINGS_ENABLEONBOARDINGFLOW=false
export MM_SERVICESETTINGS_ENABLEPOSTSEARCH=true
export MM_PLUGINSETTINGS_ENABLE=true
export MM_PLUGINSETTINGS_ENABLEUPLOADS=true
export MM_PLUGINSETTINGS_ENABLEMARKETPLACE=false
export MM_PLUGINSETTINGS_ENABLEREMOTEMARKETPLACE=false
export MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS=false
# Shared by every node, as a cluster shares its plugin and file directories.
export MM_PLUGINSETTINGS_DIRECTORY="$run/plugins"
export MM_PLUGINSETTINGS_CLIENTDIRECTORY="$run/client/plugins"
export MM_FILESETTINGS_DIRECTORY="$run/data"
export MM_LOGSETTINGS_CONSOLELEVEL=ERROR
export MM_LOGSETTINGS_FILELEVEL=DEBUG
export MM_LOGSETTINGS_ENABLEDIAGNOSTICS=false
export MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED=false
export MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED=false
export MM_TEAMSETTINGS_ENABLEOPENSERVER=true
export MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS=false
export MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION=false
export MM_RATELIMITSETTINGS_ENABLE=false
# The metrics listener: the scenarios scrape it to see whether it serves plugin metrics.
export MM_METRICSSETTINGS_ENABLE=true
export MM_SERVICESETTINGS_ENABLEDEVELOPER=false
export MM_FEATUREFLAGS_ENABLEREMOTECLUSTERSERVICE=false

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
ping_url() { node -e "fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$1/api/v4/system/ping"; }

# stop_plugins stops the plugin processes started from this run's plugin directory that
# outlived their server: a server killed with SIGKILL (node A in the two-node phase) cannot
# stop its plugins. Only executables under "$run/plugins/" are touched (other checkouts' runs
# keep theirs), matched by /proc/PID/exe, which still names a deleted file ("… (deleted)").
stop_plugins() {
  local dir link exe pid pids=()
  dir=$(realpath -m "$run/plugins")
  for link in /proc/[0-9]*/exe; do
    exe=$(readlink "$link" 2>/dev/null) || continue
    case "$exe" in
      "$dir"/*) pid=${link#/proc/} && pids+=("${pid%/exe}") ;;
    esac
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  echo "e2e: stopping ${#pids[@]} plugin process(es) of this run that outlived their server"
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 20); do
    local alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    pids=("${alive[@]}")
    [ "${#pids[@]}" -gt 0 ] || return 0
    sleep 0.5
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

server_pid=""
cleanup() {
  status=$?
  for pidfile in "$run"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  stop_plugins
  if [ -n "$started_pg" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$started_pg" main stop || true
  fi
  if [ "$status" -ne 0 ]; then
    echo "e2e: FAILED — last lines of the Mattermost server log ($run/logs-a/mattermost.log):"
    tail -n 60 "$run/logs-a/mattermost.log" 2>/dev/null || tail -n 60 "$run/server-a.out" 2>/dev/null || true
  fi
  exit "$status"
}

# start_phase: a fresh database and run directory, node "a" started and healthy.
start_phase() {
  rm -rf "$run" && mkdir -p "$run/data" "$run/plugins" "$run/client/plugins"
  fresh_db
  port=${E2E_PORT:-$(free_port)}
  metrics_port=$(free_port)
  export E2E_RUN="$run" E2E_MM_DIR="$cache" E2E_CONFIG_DSN="$dsn" E2E_START_NODE="$here/start-node.sh"
  echo "e2e: starting Mattermost $version on 127.0.0.1:$port"
  started=$(date +%s)
  "$here/start-node.sh" a "$port" "$metrics_port" &
  server_pid=$!
  echo "$server_pid" >"$run/node-a.pid"
  for _ in $(seq 240); do
    if ping_url "http://127.0.0.1:$port"; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "e2e: the server exited"; tail -n 40 "$run/server-a.out"; exit 1; }
    sleep 0.5
  done
  ping_url "http://127.0.0.1:$port" || { echo "e2e: the server did not become healthy within 2 minutes"; exit 1; }
  echo "e2e: server healthy after $(( $(date +%s) - started )) s"
  # Settings the scenarios change through the config API are set once here, through local mode,
  # not pinned by environment variables. The stand-in listens on 127.0.0.1.
  node -e "
    const req = require('http').request({socketPath: process.argv[1], method: 'PUT', path: '/api/v4/config/patch', headers: {'Content-Type': 'application/json'}},
      (res) => process.exit(res.statusCode === 200 ? 0 : 1));
    req.on('error', () => process.exit(1));
    req.end(JSON.stringify({ServiceSettings: {AllowedUntrustedInternalConnections: '127.0.0.1 localhost'}}));
  " "$run/mattermost-a.sock" || { echo "e2e: could not set the server's settings through local mode"; exit 1; }
  export MM_URL="http://127.0.0.1:$port" MM_METRICS_URL="http://127.0.0.1:$metrics_port" MM_SERVER_PID="$server_pid"
  export MM_SERVER_LOG="$run/logs-a/mattermost.log" MM_SERVER_VERSION="$version"
}

stop_node_a() {
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$server_pid" 2>/dev/null || true
  stop_plugins
}

trap cleanup EXIT INT TERM
# PLUGIN_BUNDLE may name another build (e.g. an older version, to benchmark before and after).
export PLUGIN_BUNDLE="${PLUGIN_BUNDLE:-$root/dist/$(node -p "require('$root/plugin.json').id")-$(node -p "require('$root/plugin.json').version").tar.gz}"
cd "$root"

start_phase
if [ "${E2E_KEEP_SERVER:-}" = 1 ]; then
  # For writing scenarios: keep the server up; run `npm test -w e2e` (or `npm run bench -w e2e`) with the variables above.
  echo "MM_URL=$MM_URL MM_METRICS_URL=$MM_METRICS_URL PLUGIN_BUNDLE=$PLUGIN_BUNDLE MM_SERVER_LOG=$MM_SERVER_LOG"
  wait "$server_pid"
  exit 0
fi
if [ "${E2E_DEMO:-}" = 1 ]; then
  # make demo: the walk-through, then the server stays up on its own (cleanup is not run).
  npx tsc -p e2e/demo/tsconfig.json
  node e2e/.demo-js/demo/demo.js
  trap - EXIT INT TERM # the pid files stay for `make demo-stop`
  exit 0
fi

# E2E_SUITE=bench runs the benchmark (make bench-e2e) instead of the scenarios, on the same server.
if [ "${E2E_SUITE:-scenarios}" = bench ]; then
  npm run bench -w e2e
  exit 0
fi

# Each scope is one jest run on the same server; all of them run, and the suite fails if one did.
failed=""
for scope in "${scopes[@]}"; do
  echo "e2e: scope $scope on Mattermost $version"
  run_scope "$scope" || failed="$failed $scope"
done
if [ -n "$failed" ]; then
  echo "e2e: failed on Mattermost $version:$failed" >&2
  exit 1
fi

if [ "${E2E_TWO_NODES:-}" = 1 ]; then
  stop_node_a
  echo "e2e: two nodes on one database"
  start_phase
  npm test -w e2e -- tests/two_nodes.test.ts
fi
