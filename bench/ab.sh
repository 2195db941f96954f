#!/usr/bin/env bash
# Interleaved A/B timings of two builds of `modelmeter import focus`: how a change to the import is measured by hand on a
# machine whose readings move by 20-40% between runs (BENCHMARKS.md). Each round imports every FILE into a new store
# with build A, then with build B; the medians of the rounds are printed.
# Usage: bench/ab.sh A_DIR B_DIR ROUNDS FILE...
#   A_DIR, B_DIR: folders of a published modelmeter, e.g.
#     git stash && dotnet publish src/ModelMeter.Cli -c Release -o /tmp/mm-a && git stash pop
#     dotnet publish src/ModelMeter.Cli -c Release -o /tmp/mm-b
# AB_ARGS: the import's options (default --quiet; AB_ARGS='--format json' writes the document bench/run.sh times).
# Needs /usr/bin/time (apt-get install -y time).
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,10p' "$0"; exit 2; }
a=$1 b=$2 rounds=$3
shift 3
store=$(mktemp -d)/ab.duckdb
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for file in "$@"; do
  times_a=() times_b=()
  for ((r = 1; r <= rounds; r++)); do
    for build in "$a" "$b"; do
      rm -f "$store" "$store.wal"
      cat "$file" >/dev/null
      seconds=$({ /usr/bin/time -f "%e" "$build/modelmeter" import focus "$file" ${AB_ARGS:---quiet} --store "$store" >/dev/null; } 2>&1 | tail -1)
      if [ "$build" = "$a" ]; then times_a+=("$seconds"); else times_b+=("$seconds"); fi
    done
  done
  echo "$(basename "$file"): A ${times_a[*]} (median $(median "${times_a[@]}")) | B ${times_b[*]} (median $(median "${times_b[@]}"))"
done
rm -rf "$(dirname "$store")"
