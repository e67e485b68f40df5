"""Outline-aware compactness for bundling's max-p search.

Polsby-Popper (``4 pi A / P**2``) depends on a bundle's outline, which the
squared distance to centroids only approximates. For polygon footprints
:func:`shape_data` precomputes, once and vectorised, each compound's area
and perimeter and, per neighbor-graph edge, the length of boundary the two
compounds share (the part of one's boundary within ``reach_m`` of the
other: the lane that the bundle's dissolved footprint closes). A region's
perimeter is then the sum of its members' perimeters minus twice their
shared lengths, so the change of a move is found from the moved node's
edges alone.

:func:`improve_shape` is the local search on that measure: a boundary node
moves to a neighbouring region, or swaps with a neighbour there, when that
raises the two regions' summed ``A / P**2`` (their mean Polsby-Popper) and
every constraint still holds.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from scipy.sparse import coo_matrix, csr_matrix

from ._construct import Problem, connected, connected_without

__all__ = ["construct_outline", "grow_outline", "improve_shape", "region_shape", "shape_data"]

_GAIN = 1e-12  # ignore rounding noise in A / P**2 (dimensionless, ~0.05 per region)


def shape_data(
    geoms: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    adj: csr_matrix,
    *,
    reach_m: float,
    gap_m: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Area and perimeter of each polygon and the boundary shared along each edge.

    ``i < j`` are the edges, ``adj`` their symmetric CSR adjacency (sorted
    indices); the shared lengths are returned aligned with ``adj.indices``.
    The length shared by ``i`` and ``j`` is that of ``i``'s boundary within
    ``reach_m`` of ``j``: boundary segments the two have in common, else
    measured with GEOS. When most edges have common segments (a
    tessellation) and ``gap_m`` (the gap of each edge) is given, pairs that
    do not touch get 0 instead, which saves most of the time. Returns None
    when a geometry is not polygonal (points have no outline).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> geoms = np.array([box(0, 0, 10, 10), box(10, 0, 30, 10)])
    >>> adj = csr_matrix(np.array([[0, 1], [1, 0]]))
    >>> area, perim, shared = shape_data(geoms, np.array([0]), np.array([1]), adj, reach_m=0)
    >>> area.tolist(), perim.tolist(), np.round(shared, 3).tolist()
    ([100.0, 200.0], [40.0, 60.0], [10.0, 10.0])
    """
    kinds = shapely.get_type_id(geoms)
    if len(geoms) == 0 or not np.isin(kinds, (3, 6)).all():
        return None
    boundary = shapely.boundary(geoms)
    area = shapely.area(geoms)
    perim = shapely.length(boundary)
    n = len(geoms)
    shared = _common_segments(geoms, i, j)
    todo = shared == 0  # no common segment: a lane between them, or offset vertices
    if len(i) and gap_m is not None and todo.mean() < 0.5:
        todo &= gap_m <= 0  # a tessellation: only touching pairs need a closer look
    todo = np.flatnonzero(todo)
    if len(todo):
        eps = 1e-3
        near = shapely.buffer(geoms[j[todo]], reach_m + eps, quad_segs=2)
        one = shapely.length(shapely.intersection(boundary[i[todo]], near))
        shared[todo] = np.maximum(one - 2 * eps, 0.0)  # the buffer overreaches at both ends
    lengths = coo_matrix(  # +1 keeps zero lengths stored, so the structure matches adj
        (np.r_[shared, shared] + 1.0, (np.r_[i, j], np.r_[j, i])), shape=(n, n)
    ).tocsr()
    lengths.sort_indices()
    same = np.array_equal(lengths.indptr, adj.indptr) and np.array_equal(
        lengths.indices, adj.indices
    )
    if not same or (len(i) and adj.data.max() > 1):
        return None  # duplicate edges: fall back to centroid distances
    return area, perim, lengths.data - 1.0


