"""Where the groups are solved: in this process, in local processes, or on Dask.

No scheduler of our own: local processes are a
:class:`concurrent.futures.ProcessPoolExecutor` started with ``spawn`` (safe
beside threads, the same on Linux, macOS and Windows), a cluster is
``dask.distributed``. Results come back in the groups' order whatever order
they finish in, and every engine runs the same function on the same inputs,
so the plan is the same.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

import pandas as pd

from ..errors import InputError
from ..options import Option

__all__ = ["ENGINES", "run_groups", "resolve_engine", "AUTO_PROCESSES_FROM"]

#: Names ``engine=`` takes (besides a ``distributed.Client`` or a scheduler address).
ENGINES = ("serial", "processes", "dask")

#: With ``workers=None``, inputs of at least this many compounds are planned in
#: local processes (one per core, at most one per group); smaller ones in this
#: process, where starting processes would cost more than it saves (about 2 s
#: to import geopandas in each).
AUTO_PROCESSES_FROM = 20_000


def _is_client(engine: object) -> bool:
    return type(engine).__name__ == "Client" and hasattr(engine, "scatter")


def resolve_engine(
    engine: object, workers: int | None, *, groups: int, compounds: int
) -> tuple[str, int]:
    """Check ``engine`` and ``workers``; return the engine's name and the workers to use."""
    workers = Option("workers", "count", minimum=1, allow_none=True).check(workers)
    if engine is None:
        if workers is None:
            cores = os.cpu_count() or 1
            workers = cores if compounds >= AUTO_PROCESSES_FROM else 1
        workers = max(1, min(workers, groups))
        return ("processes" if workers > 1 else "serial"), workers
    if _is_client(engine):
        return "dask", workers or 0
    if isinstance(engine, str) and engine in ENGINES:
        if engine == "processes":
            workers = max(1, min(workers or (os.cpu_count() or 1), groups))
        return engine, workers or 1
    if isinstance(engine, str) and "://" in engine:
        return "dask", workers or 0
    raise InputError(
        f"`engine` must be one of {', '.join(ENGINES)}, a dask.distributed Client or a "
        f"scheduler address such as 'tcp://10.0.0.5:8786'; got {engine!r}."
    )


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError(
            "engine='dask' needs dask.distributed; install it with "
            "`pip install lianhu_geo[scale]` (or `pip install 'dask[distributed]'`)."
        ) from None
    return distributed


def run_groups(
    fn: Callable[[Any], Any], items: Sequence[Any], *, engine: object, workers: int, name: str
) -> list[Any]:
    """Apply ``fn`` to every item on ``engine``; results in the items' order.

    ``name`` is the resolved engine name from :func:`resolve_engine`. For
    Dask, ``engine`` is a Client, a scheduler address, or ``"dask"``: the
    running client (``distributed.get_client()``) if there is one, else a
    ``LocalCluster`` of ``workers`` processes made for this call.
    """
    if name == "serial" or len(items) <= 1 and name == "processes":
        return [fn(item) for item in items]  # one item in memory at a time
    if name == "processes":
        return _in_processes(fn, items, workers)
    distributed = _distributed()
    if _is_client(engine):
        return _on_dask(engine, fn, items)
    if isinstance(engine, str) and "://" in engine:
        with distributed.Client(engine) as client:
            return _on_dask(client, fn, items)
    try:
        client = distributed.get_client()
    except ValueError:  # no client running: a local cluster for this call
        cluster = distributed.LocalCluster(
            n_workers=workers or (os.cpu_count() or 1), threads_per_worker=1
        )
        with cluster, distributed.Client(cluster) as client:
            return _on_dask(client, fn, items)
    return _on_dask(client, fn, items)


def _in_processes(fn: Callable[[Any], Any], items: Sequence[Any], workers: int) -> list[Any]:
    """Run in a spawn pool, at most two items a worker handed out at a time (bounded memory)."""
    context = multiprocessing.get_context("spawn")
    results: list[Any] = [None] * len(items)
    pending: dict[Any, int] = {}
    storage = pd.get_option("mode.string_storage")  # the workers keep text as this process
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_text_storage,
        initargs=(storage,),
    ) as pool:
        for k in range(len(items)):
            pending[pool.submit(fn, items[k])] = k
            if len(pending) >= 2 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    results[pending.pop(future)] = future.result()
        for future, k in pending.items():
            results[k] = future.result()
    return results


def _text_storage(storage: str) -> None:
    """Keep new text in the parent's pandas storage (Python or Arrow) in a worker.

    A spawned worker starts with pandas' default, Arrow when pyarrow is
    installed; text it makes (a bundle's subdistrict) would come back in
    another dtype than the same plan made in this process.
    """
    pd.set_option("mode.string_storage", storage)


def _on_dask(client: Any, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    # scattered first: a large group inside the task graph makes Dask warn and slows it
    futures = client.map(fn, client.scatter(list(items)), pure=False)
    return client.gather(futures)
