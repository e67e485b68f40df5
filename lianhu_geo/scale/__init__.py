"""Planning at province or country size: by subdistrict, in parallel, with outputs that scale.

Bundles never cross a subdistrict, so every subdistrict is its own bundling
problem (:mod:`lianhu_geo.scale._groups`). :func:`bundle_by_group` solves
them one after another, in local processes, or on a ``dask.distributed``
cluster (:mod:`lianhu_geo.scale._engines`), and gives the same bundles
whichever it is: each group has a seed of its own derived from its key, and
bundle ids are given after the merge. :func:`~lianhu_geo.coverage.plan_coverage`
plans through it (``workers=``, ``engine=``).

dask-geopandas is not used: its partitions are spatial chunks of one frame,
while here a partition is a subdistrict and its work a Python search, which
``client.map`` over the subdistricts' compounds says directly.
"""

from __future__ import annotations

import warnings
from typing import Any

import geopandas as gpd

from .._prepared import Prepared, prepare
from ..bundling import BundleResult, propose_bundles
from ..options import PARALLEL_OPTIONS, check_options
from ._engines import AUTO_PROCESSES_FROM, ENGINES, resolve_engine, run_groups, warm_up
from ._files import MAP_MAX_COMPOUNDS, MAX_SHEET_ROWS, part_name, write_plan_parts
from ._groups import group_seed, make_groups, merge_results, solve_group

__all__ = [
    "AUTO_PROCESSES_FROM",
    "ENGINES",
    "MAP_MAX_COMPOUNDS",
    "MAX_SHEET_ROWS",
    "bundle_by_group",
    "group_seed",
    "part_name",
    "write_plan_parts",
]


def bundle_by_group(
    compounds: gpd.GeoDataFrame,
    *,
    workers: int | None = None,
    engine: object = None,
    seed: int = 0,
    **options: Any,
) -> BundleResult:
    """Propose bundles subdistrict by subdistrict, serially or in parallel.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        As for :func:`~lianhu_geo.bundling.propose_bundles`.
    workers : int, optional
        Processes (or Dask workers of a cluster made for the call). Default:
        one per core when there are at least :data:`AUTO_PROCESSES_FROM`
        compounds, else 1 (this process). Never more than the groups.
    engine : {"serial", "processes", "dask"}, distributed.Client or str, optional
        Where groups are solved. Default: ``"processes"`` when ``workers``
        is more than 1, else ``"serial"``. ``"dask"`` uses the running
        Dask client, or a ``LocalCluster`` of ``workers`` processes made for
        the call; a ``Client`` or a scheduler address
        (``"tcp://10.0.0.5:8786"``) sends the groups to that cluster. Dask
        is an optional extra: ``pip install lianhu_geo[scale]``.
    seed : int, default 0
        Each group is solved with :func:`group_seed` of its key and this
        seed.
    **options
        Passed to :func:`~lianhu_geo.bundling.propose_bundles` for each
        group; ``time_limit_s`` (the exact stages' budget, counted in
        steps) is shared among the groups in proportion to their free
        eligible compounds, so the whole plan spends what one solve would.

    Returns
    -------
    BundleResult
        As from ``propose_bundles``, the same for every ``workers`` and
        ``engine``. Groups: one per subdistrict; subdistricts that a locked
        bundle spans form one group.

    Raises
    ------
    InputError
        Bad compounds or options, as ``propose_bundles`` raises them; an
        unknown ``engine``; ``engine="dask"`` without dask installed.

    Examples
    --------
    >>> result = bundle_by_group(three_compounds(), min_households=150, engine="serial")
    >>> result.bundles[["compounds", "households"]].to_numpy().tolist()
    [[2, 200]]
    """
    parallel = {"workers": workers, "engine": engine}
    check_options(parallel, PARALLEL_OPTIONS, where="bundle_by_group")  # before any work
    warm_up(engine, workers, compounds)
    return _bundle_validated(prepare(compounds), seed=seed, **parallel, **options)


def _bundle_validated(
    prep: Prepared, *, workers: int | None, engine: object, seed: int = 0, **options: Any
) -> BundleResult:
    """:func:`bundle_by_group` on compounds checked once (by ``plan_coverage``)."""
    data = prep.data
    groups = make_groups(data, {**options, "seed": seed})
    if not groups:  # no compounds: nothing to split
        return propose_bundles(prep, seed=seed, **options)
    name, count = resolve_engine(engine, workers, groups=len(groups), compounds=len(data))
    solved = run_groups(
        solve_group, groups, engine=engine, workers=count, name=name, sizes=groups.sizes
    )
    for _, caught in solved:  # raised here, in the groups' order, whatever ran them
        for category, message in caught:
            warnings.warn(message, category, stacklevel=3)
    given = {k: options[k] for k in ("time_limit_s",) if k in options}
    return merge_results(data, [result for result, _ in solved], seed=seed, options=given)
