"""Point-data benchmark: estimated footprints and the plan, for compounds given as points.

Run by hand (never part of the test suite), from the repository root::

    python benchmarks/bench_points.py --out benchmarks/results/points.json

Cases: the embedded sample's 1,514 compounds as their centroids (points only,
as a ledger's 经度/纬度 would give them), and 20,000 synthetic points
(``_synthetic.synthetic_compounds`` centroids) with 2 % of them stacked on
another compound's point, as geocoders do. Each (case, step) runs in a fresh
subprocess (``--worker``) so that its peak resident memory (``ru_maxrss``) is
its own: ``footprints`` times :func:`lianhu_geo.estimate_footprints` (with
the Lianhu outline as boundary for the sample), ``plan`` times
:func:`lianhu_geo.plan_coverage` end to end (graph, estimated areas, solve,
triage). The parent checks what a planner relies on: areas do not overlap,
every compound is in the plan once, bundles do not overlap.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

CASES = ("sample_centroids", "synthetic_20000")
STEPS = ("footprints", "plan")


def _points(case: str):
    import geopandas as gpd

    import lianhu_geo as lg

    if case == "sample_centroids":
        sample = lg.load_sample().to_crs(32649)
        frame = sample.set_geometry(sample.geometry.centroid)
    else:
        from _synthetic import synthetic_compounds

        frame = synthetic_compounds(20_000, seed=0)
        frame = frame.set_geometry(frame.geometry.centroid)
        rng = np.random.default_rng(0)
        k = len(frame) // 50  # 2 % stacked on another compound's point
        src, dst = rng.choice(len(frame), size=(2, k), replace=False)
        geoms = frame.geometry.to_numpy().copy()
        geoms[dst] = geoms[src]
        frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return frame


def _worker(case: str, step: str) -> dict:
    import lianhu_geo as lg

    warnings.simplefilter("ignore")  # survey-field warnings are expected here
    points = _points(case)
    boundary = lg.load_boundary() if case == "sample_centroids" else None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    if step == "footprints":
        out = lg.estimate_footprints(points, boundary=boundary)
        extra = {
            "estimated": int(out["footprint_estimated"].sum()),
            "no_area": out["footprint_reason"].value_counts().to_dict(),
        }
        result = out
    else:
        plan = lg.plan_coverage(points)
        extra = {
            "bundles": len(plan.bundles),
            "modes": plan.compounds["service_mode"].value_counts().to_dict(),
        }
        result = plan
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    checks = _check(points, result, step)
    return {
        "case": case,
        "step": step,
        "n": len(points),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(before, 1),
        **extra,
        **checks,
    }


def _overlaps(geoms: np.ndarray) -> int:
    import shapely

    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    area = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    return int((area > 0.01).sum())


def _check(points, result, step: str) -> dict:
    if step == "footprints":
        metric = result.to_crs(32649)
        est = metric["footprint_estimated"].to_numpy(dtype=bool)
        return {
            "overlapping_pairs": _overlaps(metric.geometry.to_numpy()[est]),
            "rows_kept": bool(result.index.equals(points.index)),
        }
    members = result.bundles["compound_ids"].str.split(",").explode()
    return {
        "overlapping_bundle_pairs": _overlaps(result.bundles.to_crs(32649).geometry.to_numpy()),
        "every_compound_once": bool(
            result.compounds.index.equals(points.index)
            and result.compounds["service_mode"].notna().all()
            and members.is_unique
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "STEP"))
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker), ensure_ascii=False))
        return
    runs = []
    for case in args.cases:
        for step in STEPS:
            proc = subprocess.run(
                [sys.executable, __file__, "--worker", case, step],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            run = json.loads(proc.stdout.strip().splitlines()[-1])
            runs.append(run)
            print(json.dumps(run, ensure_ascii=False))
    if args.out:
        report = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"load {os.getloadavg()[0]:.1f}",
            "runs": runs,
        }
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
