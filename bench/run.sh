#!/usr/bin/env bash
# Benchmarks of ModelMeter against the engine's limit (hand-written DuckDB SQL) and pandas, on demo FOCUS data.
# Usage: bench/run.sh [ROWS...]       (default: 1000000 10000000)
# Writes bench/out/results.md (the demo file: load and reports against DuckDB by hand and pandas) and bench/out/imports.md
# (issue 9: the demo file and a wider, higher-cardinality one from bench/wide_focus.py against pandas' read_csv, the same
# rows as Parquet written by DuckDB's COPY with DECIMAL or DOUBLE costs and tags as JSON or MAP, and import usage of
# ROWS hourly lines); copy the tables into BENCHMARKS.md. Needs /usr/bin/time and python3-pandas
# (apt-get install -y time python3-pandas). Not run in CI: it takes minutes and gigabytes.
# BENCH_IMPORTS_ONLY=1 skips the first table (reports, DuckDB by hand).
# BENCH_REPEAT=N (default 3) times each import and each pandas read of the imports table N times, interleaved (import,
# pandas, import, pandas ...), and reports the medians (peak memory: the largest): on this machine one reading moves by
# as much as the targets' margins (pandas' read of one 1M-row file took 10.7 to 14.8 s in three runs).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000000 10000000}")
[ $# -eq 0 ] && sizes=(1000000 10000000)
out=bench/out
mkdir -p "$out"
# Published as README.md installs it (compiled ahead of time: no JIT at start-up, 0.1 to 0.3 s of a 1M-row import).
dotnet publish src/ModelMeter.Cli -c Release -o "$out/modelmeter" -v quiet -nologo >/dev/null
dotnet build bench/DuckDbBaseline -c Release -v quiet -nologo >/dev/null
mm=$out/modelmeter/modelmeter
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

{
  echo "| rows | file | MB | import s (median) | import peak MB (largest) | user CPU s (median) | pandas read_csv s (median) | pandas peak MB | import vs pandas (target ≤ 1x) | speed vs the CSV import (target ≥ 3x) | each run: import s / pandas s | totals |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
} >"$out/imports.md"

# Reads FILE once, so each timed reader starts with it as far in the page cache as the machine holds it: a 10M-row wide
# file (8.4 GB) does not fit beside the others, and whichever reader came second found it cached by the first.
warm() { cat "$1" >/dev/null; }
repeat=${BENCH_REPEAT:-3}

# The median of its arguments (the mean of the middle two for an even count), to two decimals.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
largest() { printf '%s\n' "$@" | sort -g | tail -1; }

# Imports FILE into a new store; prints "wall_seconds peak_MB user_seconds totals" (totals: the result's JSON totals).
import_file() {
  local file=$1 store="$out/import-check.duckdb" wall rss user totals
  rm -f "$store" "$store.wal"
  warm "$file"
  /usr/bin/time -v "$mm" import focus "$file" --format json --store "$store" >"$out/last.txt" 2>"$out/time.txt" || { cat "$out/last.txt" "$out/time.txt" >&2; exit 1; }
  wall=$(grep 'Elapsed (wall clock)' "$out/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$out/time.txt" | awk '{print int($NF/1024)}')
  user=$(grep 'User time' "$out/time.txt" | awk '{print $NF}')
  totals=$(tr -d ' \n' <"$out/last.txt" | grep -o '"totals":{[^}]*}' | sed 's/"totals"://; s/"//g')
  echo "$wall $rss $user $totals"
}

for n in "${sizes[@]}"; do
  csv="$out/focus-$n.csv"
  wide="$out/wide-$n.csv"
  store="$out/meter-$n.duckdb"
  [ -f "$csv" ] || "$mm" demo --rows "$n" --generate-only --out "$csv" --month 2026-10 --store "$out/scratch.duckdb" >/dev/null
  [ -f "$wide" ] || /usr/bin/python3 bench/wide_focus.py "$csv" "$wide"
  [ -f "$out/focus-$n-double-map.parquet" ] || "$baseline" --parquet "$csv" "$out/focus-$n" >/dev/null
  mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1048576 }'; }
  csv_s=
  for file in "$csv" "$wide" "$out/focus-$n-decimal-json.parquet" "$out/focus-$n-decimal-map.parquet" "$out/focus-$n-double-json.parquet" "$out/focus-$n-double-map.parquet"; do
    walls=(); peaks=(); users=(); p_walls=(); p_peaks=(); runs=
    for ((r = 1; r <= repeat; r++)); do
      read -r s_ mb_ user_ totals_ < <(import_file "$file")
      walls+=("$s_"); peaks+=("$mb_"); users+=("$user_"); runs+="${runs:+, }$s_"
      [ "$r" = 1 ] && first_totals=$totals_
      [ "$totals_" = "$first_totals" ] || { echo "$file: run $r's totals $totals_ differ from run 1's $first_totals" >&2; exit 1; }
      if [[ "$file" == *.csv ]]; then
        warm "$file"
        read -r _ p_mb < <(measure /usr/bin/python3 bench/pandas_baseline.py "$file")
        p_s=$(sed -n 's/.*load_seconds=\([0-9.]*\).*/\1/p' "$out/last.txt")
        p_walls+=("$p_s"); p_peaks+=("$p_mb"); runs+=" / $p_s"
      fi
    done
    s_=$(median "${walls[@]}"); mb_=$(largest "${peaks[@]}"); user_=$(median "${users[@]}")
    p_s=; p_mb=; vs_pandas=; vs_csv=
    if [[ "$file" == *.csv ]]; then
      p_s=$(median "${p_walls[@]}"); p_mb=$(largest "${p_peaks[@]}")
      vs_pandas=$(awk -v a="$s_" -v b="$p_s" 'BEGIN { printf "%.2fx", a / b }')
    fi
    [ "$file" = "$csv" ] && csv_s=$s_
    [[ "$file" == *.parquet ]] && vs_csv=$(awk -v a="$csv_s" -v b="$s_" 'BEGIN { printf "%.2fx", a / b }')
    echo "| $n | $(basename "$file") | $(mb "$file") | $s_ | $mb_ | $user_ | $p_s | $p_mb | $vs_pandas | $vs_csv | $runs | $totals_ |" >>"$out/imports.md"
  done

  # import usage: N hourly lines (200 resources), against the target of 200,000 lines a second.
  usage="$out/usage-$n.csv"
  [ -f "$usage" ] || /usr/bin/python3 -c "
