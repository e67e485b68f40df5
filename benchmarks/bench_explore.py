"""Latency of one option change in the explorer, and its memory over 50 changes.

Run by hand from the repository root::

    python benchmarks/bench_explore.py              # 50 changes on the sample
    python benchmarks/bench_explore.py --changes 200

One change is ``Explorer.set(...)``: check the option, ``plan_coverage``,
the new map data, the figures and the bundle list, and every widget message
the kernel would send for them, JSON-encoded as ipykernel does (a comm that
serializes its messages stands in for the kernel's). Changes cycle through
the controls (courtyard cap, threshold, fee, linking distance, span,
subdistricts, a lock by API as a click makes it), so no two neighbours are the same. Memory is the
process's RSS and the Python heap (tracemalloc) after each change.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import comm  # noqa: E402
from comm.base_comm import BaseComm  # noqa: E402

SENT = {"messages": 0, "bytes": 0}


class SerializingComm(BaseComm):
    """A comm that JSON-encodes what it would send, as the kernel does."""

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        text = json.dumps({"msg_type": msg_type, "data": data, "metadata": metadata}, default=str)
        SENT["messages"] += 1
        SENT["bytes"] += len(text)


comm.create_comm = lambda **kwargs: SerializingComm(**kwargs)

import lianhu_geo as lg  # noqa: E402

CHANGES = [
    {"max_compounds": 25},
    {"min_households": 2000},
    {"fee_yuan_per_m2_month": 0.6, "min_households": None},
    {"max_gap_m": 60.0},
    {"max_span_m": 1200.0},
    {"subdistricts": ["西关街道", "北关街道"]},
    {"subdistricts": []},
    {"max_compounds": 40, "max_span_m": None},
    {"fee_yuan_per_m2_month": 0.45, "max_gap_m": 40.0},
    {"collection_rate": 0.7},
    {"collection_rate": 0.6},
]


def change(ex, k: int) -> None:
    """The k-th change: a control from CHANGES; every tenth locks a bundle, or unlocks it."""
    if k % 10 == 9:
        if ex.state.locked:
            ex.unlock()
        else:
            ex.lock([ex.plan.bundles["compound_ids"].iloc[0].split(",")[0]])
    else:
        ex.set(**CHANGES[k % len(CHANGES)])


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()

    compounds = lg.load_sample()
    t0 = time.perf_counter()
    ex = lg.explore(compounds, created="2026-11-28", debounce_s=0)
    opened = time.perf_counter() - t0
    # pass 1: latency (wall and CPU), without tracemalloc's overhead
    times, cpu, sent = [], [], []
    for k in range(args.changes):
        before = SENT["bytes"]
        t, c = time.perf_counter(), time.process_time()
        change(ex, k)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        sent.append(SENT["bytes"] - before)
    # pass 2: memory after each of as many changes again
    gc.collect()
    tracemalloc.start()
    rss, heap = [], []
    for k in range(args.changes):
        change(ex, k)
        gc.collect()
        rss.append(rss_mb())
        heap.append(tracemalloc.get_traced_memory()[0] / 1e6)
    tracemalloc.stop()
    result = {
        "compounds": len(compounds),
        "open_s": round(opened, 2),
        "changes": args.changes,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "latency_wall_s": {
            "median": round(statistics.median(times), 3),
            "p90": round(sorted(times)[int(0.9 * len(times)) - 1], 3),
            "max": round(max(times), 3),
        },
        "latency_cpu_s": {
            "median": round(statistics.median(cpu), 3),
            "max": round(max(cpu), 3),
        },
        "sent_mb_per_change": round(statistics.median(sent) / 1e6, 2),
        "rss_mb": {"after_1": round(rss[0], 1), "after_10": round(rss[9], 1),
                   "after_25": round(rss[24], 1), "last": round(rss[-1], 1)},
        "python_heap_mb": {"after_1": round(heap[0], 1), "after_10": round(heap[9], 1),
                           "after_25": round(heap[24], 1), "last": round(heap[-1], 1)},
    }  # fmt: skip
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
