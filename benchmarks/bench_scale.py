"""A province on this machine: read, plan and write a million compounds (issue 15).

Run by hand (never part of the test suite), from the repository root::

    nice -n 10 python benchmarks/bench_scale.py --n 1000000 --subdistricts 250 \
        --workers 2 --maps-sample 16 --one-core-n 100000 --speed-up-n 400000 \
        --out benchmarks/results/scale.json

``--only one_core`` (or ``speed_up``, ``province``) runs one of them.

Three measurements, each in a fresh subprocess so that its peak resident
memory (this process and its worker processes) is its own:

``province``
    ``--n`` synthetic compounds in ``--subdistricts`` subdistricts
    (``tests/scale_fixtures.py``: jittered rectangles, 60 m apart, 40 %
    unmanaged) are written to a GeoPackage (setup, timed apart), then timed
    step by step: ``lg.read_compounds`` (read and validate), ``plan_coverage``
    with ``--workers`` processes, and ``lg.scale.write_plan_parts`` (the
    GeoPackage, the summary workbook, one workbook per subdistrict; maps:
    ``--maps-sample`` subdistricts' maps plus the overview, timed, and the
    time of all of them extrapolated from the sample; 0 draws them all).
``one_core``
    ``--one-core-n`` compounds in ``--subdistricts // 10`` subdistricts,
    validated, then bundled by ``bundle_by_group`` in this process
    (``engine="serial"``, one core) and again with 2 processes: the
    1 -> 2 worker speed-up, and a check that both give the same bundles.
``speed_up``
    ``--speed-up-n`` compounds in ``--subdistricts`` subdistricts (a size
    where two processes pay off), validated, then bundled serially and with
    ``--workers`` processes (the speed-up, same bundles?). On a loaded
    machine wall times say little, so the CPU seconds of the serial run
    (each group's, and the rest) also give the time of a quiet machine:
    the rest, plus the groups handed out largest first to the worker free
    first. Then planned by
    ``plan_coverage(workers=--workers)``: its time, the time its worker
    processes ran groups, and the rest, the serial part (checking,
    fingerprint, merge, triage, the plan's tables).
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
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]


#: The measurements, each run in a subprocess of its own.
WORKERS = ("one_core", "speed_up", "province")


class _TreeMemory:
    """Peak resident memory of this process and all its descendants, sampled (Linux).

    Worker processes forked by the forkserver are its children, not this
    process's, so ``getrusage(RUSAGE_CHILDREN)`` never sees them; this reads
    ``/proc`` every ``every_s`` seconds and keeps the largest sum.
    """

    def __init__(self, every_s: float = 0.5) -> None:
        self.peak_mb = 0.0
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every_s,), daemon=True)
        self._thread.start()

    def _tree(self) -> set[int]:
        parent: dict[int, int] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    stat = Path(f"/proc/{name}/stat").read_text()
                except OSError:
                    continue
                parent[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, grown = {os.getpid()}, True
        while grown:
            more = {p for p, pp in parent.items() if pp in tree} - tree
            tree |= more
            grown = bool(more)
        return tree

    def _run(self, every_s: float) -> None:
        while not self._stop.wait(every_s):
            total = 0
            for pid in self._tree():
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                except OSError:
                    continue
            self.peak_mb = max(self.peak_mb, total * self._page / 2**20)


_MEMORY: _TreeMemory | None = None


def _peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    tree = _MEMORY.peak_mb if _MEMORY is not None else float("nan")
    return {
        "peak_rss_mb": round(own, 1),
        "peak_rss_children_mb": round(children, 1),
        "peak_rss_all_processes_mb": round(tree, 1),
    }


def _say(text: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def province(args: argparse.Namespace) -> dict:
    import pyogrio
    from scale_fixtures import province_compounds

    import lianhu_geo as lg
    from lianhu_geo.scale import write_plan_parts

    tmp = Path(args.tmp)
    times: dict[str, float] = {}
    t = time.perf_counter()
    data = province_compounds(args.n, subdistricts=args.subdistricts, seed=1).to_crs(4326)
    source = tmp / "province.gpkg"
    pyogrio.write_dataframe(data, source, layer="compounds")
    del data
    times["setup_write_input"] = time.perf_counter() - t
    _say(f"input written: {source.stat().st_size / 1e6:.0f} MB")

    t = time.perf_counter()
    compounds = lg.read_compounds(source)
    times["read"] = time.perf_counter() - t
    _say(f"read {len(compounds):,} in {times['read']:.0f} s")

    t = time.perf_counter()
    plan = lg.plan_coverage(compounds, workers=args.workers, created="2026-12-06")
    times["plan"] = time.perf_counter() - t
    _say(f"planned: {len(plan.bundles):,} bundles in {times['plan']:.0f} s")
    del compounds

    marks: dict[str, float] = {}
    start = time.perf_counter()

    def progress(step: str, done: int, total: int) -> None:
        marks[step] = time.perf_counter() - start
        if done == total:
            _say(f"{step} {done}/{total} at {marks[step]:.0f} s")

    names = sorted(plan.compounds["subdistrict"].unique())
    folder = tmp / "out"
    write_plan_parts(plan, folder, maps=False, workers=args.workers, progress=progress)
    times["write_gpkg_and_summary_xlsx"] = marks["plan"]
    times["write_workbooks"] = marks["workbooks"] - marks["plan"]
    sample = names if args.maps_sample == 0 else names[: args.maps_sample]
    part = plan.__class__(
        plan.compounds[plan.compounds["subdistrict"].isin(sample)],
        plan.bundles,
        options=plan.options,
        fingerprint=plan.fingerprint,
        version=plan.version,
        created=plan.created,
    )
    part.bundles = part.bundles[part.bundles.index.isin(part.compounds["bundle_id"].dropna())]
    from lianhu_geo.scale._files import part_name
    from lianhu_geo.scale._overview import write_maps

    t = time.perf_counter()
    write_maps(
        part,
        folder,
        names=sample,
        stems=[part_name(k, n) for k, n in enumerate(sample, start=1)],
        limit=0,
        progress=lambda *a: None,
        workers=args.workers,
    )
    maps_sample = time.perf_counter() - t
    times["write_maps_sample"] = maps_sample
    times["write_maps_all_extrapolated"] = maps_sample * len(names) / len(sample)
    sizes = {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()}
    counted = ("read", "plan", "write_gpkg_and_summary_xlsx", "write_workbooks")
    total = sum(times[k] for k in counted) + times["write_maps_all_extrapolated"]
    return {
        "n": args.n,
        "subdistricts": len(names),
        "bundles": len(plan.bundles),
        "workers": args.workers,
        "maps_drawn": len(sample),
        "times_s": {k: round(v, 1) for k, v in times.items()},
        "total_s_read_plan_write_all": round(total, 1),
        "file_sizes_bytes": sizes,
        **_peak_mb(),
    }


def one_core(args: argparse.Namespace) -> dict:
    from scale_fixtures import province_compounds

    from lianhu_geo.compounds import validate_compounds
    from lianhu_geo.scale import bundle_by_group

    subdistricts = max(1, args.subdistricts // 10)
    data = validate_compounds(
        province_compounds(args.one_core_n, subdistricts=subdistricts, seed=2)
    )
    t, cpu = time.perf_counter(), time.process_time()
    serial = bundle_by_group(data, engine="serial")
    one, cpu = time.perf_counter() - t, time.process_time() - cpu
    _say(f"{len(data):,} bundled on one core in {one:.1f} s ({cpu:.1f} s of CPU)")
    t = time.perf_counter()
    parallel = bundle_by_group(data, workers=2)
    two = time.perf_counter() - t
    _say(f"... with 2 processes in {two:.1f} s")
    same = serial.labels.equals(parallel.labels) and serial.bundles.equals(parallel.bundles)
    return {
        "n": args.one_core_n,
        "subdistricts": subdistricts,
        "bundles": len(serial.bundles),
        "bundle_one_core_s": round(one, 1),
        "bundle_one_core_cpu_s": round(cpu, 1),
        "bundle_two_workers_s": round(two, 1),
        "speed_up_1_to_2": round(one / two, 2),
        "same_bundles": bool(same),
        **_peak_mb(),
    }


def speed_up(args: argparse.Namespace) -> dict:
    from scale_fixtures import province_compounds

    import lianhu_geo as lg
    import lianhu_geo.scale as scale
    from lianhu_geo._prepared import prepare
    from lianhu_geo.compounds import validate_compounds
    from lianhu_geo.scale._groups import make_groups

    data = validate_compounds(
        province_compounds(args.speed_up_n, subdistricts=args.subdistricts, seed=3)
    )
    group_cpu: list[float] = []  # CPU seconds of each group in the serial run, in order
    solve_group = scale.solve_group

    def timed_solve(group: object) -> object:
        start = time.process_time()
        try:
            return solve_group(group)
        finally:
            group_cpu.append(time.process_time() - start)

    scale.solve_group = timed_solve  # in this process only: the serial run
    t, cpu = time.perf_counter(), time.process_time()
    serial = scale.bundle_by_group(data, engine="serial")
    one, cpu = time.perf_counter() - t, time.process_time() - cpu
    scale.solve_group = solve_group
    _say(f"{len(data):,} bundled on one core in {one:.1f} s")
    t = time.perf_counter()
    parallel = scale.bundle_by_group(data, workers=args.workers)
    many = time.perf_counter() - t
    _say(f"... with {args.workers} processes in {many:.1f} s")
    same = serial.labels.equals(parallel.labels) and serial.bundles.equals(parallel.bundles)
    del serial, parallel
    # what a quiet machine would take, from CPU seconds: the serial part, then the groups
    # handed out largest first, each to the worker free first (not counting process start)
    sizes = make_groups(prepare(data).data, {"seed": 0}).sizes
    busy = [0.0] * args.workers
    for k in sorted(range(len(sizes)), key=lambda k: sizes[k], reverse=True):
        busy[busy.index(min(busy))] += group_cpu[k]
    serial_part_cpu = cpu - sum(group_cpu)
    projected = serial_part_cpu + max(busy)
    in_groups = []
    run_groups = scale.run_groups

    def timed(*a: object, **k: object) -> object:
        start = time.perf_counter()
        try:
            return run_groups(*a, **k)
        finally:
            in_groups.append(time.perf_counter() - start)

    scale.run_groups = timed
    t = time.perf_counter()
    plan = lg.plan_coverage(data, workers=args.workers, created="2026-12-06")
    planned = time.perf_counter() - t
    _say(f"planned with {args.workers} processes in {planned:.1f} s")
    return {
        "n": args.speed_up_n,
        "subdistricts": args.subdistricts,
        "bundles": len(plan.bundles),
        "workers": args.workers,
        "bundle_one_core_s": round(one, 1),
        "bundle_one_core_cpu_s": round(cpu, 1),
        "bundle_workers_s": round(many, 1),
        "speed_up": round(one / many, 2),
        "same_bundles": bool(same),
        "bundle_serial_part_cpu_s": round(serial_part_cpu, 1),
        "bundle_largest_group_cpu_s": round(max(group_cpu), 2),
        "projected_quiet_workers_s": round(projected, 1),
        "projected_quiet_speed_up": round(cpu / projected, 2),
        "plan_coverage_s": round(planned, 1),
        "plan_coverage_groups_s": round(sum(in_groups), 1),
        "plan_coverage_serial_part_s": round(planned - sum(in_groups), 1),
        **_peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--subdistricts", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--maps-sample", type=int, default=16)
    parser.add_argument("--one-core-n", type=int, default=100_000)
    parser.add_argument("--speed-up-n", type=int, default=400_000)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "scale.json")
    parser.add_argument("--only", choices=WORKERS, help="run one of the measurements")
    parser.add_argument("--worker", choices=WORKERS)
    parser.add_argument("--tmp")
    args = parser.parse_args()
    if args.worker:
        global _MEMORY
        _MEMORY = _TreeMemory()
        result = {"province": province, "one_core": one_core, "speed_up": speed_up}[args.worker](
            args
        )
        print(json.dumps(result))
        return
    results = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.python_version()}",
        "load_average_at_start": os.getloadavg(),
        "command": " ".join(sys.argv),
    }
    for worker in [args.only] if args.only else WORKERS:
        with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
            cmd = [sys.executable, __file__, "--worker", worker, "--tmp", tmp]
            cmd += [f"--n={args.n}", f"--subdistricts={args.subdistricts}"]
            cmd += [f"--workers={args.workers}", f"--maps-sample={args.maps_sample}"]
            cmd += [f"--one-core-n={args.one_core_n}", f"--speed-up-n={args.speed_up_n}"]
            t = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            sys.stderr.write(done.stderr[-4000:])
            if done.returncode != 0:
                results[worker] = {"failed": done.returncode}
                continue
            results[worker] = json.loads(done.stdout.strip().splitlines()[-1])
            results[worker]["wall_s"] = round(time.perf_counter() - t, 1)
        results["load_average_at_end"] = os.getloadavg()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
