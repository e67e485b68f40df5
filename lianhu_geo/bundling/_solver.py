"""Max-p style region growing on integer arrays (the core of bundling).

Works on a CSR adjacency of the free, eligible compounds (positions sorted
by ``compound_id``), their weights (households) and representative points in
metres. Plain Python lists and integers on the hot path: regions are small
(tens of nodes), so per-step numpy calls would cost more than they save.

Phases, per connected component whose weight reaches the threshold:

1. construction, several starts: grow a region from each not-yet-used
   seed, always adding the frontier node closest to the region's centroid,
   until the threshold is reached; the size cap and span are checked on
   every addition. Seeds: in the first start the node farthest from the
   component's centre comes first, so regions are peeled from the outside
   in and few enclaves are left (about 95 % of the upper bound on Voronoi
   tests, against 89 % for lowest-degree-first seeds); other starts sweep
   across the component in a direction set by ``seed`` and the start
   number. When a frontier node not much farther than the nearest would
   complete the region, it is taken instead (mode 1: the nearest such node;
   mode 2: the one overshooting the threshold least), so regions end close
   to the threshold and more of them fit (the max-p objective); starts
   alternate the rules in :data:`lianhu_geo.bundling._construct.MODES`.
   A region that cannot reach the threshold is released; its seed is not
   tried again (and if the region ran out of frontier, none of its nodes is).
2. absorption: leftovers join the adjacent region with room whose centroid
   is nearest (old and sanwu compounds first), repeated until nothing moves.
3. splitting: a region with at least twice the threshold is split in two
   viable, connected regions when possible (more bundles).
4. pair regrowth: two adjacent regions are pooled and grown anew from
   their two farthest-apart nodes (the lighter side grows first); the new
   pair replaces the old one when both are viable and more compact.
5. local search: a boundary node moves to a neighbouring region, or (when
   its region cannot spare it, or no move helps) swaps with a node of that
   region, when that lowers the total squared distance to region centroids
   (more compact) and every constraint still holds.

The phases are written once; compactness is a cost object
(:mod:`lianhu_geo.bundling._cost`). With polygon outlines (``shape``; see
:mod:`lianhu_geo.bundling._outline`) it is the outline cost, Polsby-Popper
``4 pi A / P**2`` of the dissolved outline from areas, perimeters and shared
boundary lengths: construction adds the frontier node that keeps ``P**2 / A``
lowest, pair regrowth compares and grows splits by it, and after the
centroid local search the same local search runs on the outline cost,
followed by rounds of pair regrowth and outline search on the regions that
changed. Without outlines the spread around centroids is the cost.

The best start (most weight covered, then most regions, then most compact)
is kept; with outlines, a start with up to :data:`COUNT_TOLERANCE` fewer
regions may win on compactness. Everything is deterministic: nodes are visited in index order and
randomness comes from one seeded numpy Generator.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from ._construct import MODES, Problem, absorb, construct, split
from ._exact import size_bound
from ._polish import Polisher
from ._refine import improve, regrow_pairs

__all__ = ["solve_regions"]

#: With outlines known, a start with up to this share fewer regions than the
#: start with the most may be kept when it is more compact: regions grown
#: compactly from the outset end far rounder after refinement (on Voronoi
#: tests about -1 % bundles for +0.02 mean Polsby-Popper).
COUNT_TOLERANCE = 0.005
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _pick(tried: list, tolerance: float, compactness) -> list[list[int]]:
    """Return the regions of the best start.

    Best: the most weight covered, then the most regions (less a
    ``tolerance`` share of them), then the most compact; ties: more regions,
    then the earlier start. ``tried`` holds ``(covered, count, start,
    regions)`` tuples; ``compactness(regions)`` (higher is more compact) is
    worked out only for the starts still in the running after the first two.
    """
    top = max(t[0] for t in tried)
    tried = [t for t in tried if t[0] == top]
    most = max(t[1] for t in tried)
    floor = most - int(tolerance * most)
    left = [t for t in tried if t[1] >= floor]
    if len(left) == 1:
        return left[0][3]
    best = max(left, key=lambda t: (compactness(t[3]), t[1], -t[2]))
    return best[3]


def solve_regions(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    xy: np.ndarray,
    *,
    threshold: int,
    max_size: int | None = None,
    min_size: int = 1,
    max_span: float | None = None,
    priority: np.ndarray | None = None,
    seed: int = 0,
    node_budget: int = 30_000,
    max_starts: int = 12,
    improve_passes: int = 4,
    regrow_passes: int = 2,
    shape_passes: int = 6,
    shape_rounds: int = 2,
    shape: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    time_limit_s: float = 0.0,
    report: dict | None = None,
) -> np.ndarray:
    """Partition nodes into connected regions of weight >= ``threshold``.

    Parameters
    ----------
    indptr, indices : numpy.ndarray
        Symmetric CSR adjacency over ``n`` nodes.
    weights : numpy.ndarray
        Non-negative integer weight (households) of each node.
    xy : numpy.ndarray
        ``(n, 2)`` representative points in metres.
    threshold : int
        Minimum weight of a region.
    max_size : int, optional
        Maximum number of nodes in a region.
    max_span : float, optional
        Maximum distance between any two points of a region.
    priority : numpy.ndarray, optional
        Lower values join regions first when leftovers compete for room.
    seed : int
        Seeds the Generator that sets the sweep directions of the extra starts.
    node_budget, max_starts : int
        A component of ``k`` nodes gets ``clip(node_budget // k, 1,
        max_starts)`` construction starts (a count, never a clock, so that
        results are reproducible).
    improve_passes, regrow_passes : int
        Passes of the local search and of the pair regrowth; in components
        of more than ``node_budget`` nodes at most two and one, and the
        regrowth tries fewer splits, to stay fast. With ``shape`` one
        regrowth pass fewer: the rounds below regrow pairs too.
    shape_passes, shape_rounds : int
        With ``shape``: passes of the outline local search, and rounds of
        pair regrowth plus outline search after it.
    shape : tuple of numpy.ndarray, optional
        ``(area, perimeter, shared)`` from
        :func:`lianhu_geo.bundling._outline.shape_data` (``shared`` aligned with
        ``indices``): compactness is then Polsby-Popper of the outlines
        rather than the spread around centroids.
    time_limit_s : float
        Seconds for the exact stages after the heuristic
        (:mod:`lianhu_geo.bundling._polish`): components of at most
        :data:`~lianhu_geo.bundling._polish.EXACT_MAX_NODES` nodes packed
        from their minimal bundles (relaxation bound, packing search, HiGHS
        when affordable), larger ones polished by regrown neighbourhoods
        (:mod:`lianhu_geo.bundling._regrow`), then exactly repacked ones.
        0 skips them.
    report : dict, optional
        Filled with ``upper_bound`` (most regions any solution can have,
        proven; ``bounds``: per component, a node and its bound), ``optimal``
        (every component solved to the proven optimum:
        most regions, and every node of it in a region),
        ``exact_components``, ``polished`` (neighbourhoods improved) and
        ``time_limited`` (the clock stopped an exact stage; the result may
        then depend on the machine's speed).

    Returns
    -------
    numpy.ndarray
        Region number of each node (``-1`` where not in a region); regions
        are numbered by their smallest node.
    """
    n = len(weights)
    labels = np.full(n, -1, dtype=np.int64)
    info = {"upper_bound": 0, "optimal": True, "exact_components": 0, "polished": 0}
    info["time_limited"] = False
    info["bounds"] = []  # (a node of the component, its upper bound)
    if report is not None:
        report.update(info)
    if n == 0:
        return labels
    p = Problem(indptr, indices, weights, xy, threshold, max_size, max_span, shape, min_size)
    prio = [0] * n if priority is None else [int(v) for v in priority]
    adj = csr_matrix((np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(n, n))
    ncomp, comp = connected_components(adj, directed=False)
    xs = np.asarray(p.x)
    ys = np.asarray(p.y)
    w = np.asarray(p.w, dtype=np.int64)
    comp_weight = np.bincount(comp, weights=w, minlength=ncomp)
    order_all = np.argsort(comp, kind="stable")
    bounds = np.searchsorted(comp[order_all], np.arange(ncomp + 1))
    offset = float(np.random.default_rng(seed).uniform(0, math.pi))
    state = [-1] * n
    refine = _Refine(p, improve_passes, regrow_passes, shape_passes, shape_rounds, node_budget)
    polisher = Polisher(p, prio, refine, seed=seed, time_limit_s=time_limit_s)
    all_regions: list[list[int]] = []
    for c in range(ncomp):
        nodes_arr = order_all[bounds[c] : bounds[c + 1]]
        if comp_weight[c] < threshold:
            continue
        bound = size_bound(w[nodes_arr], threshold, max_size, min_size)
        if bound == 0:
            continue  # even its heaviest nodes cannot reach the threshold within the cap
        nodes = nodes_arr.tolist()
        k = len(nodes)
        dx = xs[nodes_arr] - xs[nodes_arr].mean()
        dy = ys[nodes_arr] - ys[nodes_arr].mean()
        far = -(dx * dx + dy * dy)
        starts = int(min(max_starts, max(1, node_budget // k)))
        tried = []
        for start in range(starts):
            if start == 0:  # peel from the outside in
                key = np.lexsort((nodes_arr, far))
            else:  # sweep across the component in a direction of its own
                angle = offset + start * _GOLDEN_ANGLE
                along = dx * math.cos(angle) + dy * math.sin(angle)
                key = np.lexsort((nodes_arr, along))
            order = nodes_arr[key].tolist()
            for v in nodes:
                state[v] = -1
            regions = construct(p, p.cost, order, state, *MODES[start % len(MODES)])
            absorb(p, nodes, regions, state, prio)
            split(p, regions, state)
            covered = sum(p.w[m] for r in regions for m in r)
            tried.append((covered, len(regions), start, regions))
        best_regions = _pick(
            tried,
            0.0 if p.area is None else COUNT_TOLERANCE,
            lambda regions: -sum(p.cost.region(r) for r in regions),
        )
        for v in nodes:
            state[v] = -1
        for r, members in enumerate(best_regions):
            for m in members:
                state[m] = r
        refine(nodes, best_regions, state)
        best_regions, bound = polisher.run(nodes, best_regions, state, bound)
        covered = sum(p.w[m] for r in best_regions for m in r)
        info["upper_bound"] += bound
        info["bounds"].append((nodes[0], bound))
        info["optimal"] &= len(best_regions) == bound and covered == int(comp_weight[c])
        all_regions.extend(best_regions)
    info["exact_components"] = polisher.exact_components
    info["polished"] = polisher.polished
    info["time_limited"] = polisher.time_limited
    if report is not None:
        report.update(info)
    all_regions.sort(key=min)
    for r, members in enumerate(all_regions):
        labels[members] = r
    return labels


class _Refine:
    """Pair regrowth and local search of one component's regions (phases 4-5)."""

    def __init__(self, p, improve_passes, regrow_passes, shape_passes, shape_rounds, node_budget):
        self.p = p
        self.improve_passes, self.regrow_passes = improve_passes, regrow_passes
        self.shape_passes, self.shape_rounds = shape_passes, shape_rounds
        self.node_budget = node_budget

    def __call__(self, nodes: list[int], regions: list[list[int]], state: list[int]) -> None:
        p = self.p
        todo = None
        big = len(nodes) > self.node_budget
        passes = (1 if big else self.regrow_passes) - (p.area is not None)  # rounds regrow too
        for _ in range(passes):
            todo = regrow_pairs(p, regions, state, todo, not big)
            if not todo:
                break
        passes = min(self.improve_passes, 2) if big else self.improve_passes
        improve(p, p.spread, nodes, regions, state, passes)
        if p.cost is not p.spread:  # outlines known: polish them, regrow pairs again, polish
            todo = improve(p, p.cost, nodes, regions, state, self.shape_passes)
            for _ in range(self.shape_rounds):
                todo = regrow_pairs(p, regions, state, todo, not big)
                todo = improve(p, p.cost, nodes, regions, state, self.shape_passes)
                if not todo:
                    break
