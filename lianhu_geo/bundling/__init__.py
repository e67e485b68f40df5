"""片区大物业 bundling: contiguous, viable, compact bundles of neighbouring compounds.

:func:`propose_bundles` groups eligible (by default unmanaged) compounds into
bundles that one property company can serve. Every proposed bundle, always:

- is connected in the neighbor graph (see :mod:`lianhu_geo.bundling.neighbors`),
- has at least ``min_households`` households (from the
  :class:`~lianhu_geo.bundling.viability.ViabilityModel` when not given),
- has at least ``min_compounds`` compounds (2 by default: a bundle is a
  group; an eligible compound with enough households on its own is marked
  ``standalone``, 单独选聘物业, instead),
- has at most ``max_compounds`` compounds and, if given, a span of at most
  ``max_span_m`` (the largest distance between two members' representative
  points),
- lies in one subdistrict (and one value of ``within``).

The objective, in order: the most eligible households in viable bundles,
then the most bundles (the max-p objective), then the most compact bundles.
The search (region growing, absorption, splitting, pair regrowth, local
search) lives in
:mod:`lianhu_geo.bundling._solver` and its helpers; for polygon footprints,
compactness means Polsby-Popper of the dissolved outline
(:mod:`lianhu_geo.bundling._outline`), else the spread around centroids
(both costs: :mod:`lianhu_geo.bundling._cost`). Within ``time_limit_s``,
exact stages follow (:mod:`lianhu_geo.bundling._polish`): small components
packed from their minimal bundles (a linear relaxation for the proven upper
bound that :meth:`BundleResult.quality` reports, a local search, HiGHS
where the limit allows), larger ones polished by neighbourhoods regrown
(gathering the households each bundle wastes into new bundles) and repacked
exactly.
Compounds that stay out get a reason code from :data:`REASONS`. Locked
bundles (already contracted) are kept exactly as the planner gave them and
are not checked against the constraints.

Compounds known only as points are linked along their Delaunay edges up to
``max_link_m`` (see :mod:`~lianhu_geo.bundling.neighbors`; ``max_gap_m``,
a gap between footprints, means nothing for points and is refused there),
and their areas come from :func:`lianhu_geo.estimate_footprints`: each
bundle's outline is the union of its members' estimated areas, so bundles
never overlap and never cover another compound, and its area, compactness
and ``footprint_estimated`` flag say that the areas are estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .._prepared import prepare
from ..errors import InputError, format_rows
from ..footprints import estimate_footprints, regroup_stacks
from ..labels import BUNDLE_REASONS
from ..options import Option, bundle_of, check_options, compound_mask
from ._outline import shape_data
from ._solver import solve_regions
from ._table import bundle_table
from .neighbors import (
    NEIGHBOR_OPTIONS,
    _barrier_geometries,
    _distance_options,
    _edges,
    _group_codes,
    _to_graph,
)
from .viability import ViabilityModel

__all__ = ["DEFAULT_TIME_LIMIT_S", "OPTIONS", "REASONS", "BundleResult", "propose_bundles"]

#: Seconds for the exact stages of :func:`propose_bundles` by default (the
#: 1,514-compound sample still plans in about a second).
DEFAULT_TIME_LIMIT_S = 1.0

#: Why an eligible compound is not in a bundle: code -> text for planners.
REASONS: dict[str, str] = BUNDLE_REASONS  # kept in lianhu_geo.labels

#: How :func:`propose_bundles` checks its options (``eligible``, ``locked`` and
#: ``exclude`` are checked against the compounds, with
#: :func:`~lianhu_geo.options.compound_mask` and :func:`~lianhu_geo.options.bundle_of`).
OPTIONS: tuple[Option, ...] = (
    Option("min_households", "count", minimum=1, allow_none=True),
    Option("max_compounds", "count", minimum=1, allow_none=True),
    Option("min_compounds", "count", minimum=1),
    Option("max_span_m", "distance", minimum=0, exclusive_minimum=True, allow_none=True),
    Option("graph", "instance", types=(nx.Graph,), what="a networkx Graph", allow_none=True),
    *NEIGHBOR_OPTIONS,
    Option("boundary", "layer", allow_none=True),
    Option("eligible", "instance", types=(object,), allow_none=True),
    Option("locked", "instance", types=(object,), allow_none=True),
    Option("exclude", "instance", types=(object,), allow_none=True),
    Option("seed", "seed"),
    Option(
        "viability", "instance", types=(ViabilityModel,), what="a ViabilityModel", allow_none=True
    ),
    Option("time_limit_s", "number", minimum=0),
)
#: Cells of a tessellation touch: shared boundary is measured within this reach.
_TOUCH_M = 0.5


def _areas(
    metric: gpd.GeoDataFrame,
    order: np.ndarray,
    barriers: object,
    boundary: object,
    given: gpd.GeoDataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Footprints in position order, estimated for points; and which are estimated.

    A point that gets no estimated area (outside ``boundary``, inside a
    barrier) adds nothing to its bundle's outline: an empty polygon.
    ``given`` are areas already estimated over a larger input (one
    subdistrict of many): they are used as they are, so that neighbouring
    subdistricts' areas never overlap.
    """
    geoms = metric.geometry.to_numpy()[order]
    is_point = shapely.get_type_id(geoms) == 0
    if not is_point.any():
        return geoms, np.zeros(len(geoms), dtype=bool)
    if given is not None:
        est = given.loc[metric.index].to_crs(metric.crs)
    else:
        est = estimate_footprints(metric, barriers=barriers, boundary=boundary)
    flag = est["footprint_estimated"].to_numpy(dtype=bool)[order]
    areas = np.where(flag, est.geometry.to_numpy()[order], geoms)
    areas[is_point & ~flag] = shapely.Polygon()
    return areas, flag


