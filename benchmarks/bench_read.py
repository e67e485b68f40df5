"""Read and validate a province's compounds: before and after, side by side (issue 15).

Run by hand (never part of the test suite), from the repository root::

    python benchmarks/bench_read.py --n 1000000 --before main \
        --out benchmarks/results/read_million.json
    python benchmarks/bench_read.py --before main --same   # the fixtures and the sample

``--same`` reads the test fixtures and the embedded sample before and after
and says, per file, whether the frames (or errors) and the warnings are the
same.

Setup (timed apart, not counted): ``--n`` synthetic compounds
(``tests/scale_fixtures.py``, as ``bench_scale.py`` makes them) written to a
GeoPackage and to a CSV (lon/lat columns), in ``--data`` (kept, so a rerun
skips the setup) or a temporary folder.

Then ``lg.read_compounds`` of each file, in a fresh subprocess per
measurement (its peak RSS is its own), for each variant, alternating, each
``--repeat`` times:

``before``
    the package as it is at git ``--before`` (``git archive`` into a
    temporary folder);
``after``
    the package of this working tree, with pyarrow when installed;
``after-no-arrow``
    the same, with pyarrow made unimportable (the fallback path).

Each measurement records wall seconds, CPU seconds of the process
(``time.process_time``), its own peak RSS (``VmHWM``: a child's ``ru_maxrss``
starts at its parent's, which holds a frame to compare) and the load
average; the frames read by
every variant are compared with ``assert_geodataframe_equal`` (dtypes,
values, order). Every subprocess sets pandas' text storage to Python, as
pandas has it without pyarrow (what ``before`` meets on a machine without
it; ``after`` gives the same frame either way).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_MEASURE = r"""
import json, os, pickle, resource, sys, time, warnings
if sys.argv[3] == "no-arrow":
    sys.modules["pyarrow"] = None  # import pyarrow -> ImportError: the fallback path
