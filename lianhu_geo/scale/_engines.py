"""Where the groups are solved: in this process, in local processes, or on Dask.

No scheduler of our own: local processes are a
:class:`concurrent.futures.ProcessPoolExecutor`, a cluster is
``dask.distributed``. Results come back in the groups' order whatever order
they finish in, and every engine runs the same function on the same inputs,
so the plan is the same.

The pool's processes come from a ``forkserver`` (Linux, macOS): one clean
process, started by :func:`warm_up` while this one still reads and checks
the compounds, imports lianhu_geo once, and every worker is a fork of it,
ready at once; a fork of a process that runs no threads of its own is safe,
and the forkserver is Python's default from 3.14. Where there is no
forkserver (Windows) workers are spawned, each importing geopandas anew
(about 2 s). Groups are handed out largest first (``sizes``), so that a
large group left to the end does not keep one core busy while the others
wait.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

import pandas as pd

from ..errors import InputError
from ..options import ENGINES, PARALLEL_OPTIONS, check_options, is_client

__all__ = ["ENGINES", "run_groups", "resolve_engine", "warm_up", "AUTO_PROCESSES_FROM"]

#: With ``workers=None``, inputs of at least this many compounds are planned in
#: local processes (one per core, at most one per group); smaller ones in this
#: process, where starting processes would cost more than it saves (about 2 s
#: to import geopandas in each).
AUTO_PROCESSES_FROM = 20_000


def resolve_engine(
    engine: object, workers: int | None, *, groups: int, compounds: int
) -> tuple[str, int]:
    """Check ``engine`` and ``workers``; return the engine's name and the workers to use."""
    checked = check_options(
        {"workers": workers, "engine": engine}, PARALLEL_OPTIONS, where="resolve_engine"
    )
    workers, engine = checked["workers"], checked["engine"]
    if engine is None:
        if workers is None:
            cores = os.cpu_count() or 1
            workers = cores if compounds >= AUTO_PROCESSES_FROM else 1
        workers = max(1, min(workers, groups))
        return ("processes" if workers > 1 else "serial"), workers
    if is_client(engine) or engine not in ENGINES:  # a Client or a scheduler address
        return "dask", workers or 0
    if engine == "processes":
        workers = max(1, min(workers or (os.cpu_count() or 1), groups))
    return engine, workers or 1


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError(
            "engine='dask' needs dask.distributed; install it with "
            "`pip install lianhu_geo[scale]` (or `pip install 'dask[distributed]'`)."
        ) from None
    return distributed


_Done = Callable[[int], None]


def run_groups(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    engine: object,
    workers: int,
    name: str,
    sizes: Sequence[float] | None = None,
    done: _Done | None = None,
    at_once: int | None = None,
) -> list[Any]:
    """Apply ``fn`` to every item on ``engine``; results in the items' order.

    ``name`` is the resolved engine name from :func:`resolve_engine`. For
    Dask, ``engine`` is a Client, a scheduler address, or ``"dask"``: the
    running client (``distributed.get_client()``) if there is one, else a
    ``LocalCluster`` of ``workers`` processes made for this call. ``sizes``
    (the work of each item, in any unit) hands the largest items out first
    on processes and Dask. ``items`` is read by index, one item at a time
    and only when it is handed out, so a sequence that builds each item on
    demand keeps a few of them in memory, not all (on Dask, ``at_once``
    items are built and scattered at a time; None: all at once).
    ``done(n)`` is called as results arrive, ``n`` the number of items
    finished so far.
    """
    tell = done or (lambda n: None)
    if name == "serial" or len(items) <= 1 and name == "processes":
        results = []
        for k in range(len(items)):  # one item in memory at a time
            results.append(fn(items[k]))
            tell(k + 1)
        return results
    order = list(range(len(items)))
    if sizes is not None:
        order.sort(key=lambda k: sizes[k], reverse=True)  # stable: equal sizes keep order
    if name == "processes":
        return _in_processes(fn, items, workers, order, tell)
    distributed = _distributed()
    if is_client(engine):
        return _on_dask(engine, fn, items, order, tell, at_once)
    if isinstance(engine, str) and "://" in engine:
        with distributed.Client(engine) as client:
            return _on_dask(client, fn, items, order, tell, at_once)
    try:
        client = distributed.get_client()
    except ValueError:  # no client running: a local cluster for this call
        cluster = distributed.LocalCluster(
            n_workers=workers or (os.cpu_count() or 1), threads_per_worker=1
        )
        with cluster, distributed.Client(cluster) as client:
            return _on_dask(client, fn, items, order, tell, at_once)
    return _on_dask(client, fn, items, order, tell, at_once)


#: What the forkserver imports once, so that its forks start with it loaded.
_PRELOAD = ["lianhu_geo.scale"]


def _context() -> multiprocessing.context.BaseContext:
    """Give the start method of the pool: forkserver where there is one, else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def warm_up(engine: object, workers: int | None, compounds: object) -> bool:
    """Start the forkserver now if the groups will run in processes; returns at once.

    It imports lianhu_geo while this process checks the compounds (a
    GeoDataFrame or a checked ``Prepared``), so the workers are ready when
    the groups are. ``engine`` and ``workers`` are checked already
    (:data:`~lianhu_geo.options.PARALLEL_OPTIONS`). Returns whether the
    groups will run elsewhere (processes or Dask), so that this process
    could do other work meanwhile.
    """
    try:
        n = len(getattr(compounds, "data", compounds))
    except TypeError:  # not compounds at all: refused when they are checked
        return False
    name, count = resolve_engine(engine, workers, groups=n, compounds=n)
    if name == "processes" and count > 1 and _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver  # not on Windows

        forkserver.ensure_running()
    return name == "dask" or name == "processes" and count > 1


def _in_processes(
    fn: Callable[[Any], Any], items: Sequence[Any], workers: int, order: list[int], tell: _Done
) -> list[Any]:
    """Run in a process pool, at most two items a worker handed out at a time (bounded memory)."""
    results: list[Any] = [None] * len(items)
    pending: dict[Any, int] = {}
    finished = 0
    storage = pd.get_option("mode.string_storage")  # the workers keep text as this process
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_text_storage,
        initargs=(storage,),
    ) as pool:
        for n, k in enumerate(order, start=1):
            pending[pool.submit(fn, items[k])] = k
            while len(pending) >= 2 * workers or n == len(order) and pending:
                ready, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(ready, key=pending.get):
                    results[pending.pop(future)] = future.result()
                    finished += 1
                    tell(finished)
    return results


def _text_storage(storage: str) -> None:
    """Keep new text in the parent's pandas storage (Python or Arrow) in a worker.

    A worker process starts with pandas' default, Arrow when pyarrow is
    installed; text it makes would come back in another dtype than the same
    plan made in this process. Naming a dtype for the library's own text
    columns would not be enough: pandas infers text it makes itself (the
    column labels of a worker's tables) from this option.
    """
    pd.set_option("mode.string_storage", storage)


def _on_dask(
    client: Any,
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    order: list[int],
    tell: _Done,
    at_once: int | None,
) -> list[Any]:
    results: list[Any] = [None] * len(items)
    step = at_once or max(len(order), 1)
    for start in range(0, len(order), step):  # a batch of items in memory at a time
        batch = order[start : start + step]
        # scattered first: a large group inside the task graph makes Dask warn and slows it
        futures = client.map(fn, client.scatter([items[k] for k in batch]), pure=False)
        for k, result in zip(batch, client.gather(futures), strict=True):
            results[k] = result
        tell(start + len(batch))
    return results