def _min_compounds(
    region: np.ndarray, households: np.ndarray, threshold: int, min_compounds: int
) -> tuple[np.ndarray, np.ndarray]:
    """Dissolve regions of fewer than ``min_compounds``; renumber the rest from 0.

    Returns the new regions and a mask of the free compounds let go.
    """
    if not (region >= 0).any():
        return region, np.zeros(len(region), dtype=bool)
    size = np.bincount(region[region >= 0])
    small = (region >= 0) & (size[np.maximum(region, 0)] < min_compounds)
    region = np.where(small, -1, region)
    kept = np.unique(region[region >= 0])
    renumber = np.full(len(size), -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    return np.where(region >= 0, renumber[np.maximum(region, 0)], -1), small


@dataclass(frozen=True, eq=False)
class BundleResult:
    """The outcome of :func:`propose_bundles`.

    Attributes
    ----------
    labels : pandas.Series
        ``bundle_id`` of each compound on the input index (string, NA when
        not bundled).
    reasons : pandas.Series
        ``reason`` code (see :data:`REASONS`) for each eligible compound not
        in a bundle; NA for bundled and never-eligible compounds.
    bundles : geopandas.GeoDataFrame
        One row per bundle, index ``bundle_id``, in the input CRS.
    graph : networkx.Graph
        The neighbor graph used (edges across subdistricts removed); built
        on first access, as it costs more than the search on big inputs.
    min_households : int
        The threshold used.
    options : dict
        The options of the call.
    """

    labels: pd.Series
    reasons: pd.Series
    bundles: gpd.GeoDataFrame
    min_households: int
    options: dict[str, Any]
    _summary: dict[str, Any] = field(repr=False, default_factory=dict)
    _edges: tuple = field(repr=False, default=())

    @cached_property
    def graph(self) -> nx.Graph:
        """The neighbor graph used: nodes are compound ids, edges carry ``gap_m``."""
        return _to_graph(*self._edges)

    @property
    def free_upper_bounds(self) -> dict[str, int]:
        """Proven upper bound on the bundles of free compounds, by subdistrict.

        Locked bundles come on top (:meth:`quality`'s ``upper_bound`` is the
        sum plus the locked bundles).
        """
        return dict(self._summary.get("free_upper_bound_by_subdistrict", {}))

    def quality(self) -> dict[str, float | int | bool]:
        """Figures of the whole proposal.

        Returns
        -------
        dict
            ``eligible_compounds``, ``eligible_households`` (eligible and not
            excluded), ``bundled_compounds``, ``bundled_households`` (of
            those, in a bundle), ``compound_coverage``,
            ``household_coverage``, ``bundles``, ``locked_bundles``,
            ``upper_bound`` (the most bundles any proposal can have, proven:
            locked bundles plus, over the connected components of free
            eligible compounds, the exact solve's bound where one ran, else
            ``floor(households / min_households)``, capped at the
            component's compounds over the fewest a bundle needs),
            ``bound_ratio`` (bundles / upper bound), ``gap`` (upper bound
            minus bundles: 0 proves the most bundles), ``optimal`` (proven
            optimal: every component solved exactly, with the most bundles
            and every household of it in a bundle) and ``time_limited``
            (``time_limit_s`` cut the exact stages short).
        """
        s = dict(self._summary)
        s["bundles"] = len(self.bundles)
        s["compound_coverage"] = _share(s["bundled_compounds"], s["eligible_compounds"])
        s["household_coverage"] = _share(s["bundled_households"], s["eligible_households"])
        s["bound_ratio"] = _share(s["bundles"], s["upper_bound"])
        s["gap"] = s["upper_bound"] - s["bundles"]
        keys = [
            "eligible_compounds",
            "eligible_households",
            "bundled_compounds",
            "bundled_households",
            "compound_coverage",
            "household_coverage",
            "bundles",
            "locked_bundles",
            "upper_bound",
            "bound_ratio",
            "gap",
            "optimal",
            "time_limited",
        ]
        return {k: s[k] for k in keys}


def _share(a: float, b: float) -> float:
    return float(a) / float(b) if b else float("nan")


def _graph_edges(graph: nx.Graph, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lookup = pd.Index(ids)
    nodes = pd.Index([str(v) for v in graph.nodes])
    missing = lookup.difference(nodes)
    if len(missing):
        raise InputError(
            f"the graph lacks compounds {format_rows(sorted(missing))}; build it from "
            "the same compounds with `neighbor_graph(compounds)`."
        )
    edges = [(str(a), str(b)) for a, b in graph.edges]
    if not edges:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    a = lookup.get_indexer([e[0] for e in edges])
    b = lookup.get_indexer([e[1] for e in edges])
    keep = (a >= 0) & (b >= 0) & (a != b)  # nodes beyond the compounds are ignored
    a, b = a[keep], b[keep]
    return np.minimum(a, b).astype(np.intp), np.maximum(a, b).astype(np.intp)


def propose_bundles(
    compounds: gpd.GeoDataFrame,
    *,
    min_households: int | None = None,
    max_compounds: int | None = 40,
    min_compounds: int = 2,
    max_span_m: float | None = None,
    graph: nx.Graph | None = None,
    max_gap_m: float | None = None,
    max_link_m: float | None = None,
    barriers: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    boundary: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    within: str | None = "subdistrict",
    eligible: pd.Series | None = None,
    locked: pd.Series | None = None,
    exclude: pd.Series | list[str] | None = None,
    seed: int = 0,
    viability: ViabilityModel | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> BundleResult:
    """Propose 片区大物业 bundles of neighbouring eligible compounds.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by :func:`~lianhu_geo.compounds.validate_compounds`,
        any CRS (projected once to metres internally).
    min_households : int, optional
        Households a bundle needs; default ``viability.min_households()``.
    max_compounds : int or None, default 40
        Most compounds in one bundle (Lianhu's contracted bundles have 32
        and 38 courtyards); None for no cap.
    min_compounds : int, default 2
        Fewest compounds in one bundle: a bundle is a group. An eligible
        compound left on its own with at least ``min_households`` gets
        reason ``"standalone"`` (单独选聘物业: it can hire a company by
        itself); members of a smaller group get ``"too_few_compounds"``.
        1 allows bundles of one compound.
    max_span_m : float, optional
        Largest distance between two members' representative points.
    graph : networkx.Graph, optional
        A prebuilt :func:`~lianhu_geo.bundling.neighbors.neighbor_graph`; its nodes
        must include every compound id (other nodes are ignored). Edges
        across subdistricts (and ``within``) are dropped all the same.
    max_gap_m : float, optional
        Footprints this far apart (metres) are neighbours; default
        :data:`~lianhu_geo.bundling.neighbors.DEFAULT_MAX_GAP_M`. Refused
        when every compound is a point (it would change nothing).
    max_link_m : float, optional
        Points are linked along Delaunay edges up to this long (metres);
        default :data:`~lianhu_geo.bundling.neighbors.DEFAULT_MAX_LINK_M`.
        Refused when no compound is a point, or with ``graph``.
    barriers, within
        Passed to :func:`~lianhu_geo.bundling.neighbors.neighbor_graph` when no
        ``graph`` is given; barriers also cut estimated areas. Bundles
        always stay in one subdistrict; ``within`` (e.g. ``"community"``)
        can restrict them further.
    boundary : GeoDataFrame or GeoSeries, optional
        For compounds given as points: their estimated areas stay inside it
        (see :func:`lianhu_geo.estimate_footprints`); a point outside gets
        no area and adds nothing to its bundle's outline.
    eligible : pandas.Series of bool, optional
        Which compounds may be bundled; default: ``management ==
        "unmanaged"``. A boolean array in row order or a list of compound
        ids is accepted too. Where
        leftovers compete for the last places in bundles at the size cap,
        old and sanwu compounds get them first.
    locked : pandas.Series, optional
        Existing bundle id of compounds already contracted (NA = free); they
        keep exactly these bundles, which keep their ids.
    exclude : pandas.Series of bool, boolean array or list of str, optional
        Compounds the planner leaves out (reason ``"excluded"``).
    seed : int, default 0
        Seeds the search's random restarts; same seed, same bundles.
    viability : ViabilityModel, optional
        Cost model for the threshold and each bundle's margin.
    time_limit_s : float, default 1.0
        Seconds for the exact stages after the heuristic: connected groups
        of free compounds small enough are packed from their minimal bundles
        (bound, search, HiGHS), larger ones are polished by regrown and
        exactly repacked neighbourhoods (see
        :mod:`lianhu_geo.bundling._polish`); never worse than the heuristic.
        0 skips them. Within the limit the result is deterministic; when
        the limit cuts the stages short, ``quality()["time_limited"]`` says
        so.

    Returns
    -------
    BundleResult
        ``labels``, ``reasons``, ``bundles``, ``graph``, ``min_households``,
        ``options`` and ``quality()``.

    Raises
    ------
    InputError
        For invalid compounds or options, naming rows and the fix.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = [box(310000 + 110 * c, 3793000 + 110 * r, 310100 + 110 * c,
    ...              3793100 + 110 * r) for r in range(2) for c in range(3)]
    >>> compounds = gpd.GeoDataFrame(
    ...     {"compound_id": [f"C{k}" for k in range(6)], "name": list("甲乙丙丁戊己"),
    ...      "subdistrict": ["青年路街道"] * 6, "community": ["x"] * 6,
    ...      "households": [100] * 6, "management": ["unmanaged"] * 6},
    ...     geometry=cells, crs=32649)
    >>> result = propose_bundles(compounds, min_households=300)
    >>> result.bundles[["compounds", "households"]].to_numpy().tolist()
    [[3, 300], [3, 300]]
    >>> bool(result.labels.notna().all())
    True
    >>> result.quality()["household_coverage"]
    1.0
    """
    checked = check_options(
        {
            "min_households": min_households,
            "max_compounds": max_compounds,
            "min_compounds": min_compounds,
            "max_span_m": max_span_m,
            "graph": graph,
            "max_gap_m": max_gap_m,
            "max_link_m": max_link_m,
            "barriers": barriers,
            "boundary": boundary,
            "within": within,
            "seed": seed,
            "viability": viability,
            "time_limit_s": time_limit_s,
        },
        OPTIONS,
        where="propose_bundles",
    )
    min_compounds = checked["min_compounds"]
    model = viability if viability is not None else ViabilityModel()
    threshold = int(min_households) if min_households is not None else model.min_households()
    prep = prepare(compounds)  # a Prepared from plan_coverage is not checked again
    data, metric, order, ids, geoms = prep.data, prep.metric, prep.order, prep.ids, prep.geoms
    n = len(data)
    gap_m, link_m = _distance_options(max_gap_m, max_link_m, shapely.get_type_id(geoms) == 0, graph)
    households = data["households"].to_numpy(dtype=np.int64)[order]
    subdistrict = _group_codes(data, "subdistrict")[order]
    extra = _group_codes(data, within)
    groups = subdistrict if extra is None else subdistrict * (extra.max() + 1) + extra[order]
    reps = shapely.get_coordinates(shapely.point_on_surface(geoms))  # each compound's point

    if graph is None:
        blocks = None if barriers is None else _barrier_geometries(barriers, metric.crs)
        ei, ej, gap = _edges(
            geoms, max_gap_m=gap_m, max_link_m=link_m, groups=groups, barriers=blocks, xy=reps
        )
    else:
        ei, ej = _graph_edges(graph, ids)
        same = groups[ei] == groups[ej]
        ei, ej = ei[same], ej[same]
        gap = shapely.distance(geoms[ei], geoms[ej]) if len(ei) else np.empty(0)

    is_eligible = (
        (data["management"] == "unmanaged").to_numpy(dtype=bool)
        if eligible is None
        else compound_mask(eligible, data, name="eligible")
    )[order]
    excluded = (
        np.zeros(n, bool) if exclude is None else compound_mask(exclude, data, name="exclude")
    )[order]
    lock_ids = np.full(n, None, dtype=object) if locked is None else bundle_of(locked, data)[order]
    is_locked = np.array([v is not None for v in lock_ids], dtype=bool)
    both = is_locked & excluded
    if both.any():
        raise InputError(
            f"compounds {format_rows(ids[both])} are both locked and excluded; "
            "unlock or stop excluding them."
        )
    free = is_eligible & ~excluded & ~is_locked
    pos = np.flatnonzero(free)
    local = np.full(n, -1, dtype=np.intp)
    local[pos] = np.arange(len(pos))
    keep = free[ei] & free[ej]
    li, lj = local[ei[keep]], local[ej[keep]]
    m = len(pos)
    adj = coo_matrix(
        (np.ones(2 * len(li), dtype=np.int8), (np.r_[li, lj], np.r_[lj, li])), shape=(m, m)
    ).tocsr()
    adj.sort_indices()
    xy = reps[pos]
    priority = _priority(data, order)[pos]
    areas, estimated = _areas(metric, order, barriers, boundary, prep.areas)
    if estimated.any():  # estimated areas tile the land: neighbours' cells touch
        area_gap = shapely.distance(areas[ei[keep]], areas[ej[keep]]) if keep.any() else gap[:0]
        shape = shape_data(areas[pos], li, lj, adj, reach_m=_TOUCH_M, gap_m=area_gap)
    else:
        # shared boundary is measured within the widest gap the edges actually span: a
        # prebuilt graph of touching cells must not count boundary 40 m from a corner
        reach_m = min(float(gap_m), float(gap[keep].max())) if keep.any() else 0.0
        shape = shape_data(geoms[pos], li, lj, adj, reach_m=reach_m, gap_m=gap[keep])
    search: dict[str, Any] = {}
    region = solve_regions(
        adj.indptr,
        adj.indices,
        households[pos],
        xy,
        threshold=threshold,
        max_size=max_compounds,
        min_size=min_compounds,
        max_span=max_span_m,
        priority=priority,
        seed=seed,
        shape=shape,
        time_limit_s=float(time_limit_s),
        report=search,
    )
    region, let_go = _min_compounds(region, households[pos], threshold, min_compounds)

    # reasons for free compounds left out
    ncomp, comp = connected_components(adj, directed=False)
    comp_hh = np.bincount(comp, weights=households[pos], minlength=ncomp)
    degree = np.diff(adj.indptr)
    reason = np.full(n, None, dtype=object)
    out = region < 0
    reason[pos[out & (degree == 0)]] = "isolated"
    reason[pos[out & (degree > 0) & (comp_hh[comp] < threshold)]] = "below_threshold"
    reason[pos[out & (degree > 0) & (comp_hh[comp] >= threshold)]] = "unused"
    reason[pos[let_go]] = "too_few_compounds"
    reason[pos[out & (households[pos] >= threshold)]] = "standalone"
    reason[excluded] = "excluded"

    if estimated.any():  # a stack shared by bundles: each bundle's wedges side by side
        group = np.full(n, -1, dtype=np.int64)
        group[pos] = region
        areas = regroup_stacks(areas, geoms, group)
    table, label = bundle_table(
        ids=ids,
        geoms=areas,
        households=households,
        subdistrict=data["subdistrict"].to_numpy(dtype=str)[order],
        free_positions=pos,
        region=region,
        lock_ids=lock_ids,
        threshold=threshold,
        model=model,
        close_m=0.0 if estimated.any() else gap_m / 2,
        reps=reps,
        estimated=estimated,
        metric_crs=metric.crs,
        output_crs=data.crs,
    )
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.arange(n)
    labels = pd.Series(pd.array(label[inverse], dtype="string"), index=data.index, name="bundle_id")
    reasons = pd.Series(pd.array(reason[inverse], dtype="string"), index=data.index, name="reason")

    counted = is_eligible & ~excluded
    in_bundle = np.array([v is not None for v in label], dtype=bool)
    # proven bound from the solver, per component, and never more than a
    # component's compounds allow bundles of min_compounds
    comp_size = np.bincount(comp, minlength=ncomp)
    names = data["subdistrict"].to_numpy(dtype=str)[order]
    by_subdistrict: dict[str, int] = {}
    free_upper = 0
    for node, bound in search["bounds"]:
        bound = min(int(bound), int(comp_size[comp[node]] // min_compounds))
        free_upper += bound
        name = str(names[pos[node]])
        by_subdistrict[name] = by_subdistrict.get(name, 0) + bound
    upper = free_upper + int(table["locked"].sum())
    summary = {
        "eligible_compounds": int(counted.sum()),
        "eligible_households": int(households[counted].sum()),
        "bundled_compounds": int((counted & in_bundle).sum()),
        "bundled_households": int(households[counted & in_bundle].sum()),
        "locked_bundles": int(table["locked"].sum()),
        "upper_bound": upper,
        "optimal": bool(search["optimal"]),
        "time_limited": bool(search["time_limited"]),
        "free_upper_bound_by_subdistrict": dict(sorted(by_subdistrict.items())),
    }
    options = {
        "min_households": min_households,
        "max_compounds": max_compounds,
        "min_compounds": min_compounds,
        "max_span_m": max_span_m,
        "graph": graph is not None,
        "max_gap_m": max_gap_m,
        "max_link_m": max_link_m,
        "barriers": barriers is not None,
        "boundary": boundary is not None,
        "within": within,
        "seed": seed,
        "viability": model,
        "time_limit_s": time_limit_s,
    }
    return BundleResult(
        labels=labels,
        reasons=reasons,
        bundles=table,
        min_households=threshold,
        options=options,
        _summary=summary,
        _edges=(ids, ei, ej, gap),
    )


def _priority(data: pd.DataFrame, order: np.ndarray) -> np.ndarray:
    """0 for old or sanwu compounds (they get room first), else 1."""
    first = np.zeros(len(data), dtype=bool)
    for column in ("old", "sanwu"):
        if column in data.columns:
            first |= data[column].fillna(False).to_numpy(dtype=bool)
    return np.where(first, 0, 1)[order]
