#!/usr/bin/env bash
# Builds one Mattermost server from the Go module proxy into a cache directory (run.sh calls it
# once per version), with the server's own mmctl beside it (bin/mmctl) where the server's module
# holds it. The first build takes 10–25 minutes on two cores, so every step says what it is doing
# at least every 15 s: nobody should think it hangs.
#
#   e2e/build-server.sh MODULE_DIR MODULE CACHE_DIR LABEL          the server (and mmctl)
#   e2e/build-server.sh MODULE_DIR MODULE CACHE_DIR LABEL mmctl    only mmctl, into a cache built
#                                                                  before mmctl was part of it
set -euo pipefail
moddir=$1 module=$2 cache=$3 label=$4 only=${5:-}
start=$(date +%s)

# mmctl lives in the server's module from Mattermost 8 on (server/v8/cmd/mmctl). 7.x's mmctl was a
# module of its own (github.com/mattermost/mmctl), not pinned here: those caches have none.
mmctl_pkg=""
if [ "$module" = github.com/mattermost/mattermost/server/v8 ]; then
  mmctl_pkg="$module/cmd/mmctl"
fi

# step NAME CMD…: runs CMD, printing "still NAME (N s so far)" every 10 s while it runs.
step() {
  local name=$1; shift
  local began; began=$(date +%s)
  echo "e2e: $label: $name…"
  "$@" &
  local pid=$!
  while ! wait_for "$pid" 10; do
    echo "e2e: $label: still $name ($(( $(date +%s) - began )) s for this step, $(( $(date +%s) - start )) s in all)"
  done
  wait "$pid"
}
# wait_for PID SECONDS: true once PID has exited, false if it still runs after SECONDS.
wait_for() {
  local i
  for i in $(seq $(( $2 * 2 ))); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.5
  done
  ! kill -0 "$1" 2>/dev/null
}

# build_mmctl DIR: compiles mmctl into DIR/bin/mmctl.
build_mmctl() {
  step "compiling mmctl, the server's command-line tool" sh -c "cd '$moddir' && go build -trimpath -o '$1/bin/mmctl' '$mmctl_pkg'"
}

if [ "$only" = mmctl ]; then
  if [ -z "$mmctl_pkg" ]; then
    echo "e2e: $label: its mmctl is not part of the server's module; the mmctl scenario does not run on it"
    exit 0
  fi
  rm -rf "$cache/mmctl.tmp" && mkdir -p "$cache/mmctl.tmp/bin"
  build_mmctl "$cache/mmctl.tmp"
  mv "$cache/mmctl.tmp/bin/mmctl" "$cache/bin/mmctl" && rm -rf "$cache/mmctl.tmp"
  echo "e2e: $label: mmctl built in $(( $(date +%s) - start )) s, cached in $cache/bin/mmctl"
  exit 0
fi

rm -rf "$cache.tmp" && mkdir -p "$cache.tmp/bin"
step "downloading the server's Go modules" sh -c "cd '$moddir' && go list -deps '$module/cmd/mattermost' $mmctl_pkg >/dev/null"
step "compiling the server (the longest step)" sh -c "cd '$moddir' && go build -trimpath -o '$cache.tmp/bin/mattermost' '$module/cmd/mattermost'"
if [ -n "$mmctl_pkg" ]; then
  build_mmctl "$cache.tmp"
fi
src=$(cd "$moddir" && go list -m -f '{{.Dir}}' "$module")
for d in i18n templates fonts; do cp -r "$src/$d" "$cache.tmp/$d"; done
chmod -R u+w "$cache.tmp"
rm -rf "$cache" && mv "$cache.tmp" "$cache"
echo "e2e: $label: built in $(( $(date +%s) - start )) s, cached in $cache"