import datetime, sys
n = int(sys.argv[1]); start = datetime.datetime(2026, 1, 1)
with open(sys.argv[2], 'w') as f:
    f.write('timestamp,team,model,metric,value\\n')
    for i in range(n):
        t = (start + datetime.timedelta(hours=i // 200)).strftime('%Y-%m-%dT%H:%M:%SZ')
        f.write(f'{t},team{i % 5},model{i % 200},gpu_hours,{(i * 7) % 13}.25\\n')
" "$n" "$usage"
  walls=(); peaks=(); users=(); runs=
  for ((r = 1; r <= repeat; r++)); do
    rm -f "$out/usage.duckdb" "$out/usage.duckdb.wal"
    warm "$usage"
    read -r u_s u_mb < <(measure "$mm" import usage "$usage" --store "$out/usage.duckdb")
    walls+=("$u_s"); peaks+=("$u_mb"); users+=("$(grep 'User time' "$out/time.txt" | awk '{print $NF}')"); runs+="${runs:+, }$u_s"
  done
  u_s=$(median "${walls[@]}")
  echo "| $n | import usage, $n hourly lines | $(mb "$usage") | $u_s | $(largest "${peaks[@]}") | $(median "${users[@]}") | | | $(awk -v n="$n" -v s="$u_s" 'BEGIN { printf "%.0f lines/s", n / s }') | | $runs | |" >>"$out/imports.md"
  [ "${BENCH_IMPORTS_ONLY:-}" = 1 ] && { echo "done $n rows (imports)" >&2; continue; }
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
cat "$out/results.md" "$out/imports.md"
