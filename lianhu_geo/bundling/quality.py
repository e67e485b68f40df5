"""Shape figures of bundles: compactness, span and dissolved footprints."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import ArrayLike

__all__ = ["polsby_popper", "span_m", "dissolve_footprints"]

#: Radius around a point-only bundle's convex hull, so that one or two
#: points still have an area and a shape.
POINT_HULL_BUFFER_M = 25.0


def polsby_popper(geometries: ArrayLike) -> np.ndarray:
    """Polsby-Popper compactness ``4 pi area / perimeter**2`` (1 for a circle).

    Geometries must be in a metric CRS; empty or zero-perimeter shapes give NaN.

    Examples
    --------
    >>> from shapely.geometry import box, Point
    >>> polsby_popper([box(0, 0, 10, 10), Point(0, 0).buffer(10)]).round(3)
    array([0.785, 0.999])
    """
    geoms = np.asarray(geometries, dtype=object)
    area = shapely.area(geoms)
    perimeter = shapely.length(geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 4 * np.pi * area / perimeter**2
    return np.where(perimeter > 0, out, np.nan)


def span_m(xy: ArrayLike) -> float:
    """Largest distance between two of the points ``xy`` (metres, metric CRS).

    Computed on the convex hull's vertices, so it stays cheap for many points.

    Examples
    --------
    >>> span_m([[0, 0], [3, 4], [1, 1]])
    5.0
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) < 2:
        return 0.0
    if len(xy) > 8:
        hull = shapely.convex_hull(shapely.multipoints(xy))
        xy = shapely.get_coordinates(hull)
    diff = xy[:, None, :] - xy[None, :, :]
    return float(np.sqrt((diff**2).sum(axis=2).max()))


def dissolve_footprints(
    geometries: ArrayLike, codes: ArrayLike, n_groups: int, *, close_m: float
) -> np.ndarray:
    """One footprint per group: the union of its members in a metric CRS.

    Polygon groups are closed by ``close_m`` (buffer out, union, buffer in,
    with mitred corners), so lanes up to ``2 * close_m`` wide inside a bundle
    become part of its footprint while outer corners stay square; with
    ``close_m=0`` (estimated areas, which tile the land) the exact union. A group
    with a point member becomes the convex hull of its members buffered by
    :data:`POINT_HULL_BUFFER_M`.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> shapes = dissolve_footprints(
    ...     [box(0, 0, 10, 10), box(12, 0, 22, 10)], [0, 0], 1, close_m=2)
    >>> shapes[0].bounds, round(shapes[0].area)
    ((0.0, 0.0, 22.0, 10.0), 220)
    """
    geoms = np.asarray(geometries, dtype=object)
    codes = np.asarray(codes, dtype=np.int64)
    out = np.empty(n_groups, dtype=object)
    if n_groups == 0:
        return out
    order = np.argsort(codes, kind="stable")
    parts, which = shapely.get_parts(geoms[order], return_index=True)
    part_codes = codes[order][which]
    is_point = shapely.get_type_id(parts) == 0
    has_point = np.bincount(part_codes[is_point], minlength=n_groups) > 0
    # groups with a point: buffered convex hull of all members
    pick = has_point[part_codes]
    if pick.any():
        groups = np.flatnonzero(has_point)
        local = np.searchsorted(groups, part_codes[pick])
        bags = shapely.geometrycollections(parts[pick], indices=local)
        out[groups] = shapely.buffer(shapely.convex_hull(bags), POINT_HULL_BUFFER_M, quad_segs=4)
    # polygon groups: one MultiPolygon each, closed by buffering out and in
    pick = ~pick
    if pick.any():
        groups = np.flatnonzero(~has_point)
        local = np.searchsorted(groups, part_codes[pick])
        multi = shapely.multipolygons(parts[pick], indices=local)
        if close_m > 0:
            grown = shapely.buffer(multi, close_m, quad_segs=2, join_style="mitre")
            out[groups] = shapely.buffer(grown, -close_m, quad_segs=2, join_style="mitre")
        else:  # an exact union: shared vertices (a stack's point) stay where they are
            bounds = np.searchsorted(local, np.arange(len(groups) + 1))
            kept = parts[pick]
            out[groups] = [
                shapely.union_all(kept[a:b]) if b > a else shapely.Polygon()
                for a, b in zip(bounds[:-1], bounds[1:], strict=True)
            ]
    return out
