#!/usr/bin/env bash
# build/fuzz-one.sh GO PACKAGE TARGET FUZZTIME: fuzzes one target (make test-fuzz).
#
# Go 1.26's fuzzing coordinator can fail a target that found nothing: when -fuzztime runs out
# while a worker is mid-call, it reports a bare "context deadline exceeded" (go.dev/issue/75804,
# fixed in Go 1.27). A real finding always writes its input to testdata/fuzz and says so. So a
# run that failed with that message and wrote nothing is run once more; any other failure, or
# the same one twice, fails.
set -uo pipefail
go=$1 pkg=$2 target=$3 fuzztime=$4
for try in 1 2; do
  out=$(mktemp)
  "$go" test "./server/$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" -fuzzminimizetime 100x 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  if [ "$rc" = 0 ]; then rm -f "$out"; exit 0; fi
  if [ "$try" = 1 ] && grep -q '^    context deadline exceeded$' "$out" && ! grep -q 'Failing input written' "$out"; then
    echo "fuzz $pkg $target: the run ended with Go's fuzzing-deadline race (go.dev/issue/75804) and found nothing; running it once more"
    rm -f "$out"
    continue
  fi
  rm -f "$out"
  exit "$rc"
done
