#!/usr/bin/env bash
# Runs every test of ModelMeter and ends with the line "N passed, N failed".
# Usage: ./test.sh            (all tests)
#        ./test.sh --filter X (passes the filter to dotnet test)
set -uo pipefail
cd "$(dirname "$0")"

# Integration tests run against real servers; install them when missing (Debian packages; root on CI).
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  echo "Installing prometheus (the Prometheus import tests need a real server)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
    || echo "warning: could not install prometheus; the Prometheus tests will fail" >&2
fi

results="$(pwd)/TestResults"
rm -rf "$results"

dotnet test ModelMeter.slnx --logger "trx" --results-directory "$results" "$@"
status=$?

# The .NET test runners print their own summaries; CI reads one plain line, summed over every project.
passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
done
# A test project that wrote no results (it did not build, or its host crashed) counts as a failure, never a pass.
projects=$(find tests -name '*.Tests.csproj' | wc -l)
reported=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$reported" -lt "$projects" ]; then
  echo "error: $((projects - reported)) of $projects test projects reported no results" >&2
  failed=$((failed + projects - reported))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