def _common_segments(geoms: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Length of the boundary segments common to ``i`` and ``j``, per edge.

    Segments are common when their end points agree to the millimetre: exact
    and fast for tessellations; other pairs get 0.
    """
    n = len(geoms)
    out = np.zeros(len(i))
    if len(i) == 0:
        return out
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, coord_of = shapely.get_coordinates(rings, return_index=True)
    same = coord_of[1:] == coord_of[:-1]
    owner = part_of[ring_of[coord_of[:-1][same]]]
    grid = np.round(xy * 1000).astype(np.int64)
    a, b = grid[:-1][same], grid[1:][same]
    flip = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(flip[:, None], b, a)
    hi = np.where(flip[:, None], a, b)
    length = np.hypot(*(xy[1:][same] - xy[:-1][same]).T)
    keys = np.column_stack([lo, hi])
    order = np.lexsort(keys.T[::-1])
    keys, owner, length = keys[order], owner[order], length[order]
    twin = np.flatnonzero((keys[1:] == keys[:-1]).all(axis=1) & (owner[1:] != owner[:-1]))
    if len(twin) == 0:
        return out
    pa, pb = owner[twin], owner[twin + 1]
    pair = np.minimum(pa, pb).astype(np.int64) * n + np.maximum(pa, pb)
    uniq, inv = np.unique(pair, return_inverse=True)
    total = np.bincount(inv, weights=length[twin])
    edge = np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j)
    at = np.clip(np.searchsorted(uniq, edge), 0, len(uniq) - 1)
    hit = uniq[at] == edge
    out[hit] = total[at[hit]]
    return out


def region_shape(p: Problem, members) -> tuple[float, float]:
    """Area and perimeter of a region (``members`` hold their region in ``p``)."""
    inside = set(members)
    areas, perims, nbrs, blen = p.area, p.perim, p.nbrs, p.blen
    area = perim = 0.0
    for m in members:
        area += areas[m]
        perim += perims[m]
        lengths = blen[m]
        for k, v in enumerate(nbrs[m]):
            if v in inside:
                perim -= lengths[k]  # each shared edge is seen from both sides
    return area, perim


def grow_outline(p: Problem, union: list[int], seed: int) -> list[int] | None:
    """Grow from ``seed`` inside ``union`` to the threshold, keeping ``A / P**2`` high.

    Each step adds the frontier node that leaves the part with the highest
    ``A / P**2`` (ties: lowest node).
    """
    inside = set(union)
    area, perim, nbrs, blen, w = p.area, p.perim, p.nbrs, p.blen, p.w
    part = [seed]
    taken = {seed}
    A, P, sw = area[seed], perim[seed], w[seed]
    touch: dict[int, float] = {}  # frontier node -> boundary shared with the part
    for v, length in zip(nbrs[seed], blen[seed], strict=True):
        if v in inside:
            touch[v] = touch.get(v, 0.0) + length
    while sw < p.threshold and touch:
        best, bestf = -1, -1.0
        for v, length in touch.items():
            pv = P + perim[v] - 2 * length
            f = (A + area[v]) / (pv * pv) if pv > 0 else 0.0
            if f > bestf or (f == bestf and v < best):
                best, bestf = v, f
        A += area[best]
        P += perim[best] - 2 * touch.pop(best)
        sw += w[best]
        part.append(best)
        taken.add(best)
        for v, length in zip(nbrs[best], blen[best], strict=True):
            if v in inside and v not in taken:
                touch[v] = touch.get(v, 0.0) + length
    return part if sw >= p.threshold else None


def construct_outline(
    p: Problem, order: list[int], state: list[int], mode: int, near2: float
) -> list[list[int]]:
    """Grow regions from seeds in ``order``, keeping each outline compact.

    Like :func:`lianhu_geo.bundling._construct.construct`, but each step adds the
    frontier node that leaves the region with the lowest ``P**2 / A``; a
    node that completes the region is preferred when its ``P**2 / A`` is at
    most ``sqrt(near2)`` times the best (a looser rule keeps regions closer
    to the threshold, so more of them fit; a tighter one makes them rounder).
    """
    w, nbrs, blen, area, perim = p.w, p.nbrs, p.blen, p.area, p.perim
    threshold, max_size = p.threshold, p.max_size
    slack = math.sqrt(near2)
    dead: set[int] = set()
    regions: list[list[int]] = []
    for s in order:
        if state[s] != -1 or s in dead:
            continue
        r = len(regions)
        members = [s]
        state[s] = r
        A, P, sw = area[s], perim[s], w[s]
        touch: dict[int, float] = {}
        for v, length in zip(nbrs[s], blen[s], strict=True):
            if state[v] == -1:
                touch[v] = touch.get(v, 0.0) + length
        by_rule = False
        while sw < threshold:
            if max_size is not None and len(members) >= max_size:
                by_rule = True
                break
            best, bestc = -1, math.inf
            completing = []
            need = threshold - sw
            stale = []
            for v, length in touch.items():
                if state[v] != -1:
                    stale.append(v)
                    continue
                if p.span2 is not None and not p.fits_span(v, members):
                    by_rule = True
                    continue
                pv = P + perim[v] - 2 * length
                c = pv * pv / (A + area[v]) if A + area[v] > 0 else math.inf
                if c < bestc or (c == bestc and v < best):
                    best, bestc = v, c
                if mode and w[v] >= need:
                    completing.append((w[v] - need if mode == 2 else 0, c, v))
            if completing:
                limit = bestc * slack
                near = [t for t in completing if t[1] <= limit]
                best = min(near)[2] if near else best
            for v in stale:
                del touch[v]
            if best < 0:
                break
            state[best] = r
            members.append(best)
            A += area[best]
            P += perim[best] - 2 * touch.pop(best)
            sw += w[best]
            for v, length in zip(nbrs[best], blen[best], strict=True):
                if state[v] == -1:
                    touch[v] = touch.get(v, 0.0) + length
        if sw >= threshold:
            regions.append(members)
            continue
        for m in members:
            state[m] = -1
        if by_rule:
            dead.add(s)
        else:
            dead.update(members)
    return regions


def _pp(area: float, perim: float) -> float:
    return area / (perim * perim) if perim > 0 else 0.0


def improve_shape(p: Problem, nodes: list[int], regions, state, passes: int) -> set[int]:
    """Move or swap boundary nodes while that raises the regions' summed ``A / P**2``.

    Returns the regions that changed.
    """
    w, area, perim, nbrs, blen = p.w, p.area, p.perim, p.nbrs, p.blen
    threshold, max_size = p.threshold, p.max_size
    size = [len(r) for r in regions]
    sw = [sum(w[m] for m in r) for r in regions]
    shapes = [region_shape(p, r) for r in regions]
    A = [s[0] for s in shapes]
    P = [s[1] for s in shapes]
    member_sets = [set(r) for r in regions]

    def shared(u: int) -> dict[int, float]:
        out: dict[int, float] = {}
        for v, length in zip(nbrs[u], blen[u], strict=True):
            r = state[v]
            if r >= 0:
                out[r] = out.get(r, 0.0) + length
        return out

    todo = nodes
    changed: set[int] = set()
    for _ in range(passes):
        moved = 0
        touched: set[int] = set()
        for u in todo:
            a = state[u]
            if a < 0 or all(state[v] == a for v in nbrs[u]):
                continue
            sh = shared(u)
            cands = sorted(r for r in sh if r != a)
            if not cands:
                continue
            sa = sh.get(a, 0.0)
            base_a = _pp(A[a], P[a])
            if size[a] > 1 and sw[a] - w[u] >= threshold:
                gain_a = _pp(A[a] - area[u], P[a] - perim[u] + 2 * sa) - base_a
                best, bestd = -1, _GAIN
                for b in cands:
                    if max_size is not None and size[b] >= max_size:
                        continue
                    d = gain_a + _pp(A[b] + area[u], P[b] + perim[u] - 2 * sh[b]) - _pp(A[b], P[b])
                    if d > bestd and (p.span2 is None or p.fits_span(u, list(member_sets[b]))):
                        best, bestd = b, d
                if best >= 0 and connected_without(p, sorted(member_sets[a]), u, state):
                    b = best
                    state[u] = b
                    member_sets[a].discard(u)
                    member_sets[b].add(u)
                    size[a] -= 1
                    size[b] += 1
                    sw[a] -= w[u]
                    sw[b] += w[u]
                    A[a] -= area[u]
                    A[b] += area[u]
                    P[a] += -perim[u] + 2 * sa
                    P[b] += perim[u] - 2 * sh[b]
                    moved += 1
                    touched.update(nbrs[u])
                    changed.update((a, b))
                    continue
            if size[a] <= 1:
                continue
            # swap u with a neighbour v of another region
            best, bestd = None, _GAIN
            for v, luv in zip(nbrs[u], blen[u], strict=True):
                b = state[v]
                if b < 0 or b == a or size[b] <= 1:
                    continue
                if sw[a] - w[u] + w[v] < threshold or sw[b] - w[v] + w[u] < threshold:
                    continue
                sv = shared(v)
                pa = P[a] - perim[u] + 2 * sa + perim[v] - 2 * (sv.get(a, 0.0) - luv)
                pb = P[b] - perim[v] + 2 * sv[b] + perim[u] - 2 * (sh[b] - luv)
                aa = A[a] - area[u] + area[v]
                ab = A[b] - area[v] + area[u]
                d = _pp(aa, pa) + _pp(ab, pb) - base_a - _pp(A[b], P[b])
                if d > bestd:
                    best, bestd = (v, b, pa, pb, aa, ab), d
            if best is None:
                continue
            v, b, pa, pb, aa, ab = best
            if p.span2 is not None:
                rest_a = [m for m in member_sets[a] if m != u]
                rest_b = [m for m in member_sets[b] if m != v]
                if not (p.fits_span(v, rest_a) and p.fits_span(u, rest_b)):
                    continue
            state[u], state[v] = b, a
            new_a = sorted((member_sets[a] - {u}) | {v})
            new_b = sorted((member_sets[b] - {v}) | {u})
            if not (connected(p, new_a) and connected(p, new_b)):
                state[u], state[v] = a, b
                continue
            member_sets[a] = set(new_a)
            member_sets[b] = set(new_b)
            sw[a] += w[v] - w[u]
            sw[b] += w[u] - w[v]
            A[a], A[b], P[a], P[b] = aa, ab, pa, pb
            moved += 1
            touched.update(nbrs[u])
            touched.update(nbrs[v])
            changed.update((a, b))
        if not moved:
            break
        todo = sorted(touched)
    for r in changed:
        regions[r] = sorted(member_sets[r])
    return changed
