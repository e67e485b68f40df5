"""Bundling benchmark: ours against spopt, pygeoda and scikit-learn, side by side.

Run by hand (never part of the test suite), from the repository root::

    python benchmarks/bench_bundling.py --sizes 500 1500 5000 \
        --ours-only-sizes 20000 100000 --timeout 600 \
        --out benchmarks/results/bundling.json

Each (method, n) runs in a fresh subprocess (``--worker``), which rebuilds the
same seeded tessellation, times only the solve, and reports its peak resident
memory. The parent checks every region itself (connected in the shared queen
contiguity graph, households >= threshold), computes the quality figures and
prints ratios of ours against each anchor, since the shared machine is noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from _checks import check_regions  # noqa: E402
from _tessellation import contiguity, make_tessellation  # noqa: E402

ANCHORS = ("spopt", "pygeoda", "agglomerative")
OURS = ("ours", "ours_own_graph")
METHODS = (*OURS, *ANCHORS)
PACKAGES = ("numpy", "scipy", "shapely", "geopandas", "networkx", "scikit-learn", "spopt",
            "libpysal", "pygeoda")  # fmt: skip


def _worker(args: argparse.Namespace) -> None:
    from _runners import RUNNERS

    gdf = make_tessellation(args.n, seed=args.seed)
    adj = contiguity(gdf)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    labels, timing = RUNNERS[args.worker](gdf, adj, args.threshold, args.seed)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    np.save(args.labels, labels)
    report = {
        **timing,
        "peak_rss_mb": rss_after / 1024,
        "rss_before_solve_mb": rss_before / 1024,
    }
    Path(args.report).write_text(json.dumps(report))


def _run_one(method: str, n: int, args: argparse.Namespace, tmp: str) -> dict:
    labels_path = os.path.join(tmp, f"{method}_{n}.npy")
    report_path = os.path.join(tmp, f"{method}_{n}.json")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", method, "--n", str(n),
           "--seed", str(args.seed), "--threshold", str(args.threshold),
           "--labels", labels_path, "--report", report_path]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE, text=True
    )
    try:
        _, err = proc.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        return {"status": "timeout", "timeout_s": args.timeout}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"status": "error", "error": err.strip().splitlines()[-5:]}
    out = json.loads(Path(report_path).read_text())
    out["status"] = "ok"
    out["process_seconds"] = wall
    out["labels"] = np.load(labels_path)
    return out


def _versions() -> dict:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _machine() -> dict:
    return {
        "date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "loadavg_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": _versions(),
        "lianhu_geo_commit": _commit(),
    }


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def _ratios(results: dict) -> dict:
    """Ours (shared graph) against each anchor at every n where both ran."""
    out = {}
    for n, runs in results.items():
        ours = runs.get("ours", {})
        if ours.get("status") != "ok":
            continue
        for anchor in ANCHORS:
            a = runs.get(anchor)
            if a is None:
                continue
            row = {"status": a["status"]}
            if a["status"] == "ok":
                row["speedup"] = a["seconds"] / ours["seconds"]
                row["cpu_speedup"] = a["cpu_seconds"] / ours["cpu_seconds"]
                row["bundles_ratio"] = ours["viable"] / a["viable"] if a["viable"] else None
                row["compactness_ours"] = ours["polsby_popper"]
                row["compactness_anchor"] = a["polsby_popper"]
            elif a["status"] == "timeout":
                row["speedup_at_least"] = a["timeout_s"] / ours["seconds"]
            out.setdefault(n, {})[anchor] = row
    return out


def _targets(results: dict, ratios: dict) -> list[dict]:
    """The issue's targets, each with the measured figure and whether it is met."""
    rows = []
    for n, runs in results.items():
        for method in OURS:
            r = runs.get(method)
            if r and r["status"] == "ok":
                ok = r["constraints_ok_pct"] == 100.0
                rows.append({"n": n, "target": f"{method}: 100% of bundles meet every constraint",
                             "measured": f"{r['constraints_ok_pct']:.1f}%", "met": ok})  # fmt: skip
        ours = runs.get("ours")
        anchors = {a: runs[a] for a in ANCHORS if runs.get(a, {}).get("status") == "ok"}
        if not (ours and ours["status"] == "ok"):
            continue
        if anchors:
            best = max(anchors, key=lambda a: anchors[a]["viable"])
            rows.append({"n": n, "target": f">= viable bundles of best anchor ({best})",
                         "measured": f"{ours['viable']} vs {anchors[best]['viable']}",
                         "met": ours["viable"] >= anchors[best]["viable"]})  # fmt: skip
            for a, r in anchors.items():
                rows.append({"n": n, "target": f"more compact than {a} (mean Polsby-Popper)",
                             "measured": f"{ours['polsby_popper']:.3f} vs {r['polsby_popper']:.3f}",
                             "met": ours["polsby_popper"] > r["polsby_popper"]})  # fmt: skip
        if int(n) in (1500, 5000):
            for a, need in (("spopt", 100.0), ("pygeoda", 1.0)):
                q = ratios.get(n, {}).get(a)
                if q is None:
                    continue
                x = q.get("speedup", q.get("speedup_at_least"))
                at_least = ">= " if "speedup_at_least" in q else ""
                op = ">=" if need > 1 else ">"
                rows.append({"n": n, "target": f"speedup vs {a} {op} {need:g}x",
                             "measured": f"{at_least}{x:.1f}x (wall)",
                             "met": x >= need if need > 1 else x > need})  # fmt: skip
    for method in OURS:
        r = results.get("100000", {}).get(method)
        if r and r["status"] == "ok":
            rows.append({"n": "100000", "target": f"{method}: < 60 s and < 4 GB",
                         "measured": f"{r['seconds']:.1f} s, {r['peak_rss_mb']:.0f} MB peak",
                         "met": r["seconds"] < 60 and r["peak_rss_mb"] < 4096})  # fmt: skip
    return rows


