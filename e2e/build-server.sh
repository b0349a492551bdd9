#!/usr/bin/env bash
# Builds one Mattermost server from the Go module proxy into a cache directory (run.sh calls it
# once per version). The first build takes 10–25 minutes on two cores, so every step says what it
# is doing at least every 15 s: nobody should think it hangs.
#
#   e2e/build-server.sh MODULE_DIR MODULE CACHE_DIR LABEL
set -euo pipefail
moddir=$1 module=$2 cache=$3 label=$4
start=$(date +%s)

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

rm -rf "$cache.tmp" && mkdir -p "$cache.tmp/bin"
step "downloading the server's Go modules" sh -c "cd '$moddir' && go list -deps '$module/cmd/mattermost' >/dev/null"
step "compiling the server (the longest step)" sh -c "cd '$moddir' && go build -trimpath -o '$cache.tmp/bin/mattermost' '$module/cmd/mattermost'"
src=$(cd "$moddir" && go list -m -f '{{.Dir}}' "$module")
for d in i18n templates fonts; do cp -r "$src/$d" "$cache.tmp/$d"; done
chmod -R u+w "$cache.tmp"
rm -rf "$cache" && mv "$cache.tmp" "$cache"
echo "e2e: $label: built in $(( $(date +%s) - start )) s, cached in $cache"
