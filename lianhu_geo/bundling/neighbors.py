"""The neighbor graph: which compounds are neighbours that one company can serve together.

Two courtyards are neighbours when their footprints lie within ``max_gap_m``
metres of each other: lanes separate old courtyards, so touching is not
required. Compounds known only as points are neighbours along the edges of
their Delaunay triangulation that are at most ``max_link_m`` long (a
Delaunay graph cut at a distance: it links each point to its natural
neighbours, never across a closer one, and drops long links over empty
land). Points within :data:`STACK_TOLERANCE_M` of each other (several
compounds geocoded to one address) are one site of the triangulation: they
are linked to each other and each to every point of the neighbouring sites,
so no result depends on how their ids sort. No edge crosses a ``barriers``
feature (arterial road, railway, city
wall, park): an edge is cut when the straight segment between the two
compounds' representative points touches a barrier. No edge joins compounds
with different values of ``within`` (by default the subdistrict, because one
subdistrict office leads each bundle).

Everything is found with an STRtree spatial index and Delaunay
triangulation, so the cost grows about as n log n; no n x n distance matrix
is ever built.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import Delaunay, QhullError

from .._prepared import prepare
from ..errors import InputError, format_rows
from ..options import Option, check_options

__all__ = [
    "neighbor_graph",
    "stacked_sites",
    "DEFAULT_MAX_GAP_M",
    "DEFAULT_MAX_LINK_M",
    "STACK_TOLERANCE_M",
    "NEIGHBOR_OPTIONS",
]

#: Footprints closer than this are neighbours: a courtyard lane (巷, 3-10 m)
#: or a branch street (支路, red line 15-30 m) between the walls of two
#: courtyards, plus digitising error; an arterial road (主干路, red line
#: 40-60 m and more in Xi'an, e.g. 莲湖路) is usually wider, and should be
#: passed as ``barriers`` anyway. On the embedded sample, 30 m leaves a
#: fifth of the unmanaged courtyards without any neighbour; 40 m halves that.
DEFAULT_MAX_GAP_M = 40.0
#: Points (no footprints) are neighbours along Delaunay edges up to this
#: length. Lianhu has about 1,500 compounds on 38 km2, one every ~160 m; old
#: courtyards in a cluster sit closer. 250 m links next-door courtyards and
#: drops links across a whole block.
DEFAULT_MAX_LINK_M = 250.0

#: How :func:`neighbor_graph` checks its options (shared with ``propose_bundles``).
NEIGHBOR_OPTIONS: tuple[Option, ...] = (
    Option("max_gap_m", "distance", minimum=0, allow_none=True),
    Option("max_link_m", "distance", minimum=0, allow_none=True),
    Option("barriers", "layer", allow_none=True),
    Option("within", "text", allow_none=True),
)


def _barrier_geometries(barriers: object, crs: object) -> np.ndarray:
    if isinstance(barriers, gpd.GeoDataFrame):
        barriers = barriers.geometry
    if not isinstance(barriers, gpd.GeoSeries):
        raise InputError(
            f"`barriers` must be a GeoDataFrame or GeoSeries of lines or polygons, "
            f"got {type(barriers).__name__}."
        )
    if barriers.crs is None:
        raise InputError("`barriers` have no CRS. Set it, e.g. `barriers.set_crs('EPSG:4326')`.")
    geoms = barriers.to_crs(crs).to_numpy()
    return geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]


#: Points closer than this are one place (a geocoder puts several compounds on
#: one address, or two ledgers round differently): they are linked to each
#: other and triangulated as one site, so none of them depends on how the ids
#: sort, and any number of them on one spot triangulates.
STACK_TOLERANCE_M = 1.0


def stacked_sites(xy: np.ndarray, *, tolerance_m: float = STACK_TOLERANCE_M) -> np.ndarray:
    """Site number of each point: points within ``tolerance_m`` (chained) share one.

    Sites are numbered by their smallest coordinates (x, then y), never by
    row order, so the numbering is the same for any order of the points.

    Examples
    --------
    >>> stacked_sites(np.array([[5.0, 0.0], [0.0, 0.0], [0.4, 0.0], [5.0, 0.0]])).tolist()
    [1, 0, 0, 1]
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    if n == 0:
        return np.empty(0, np.intp)
    points = shapely.points(xy)
    qi, qj = shapely.STRtree(points).query(points, predicate="dwithin", distance=tolerance_m)
    graph = coo_matrix((np.ones(len(qi), np.int8), (qi, qj)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    # renumber components by their lowest point (x, y), independent of row order
    key = np.lexsort((xy[:, 1], xy[:, 0]))
    first = np.full(comp.max() + 1, n, dtype=np.intp)
    np.minimum.at(first, comp[key], np.arange(n))
    rank = np.empty_like(first)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[comp].astype(np.intp)


def _site_pairs(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Delaunay pairs of distinct sites (no two closer than the stack tolerance)."""
    n = len(xy)
    if n < 2:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    if n < 4:
        i, j = np.triu_indices(n, 1)
        return i.astype(np.intp), j.astype(np.intp)
    try:
        tri = Delaunay(xy)
    except QhullError:  # all sites on a line, or nearly: joggle them
        try:
            tri = Delaunay(xy, qhull_options="QJ Qbb Pp")
        except QhullError:  # collinear beyond what joggling fixes: link along the line
            order = np.lexsort((xy[:, 1], xy[:, 0]))
            return np.minimum(order[:-1], order[1:]), np.maximum(order[:-1], order[1:])
    s = tri.simplices
    pairs = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    return pairs[:, 0].astype(np.intp), pairs[:, 1].astype(np.intp)


def _delaunay_pairs(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour pairs of points: Delaunay edges between sites, all pairs within a site.

    Stacked points (within :data:`STACK_TOLERANCE_M`) are one site: each is
    linked to the others on it and to every point of each neighbouring
    site, so the graph is symmetric in them whatever their ids.
    """
    n = len(xy)
    if n < 2:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    site = stacked_sites(xy)
    n_sites = int(site.max()) + 1
    order = np.argsort(site, kind="stable")
    bounds = np.searchsorted(site[order], np.arange(n_sites + 1))
    site_xy = np.empty((n_sites, 2))
    for s in range(n_sites):  # the mean of the members, in a fixed (x, y) order
        members = xy[order[bounds[s] : bounds[s + 1]]]
        members = members[np.lexsort((members[:, 1], members[:, 0]))]
        site_xy[s] = members.mean(axis=0)
    si, sj = _site_pairs(site_xy)
    size = np.diff(bounds)
    single = (size[si] == 1) & (size[sj] == 1)
    first = order[bounds[:-1]]  # the member of a one-point site
    parts_i, parts_j = [first[si[single]]], [first[sj[single]]]
    for a, b in zip(si[~single].tolist(), sj[~single].tolist(), strict=True):  # member pairs
        ma, mb = order[bounds[a] : bounds[a + 1]], order[bounds[b] : bounds[b + 1]]
        parts_i.append(np.repeat(ma, len(mb)))
        parts_j.append(np.tile(mb, len(ma)))
    for s in np.flatnonzero(size > 1).tolist():  # the members of one site with each other
        members = order[bounds[s] : bounds[s + 1]]
        a, b = np.triu_indices(len(members), 1)
        parts_i.append(members[a])
        parts_j.append(members[b])
    i, j = np.concatenate(parts_i), np.concatenate(parts_j)
    return np.minimum(i, j).astype(np.intp), np.maximum(i, j).astype(np.intp)


def _edges(
    geoms: np.ndarray,
    *,
    max_gap_m: float,
    max_link_m: float,
    groups: np.ndarray | None = None,
    barriers: np.ndarray | None = None,
    xy: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Neighbour pairs ``(i, j, gap_m)`` with ``i < j`` of metric geometries.

    Pairs are unique and sorted, so the result does not depend on how the
    spatial index ordered its answers. ``xy``: each geometry's
    representative point (a point on its surface), when already known.
    """
    points = shapely.get_type_id(geoms) == 0
    if xy is None:
        xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    parts_i, parts_j = [], []
    poly = np.flatnonzero(~points)
    if len(poly):
        pg = geoms[poly]
        b = shapely.bounds(pg)
        tree = shapely.STRtree(pg)
        boxes = shapely.box(
            b[:, 0] - max_gap_m, b[:, 1] - max_gap_m, b[:, 2] + max_gap_m, b[:, 3] + max_gap_m
        )
        qi, qj = tree.query(boxes)
        keep = qi < qj
        qi, qj = qi[keep], qj[keep]
        close = shapely.dwithin(pg[qi], pg[qj], max_gap_m)
        parts_i.append(poly[qi[close]])
        parts_j.append(poly[qj[close]])
    if points.any():
        di, dj = _delaunay_pairs(xy)
        keep = points[di] | points[dj]
        keep &= np.hypot(*(xy[di] - xy[dj]).T) <= max_link_m
        parts_i.append(di[keep])
        parts_j.append(dj[keep])
    i = np.concatenate(parts_i) if parts_i else np.empty(0, np.intp)
    j = np.concatenate(parts_j) if parts_j else np.empty(0, np.intp)
    i, j = np.minimum(i, j), np.maximum(i, j)
    if groups is not None:
        same = groups[i] == groups[j]
        i, j = i[same], j[same]
    if barriers is not None and len(barriers) and len(i):
        segments = shapely.linestrings(
            np.stack([xy[i], xy[j]], axis=1).reshape(-1, 2), indices=np.repeat(np.arange(len(i)), 2)
        )
        hit, _ = shapely.STRtree(barriers).query(segments, predicate="intersects")
        keep = np.ones(len(i), bool)
        keep[hit] = False
        i, j = i[keep], j[keep]
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    if len(i):
        first = np.ones(len(i), bool)
        first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
        i, j = i[first], j[first]
    gap = shapely.distance(geoms[i], geoms[j]) if len(i) else np.empty(0)
    return i.astype(np.intp), j.astype(np.intp), np.asarray(gap, dtype=float)


def _distance_options(
    max_gap_m: float | None,
    max_link_m: float | None,
    is_point: np.ndarray,
    graph: object = None,
) -> tuple[float, float]:
    """Refuse a distance option that cannot change the result, then apply defaults.

    The values themselves are checked by the caller (:data:`NEIGHBOR_OPTIONS`).
    """
    if graph is not None and max_link_m is not None:
        raise InputError(
            "`max_link_m` links points when the graph is built, and a `graph` was given; "
            "drop one of them."
        )
    if max_gap_m is not None and is_point.all():
        raise InputError(
            "`max_gap_m` is the gap between footprints, and these compounds are all points, "
            "so it would change nothing; use `max_link_m` (how far apart two points may be "
            "linked) instead."
        )
    if max_link_m is not None and not is_point.any():
        raise InputError(
            "`max_link_m` links compounds given as points, and these compounds all have "
            "footprints, so it would change nothing; use `max_gap_m` instead."
        )
    gap = DEFAULT_MAX_GAP_M if max_gap_m is None else float(max_gap_m)
    link = DEFAULT_MAX_LINK_M if max_link_m is None else float(max_link_m)
    return gap, link


def _group_codes(data: pd.DataFrame, within: str | None) -> np.ndarray | None:
    if within is None:
        return None
    if within not in data.columns:
        raise InputError(
            f"`within={within!r}` names no column of the compounds; use one of "
            f"{', '.join(map(str, data.columns[:12]))} or None."
        )
    values = data[within]
    missing = values.isna()
    if missing.any():
        raise InputError(
            f"`{within}` is unknown for compounds "
            f"{format_rows(data.loc[missing, 'compound_id'])}; fill it in, or pass "
            "`within=None`."
        )
    return pd.factorize(values.astype("string"), sort=True)[0]


def _to_graph(ids: np.ndarray, i: np.ndarray, j: np.ndarray, gap: np.ndarray) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(ids.tolist())
    gaps = np.round(gap, 3).tolist()
    graph.add_edges_from(
        (a, b, {"gap_m": g}) for a, b, g in zip(ids[i].tolist(), ids[j].tolist(), gaps, strict=True)
    )
    return graph


def neighbor_graph(
    compounds: gpd.GeoDataFrame,
    *,
    max_gap_m: float | None = None,
    max_link_m: float | None = None,
    barriers: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    within: str | None = "subdistrict",
) -> nx.Graph:
    """Build the graph of neighbouring compounds.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by :func:`~lianhu_geo.compounds.validate_compounds`,
        any CRS (projected once to metres internally).
    max_gap_m : float, optional
        Footprints (Polygon/MultiPolygon) at most this far apart are
        neighbours; touching is not required. Default
        :data:`DEFAULT_MAX_GAP_M`; refused when every compound is a point.
    max_link_m : float, optional
        For compounds given as points: Delaunay edges up to this length,
        measured between the points. Default :data:`DEFAULT_MAX_LINK_M`;
        refused when no compound is a point.
    barriers : GeoDataFrame or GeoSeries, optional
        Lines or polygons (arterial roads, railway, city wall, parks) that no
        edge may cross: an edge is dropped when the segment between the two
        compounds' representative points intersects a barrier.
    within : str or None, default "subdistrict"
        Column whose values no edge may join across; None for no restriction.

    Returns
    -------
    networkx.Graph
        Nodes are the ``compound_id`` strings (added in sorted order), edges
        carry ``gap_m``, the distance between the two footprints in metres
        (rounded to mm).

    Raises
    ------
    InputError
        For invalid compounds, an unknown ``within`` column or barriers
        without a CRS.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> squares = gpd.GeoDataFrame(
    ...     {"compound_id": ["A", "B", "C"], "name": ["甲", "乙", "丙"],
    ...      "subdistrict": ["青年路街道"] * 3, "community": ["x"] * 3,
    ...      "households": [100, 120, 90], "management": ["unmanaged"] * 3},
    ...     geometry=[box(310000, 3793000, 310100, 3793100),
    ...               box(310110, 3793000, 310210, 3793100),
    ...               box(310500, 3793000, 310600, 3793100)], crs=32649)
    >>> g = neighbor_graph(squares)
    >>> sorted(g.edges(data=True))
    [('A', 'B', {'gap_m': 10.0})]
    """
    check_options(
        {"max_gap_m": max_gap_m, "max_link_m": max_link_m, "barriers": barriers, "within": within},
        NEIGHBOR_OPTIONS,
        where="neighbor_graph",
    )
    prep = prepare(compounds)
    data, metric, order, ids, geoms = prep.data, prep.metric, prep.order, prep.ids, prep.geoms
    max_gap_m, max_link_m = _distance_options(
        max_gap_m, max_link_m, shapely.get_type_id(geoms) == 0
    )
    groups = _group_codes(data, within)
    blocks = None if barriers is None else _barrier_geometries(barriers, metric.crs)
    i, j, gap = _edges(
        geoms,
        max_gap_m=float(max_gap_m),
        max_link_m=float(max_link_m),
        groups=None if groups is None else groups[order],
        barriers=blocks,
    )
    return _to_graph(ids, i, j, gap)
