#!/usr/bin/env bash
# The long reliability runs: many kill -9 points in backups and restores, many corruption places
# in archives of every form, and issue 24's hostile clients (slow and half-sent requests, huge
# backup.json uploads into a small heap, a DNS-rebinding page in Chromium). The normal test suite
# runs the same tests with a few points each.
# Prints the figures and exits non-zero when any case failed. Environment:
#   HAVEN_CRASH_RUNS (25): kills per test (backup, restore)
#   HAVEN_CORRUPTION_CASES (10): places per damage kind (flip, truncate, zero4k) and form
#   HAVEN_CRASH_SEED (42): the seed for kill times and damage places; any value reproduces a run
# Needs root for the tmpfs of the disk-full tests (they skip otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${HAVEN_BUILD:-target-reliability}
mkdir -p "$build"
report="$PWD/$build/reliability.txt"
rm -f "$report"
seed=${HAVEN_CRASH_SEED:-42}
start=$(date +%s)
status=0
mvn -B -ntp -q -Dhaven.build="$build" test \
  -Dtest='io.haven.reliability.*Test,io.haven.api.RebindingTest' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhaven.crash.runs="${HAVEN_CRASH_RUNS:-25}" \
  -Dhaven.corruption.cases="${HAVEN_CORRUPTION_CASES:-10}" \
  -Dhaven.crash.seed="$seed" \
  -Dhaven.reliability.report="$report" || status=$?
echo "--- reliability figures (seed $seed, $(( $(date +%s) - start )) s) ---"
cat "$report" 2>/dev/null || echo "no figures: the build failed before the tests ran"
exit $status
