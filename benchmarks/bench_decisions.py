"""Benchmark the decisions against what a planner does by hand (run by hand, not in the tests).

    python benchmarks/bench_decisions.py

Baselines, nearest-first greedy as done on a paper map:

- stations: take the target compounds not yet within reach, unmanaged first, then by
  compound id; put a new station in the first one (or its nearest candidate) and mark
  what it reaches; repeat.
- heads: take the eligible compounds by compound id; give each the nearest cadre
  (office) allowed for it with room left.

Both baselines are scored with the library's own measures (new stations; monthly
travel = visits a month x the shortest round office -> compounds -> office), on the
embedded sample (504 stations, 412 cadres, 1,514 compounds). Times are wall seconds
of one run on the shared 2-core machine.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lianhu_geo as lg  # noqa: E402
from lianhu_geo.coords import metric_crs  # noqa: E402
from lianhu_geo.decisions._distance import Distances, metric_points  # noqa: E402
from lianhu_geo.decisions.heads import tour_length  # noqa: E402


def greedy_stations(compounds, stations, walk, cover):
    crs = metric_crs(compounds)
    xy = metric_points(compounds, crs)
    dist = Distances(crs)
    reached = np.zeros(len(compounds), bool)
    if stations is not None:
        sxy = metric_points(lg.validate_stations(stations, compounds), crs)
        for i, _, _ in dist.within(xy, sxy, walk):
            reached[i] = True
    unmanaged = (compounds["management"] == "unmanaged").to_numpy()
    target = unmanaged if cover == "unmanaged" else np.ones(len(compounds), bool)
    ids = compounds["compound_id"].to_numpy(str)
    order = sorted(np.flatnonzero(target), key=lambda i: (not unmanaged[i], ids[i]))
    opened = 0
    for i in order:
        if reached[i]:
            continue
        opened += 1  # a station in this compound (every compound is a candidate)
        for _, j, _ in dist.within(xy[[i]], xy, walk):
            reached[j] = True
        reached[i] = True
    return opened


def greedy_heads(compounds, cadres, visits=4, cap=8):
    roster = lg.assign_heads(compounds, cadres)  # only for the eligible set and caps
    eligible = roster.compounds["eligible"].to_numpy()
    crs = metric_crs(compounds)
    rows = sorted(np.flatnonzero(eligible), key=lambda i: compounds["compound_id"].iloc[i])
    cxy = metric_points(compounds, crs)[rows]
    oxy = metric_points(cadres, crs)
    dist = Distances(crs)
    d_office = dist.matrix(oxy, cxy)
    d_stop = dist.matrix(cxy, cxy)
    caps = cadres["max_visits"].fillna(cap).to_numpy(int) // visits
    level = cadres["level"].to_numpy(str)
    sub_k = cadres["subdistrict"].astype(str).to_numpy()
    sub_c = compounds["subdistrict"].astype(str).to_numpy()[rows]
    members = [[] for _ in range(len(cadres))]
    left = caps.copy()
    for i in range(len(rows)):
        ok = np.flatnonzero((left > 0) & ((level == "district") | (sub_k == sub_c[i])))
        j = ok[np.argmin(d_office[ok, i])]
        members[j].append(i)
        left[j] -= 1
    total = sum(tour_length(j, members[j], d_office[j], d_stop)[0] for j in range(len(cadres)))
    return total * visits, roster


def main() -> None:
    warnings.simplefilter("ignore", lg.DataWarning)
    compounds = lg.load_sample()
    stations = lg.load_sample_stations()
    cadres = lg.load_sample_cadres()
    print("## stations: new stations for full coverage (fewer is better)")
    print("| scenario | greedy (by hand) | lianhu_geo | method, status, gap | seconds |")
    print("|---|---|---|---|---|")
    scenarios = [
        ("504 existing, unmanaged, 500 m", stations, 500, "unmanaged", True),
        ("504 existing, all compounds, 300 m", stations, 300, "all", True),
        ("504 existing, unmanaged, 200 m", stations, 200, "unmanaged", True),
        ("no stations, all compounds, 500 m", None, 500, "all", True),
        ("no stations, all compounds, 500 m (heuristic)", None, 500, "all", False),
    ]
    for name, existing, walk, cover, exact in scenarios:
        t0 = time.perf_counter()
        base = greedy_stations(compounds, existing, walk, cover)
        t1 = time.perf_counter()
        sites = lg.site_stations(
            compounds, existing=existing, max_walk_m=walk, cover=cover, exact=exact
        )
        t2 = time.perf_counter()
        s = sites.status
        gap = "" if s.gap is None else f", gap {s.gap:.1%}"
        print(
            f"| {name} | {base} ({t1 - t0:.1f} s) | {len(sites.sites)} | "
            f"{s.method} {s.status}{gap} | {t2 - t1:.1f} |"
        )
    print()
    print("## heads: monthly travel of the same roster size (less is better)")
    t0 = time.perf_counter()
    base, _ = greedy_heads(compounds, cadres)
    t1 = time.perf_counter()
    roster = lg.assign_heads(compounds, cadres)
    t2 = time.perf_counter()
    print("| | greedy (by hand) | lianhu_geo | seconds (lianhu_geo) |")
    print("|---|---|---|---|")
    print(
        f"| {int(roster.compounds['eligible'].sum())} compounds, {len(cadres)} cadres, cap 8 | "
        f"{base / 1000:.1f} km | {roster.monthly_travel_m / 1000:.1f} km "
        f"({1 - roster.monthly_travel_m / base:.0%} less) | {t2 - t1:.1f} |"
    )
    print(f"(greedy baseline took {t1 - t0:.1f} s including the eligibility run)")


if __name__ == "__main__":
    main()
