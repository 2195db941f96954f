"""A wider, higher-cardinality FOCUS file from the demo's: what a real bill with many resources looks like to a parser.

Usage: /usr/bin/python3 bench/wide_focus.py demo.csv wide.csv
Every row gets its own ResourceId and ResourceName (unique resource ids), a long ChargeDescription (about 200
characters, different on every row), and its own tag set (the demo's tags plus a per-row `job` tag and a per-row
`ticket` tag), so no string cache or tag-set table can fold rows together. Costs, periods and every other column are
the demo's, so the file's totals are the demo file's totals.
"""
import csv
import json
import sys

source, target = sys.argv[1], sys.argv[2]
with open(source, newline="", encoding="utf-8") as inp, open(target, "w", newline="", encoding="utf-8") as out:
    reader = csv.reader(inp)
    writer = csv.writer(out, lineterminator="\n")
    header = next(reader)
    writer.writerow(header)
    rid, rname, desc, tags = (header.index(c) for c in ("ResourceId", "ResourceName", "ChargeDescription", "Tags"))
    for n, row in enumerate(reader):
        row[rid] = f"{row[rid]}/instance-{n:09d}"
        row[rname] = f"{row[rname]}-{n:09d}"
        row[desc] = (f"{row[desc]} for request batch {n:09d} of workload {n % 7919:05d}, metered per second and billed per hour "
                     f"under the on-demand rate card of 2026-10 (line item {n * 2654435761 % 4294967296:010d})")
        t = json.loads(row[tags]) if row[tags] else {}
        t["job"] = f"job-{n % 100003:06d}"
        t["ticket"] = f"T-{n:09d}"
        row[tags] = json.dumps(t, separators=(",", ":"))
        writer.writerow(row)
