"""Outline-aware compactness for bundling's max-p search.

Polsby-Popper (``4 pi A / P**2``) depends on a bundle's outline, which the
squared distance to centroids only approximates. For polygon footprints
:func:`shape_data` precomputes, once and vectorised, each compound's area
and perimeter and, per neighbor-graph edge, the length of boundary the two
compounds share (the part of one's boundary within ``reach_m`` of the
other: the lane that the bundle's dissolved footprint closes). A region's
perimeter is then the sum of its members' perimeters minus twice their
shared lengths, so the change of a move is found from the moved node's
edges alone. The search scores regions by it through
:class:`lianhu_geo.bundling._cost.Outline`.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.sparse import coo_matrix, csr_matrix

__all__ = ["shape_data"]


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
        # each neighbour buffered once, however many edges it has
        nodes, which = np.unique(j[todo], return_inverse=True)
        near = shapely.buffer(geoms[nodes], reach_m + eps, quad_segs=2)[which]
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
