#!/usr/bin/env bash
# Load benchmark of POST /api/v1/usage (see BENCHMARKS.md): concurrent clients on loopback for a bounded time,
# compared in the same run with a bare DuckDB appender loop into the same usage table; checks that the store holds
# exactly the acknowledged events. Usage: bench/usage.sh [SECONDS] [CLIENTS] [BATCH] [BASELINE_ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/UsageLoad -c Release -v quiet -nologo >/dev/null
exec dotnet bench/UsageLoad/bin/Release/net10.0/UsageLoad.dll "$@"
