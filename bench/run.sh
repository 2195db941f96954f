#!/usr/bin/env bash
# Benchmarks of ModelMeter against the engine's limit (hand-written DuckDB SQL) and pandas, on demo FOCUS data.
# Usage: bench/run.sh [ROWS...]       (default: 1000000 10000000)
# Writes bench/out/results.md; copy its table into BENCHMARKS.md. Needs /usr/bin/time and python3-pandas
# (apt-get install -y time python3-pandas). Not run in CI: it takes minutes and gigabytes.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000000 10000000}")
[ $# -eq 0 ] && sizes=(1000000 10000000)
out=bench/out
mkdir -p "$out"
dotnet build src/ModelMeter.Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench/DuckDbBaseline -c Release -v quiet -nologo >/dev/null
mm=src/ModelMeter.Cli/bin/Release/net10.0/modelmeter
baseline=bench/DuckDbBaseline/bin/Release/net10.0/DuckDbBaseline

# Runs a command under /usr/bin/time -v; prints "wall_seconds peak_MB" and keeps the command's output in $out/last.txt.
measure() {
  /usr/bin/time -v "$@" >"$out/last.txt" 2>"$out/time.txt" || { cat "$out/last.txt" "$out/time.txt" >&2; exit 1; }
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$out/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$out/time.txt" | awk '{print int($NF/1024)}')
  echo "$wall $rss"
}

{
  echo "| rows | step | ModelMeter s | ModelMeter peak MB | DuckDB by hand s | pandas s | pandas peak MB | ModelMeter vs pandas |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$out/results.md"

for n in "${sizes[@]}"; do
  csv="$out/focus-$n.csv"
  store="$out/meter-$n.duckdb"
  [ -f "$csv" ] || "$mm" demo --rows "$n" --generate-only --out "$csv" --month 2026-10 --store "$out/scratch.duckdb" >/dev/null
  rm -f "$store" "$store.wal"
  rows=$(($(wc -l <"$csv") - 1))
  read -r import_s import_mb < <(measure "$mm" import focus "$csv" --quiet --store "$store")
  read -r report_s report_mb < <(measure "$mm" report --by tag:team --grain day --format csv --store "$store")
  read -r report2_s _ < <(measure "$mm" report --by tag:model,ServiceName --where tag:environment=prod --format csv --store "$store")
  read -r duck_s duck_mb < <(measure "$baseline" "$csv" "$out/baseline-$n.duckdb")
  duck_line=$(cat "$out/last.txt")
  read -r pandas_s pandas_mb < <(measure /usr/bin/python3 bench/pandas_baseline.py "$csv")
  pandas_line=$(cat "$out/last.txt")
  duck_load=$(sed -n 's/.*load_seconds=\([0-9.]*\).*/\1/p' <<<"$duck_line")
  duck_group=$(sed -n 's/.*groupby_seconds=\([0-9.]*\).*/\1/p' <<<"$duck_line")
  pandas_load=$(sed -n 's/.*load_seconds=\([0-9.]*\).*/\1/p' <<<"$pandas_line")
  pandas_group=$(sed -n 's/.*groupby_seconds=\([0-9.]*\).*/\1/p' <<<"$pandas_line")
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
  {
    echo "| $rows | load (import focus vs read_csv) | $import_s | $import_mb | $duck_load | $pandas_load | $pandas_mb | $(ratio "$import_s" "$pandas_load") time |"
    echo "| $rows | report --by tag:team --grain day (whole command) | $report_s | $report_mb | $duck_group | $pandas_group | | $(ratio "$report_s" "$pandas_group") time |"
    echo "| $rows | report --by tag:model,ServiceName --where tag:environment=prod | $report2_s | | | | | |"
    echo "| $rows | whole run, DuckDB by hand (load + group-by) / pandas (load + group-by) | | | $duck_s ($duck_mb MB) | $pandas_s | $pandas_mb | |"
  } >>"$out/results.md"
  echo "done $n rows" >&2
done
cat "$out/results.md"
