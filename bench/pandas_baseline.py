"""What users would otherwise write: pandas reads the FOCUS CSV and groups EffectiveCost by team and day.

Usage: /usr/bin/python3 bench/pandas_baseline.py focus.csv
(Debian's python3-pandas; the first python3 on PATH may be a build without it.)
"""
import json
import sys
import time

import pandas as pd

start = time.perf_counter()
df = pd.read_csv(sys.argv[1])
load = time.perf_counter() - start

start = time.perf_counter()
teams = df["Tags"].fillna("{}").map(lambda s: json.loads(s).get("team") or "(untagged)")
days = pd.to_datetime(df["ChargePeriodStart"]).dt.floor("D")
groups = df["EffectiveCost"].groupby([days, teams]).sum()
group = time.perf_counter() - start
print(f"pandas load_seconds={load:.2f} groupby_seconds={group:.2f} groups={len(groups)}")
