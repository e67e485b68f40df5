"""Benchmark the five-level grid (run by hand, not in the tests).

    python benchmarks/bench_grid.py            # both scenarios, each in its own process
    python benchmarks/bench_grid.py sample     # full graph, every household a node
    python benchmarks/bench_grid.py city       # 10x city, stop_at="unit"

``sample`` uses ``lianhu_geo.load_sample()`` when it exists, else 1,514
synthetic compounds with realistic counts (median about 300 households).
``city`` is 15,140 synthetic compounds. Peak memory is the process's maximum
resident set size (``resource.getrusage``), measured in a fresh process per
scenario, so it includes Python and the imported libraries.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lianhu_geo.grid import build_grid  # noqa: E402

SUBDISTRICTS = ["北院门", "青年路", "桃园路", "西关", "土门", "红庙坡", "环城西路", "枣园", "北关"]


def synthetic(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` compounds on a lattice in EPSG:32649, counts like Xi'an's."""
    rng = np.random.default_rng(seed)
    households = np.maximum(rng.lognormal(np.log(300), 0.7, n).round().astype(int), 4)
    per_building = rng.integers(18, 120, n)
    buildings = np.maximum(np.ceil(households / per_building).astype(int), 1)
    units = buildings * rng.integers(1, 5, n)
    side = int(np.ceil(np.sqrt(n)))
    x = 300_000 + (np.arange(n) % side) * 150.0
    y = 3_790_000 + (np.arange(n) // side) * 150.0
    sub = np.arange(n) * len(SUBDISTRICTS) // n
    return gpd.GeoDataFrame(
        {
            "compound_id": [f"LH{i:05d}" for i in range(n)],
            "name": [f"院{i}" for i in range(n)],
            "subdistrict": [SUBDISTRICTS[s] + "街道" for s in sub],
            "community": [f"社区{i * 142 // n:03d}" for i in range(n)],
            "households": households,
            "management": np.where(rng.random(n) < 0.32, "unmanaged", "professional"),
            "buildings": buildings,
            "units": units,
        },
        geometry=[box(a, b, a + 120, b + 120) for a, b in zip(x, y, strict=True)],
        crs="EPSG:32649",
    )


def sample_compounds() -> tuple[gpd.GeoDataFrame, str]:
    try:
        from lianhu_geo.sample import load_sample

        return load_sample(), "lianhu_geo.load_sample()"
    except (ImportError, FileNotFoundError):  # not written yet, or from another checkout
        return synthetic(1_514), "synthetic 1,514 compounds"


def timed(label: str, func, *args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    out = func(*args, **kwargs)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {label:<32} {wall:7.2f} s wall {cpu:7.2f} s CPU")
    return out


def run(scenario: str) -> None:
    if scenario == "sample":
        data, what = sample_compounds()
        stop_at = "household"
    else:
        data, what = synthetic(15_140, seed=1), "synthetic 15,140 compounds (10x)"
        stop_at = "unit"
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{scenario}: {what}, {int(pd.Series(data['households']).sum()):,} households")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # estimated counts are expected here
        grid = timed(f"build_grid(stop_at={stop_at!r})", build_grid, data, stop_at=stop_at)
    peak_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  nodes per level: {grid.counts().to_dict()}")
    timed("validate()", grid.validate)
    timed("aggregate('households')", grid.aggregate, "households")
    workers = timed("assign_workers()", grid.assign_workers)
    timed("report(workers)", grid.report, workers)
    timed("to_json()", grid.to_json)
    timed("to_frames()", grid.to_frames)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  peak RSS: {peak_build:,.0f} MB after build, {peak:,.0f} MB overall "
        f"(imports alone: {base:,.0f} MB); grid workers {len(workers.workers):,}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(sys.argv[1])
    else:
        for name in ("sample", "city"):
            subprocess.run([sys.executable, __file__, name], check=True)
