#!/usr/bin/env bash
# End-to-end suite: builds (once, cached) a real Mattermost server from the Go module proxy,
# starts it on loopback with a fresh PostgreSQL database, runs the TypeScript scenarios against
# it with the real plugin bundle, and stops everything it started, even on failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

# --- The Mattermost server, built once per version and cached outside the repo.
mm_version=$(awk '$1 == "github.com/mattermost/mattermost/server/v8" {print $2}' "$here/mmserver/go.mod")
cache=${PAGERTREE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pagertree-e2e}/mattermost-$mm_version
export GONOSUMDB=github.com/mattermost/mattermost GOFLAGS=-mod=mod
if [ ! -x "$cache/bin/mattermost" ]; then
  echo "e2e: building Mattermost server $mm_version (first run only, a few minutes)…"
  start=$(date +%s)
  mkdir -p "$cache.tmp/bin"
  (cd "$here/mmserver" && go build -trimpath -o "$cache.tmp/bin/mattermost" github.com/mattermost/mattermost/server/v8/cmd/mattermost)
  src=$(cd "$here/mmserver" && go list -m -f '{{.Dir}}' github.com/mattermost/mattermost/server/v8)
  for d in i18n templates fonts; do cp -r "$src/$d" "$cache.tmp/$d"; done
  chmod -R u+w "$cache.tmp"
  rm -rf "$cache" && mv "$cache.tmp" "$cache"
  echo "e2e: built in $(( $(date +%s) - start )) s, cached in $cache"
else
  echo "e2e: using cached Mattermost server $mm_version ($cache)"
fi

# --- PostgreSQL: start it if needed (install it if missing), then a fresh database.
if ! command -v pg_ctlcluster >/dev/null; then
  echo "e2e: installing PostgreSQL from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
started_pg=""
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  cluster=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  started_pg=$cluster
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql_admin() { su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"$1\"" >/dev/null; }
psql_admin "DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pagertree_e2e') THEN CREATE ROLE pagertree_e2e LOGIN PASSWORD 'pagertree_e2e'; END IF; END \\\$\\\$;"
# PAGERTREE_E2E_DB lets several checkouts run the suite at once, each on its own database.
db=${PAGERTREE_E2E_DB:-pagertree_e2e}
psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE);"
psql_admin "CREATE DATABASE $db OWNER pagertree_e2e;"

# --- The server, configured from environment variables, on a free loopback port.
run="$here/.run"
rm -rf "$run" && mkdir -p "$run/data" "$run/plugins" "$run/client/plugins" "$run/logs"
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export MM_SQLSETTINGS_DRIVERNAME=postgres
# One PostgreSQL (100 connections) serves every checkout's suite: a server may use 30 of them
# (its default of 300 let a burst of posts take the connections other suites needed).
export MM_SQLSETTINGS_MAXOPENCONNS=${PAGERTREE_E2E_MAX_CONNS:-30}
export MM_SQLSETTINGS_MAXIDLECONNS=10
export MM_SQLSETTINGS_DATASOURCE="postgres://pagertree_e2e:pagertree_e2e@127.0.0.1:5432/$db?sslmode=disable&connect_timeout=10"
export MM_SERVICESETTINGS_SITEURL="http://127.0.0.1:$port"
export MM_SERVICESETTINGS_LISTENADDRESS="127.0.0.1:$port"
export MM_SERVICESETTINGS_ENABLELOCALMODE=true
export MM_SERVICESETTINGS_LOCALMODESOCKETLOCATION="$run/mattermost.sock"
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
export MM_PLUGINSETTINGS_DIRECTORY="$run/plugins"
export MM_PLUGINSETTINGS_CLIENTDIRECTORY="$run/client/plugins"
export MM_FILESETTINGS_DIRECTORY="$run/data"
export MM_LOGSETTINGS_FILELOCATION="$run/logs"
export MM_LOGSETTINGS_CONSOLELEVEL=ERROR
export MM_LOGSETTINGS_FILELEVEL=DEBUG
export MM_LOGSETTINGS_ENABLEDIAGNOSTICS=false
export MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED=false
export MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED=false
export MM_TEAMSETTINGS_ENABLEOPENSERVER=true
export MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS=false
export MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION=false
export MM_RATELIMITSETTINGS_ENABLE=false
export MM_METRICSSETTINGS_ENABLE=false
export MM_SERVICESETTINGS_ENABLEDEVELOPER=false
export MM_FEATUREFLAGS_ENABLEREMOTECLUSTERSERVICE=false

ping() { node -e "fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "http://127.0.0.1:$port/api/v4/system/ping"; }

server_pid=""
cleanup() {
  status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$started_pg" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$started_pg" main stop || true
  fi
  if [ "$status" -ne 0 ]; then
    echo "e2e: FAILED — last lines of the Mattermost server log ($run/logs/mattermost.log):"
    tail -n 60 "$run/logs/mattermost.log" 2>/dev/null || tail -n 60 "$run/server.out" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT INT TERM

# Settings the scenarios change through the config API live in the file, not in the
# environment (an environment variable would pin them). The stand-in listens on 127.0.0.1.
cat >"$run/config.json" <<'JSON'
{"ServiceSettings": {"AllowedUntrustedInternalConnections": "127.0.0.1 localhost"}}
JSON

echo "e2e: starting Mattermost on 127.0.0.1:$port"
started=$(date +%s)
(cd "$cache" && exec ./bin/mattermost server --config "$run/config.json") >"$run/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 240); do
  if ping; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "e2e: the server exited"; tail -n 40 "$run/server.out"; exit 1; }
  sleep 0.5
done
ping || { echo "e2e: the server did not become healthy within 2 minutes"; exit 1; }
echo "e2e: server healthy after $(( $(date +%s) - started )) s"

export MM_URL="http://127.0.0.1:$port"
# PLUGIN_BUNDLE may name another build (e.g. an older version, to benchmark before and after).
export PLUGIN_BUNDLE="${PLUGIN_BUNDLE:-$root/dist/$(node -p "require('$root/plugin.json').id")-$(node -p "require('$root/plugin.json').version").tar.gz}"
export MM_SERVER_LOG="$run/logs/mattermost.log"
cd "$root"
if [ "${E2E_KEEP_SERVER:-}" = 1 ]; then
  # For writing scenarios: keep the server up; run `npm test -w e2e` (or `npm run bench -w e2e`) with the variables above.
  echo "MM_URL=$MM_URL PLUGIN_BUNDLE=$PLUGIN_BUNDLE MM_SERVER_LOG=$MM_SERVER_LOG"
  wait "$server_pid"
fi
# E2E_SUITE=bench runs the benchmark (make bench-e2e) instead of the scenarios, on the same server.
if [ "${E2E_SUITE:-scenarios}" = bench ]; then
  npm run bench -w e2e
else
  npm test -w e2e
fi
