#!/usr/bin/env bash
# Runs every test of ModelMeter and ends with the line "N passed, N failed".
# Usage: ./test.sh            (all tests)
#        ./test.sh --filter X (passes the filter to dotnet test)
set -uo pipefail
cd "$(dirname "$0")"

# Real components for the integration tests: Chromium (the dashboard tests), Prometheus and promtool (the /metrics
# test and the Prometheus import tests) and Alertmanager (the alert sink test).
# A test whose component is missing fails; installing them here is what keeps CI and a new machine green.
need=()
# The dashboard's chart library (uPlot) comes from npm when ModelMeter.Server builds.
{ command -v node && command -v npm; } >/dev/null 2>&1 || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
{ [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; } || need+=(prometheus)
[ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing ${need[*]} for the integration tests" >&2
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >&2 \
      || echo "warning: could not install ${need[*]}; the tests that need them will fail" >&2
  else
    echo "warning: not root, cannot install ${need[*]}; the tests that need them will fail" >&2
  fi
fi

results="$(pwd)/TestResults"
rm -rf "$results"

# The ClickHouse store's tests run against a real two-shard cluster on loopback: installed with apt-get when missing,
# started here and stopped on exit. When it cannot be provided, MODELMETER_TEST_CLICKHOUSE stays unset and those tests
# FAIL (they never skip).
cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/modelmeter-clickhouse.XXXXXX")
stop_cluster() { eng/clickhouse-cluster.sh stop "$cluster_dir" >/dev/null 2>&1 || true; }
trap stop_cluster EXIT
if eng/clickhouse-cluster.sh start "$cluster_dir"; then
  while IFS= read -r line; do export "$line"; done < "$cluster_dir/env"
else
  echo "error: the ClickHouse test cluster could not be started; the ClickHouse tests will fail" >&2
fi

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
