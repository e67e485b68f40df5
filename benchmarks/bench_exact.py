"""Bundling against the proven optimum on small instances (issue 17).

Run by hand from the repository root::

    python benchmarks/bench_exact.py --out benchmarks/results/exact.json

Instances (``_exact_instances.py``): Voronoi cells, households lognormal with
median 245, threshold 1,000, at most ``cap`` compounds a bundle. The optimum
(most bundles) is proven by packing every minimal bundle with HiGHS
(``lianhu_geo.bundling._exact``, no time limit short of ``--optimum-s``);
then ours runs three ways: ``time_limit_s=0`` (the heuristic alone, as
before issue 17), the default limit, and ``--long-s``. Every bundle is
checked here (connected in the queen graph, households >= threshold, at most
``cap`` compounds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from _checks import check_regions  # noqa: E402
from _exact_instances import THRESHOLD, make_instance  # noqa: E402
from _tessellation import contiguity  # noqa: E402

from lianhu_geo.bundling import DEFAULT_TIME_LIMIT_S, propose_bundles  # noqa: E402
from lianhu_geo.bundling._construct import Problem  # noqa: E402
from lianhu_geo.bundling._exact import candidates, pack  # noqa: E402


def _optimum(gdf, adj, cap: int, limit_s: float) -> dict:
    xy = np.column_stack([gdf.geometry.centroid.x, gdf.geometry.centroid.y])
    w = gdf["households"].to_numpy(dtype=np.int64)
    p = Problem(adj.indptr, adj.indices, w, xy, THRESHOLD, cap, None)
    nodes = list(range(len(gdf)))
    t0 = time.perf_counter()
    sets, _ = candidates(p, nodes, budget=10**9)
    found = pack(sets, nodes, limit_s)
    return {
        "optimum": len(found.regions) if found.optimal else None,
        "best": len(found.regions),
        "bound": found.bound,
        "proven": found.optimal,
        "minimal_bundles": len(sets),
        "seconds": time.perf_counter() - t0,
    }


def _ours(gdf, adj, cap: int, limit_s: float) -> dict:
    t0 = time.perf_counter()
    result = propose_bundles(
        gdf,
        min_households=THRESHOLD,
        max_compounds=cap,
        min_compounds=1,  # the max-p problem: a compound viable alone is a region too
        within=None,
        max_gap_m=0.0,
        time_limit_s=limit_s,
    )
    seconds = time.perf_counter() - t0
    labels, _ = result.labels.reindex(gdf.index).factorize(use_na_sentinel=True)
    checked = check_regions(gdf, adj, np.asarray(labels, dtype=np.int64), THRESHOLD)
    too_big = int((result.bundles["compounds"] > cap).sum())
    q = result.quality()
    return {
        "bundles": q["bundles"],
        "valid": checked["viable"] - too_big,
        "constraints_ok_pct": 100.0 * (checked["viable"] - too_big) / max(q["bundles"], 1),
        "upper_bound": q["upper_bound"],
        "optimal": q["optimal"],
        "time_limited": q["time_limited"],
        "household_coverage": q["household_coverage"],
        "polsby_popper": checked["polsby_popper"],
        "seconds": seconds,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[40, 80, 150])
    ap.add_argument("--caps", type=int, nargs="*", default=[6, 8, 10])
    ap.add_argument("--seeds", type=int, nargs="*", default=[0])
    ap.add_argument("--optimum-s", type=float, default=300.0)
    ap.add_argument("--long-s", type=float, default=30.0)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows = []
    lines = [
        "| n | cap | seed | optimum | ours before | default limit | long limit "
        "| % of optimum (before / default / long) | bound reported (default / long) "
        "| proven (long) | valid | seconds (optimum / before / default / long) |",
        "|" + "---|" * 12,
    ]
    for n in args.sizes:
        for cap in args.caps:
            for seed in args.seeds:
                gdf = make_instance(n, seed=seed)
                adj = contiguity(gdf)
                opt = _optimum(gdf, adj, cap, args.optimum_s)
                runs = {
                    "before": _ours(gdf, adj, cap, 0.0),
                    "default": _ours(gdf, adj, cap, DEFAULT_TIME_LIMIT_S),
                    "long": _ours(gdf, adj, cap, args.long_s),
                }
                rows.append({"n": n, "cap": cap, "seed": seed, "optimum": opt, **runs})
                best = opt["optimum"] or opt["bound"]
                share = " / ".join(f"{runs[k]['bundles'] / best:.1%}" for k in runs)
                valid = min(r["constraints_ok_pct"] for r in runs.values())
                secs = " / ".join(
                    f"{x:.1f}" for x in (opt["seconds"], *(r["seconds"] for r in runs.values()))
                )
                shown = opt["optimum"] if opt["proven"] else f"<= {best}"
                line = (
                    f"| {n} | {cap} | {seed} | {shown} "
                    f"| {runs['before']['bundles']} | {runs['default']['bundles']} "
                    f"| {runs['long']['bundles']} | {share} "
                    f"| {runs['default']['upper_bound']} / {runs['long']['upper_bound']} "
                    f"| {'yes' if runs['long']['optimal'] else 'no'} | {valid:.0f}% | {secs} |"
                )
                lines.append(line)
                print(line, flush=True)
    print("\n".join(lines))
    if args.out:
        payload = {"command": " ".join(["python", *sys.argv]), "rows": rows, "table": lines}
        args.out.write_text(json.dumps(payload, indent=1, default=float))


if __name__ == "__main__":
    main()