import pandas as pd
pd.set_option("mode.string_storage", "python")
sys.path.insert(0, sys.argv[1])
import lianhu_geo as lg
warnings.simplefilter("ignore")
load = os.getloadavg()
wall, cpu = time.perf_counter(), time.process_time()
frame = lg.read_compounds(sys.argv[2])
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
try:  # this process's own peak: ru_maxrss would report the parent's if it was larger
    with open("/proc/self/status") as f:
        peak = next(int(x.split()[1]) for x in f if x.startswith("VmHWM:")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
with open(sys.argv[4], "wb") as f:
    pickle.dump(frame, f)
print(json.dumps({"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak),
            "load_average": [round(x, 2) for x in load], "rows": len(frame),
            "package": lg.__file__}))
"""


_SAME = r"""
import pickle, sys, warnings
import pandas as pd
pd.set_option("mode.string_storage", "python")
sys.path.insert(0, sys.argv[1])
import lianhu_geo as lg
out = {}
for path in sys.argv[3:]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = lg.read_compounds(path)
        except Exception as exc:
            result = f"{type(exc).__name__}: {exc}"
    out[path] = (result, sorted(str(w.message) for w in caught))
with open(sys.argv[2], "wb") as f:
    pickle.dump(out, f)
"""
#: The fixtures and the sample, read before and after by ``--same``.
SAME_FILES = (
    "lianhu_geo/data/lianhu_sample.geojson",
    *(f"fixtures/{n}" for n in ("grid3x3.geojson", "islands.geojson", "bowtie.geojson")),
    *(f"fixtures/{n}" for n in ("broken.geojson", "points_bd09_gbk.csv")),
    *(
        f"fixtures/ledgers/{n}"
        for n in ("geopandas.geojson", "分号分隔.csv", "台账_gbk.csv", "高德导出.csv")
    ),
    *(f"fixtures/ledgers/{n}" for n in ("小区台账_青年路.xlsx", "按社区分表.xlsx")),
)


def same(package: Path, tmp: Path) -> dict[str, str]:
    """Read the fixtures and the sample before and after: frames, warnings and errors alike?"""
    from geopandas.testing import assert_geodataframe_equal

    got = {}
    for name, where in (("before", package), ("after", ROOT)):
        files = [str(ROOT / f) for f in SAME_FILES]
        cmd = [sys.executable, "-c", _SAME, str(where), str(tmp / f"{name}.same"), *files]
        subprocess.run(cmd, check=True, cwd=tmp)
        with open(tmp / f"{name}.same", "rb") as f:
            got[name] = pickle.load(f)
    verdict = {}
    for path, (before, said) in got["before"].items():
        after, says = got["after"][path]
        if isinstance(before, str) or isinstance(after, str):
            same_result = before == after
        else:
            try:
                assert_geodataframe_equal(before, after, check_dtype=True)
                same_result = True
            except AssertionError:
                same_result = False
        verdict[Path(path).name] = "same" if same_result and said == says else "DIFFERENT"
    return verdict


def _say(text: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def setup(n: int, folder: Path) -> dict[str, Path]:
    """The GeoPackage and the CSV of ``n`` compounds in ``folder`` (made once)."""
    files = {"gpkg": folder / f"province_{n}.gpkg", "csv": folder / f"province_{n}.csv"}
    if all(p.exists() for p in files.values()):
        return files
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
    import pyogrio
    from scale_fixtures import province_compounds

    t = time.perf_counter()
    data = province_compounds(n, subdistricts=250, seed=1).to_crs(4326)
    pyogrio.write_dataframe(data, files["gpkg"], layer="compounds")
    points = data.geometry.representative_point()
    table = data.drop(columns=data.geometry.name)
    table["经度"], table["纬度"] = points.x.round(7), points.y.round(7)
    table.to_csv(files["csv"], index=False, encoding="utf-8")
    _say(f"setup: {n:,} compounds written in {time.perf_counter() - t:.0f} s")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--before", default="main", help="git ref of the code to compare")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--formats", default="gpkg,csv")
    parser.add_argument("--data", type=Path, help="folder for the input files (kept)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "read.json")
    parser.add_argument(
        "--same", action="store_true", help="only compare before/after on the fixtures"
    )
    args = parser.parse_args()
    from geopandas.testing import assert_geodataframe_equal

    results: dict = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.python_version()}",
        "load_average_at_start": os.getloadavg(),
        "command": " ".join(sys.argv),
        "before": subprocess.run(
            ["git", "rev-parse", "--short", args.before],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip(),
        "after": subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip(),
    }
    with tempfile.TemporaryDirectory(prefix="bench_read_") as tmp:
        tmp = Path(tmp)
        old = tmp / "before"
        old.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.before, "lianhu_geo"], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        if args.same:
            results["fixtures_and_sample"] = same(old, tmp)
            print(json.dumps(results, indent=2, ensure_ascii=False))
            return
        data = args.data or tmp
        data.mkdir(parents=True, exist_ok=True)
        files = setup(args.n, data)
        variants = {"before": (old, "arrow"), "after": (ROOT, "arrow")}
        variants["after-no-arrow"] = (ROOT, "no-arrow")
        frames: dict = {}
        for fmt in args.formats.split(","):
            runs: dict[str, list[dict]] = {v: [] for v in variants}
            for _ in range(args.repeat):
                for name, (package, arrow) in variants.items():
                    pick = tmp / f"{name}.pickle"
                    cmd = [sys.executable, "-c", _MEASURE, str(package), str(files[fmt]), arrow]
                    done = subprocess.run(
                        [*cmd, str(pick)], capture_output=True, text=True, check=False
                    )
                    if done.returncode != 0:
                        sys.stderr.write(done.stderr[-3000:])
                        raise SystemExit(f"{name} failed on {fmt}")
                    run = json.loads(done.stdout.strip().splitlines()[-1])
                    runs[name].append(run)
                    _say(f"{fmt} {name}: {run}")
                    with open(pick, "rb") as f:
                        frame = pickle.load(f)
                    if name == "before":
                        frames[fmt] = frame
                    else:
                        assert_geodataframe_equal(frames[fmt], frame, check_dtype=True)
                    del frame
            del frames[fmt]
            best = {v: min(r, key=lambda x: x["cpu_s"]) for v, r in runs.items()}
            results[fmt] = {
                "runs": runs,
                "best": best,
                "cpu_ratio_before_to_after": round(
                    best["before"]["cpu_s"] / best["after"]["cpu_s"], 2
                ),
                "identical_frames": True,
            }
    results["load_average_at_end"] = os.getloadavg()
    results["peak_rss_parent_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
