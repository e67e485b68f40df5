"""The five-level 邻里格 grid: zone > compound > building > unit > household.

:func:`build_grid` turns a compounds table (or a coverage plan) and whatever
building, unit and household tables a planner has into a
:class:`NeighborhoodGrid`, whose ``graph`` is a :class:`networkx.DiGraph`
arborescence rooted at the district. Node ids are strings
(``"zone:B003"``, ``"compound:LH0001"``, ``"building:LH0001-03"``,
``"unit:LH0001-03-2"``, ``"household:LH0001-03-2-015"``) and every node has
a ``level``, a ``name``, ``households`` (and ``buildings``/``units`` where
meaningful), ``estimated`` (generated rather than given) and
``subdistrict``. Households carry no personal data: an id and their unit.

Representation and its trade-off
    With ``stop_at="household"`` every household is a graph node, about
    0.8 kB and 5 microseconds each: the sample's 738,025 households build in
    about 4 s (CPU) and 720 MB, and every query works down to the door. A
    city ten times that size would need some 6 GB that way. With
    ``stop_at="unit"`` households stay counts on the unit nodes, with no
    Python object per household: 15,140 compounds (5.8 million households)
    build in about 5 s and 560 MB. Counts, aggregation, workers at the
    zone to unit levels, reports and exports are the same either way; only
    household nodes (:meth:`NeighborhoodGrid.path` from a household, a
    household's id) need ``"household"``. Figures from
    ``benchmarks/bench_grid.py``.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError, format_rows
from ..labels import LEVEL_LABELS as _LEVEL_LABELS
from ..options import Option, check_options, check_unknown
from ._build import LEVELS, build_graph, gc_paused, natural_key, recount
from ._inputs import assign_zones, normalize_tables, resolve_input

if TYPE_CHECKING:
    from .workers import GridWorkers

__all__ = ["LEVELS", "LEVEL_LABELS", "GridError", "NeighborhoodGrid", "build_grid"]

#: Chinese labels of the levels, for tables and maps (kept in :mod:`lianhu_geo.labels`).
LEVEL_LABELS: dict[str, str] = _LEVEL_LABELS


_TABLE = "a DataFrame"
#: How :func:`build_grid` checks its options.
OPTIONS: tuple[Option, ...] = (
    Option(
        "zones",
        "instance",
        types=(pd.Series, str),
        what="a column name or a Series on the compounds' index",
        allow_none=True,
    ),
    Option("buildings", "instance", types=(pd.DataFrame,), what=_TABLE, allow_none=True),
    Option("units", "instance", types=(pd.DataFrame,), what=_TABLE, allow_none=True),
    Option("households", "instance", types=(pd.DataFrame,), what=_TABLE, allow_none=True),
    Option("stop_at", "choice", choices=LEVELS[2:]),
    Option("district", "text"),
)


class GridError(InputError):
    """The grid is not a valid five-level tree; the message names the nodes."""


def _node_id(node: str, level: str) -> str:
    return node if ":" in str(node) else f"{level}:{node}"


def _copy(graph: nx.DiGraph, order: Sequence[Hashable]) -> nx.DiGraph:
    """Induced subgraph with copied attributes, nodes in the given order."""
    out = nx.DiGraph(**graph.graph)
    keep = set(order)
    out.add_nodes_from((n, dict(graph.nodes[n])) for n in order)
    out.add_edges_from((p, n) for n in order for p in graph.pred[n] if p in keep)
    return out


class NeighborhoodGrid:
    """The 邻里格 hierarchy of one district, built by :func:`build_grid`.

    Attributes
    ----------
    graph : networkx.DiGraph
        Arborescence rooted at ``root``; edges point from parent to child.
    root : str
        ``"district:<name>"``.
    compounds : geopandas.GeoDataFrame
        The validated compounds the grid was built from (input index).
    stop_at : str
        The deepest level built: ``"compound"``, ``"building"``, ``"unit"``
        or ``"household"``.
    building_geometry : geopandas.GeoSeries or None
        Footprints (or points) of buildings given by the planner, indexed by
        node id.
    """

    def __init__(
        self,
        graph: nx.DiGraph,
        *,
        compounds: gpd.GeoDataFrame,
        stop_at: str,
        building_geometry: gpd.GeoSeries | None = None,
    ) -> None:
        self.graph = graph
        self.compounds = compounds
        self.stop_at = stop_at
        self.building_geometry = building_geometry
        self.root = next(n for n, d in graph.in_degree() if d == 0)

    def __repr__(self) -> str:
        counts = self.counts()
        parts = ", ".join(f"{n} {lvl}s" for lvl, n in counts.items() if lvl != "district")
        return f"NeighborhoodGrid({self.graph.nodes[self.root]['name']}: {parts})"

    # ------------------------------------------------------------------ look-ups
    def counts(self) -> pd.Series:
        """Count the nodes of each level, district first.

        Examples
        --------
        >>> build_grid(two_compounds()).counts().to_dict()
        {'district': 1, 'zone': 1, 'compound': 2, 'building': 3, 'unit': 5, 'household': 30}
        """
        levels = pd.Series([d for _, d in self.graph.nodes(data="level")], dtype=object)
        counts = levels.value_counts()
        present = [lvl for lvl in LEVELS if lvl in counts.index]
        return pd.Series([int(counts[lvl]) for lvl in present], index=present, name="nodes")

    def nodes(self, level: str) -> list[str]:
        """Node ids of one level, in tree order."""
        self._check_level(level)
        return [n for n, lvl in self.graph.nodes(data="level") if lvl == level]

    def node_frame(self, level: str) -> pd.DataFrame:
        """Attributes of the nodes of one level, indexed by node id."""
        ids = self.nodes(level)
        return pd.DataFrame([self.graph.nodes[n] for n in ids], index=pd.Index(ids, name="node"))

    def _check_level(self, level: str) -> None:
        if level not in LEVELS:
            raise InputError(f"unknown level {level!r}; levels are {', '.join(LEVELS)}.")

    def _require(self, node: str) -> str:
        if node not in self.graph:
            raise GridError(f"node {node!r} is not in the grid.")
        return node

    # ------------------------------------------------------------------ queries
    def aggregate(
        self, attribute: str, *, from_level: str | None = None, level: str | None = None
    ) -> pd.Series:
        """Sum a numeric node attribute up the tree.

        Parameters
        ----------
        attribute : str
            Node attribute, e.g. ``"households"`` or a planner's own.
        from_level : str, optional
            Level whose values are summed; default the deepest level where
            any node has the attribute. Nodes below it are left out.
        level : str, optional
            Return only the nodes of this level.

        Returns
        -------
        pandas.Series
            Indexed by node id in tree order, named ``attribute``.

        Examples
        --------
        >>> build_grid(two_compounds()).aggregate("households", level="compound").to_dict()
        {'compound:C1': 12, 'compound:C2': 18}
        """
        from ._check import node_table

        with gc_paused():
            table = node_table(self.graph, attribute)
        codes, raw, parent = table["code"].to_numpy(), table["value"], table["parent"]
        if raw.notna().sum() == 0:
            raise InputError(f"no node of the grid has a numeric `{attribute}`.")
        if from_level is None:
            start = int(codes[raw.notna().to_numpy()].max())
        else:
            self._check_level(from_level)
            start = LEVELS.index(from_level)
        values = pd.Series(np.nan, index=table.index, dtype=float)
        at = codes == start
        values[at] = raw[at]
        for depth in range(start - 1, -1, -1):
            child = codes == depth + 1
            sums = values[child].groupby(parent[child].to_numpy()).sum(min_count=1)
            here = codes == depth
            values[here] = sums.reindex(values.index[here]).fillna(0).to_numpy()
        if level is not None:
            self._check_level(level)
            values = values[codes == LEVELS.index(level)]
        values = values.rename(attribute)
        kept = values.dropna()
        if len(kept) == len(values) and (kept % 1 == 0).all():
            values = values.astype("Int64")
        return values

    def path(self, node: str) -> list[str]:
        """Node ids from ``node`` up to the district.

        Examples
        --------
        >>> build_grid(two_compounds()).path("household:C1-01-1-003")
        ['household:C1-01-1-003', 'unit:C1-01-1', 'building:C1-01', 'compound:C1', 'zone:社区A', 'district:莲湖区']
        """  # noqa: E501
        out = [self._require(node)]
        while True:
            parents = list(self.graph.pred[out[-1]])
            if not parents:
                return out
            out.append(parents[0])

    def subtree(self, compound: str) -> nx.DiGraph:
        """Copy one compound's subtree, rooted at the compound.

        Examples
        --------
        >>> build_grid(two_compounds()).subtree("C2").number_of_nodes()
        24
        """
        node = self._require(_node_id(compound, "compound"))
        return _copy(self.graph, list(nx.dfs_preorder_nodes(self.graph, node)))

    def subdistrict(self, name: str) -> NeighborhoodGrid:
        """Cut out the grid of one subdistrict: its compounds, their zones, the district.

        Zone and district counts are recounted over the kept compounds.
        """
        graph = self.graph
        names = sorted({d for _, d in graph.nodes(data="subdistrict") if d}, key=natural_key)
        if name not in names:
            raise InputError(f"no subdistrict {name!r} in the grid; it has {format_rows(names)}.")
        order = [self.root]
        for zone in graph.successors(self.root):
            kept = [c for c in graph.successors(zone) if graph.nodes[c]["subdistrict"] == name]
            if kept:
                order.append(zone)
                for c in kept:
                    order.extend(nx.dfs_preorder_nodes(graph, c))
        sub = _copy(graph, order)
        recount(sub, self.root)
        for zone in sub.successors(self.root):
            sub.nodes[zone]["subdistrict"] = name
        compounds = self.compounds[self.compounds["subdistrict"] == name]
        geometry = self.building_geometry
        if geometry is not None:
            geometry = geometry[geometry.index.isin(set(order))]
        return NeighborhoodGrid(
            sub, compounds=compounds, stop_at=self.stop_at, building_geometry=geometry
        )

    # ------------------------------------------------------------------ checks
    def validate(self) -> NeighborhoodGrid:
        """Check the tree, the level order and the counts; return ``self``.

        Raises
        ------
        GridError
            Naming the nodes that break a rule: not an arborescence, a level
            not one of :data:`LEVELS`, an edge that does not go exactly one
            level down, or counts that disagree with the children's.

        Examples
        --------
        >>> grid = build_grid(two_compounds()).validate()
        >>> grid.graph.nodes["unit:C1-01-1"]["households"] = 99
        >>> grid.validate()
        Traceback (most recent call last):
        ...
        lianhu_geo.grid.GridError: `households` of building:C1-01 (12) differ from the sum over its children (...
        """  # noqa: E501
        from ._check import check_graph

        with gc_paused():
            problems = check_graph(self.graph, stop_at=self.stop_at)
        if problems:
            raise GridError("; ".join(problems))
        return self

    # ------------------------------------------------------------------ workers
    def assign_workers(self, **options: object) -> GridWorkers:
        """Assign grid workers; see :func:`lianhu_geo.grid.workers.assign_workers`."""
        from .workers import WORKER_OPTIONS, assign_workers

        check_unknown(options, [o.name for o in WORKER_OPTIONS], where="assign_workers")
        return assign_workers(self, **options)

    def report(
        self,
        workers: GridWorkers | None = None,
        *,
        levels: Sequence[str] | None = None,
        lang: str = "en",
    ) -> pd.DataFrame:
        """Count grids (and grid workers) per subdistrict and level: the grid report.

        This is the one way to the report; :func:`lianhu_geo.grid.workers.grid_report`
        (``grid_report(grid, workers)``) is the same function for code that
        prefers one, and ``workers.report(grid)`` is deprecated. Parameters,
        return value and examples: see ``grid_report``.
        """
        from .workers import grid_report

        return grid_report(self, workers, levels=levels, lang=lang)

    # ------------------------------------------------------------------ export
    def to_dict(self, *, max_level: str = "unit") -> dict:
        """Nested dict for drill-down maps, district down to ``max_level``.

        Each node is ``{"id", "level", "name", "households", ...counts,
        "children": [...]}``; children in the grid's order (natural id order
        as built, so ``"-9"`` before ``"-10"``).

        Examples
        --------
        >>> tree = build_grid(two_compounds()).to_dict(max_level="compound")
        >>> [(c["id"], c["households"]) for c in tree["children"][0]["children"]]
        [('compound:C1', 12), ('compound:C2', 18)]
        """
        from ._export import nested

        self._check_level(max_level)
        return nested(self.graph, self.root, LEVELS.index(max_level))

    def to_json(self, *, max_level: str = "unit", indent: int | None = None) -> str:
        """:meth:`to_dict` as a JSON string (UTF-8 text, Chinese kept readable)."""
        return json.dumps(self.to_dict(max_level=max_level), ensure_ascii=False, indent=indent)

    def to_frames(self, *, levels: Sequence[str] | None = None) -> dict[str, gpd.GeoDataFrame]:
        """One GeoDataFrame per level, in EPSG:4326, for maps.

        Zones are dissolved from their compounds; compounds keep their
        geometry; buildings are the planner's footprints where given, else
        points placed deterministically inside their compound; units are
        their building's point.

        Parameters
        ----------
        levels : sequence of str, optional
            Default ``("zone", "compound", "building", "unit")`` as far as built.
        """
        from ._export import frames

        if levels is None:
            depth = LEVELS.index(self.stop_at)
            levels = [lvl for lvl in LEVELS[1:5] if LEVELS.index(lvl) <= depth]
        for lvl in levels:
            self._check_level(lvl)
        return frames(self, list(levels))


def build_grid(
    compounds_or_plan: gpd.GeoDataFrame | object,
    *,
    zones: pd.Series | str | None = None,
    buildings: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    households: pd.DataFrame | None = None,
    stop_at: str = "household",
    district: str = "莲湖区",
) -> NeighborhoodGrid:
    """Build the five-level grid from compounds or a coverage plan.

    Parameters
    ----------
    compounds_or_plan : GeoDataFrame or coverage plan
        Compounds (see :func:`lianhu_geo.validate_compounds`), or a plan
        object with a ``.compounds`` frame carrying ``bundle_id`` (and an
        optional ``.bundles`` frame indexed by bundle id, with ``name``).
    zones : Series or str, optional
        The planner's zone of each compound (Series on the compounds' index,
        or a column name). A bundled compound's zone is always its bundle;
        compounds with no zone fall back to their community.
    buildings : DataFrame, optional
        ``compound_id``, ``building_id``, optional ``name``, ``units``,
        ``households`` and footprint geometry. Compounds without rows get
        estimated buildings.
    units : DataFrame, optional
        ``building_id``, ``unit_id``, optional ``name``, ``households``.
    households : DataFrame, optional
        ``unit_id``, ``household_id``; nothing else is kept.
    stop_at : {"compound", "building", "unit", "household"}, default "household"
        Deepest level made into nodes; below it only counts are kept. Use
        ``"unit"`` for large cities (no Python object per household).
    district : str, default "莲湖区"
        Name of the root node.

    Returns
    -------
    NeighborhoodGrid

    Raises
    ------
    InputError
        Bad compounds or tables (ids, counts, unknown parents), naming rows.

    Warns
    -----
    DataWarning
        Compounds whose buildings/units were estimated from default sizes,
        or whose households differ from the sum of the planner's tables.

    Notes
    -----
    Generated buildings (``"<compound_id>-01"``...), units (``"-1"``...) and
    households (``"-001"``...) split counts evenly, larger parts first. With
    ``units`` unknown a compound gets 3 units per building, or one unit per
    12 households when ``buildings`` is unknown too; unknown ``buildings``
    are one per 3 units.

    Examples
    --------
        >>> grid = build_grid(two_compounds())
    >>> grid
    NeighborhoodGrid(莲湖区: 1 zones, 2 compounds, 3 buildings, 5 units, 30 households)
    >>> grid.graph.nodes["building:C2-02"]["households"]  # 18 households over 3 units
    6
    """
    check_options(
        {
            "zones": zones,
            "buildings": buildings,
            "units": units,
            "households": households,
            "stop_at": stop_at,
            "district": district,
        },
        OPTIONS,
        where="build_grid",
    )
    data, bundles = resolve_input(compounds_or_plan)
    zone_table = assign_zones(data, zones, bundles)
    tables = normalize_tables(set(data["compound_id"]), buildings, units, households)
    with gc_paused():
        graph = build_graph(data, zone_table, tables, district=district, stop_at=stop_at)
    graph.graph.update(district=district, stop_at=stop_at)
    return NeighborhoodGrid(
        graph, compounds=data, stop_at=stop_at, building_geometry=tables.geometry
    )
