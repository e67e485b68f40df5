"""Grid workers (网格员): who is responsible for each grid, and the report.

Every grid at the chosen levels gets at least one responsible worker, and no
worker carries more than ``max_households_per_worker`` households. Small
grids under the same parent (say, the buildings of one compound) share a
worker, packed in tree order; a grid bigger than the cap is split evenly
between several workers. Workers come from three sources:

``property_company`` (物业企业人员)
    Staff of the property company that serves the compound: its bundle's
    company when it is bundled (片区大物业), or its own company when it is
    professionally managed. These grids are filled first, as far as the
    company's staff go (``property_staff``).
``volunteer`` (志愿者)
    Compounds served on demand (订单式) rely on volunteer teams.
``community`` (社区工作者)
    Everything else, and property-company grids beyond the staff available.

Lianhu's own figures, for comparison: :data:`DISTRICT_GRIDS` grids over all
levels and :data:`DISTRICT_GRID_WORKERS` grid workers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import InputError
from ..labels import REPORT_LABELS as _REPORT_LABELS
from ..labels import report_labels
from ..options import Option, check_options
from ._build import LEVELS, spread

if TYPE_CHECKING:
    from . import NeighborhoodGrid

__all__ = [
    "DEFAULT_MAX_HOUSEHOLDS_PER_WORKER",
    "DISTRICT_GRIDS",
    "DISTRICT_GRID_WORKERS",
    "GRID_LEVELS",
    "REPORT_LABELS",
    "SOURCES",
    "GridWorkers",
    "assign_workers",
    "grid_report",
]

#: Lianhu's published count of grids over all levels.
DISTRICT_GRIDS = 15_749
#: Lianhu's published count of grid workers.
DISTRICT_GRID_WORKERS = 12_076
#: A common urban standard: one grid worker per about 300 households.
DEFAULT_MAX_HOUSEHOLDS_PER_WORKER = 300
#: Levels whose nodes are grids (households are counted, not gridded).
GRID_LEVELS: tuple[str, ...] = ("zone", "compound", "building", "unit")
#: Worker sources, in the order they are filled.
SOURCES: tuple[str, ...] = ("property_company", "community", "volunteer")
#: Chinese labels of report columns and values (kept in :mod:`lianhu_geo.labels`).
REPORT_LABELS: dict[str, str] = _REPORT_LABELS


#: How :func:`assign_workers` checks its options.
WORKER_OPTIONS: tuple[Option, ...] = (
    Option("levels", "choices", choices=GRID_LEVELS),
    Option("max_households_per_worker", "count", minimum=1),
    Option(
        "property_staff",
        "instance",
        types=(Mapping,),
        what="a mapping from property company (or bundle id) to staff",
        allow_none=True,
    ),
)
#: How :func:`grid_report` checks its options.
REPORT_OPTIONS: tuple[Option, ...] = (
    Option("levels", "choices", choices=GRID_LEVELS, allow_none=True),
    Option("lang", "choice", choices=("en", "zh")),
)


@dataclass(frozen=True)
class GridWorkers:
    """Result of :func:`assign_workers`.

    Attributes
    ----------
    assignments : pandas.DataFrame
        One row per grid and worker: ``grid`` (node id), ``level``,
        ``worker_id``, ``source``, ``households`` (the worker's share of the
        grid), ``subdistrict``.
    workers : pandas.DataFrame
        One row per worker, indexed by ``worker_id``: ``level``, ``source``,
        ``pool`` (property company or bundle it belongs to, else NA),
        ``subdistrict``, ``grids``, ``households``.
    max_households_per_worker : int
        The cap used.
    """

    assignments: pd.DataFrame
    workers: pd.DataFrame
    max_households_per_worker: int

    def report(
        self, grid: NeighborhoodGrid, *, levels: Sequence[str] | None = None, lang: str = "en"
    ) -> pd.DataFrame:
        """Return ``grid.report(self)``; deprecated, use ``grid.report(workers)``.

        .. deprecated:: 0.1
           Kept so that programs written against it keep working; it warns
           (:class:`DeprecationWarning`) and returns ``grid.report(self, ...)``.
        """
        warnings.warn(
            "`workers.report(grid)` is deprecated; use `grid.report(workers)`.",
            DeprecationWarning,
            stacklevel=2,
        )
        return grid_report(grid, self, levels=levels, lang=lang)

    def summary(self) -> pd.Series:
        """Totals next to the district's published figures.

        Examples
        --------
        >>> from lianhu_geo.grid import build_grid
        >>> grid = build_grid(two_compounds())
        >>> int(assign_workers(grid, max_households_per_worker=10).summary()["grid_workers"])
        9
        """
        sources = self.workers["source"].value_counts()
        return pd.Series(
            {
                "staffed_grids": int(self.assignments["grid"].nunique()),
                "grid_workers": len(self.workers),
                **{s: int(sources.get(s, 0)) for s in SOURCES},
                "district_grids": DISTRICT_GRIDS,
                "district_grid_workers": DISTRICT_GRID_WORKERS,
            },
            dtype=int,
        )


def _source(attrs: Mapping) -> tuple[str, object]:
    """Return the worker source and staff pool of a compound (or zone) node."""
    if attrs.get("level") == "zone":
        if attrs.get("zone_kind") == "bundle":
            return "property_company", attrs.get("bundle_company", attrs["name"])
        return "community", pd.NA
    if attrs.get("bundle_id") is not None:
        return "property_company", attrs.get("bundle_company", attrs["bundle_id"])
    if attrs.get("management") == "professional" and attrs.get("property_company"):
        return "property_company", attrs["property_company"]
    if attrs.get("service_mode") == "on_demand":
        return "volunteer", pd.NA
    return "community", pd.NA


def _fallback(attrs: Mapping) -> str:
    return "volunteer" if attrs.get("service_mode") == "on_demand" else "community"


def _pack(loads: list[int], cap: int) -> list[list[tuple[int, int]]]:
    """Workers as lists of (grid position, households) with loads <= cap."""
    workers: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    load = 0
    for i, h in enumerate(loads):
        if h > cap:
            workers += [[(i, part)] for part in spread(h, math.ceil(h / cap))]
            continue
        if current and load + h > cap:
            workers.append(current)
            current, load = [], 0
        current.append((i, h))
        load += h
    if current:
        workers.append(current)
    return workers


def assign_workers(
    grid: NeighborhoodGrid,
    *,
    levels: Sequence[str] = ("compound", "building"),
    max_households_per_worker: int = DEFAULT_MAX_HOUSEHOLDS_PER_WORKER,
    property_staff: Mapping[str, int] | None = None,
) -> GridWorkers:
    """Give every grid at ``levels`` a responsible worker, within a workload cap.

    Parameters
    ----------
    grid : NeighborhoodGrid
        From :func:`lianhu_geo.build_grid`.
    levels : sequence of str, default ("compound", "building")
        Grid levels to staff (of ``"zone"``, ``"compound"``, ``"building"``,
        ``"unit"``); each level has its own workers.
    max_households_per_worker : int, default 300
        Workload cap. Small grids under one parent share a worker up to the
        cap; a larger grid gets ``ceil(households / cap)`` workers.
    property_staff : mapping, optional
        Staff available per property company (or per bundle id when the
        plan names no company), used across the levels in order; companies
        not in the mapping have none. Default: as many as their compounds
        need.

    Returns
    -------
    GridWorkers

    Raises
    ------
    InputError
        Unknown or unbuilt levels, or a cap below 1.

    Examples
    --------
    >>> from lianhu_geo.grid import build_grid
    >>> grid = build_grid(two_compounds())
    >>> workers = assign_workers(grid, levels=["building"], max_households_per_worker=20)
    >>> for row in workers.assignments[["grid", "worker_id", "households"]].to_numpy():
    ...     print(*row)
    building:C1-01 building-00001 12
    building:C2-01 building-00002 12
    building:C2-02 building-00002 6
    """
    checked = check_options(
        {
            "levels": levels,
            "max_households_per_worker": max_households_per_worker,
            "property_staff": property_staff,
        },
        WORKER_OPTIONS,
        where="assign_workers",
    )
    levels, cap = checked["levels"], checked["max_households_per_worker"]
    graph = grid.graph
    built = {lvl for _, lvl in graph.nodes(data="level")}
    for level in levels:
        if level not in GRID_LEVELS or level not in built:
            raise InputError(
                f"cannot staff level {level!r}: grid levels are {', '.join(GRID_LEVELS)} and "
                f"this grid is built down to {grid.stop_at!r} (see `stop_at`)."
            )
    staff = None
    if property_staff is not None:
        staff = {
            pool: Option(f"property_staff[{pool!r}]", "count", minimum=0).check(count)
            for pool, count in property_staff.items()
        }
    rows: list[tuple] = []
    workers: list[tuple] = []
    for level in sorted(dict.fromkeys(levels), key=LEVELS.index):
        # each grid's parent and owning compound (or zone), in tree order
        groups: dict[tuple, list[str]] = {}
        number = 0
        nodes_here = grid.nodes(level)
        position = {node: i for i, node in enumerate(nodes_here)}
        for node in nodes_here:
            owner = node
            while graph.nodes[owner]["level"] not in ("compound", "zone"):
                owner = next(iter(graph.pred[owner]))
            attrs = graph.nodes[owner]
            parent = next(iter(graph.pred[node]))
            key = (parent, *_source(attrs), attrs.get("subdistrict"), _fallback(attrs))
            groups.setdefault(key, []).append(node)
        for (_, source, pool, subdistrict, fallback), nodes in groups.items():
            loads = [int(graph.nodes[n]["households"]) for n in nodes]
            for team in _pack(loads, cap):
                kind = source
                if source == "property_company" and staff is not None:
                    if staff.get(pool, 0) > 0:
                        staff[pool] -= 1
                    else:
                        kind = fallback
                number += 1
                worker_id = f"{level}-{number:05d}"
                workers.append(
                    (
                        worker_id,
                        level,
                        kind,
                        pool if kind == "property_company" else pd.NA,
                        subdistrict,
                        len(team),
                        sum(h for _, h in team),
                    )
                )
                rows += [
                    (nodes[i], level, worker_id, kind, h, subdistrict, position[nodes[i]])
                    for i, h in team
                ]
    return _result(rows, workers, cap)


def _result(rows: list[tuple], workers: list[tuple], cap: int) -> GridWorkers:
    table = pd.DataFrame(
        workers,
        columns=["worker_id", "level", "source", "pool", "subdistrict", "grids", "households"],
    ).set_index("worker_id")
    table["pool"] = table["pool"].astype("string")
    columns = ["grid", "level", "worker_id", "source", "households", "subdistrict", "_at"]
    assignments = pd.DataFrame(rows, columns=columns)
    # grids in tree order within each level, a grid's workers in their order
    assignments = assignments.assign(_level=assignments["level"].map(LEVELS.index))
    assignments = assignments.sort_values(["_level", "_at"], kind="stable")
    assignments = assignments.drop(columns=["_level", "_at"]).reset_index(drop=True)
    return GridWorkers(assignments=assignments, workers=table, max_households_per_worker=cap)


def grid_report(
    grid: NeighborhoodGrid,
    workers: GridWorkers | None = None,
    *,
    levels: Sequence[str] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Count grids (and grid workers) per subdistrict and level.

    The grid report has one way in, :meth:`NeighborhoodGrid.report`
    (``grid.report(workers)``); this function is what it runs, for code that
    prefers a function (``grid_report(grid, workers)`` is the same table).
    ``workers.report(grid)`` is deprecated.

    Grids are the nodes of the levels zone, compound, building and unit that
    the grid was built down to (households are counted, not gridded, as in
    the district's own figure of 15,749 grids). Rows per subdistrict and
    level, then a ``total`` row per level and a ``total``/``all`` row. A
    zone is counted in the subdistrict holding most of its households.

    Parameters
    ----------
    grid : NeighborhoodGrid
    workers : GridWorkers, optional
        Adds ``grid_workers`` and one column per source.
    levels : sequence of str, optional
        Grid levels to count, e.g. the staffed ones to compare with the
        district's figures; default all built.
    lang : {"en", "zh"}, default "en"
        ``"zh"``: Chinese column names and level labels (for meetings), as
        in ``CoveragePlan.summary(lang="zh")``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from lianhu_geo.grid import build_grid
    >>> grid = build_grid(two_compounds())
    >>> grid_report(grid).tail(1).to_dict("records")
    [{'subdistrict': 'total', 'level': 'all', 'grids': 11, 'households': 30}]
    """
    checked = check_options({"levels": levels, "lang": lang}, REPORT_OPTIONS, where="grid_report")
    counted = set(GRID_LEVELS if levels is None else checked["levels"])
    records = [
        (d.get("subdistrict"), d["level"], d.get("households", 0))
        for _, d in grid.graph.nodes(data=True)
        if d.get("level") in counted
    ]
    nodes = pd.DataFrame(records, columns=["subdistrict", "level", "households"])
    keys = ["subdistrict", "level"]
    table = nodes.groupby(keys).agg(grids=("level", "size"), households=("households", "sum"))
    if workers is not None:
        staff = workers.workers[workers.workers["level"].isin(counted)]
        counts = staff.groupby([*keys, "source"]).size().unstack("source")
        counts = counts.reindex(columns=list(SOURCES)).fillna(0).astype(int)
        counts.insert(0, "grid_workers", counts.sum(axis=1))
        table = table.join(counts, how="outer").fillna(0).astype(int)
    table = table.reset_index()
    order = {lvl: i for i, lvl in enumerate(GRID_LEVELS)}
    table = table.sort_values(
        keys, key=lambda s: s.map(order) if s.name == "level" else s, kind="stable"
    )
    per_level = table.drop(columns="subdistrict").groupby("level", sort=False).sum().reset_index()
    per_level = per_level.sort_values("level", key=lambda s: s.map(order), kind="stable")
    per_level.insert(0, "subdistrict", "total")
    overall = per_level.drop(columns=["subdistrict", "level"]).sum().to_frame().T
    overall.insert(0, "level", "all")
    overall.insert(0, "subdistrict", "total")
    if "households" in overall:
        # households are the same people at every level: count them once
        levels = per_level.set_index("level")["households"]
        overall["households"] = int(levels.iloc[0]) if len(levels) else 0
    out = pd.concat([table, per_level, overall], ignore_index=True)
    out[out.columns[2:]] = out[out.columns[2:]].astype(int)
    if lang == "zh":
        words = report_labels(lang)
        out["level"] = out["level"].map(lambda v: words.get(v, v))
        out["subdistrict"] = out["subdistrict"].map(lambda v: words.get(v, v))
        out = out.rename(columns=words)
    return out
