#!/usr/bin/env bash
# The workload category's cost at query time: `report --by category` (the store groups by the fields the category rules
# read, the rules classify the groups in C#) against `report --by tag:team` (grouped by tag set, resolved by the tag
# policy) and `tco --by tag:product`, and the allocated view's widened query (`allocate --by tag:team,category`, whose
# billed groups also carry the six columns the rules read) against the narrow one (`allocate --by tag:team`), on a 1M-row demo store, interleaved run by run so a loaded machine slows them alike.
# Usage: bench/category.sh [ROWS] [RUNS]    (default: 1000000 7)
# Writes bench/out/category.md (every run, the medians and the ratios to the tag report). MM=path/to/modelmeter uses that
# build instead of building Release. Needs /usr/bin/time (apt-get install -y time). Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${2:-7}
out=bench/out
mkdir -p "$out"
if [ -z "${MM:-}" ]; then
  dotnet build src/ModelMeter.Cli -c Release -v quiet -nologo >/dev/null
  MM=src/ModelMeter.Cli/bin/Release/net10.0/modelmeter
fi
store="$out/category-$rows.duckdb"
if [ ! -f "$store" ]; then
  "$MM" demo --rows "$rows" --months 1 --month 2026-10 --store "$store" >/dev/null
fi

wall() {
  /usr/bin/time -f %e "$@" >/dev/null 2>"$out/time.txt" || { cat "$out/time.txt" >&2; exit 1; }
  tail -n 1 "$out/time.txt"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$out/category-team.txt"; : >"$out/category-category.txt"; : >"$out/category-tco.txt"
: >"$out/category-allocate.txt"; : >"$out/category-allocate-category.txt"
for i in $(seq 1 "$runs"); do
  wall "$MM" report --by tag:team --month 2026-10 --format csv --store "$store" >>"$out/category-team.txt"
  wall "$MM" report --by category --month 2026-10 --format csv --store "$store" >>"$out/category-category.txt"
  wall "$MM" tco --by tag:product --month 2026-10 --format csv --store "$store" >>"$out/category-tco.txt"
  wall "$MM" allocate --by tag:team --month 2026-10 --format csv --store "$store" >>"$out/category-allocate.txt"
  wall "$MM" allocate --by tag:team,category --month 2026-10 --format csv --store "$store" >>"$out/category-allocate-category.txt"
done

team=$(median <"$out/category-team.txt")
category=$(median <"$out/category-category.txt")
tco=$(median <"$out/category-tco.txt")
allocate=$(median <"$out/category-allocate.txt")
allocated_category=$(median <"$out/category-allocate-category.txt")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
{
  echo "Store: $store (demo --rows $rows --months 1 --month 2026-10), $runs interleaved runs each, whole command (process start included); load before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| command | runs (s) | median s | vs report --by tag:team |"
  echo "| --- | --- | ---: | ---: |"
  echo "| \`report --by tag:team\` | $(paste -sd' ' "$out/category-team.txt") | $team | 1.00x |"
  echo "| \`report --by category\` | $(paste -sd' ' "$out/category-category.txt") | $category | $(ratio "$category" "$team") |"
  echo "| \`tco --by tag:product\` | $(paste -sd' ' "$out/category-tco.txt") | $tco | $(ratio "$tco" "$team") |"
  echo
  echo "| command | runs (s) | median s | vs allocate --by tag:team |"
  echo "| --- | --- | ---: | ---: |"
  echo "| \`allocate --by tag:team\` | $(paste -sd' ' "$out/category-allocate.txt") | $allocate | 1.00x |"
  echo "| \`allocate --by tag:team,category\` | $(paste -sd' ' "$out/category-allocate-category.txt") | $allocated_category | $(ratio "$allocated_category" "$allocate") |"
} >"$out/category.md"
cat "$out/category.md"
