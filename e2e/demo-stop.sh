#!/usr/bin/env bash
# make demo-stop: stops what `make demo` left running (the Mattermost server and the PagerTree
# stand-in), by the process ids it recorded. PostgreSQL is left as it is.
set -euo pipefail
run="$(cd "$(dirname "$0")" && pwd)/.run-demo"
stopped=0
for pidfile in "$run"/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    stopped=$((stopped + 1))
  fi
  rm -f "$pidfile"
done
echo "demo: stopped $stopped process(es)"