def _fmt(x, spec=".2f"):
    return "-" if x is None else format(x, spec)


def _table(results: dict) -> str:
    head = ("| n | method | status | solve s | CPU s | peak MB | regions | viable | upper bound "
            "| own bound | constraints ok | hh coverage | compounds/bundle "
            "| mean PP |")  # fmt: skip
    lines = [head, "|" + "---|" * 14]
    for n, runs in results.items():
        for method, r in runs.items():
            if r["status"] != "ok":
                lines.append(f"| {n} | {method} | {r['status']} |" + " |" * 11)
                continue
            lines.append(
                f"| {n} | {method} | ok | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} "
                f"| {r['peak_rss_mb']:.0f} | {r['regions']} | {r['viable']} | {r['upper_bound']} "
                f"| {r.get('reported_upper_bound', '-')} | {r['constraints_ok_pct']:.1f}% "
                f"| {r['coverage_households']:.1%} "
                f"| {r['mean_compounds']:.1f} | {r['polsby_popper']:.3f} |"
            )
    return "\n".join(lines)


def _ratio_table(ratios: dict) -> str:
    lines = ["| n | anchor | speedup, wall | speedup, CPU | viable bundles ours/anchor "
             "| PP ours | PP anchor |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for n, rows in ratios.items():
        for anchor, r in rows.items():
            if "speedup_at_least" in r:
                at_least = f">= {r['speedup_at_least']:.0f} (timeout)"
                lines.append(f"| {n} | {anchor} | {at_least} | - | - | - | - |")
            elif "speedup" in r:
                lines.append(
                    f"| {n} | {anchor} | {r['speedup']:.1f} | {r['cpu_speedup']:.1f} "
                    f"| {_fmt(r['bundles_ratio'], '.3f')} "
                    f"| {r['compactness_ours']:.3f} | {r['compactness_anchor']:.3f} |"
                )
            else:
                lines.append(f"| {n} | {anchor} | {r['status']} | - | - | - | - |")
    return "\n".join(lines)


def _target_table(rows: list[dict]) -> str:
    lines = ["| n | target | measured | met |", "|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['target']} | {r['measured']} | {'yes' if r['met'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[500, 1500, 5000])
    p.add_argument("--ours-only-sizes", type=int, nargs="*", default=[20000, 100000])
    p.add_argument("--methods", nargs="*", default=list(METHODS), choices=METHODS)
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per (method, n)")
    p.add_argument("--threshold", type=int, default=3000, help="households per bundle")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=HERE / "results" / "bundling.json")
    p.add_argument(
        "--reuse-timeouts",
        type=Path,
        help="earlier results JSON: (method, n) runs that timed out there with at least "
        "--timeout are not rerun but copied, marked `reused_from` (a timeout is a bound)",
    )
    p.add_argument("--show", type=Path, help="print the tables of an earlier results JSON")
    p.add_argument("--worker", choices=METHODS, help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    p.add_argument("--labels", help=argparse.SUPPRESS)
    p.add_argument("--report", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        _worker(args)
        return
    if args.show:
        _print(json.loads(args.show.read_text()))
        return

    plan = [(n, list(args.methods)) for n in args.sizes]
    ours = [m for m in args.methods if m in OURS]
    plan += [(n, ours) for n in args.ours_only_sizes if ours]
    doc = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": _machine(),
        "setup": {
            "tessellation": "Voronoi cells of uniform random points in a square, EPSG:32649, "
            "25,000 m2 per cell; households lognormal(median 300, sigma 0.8), >= 1",
            "contiguity": "queen (cells that touch), shared by all methods",
            "threshold_households": args.threshold,
            "max_compounds": None,
            "seed": args.seed,
        },
        "results": {},
    }
    earlier = json.loads(args.reuse_timeouts.read_text())["results"] if args.reuse_timeouts else {}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for n, methods in plan:
            gdf = make_tessellation(n, seed=args.seed)
            adj = contiguity(gdf)
            runs = doc["results"].setdefault(str(n), {})
            for method in methods:
                print(f"n={n} {method} ...", file=sys.stderr, flush=True)
                old = earlier.get(str(n), {}).get(method, {})
                if old.get("status") == "timeout" and old["timeout_s"] >= args.timeout:
                    r = {**old, "reused_from": str(args.reuse_timeouts)}
                else:
                    r = _run_one(method, n, args, tmp)
                if r["status"] == "ok":
                    r.update(check_regions(gdf, adj, r.pop("labels"), args.threshold))
                runs[method] = r
                print(f"  {json.dumps(r)}", file=sys.stderr, flush=True)
                doc["ratios"] = _ratios(doc["results"])
                doc["targets"] = _targets(doc["results"], doc["ratios"])
                args.out.write_text(json.dumps(doc, indent=2) + "\n")
    _print(doc)


def _print(doc: dict) -> None:
    print(_table(doc["results"]))
    print()
    print(_ratio_table(doc.get("ratios", {})))
    print()
    print(_target_table(doc.get("targets", [])))


if __name__ == "__main__":
    main()
