#!/usr/bin/env python3
"""Writes large native billing exports for the import benchmark (BENCHMARKS.md, "Native exports").

Each file repeats the rows of the small export fixture in tests/Shared/Exports/ (which carry credits, commitments,
tax and refunds), every copy moved to another hour (AWS, GCP) or day (Azure) of October 2026 and given its own
resource, so the importer sees a month of distinct timestamps and resources as a real export has.

    python3 bench/native_exports.py ROWS OUT_DIR
"""
import csv
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "Shared" / "Exports"
MONTH_START = datetime(2026, 10, 1, tzinfo=timezone.utc)
HOURS = 31 * 24


def read(name):
    with open(FIXTURES / name, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write(path, header, rows_needed, template, move):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        written, copy = 0, 0
        while written < rows_needed:
            for row in template:
                if written >= rows_needed:
                    break
                out.writerow(move(list(row), copy))
                written += 1
            copy += 1


def aws(rows, out):
    header, template = read("aws-cur2-2026-10.csv")
    col = {name: i for i, name in enumerate(header)}

    def move(row, copy):
        start = MONTH_START + timedelta(hours=copy % HOURS)
        if row[col["line_item_line_item_type"]] in ("Usage", "SavingsPlanCoveredUsage", "DiscountedUsage", "SavingsPlanNegation"):
            row[col["line_item_usage_start_date"]] = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
            row[col["line_item_usage_end_date"]] = (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        row[col["identity_line_item_id"]] = f"li-{copy}-{row[0]}"
        if row[col["line_item_resource_id"]]:
            row[col["line_item_resource_id"]] += f"-{copy % 5000}"
        return row

    write(out / "aws-cur-bench.csv", header, rows, template, move)


def gcp(rows, out):
    header, template = read("gcp-billing-2026-10.csv")
    col = {name: i for i, name in enumerate(header)}

    def move(row, copy):
        if row[col["cost_type"]] == "regular":
            start = MONTH_START + timedelta(hours=copy % HOURS)
            row[col["usage_start_time"]] = start.strftime("%Y-%m-%d %H:%M:%S+00:00")
            row[col["usage_end_time"]] = (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S+00:00")
        if row[col["resource.name"]]:
            row[col["resource.name"]] += f"-{copy % 5000}"
            row[col["resource.global_name"]] += f"-{copy % 5000}"
        return row

    write(out / "gcp-billing-bench.csv", header, rows, template, move)


def azure(rows, out):
    header, template = read("azure-ea-amortized-2026-10.csv")
    col = {name: i for i, name in enumerate(header)}

    def move(row, copy):
        day = MONTH_START + timedelta(days=copy % 31)
        row[col["Date"]] = f"{day.month}/{day.day}/{day.year}"
        if row[col["ResourceId"]]:
            row[col["ResourceId"]] += f"-{copy % 5000}"
        return row

    write(out / "azure-cost-bench.csv", header, rows, template, move)


if __name__ == "__main__":
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    for make in (aws, gcp, azure):
        make(count, folder)
