"""Estimated footprints (估算占地): areas for compounds known only as points.

A ledger, a geocoder or an Amap/Baidu export gives each compound a point;
no public source has Lianhu's courtyard footprints. :func:`estimate_footprints`
turns the points into areas that do not overlap, the way momepy's
morphological tessellation turns buildings into plots:

1. a Voronoi tessellation of the points (GEOS, through shapely): each point
   gets the land nearer to it than to any other point;
2. limited by a radius around the point, so a compound on the edge of empty
   land does not take all of it: by default the radius of a circle of
   :data:`M2_PER_HOUSEHOLD` square metres per household, between
   :data:`MIN_RADIUS_M` and :data:`DEFAULT_MAX_RADIUS_M`;
3. clipped by ``boundary`` (e.g. :func:`lianhu_geo.load_boundary`);
4. cut by ``barriers``: polygons (water, parks, walls drawn as areas) are
   taken out, lines (roads, railways) split the cell and only the piece
   holding the point is kept; surveyed footprints in the same table are
   taken out too, so estimates never overlap them.

Compounds that share one point (within :data:`STACK_TOLERANCE_M`, e.g.
geocoded to one address) share its cell: it is cut into wedges around the
point, each compound's wedge proportional to its households (equal shares
when households are equal or unknown), handed out by households, then
name, then id, so the wedges follow the data, not the row order.

momepy itself is not used: its tessellations start from building polygons
and need a dependency chain (libpysal, ...) for what shapely's Voronoi
diagram, a disc and an intersection do here.

Every compound comes back once, on the input's index. A point that gets no
area keeps its point and a ``footprint_reason`` from
:data:`FOOTPRINT_REASONS`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._prepared import prepare
from .errors import InputError, format_rows
from .labels import label
from .options import Option, check_options

__all__ = [
    "estimate_footprints",
    "footprint_reason_label",
    "FOOTPRINT_REASONS",
    "M2_PER_HOUSEHOLD",
    "MIN_RADIUS_M",
    "DEFAULT_MAX_RADIUS_M",
    "STACK_TOLERANCE_M",
]

#: Land per household in an old Lianhu courtyard, lanes included: 5-6 storey
#: work-unit blocks of 50-70 m2 flats at a floor-area ratio of about 1.5
#: give 35-45 m2 of land per flat, plus the courtyard and lane around them.
M2_PER_HOUSEHOLD = 60.0
#: Smallest radius: a courtyard of one small block (~1,300 m2).
MIN_RADIUS_M = 20.0
#: Largest radius by default (~12.6 ha, a large estate); beyond it, land is
#: not assumed to belong to the compound.
DEFAULT_MAX_RADIUS_M = 200.0
#: Points closer than this are one spot and share one cell.
STACK_TOLERANCE_M = 0.01

#: Why a point got no estimated area; ``label("footprint_" + code)`` says it to planners.
FOOTPRINT_REASONS: tuple[str, ...] = (
    "outside_boundary",
    "inside_barrier",
    "inside_footprint",
)

#: How :func:`estimate_footprints` checks its options.
OPTIONS: tuple[Option, ...] = (
    Option("boundary", "layer", allow_none=True),
    Option("barriers", "layer", allow_none=True),
    Option("max_radius_m", "distance", minimum=0, exclusive_minimum=True, allow_none=True),
)


def _geometries(value: object, name: str, crs: object) -> np.ndarray:
    if isinstance(value, gpd.GeoDataFrame):
        value = value.geometry
    if not isinstance(value, gpd.GeoSeries):
        raise InputError(
            f"`{name}` must be a GeoDataFrame or GeoSeries, got {type(value).__name__}."
        )
    if value.crs is None:
        raise InputError(f"`{name}` has no CRS. Set it, e.g. `{name}.set_crs('EPSG:4326')`.")
    geoms = value.to_crs(crs).to_numpy()
    return geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]


def _radii(households: pd.Series, ids: pd.Series, max_radius_m: float | None) -> np.ndarray:
    if max_radius_m is not None:
        return np.full(len(households), float(max_radius_m))
    unknown = households.isna().to_numpy()
    if unknown.any():
        raise InputError(
            f"`households` is unknown for compounds {format_rows(ids[unknown])}, so their "
            "area cannot be sized; fill in households or give `max_radius_m=`."
        )
    hh = households.to_numpy(dtype=float)
    return np.sqrt(np.maximum(hh, 0) * M2_PER_HOUSEHOLD / np.pi)


def _sites(xy: np.ndarray) -> np.ndarray:
    """Site of each point: points within STACK_TOLERANCE_M share one, numbered by (x, y)."""
    key = np.round(xy / STACK_TOLERANCE_M).astype(np.int64)
    _, site = np.unique(key, axis=0, return_inverse=True)
    return site.reshape(-1)


def _cells(site_xy: np.ndarray, reach: float) -> np.ndarray:
    """Voronoi cell of each site, in site order (one site: a square around it)."""
    n = len(site_xy)
    points = shapely.points(site_xy)
    lo, hi = site_xy.min(axis=0) - 2 * reach, site_xy.max(axis=0) + 2 * reach
    frame = shapely.box(*lo, *hi)
    if n == 1:
        return np.array([frame], dtype=object)
    diagram = shapely.voronoi_polygons(shapely.multipoints(site_xy), extend_to=frame)
    parts = shapely.get_parts(diagram)
    owner, cell = shapely.STRtree(parts).query(points, predicate="intersects")
    out = np.empty(n, dtype=object)
    # a site lies inside its own cell; on a shared edge only if the diagram is degenerate
    out[owner[::-1]] = parts[cell[::-1]]
    missing = np.array([g is None for g in out])
    if missing.any():  # cannot happen for distinct sites; keep every compound all the same
        out[missing] = shapely.buffer(points[missing], reach)
    return out


def _keep_piece(area: shapely.Geometry, point: shapely.Geometry) -> shapely.Geometry:
    """Return the part of ``area`` holding ``point`` (or the nearest part)."""
    parts = shapely.get_parts(area)
    if len(parts) <= 1:
        return area
    hold = shapely.covers(parts, point)
    if hold.any():
        return parts[np.flatnonzero(hold)[0]]
    return parts[int(np.argmin(shapely.distance(parts, point)))]


def _cut_by_lines(area: shapely.Geometry, point: shapely.Geometry, lines: np.ndarray):
    noded = shapely.union_all(np.concatenate([[shapely.boundary(area)], lines]))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.within(shapely.point_on_surface(faces), area)]
    if len(faces) == 0:
        return area
    hold = shapely.covers(faces, point)
    if hold.any():
        return faces[np.flatnonzero(hold)[0]]
    return faces[int(np.argmin(shapely.distance(faces, point)))]


def _wedges(area: shapely.Geometry, apex: np.ndarray, shares: np.ndarray) -> list:
    """Cut ``area`` into wedges around ``apex`` with areas in proportion to ``shares``."""
    total = shapely.area(area)
    x0, y0, x1, y1 = shapely.bounds(area)
    far = 4 * (abs(x1 - x0) + abs(y1 - y0) + 1.0)

    def wedge(a: float, b: float) -> shapely.Geometry:
        steps = max(2, int(np.ceil((b - a) / (np.pi / 16))) + 1)
        t = np.linspace(a, b, steps)
        ring = np.column_stack([apex[0] + far * np.cos(t), apex[1] + far * np.sin(t)])
        return shapely.polygons(np.vstack([apex, ring, apex]))

    def swept(b: float) -> float:
        return float(shapely.area(shapely.intersection(area, wedge(0.0, b)))) if b > 0 else 0.0

    targets = np.cumsum(shares / shares.sum())[:-1] * total
    cuts = [0.0]
    for target in targets:
        lo, hi = cuts[-1], 2 * np.pi
        for _ in range(26):  # bisection: 2 pi / 2**26 rad, under 0.01 m2 at 200 m
            mid = (lo + hi) / 2
            if swept(mid) < target:
                lo = mid
            else:
                hi = mid
        cuts.append((lo + hi) / 2)
    cuts.append(2 * np.pi)
    pieces = []
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        piece = shapely.intersection(area, wedge(a, b)) if b > a else shapely.Polygon()
        pieces.append(shapely.make_valid(piece) if not shapely.is_valid(piece) else piece)
    return pieces


def estimate_footprints(
    compounds: gpd.GeoDataFrame,
    *,
    boundary: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    barriers: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    max_radius_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Give compounds known only as points an estimated, non-overlapping area.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as read by :func:`~lianhu_geo.readers.read_compounds` (any
        CRS; planning fields may still be unknown, only ``households`` is
        used, and not even that with ``max_radius_m``). Points get an
        estimated area; Polygon/MultiPolygon footprints are kept as surveyed.
    boundary : GeoDataFrame or GeoSeries, optional
        Area the estimates stay inside, e.g. :func:`lianhu_geo.load_boundary`;
        a point outside it gets no area (reason ``"outside_boundary"``).
    barriers : GeoDataFrame or GeoSeries, optional
        Roads, railways, walls (lines) that split a cell, and water or parks
        (polygons) taken out of it; a point inside a polygon barrier gets no
        area (``"inside_barrier"``).
    max_radius_m : float, optional
        Radius limit of every area, in metres. Default: from households,
        the radius of ``households * M2_PER_HOUSEHOLD`` square metres,
        between :data:`MIN_RADIUS_M` and :data:`DEFAULT_MAX_RADIUS_M`
        (compounds on one point pool their households).

    Returns
    -------
    geopandas.GeoDataFrame
        The validated compounds, same index and CRS, with estimated areas as
        geometry and two more columns: ``footprint_estimated`` (bool: True
        for an estimated area) and ``footprint_reason`` (why a point got no
        area, one of :data:`FOOTPRINT_REASONS`; NA otherwise).

    Raises
    ------
    InputError
        Invalid compounds or options, boundary or barriers without a CRS,
        unknown households without ``max_radius_m``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> points = gpd.GeoDataFrame(
    ...     {"compound_id": ["A", "B", "C"], "name": ["甲", "乙", "丙"],
    ...      "subdistrict": ["青年路街道"] * 3, "community": ["x"] * 3,
    ...      "households": [100, 100, 100], "management": ["unmanaged"] * 3},
    ...     geometry=[Point(310000, 3793000), Point(310060, 3793000),
    ...               Point(310060, 3793000)], crs=32649)
    >>> areas = estimate_footprints(points, max_radius_m=50)
    >>> areas["footprint_estimated"].tolist()
    [True, True, True]
    >>> [round(a) for a in areas.area]   # B and C share their spot's cell
    [6727, 3363, 3363]
    >>> bool(areas.geometry.iloc[0].intersection(areas.geometry.iloc[1]).area < 1e-6)
    True
    """
    max_radius_m = check_options(
        {"boundary": boundary, "barriers": barriers, "max_radius_m": max_radius_m},
        OPTIONS,
        where="estimate_footprints",
    )["max_radius_m"]
    prep = prepare(compounds, planning=False)  # households alone are needed
    data, metric = prep.data, prep.metric
    crs = metric.crs
    geoms = metric.geometry.to_numpy()
    n = len(data)
    is_point = shapely.get_type_id(geoms) == 0
    estimated = np.zeros(n, dtype=bool)
    reason = np.full(n, None, dtype=object)
    out_geoms = geoms.copy()
    pos = np.flatnonzero(is_point)
    if len(pos):
        ids = data["compound_id"].astype(str)
        xy = shapely.get_coordinates(geoms[pos])
        site = _sites(xy)
        n_sites = int(site.max()) + 1
        households = data["households"].iloc[pos]
        radius = _radii(households.reset_index(drop=True), ids.iloc[pos], max_radius_m)
        # each spot's own point: its lowest (x, y), exact, whatever the row order
        low = np.lexsort((xy[:, 1], xy[:, 0], site))
        site_xy = xy[low][np.searchsorted(site[low], np.arange(n_sites))]
        if max_radius_m is None:  # a spot holding several compounds holds their households
            area = np.bincount(site, weights=radius**2, minlength=n_sites)
            site_r = np.clip(np.sqrt(area), MIN_RADIUS_M, DEFAULT_MAX_RADIUS_M)
        else:
            site_r = np.full(n_sites, float(max_radius_m))
        site_pt = shapely.points(site_xy)
        cells = _cells(site_xy, float(site_r.max()))
        cells = shapely.intersection(cells, shapely.buffer(site_pt, site_r, quad_segs=16))
        site_reason = np.full(n_sites, None, dtype=object)
        if boundary is not None:
            outline = _geometries(boundary, "boundary", crs)
            if not (shapely.get_dimensions(outline) == 2).all():
                kinds = sorted({g.geom_type for g in outline})
                raise InputError(
                    f"`boundary` must be polygons (an area to stay inside), got "
                    f"{', '.join(kinds)}; pass the district or subdistrict polygons."
                )
            limit = shapely.union_all(outline)
            shapely.prepare(limit)
            inside = shapely.covers(limit, site_pt)
            site_reason[~inside] = "outside_boundary"
            cells = shapely.intersection(cells, limit)
        blocks = [] if barriers is None else _geometries(barriers, "barriers", crs)
        polygonal = np.asarray([shapely.get_dimensions(b) == 2 for b in blocks], dtype=bool)
        surveyed = geoms[~is_point]
        areas = np.asarray(blocks, dtype=object)[polygonal] if len(blocks) else surveyed[:0]
        for kind, holes in (("inside_barrier", areas), ("inside_footprint", surveyed)):
            if len(holes) == 0:
                continue
            tree = shapely.STRtree(holes)
            hit_site, hit_hole = tree.query(cells, predicate="intersects")
            for s in np.unique(hit_site).tolist():
                cut = shapely.union_all(holes[hit_hole[hit_site == s]])
                if shapely.covers(cut, site_pt[s]) and site_reason[s] is None:
                    site_reason[s] = kind
                cells[s] = _keep_piece(shapely.difference(cells[s], cut), site_pt[s])
        lines = np.asarray(blocks)[~polygonal] if len(blocks) else np.empty(0, object)
        if len(lines):
            tree = shapely.STRtree(lines)
            hit_site, hit_line = tree.query(cells, predicate="intersects")
            for s in np.unique(hit_site).tolist():
                cells[s] = _cut_by_lines(cells[s], site_pt[s], lines[hit_line[hit_site == s]])
        ok = np.array([r is None for r in site_reason]) & ~shapely.is_empty(cells)
        site_reason[~ok & np.array([r is None for r in site_reason])] = "inside_barrier"
        # compounds on one spot: wedges in proportion to households, in a data order
        order = np.lexsort(
            (
                ids.iloc[pos].to_numpy(dtype=str),
                data["name"].iloc[pos].astype(str).to_numpy(),
                -np.nan_to_num(households.to_numpy(dtype=float, na_value=np.nan), nan=0.0),
                site,
            )
        )
        bounds = np.searchsorted(site[order], np.arange(n_sites + 1))
        failed = np.array([r is not None for r in site_reason], dtype=bool)
        reason[pos] = site_reason[site]
        estimated[pos] = ~failed[site]
        alone = (np.diff(bounds) == 1) & ~failed
        out_geoms[pos[order[bounds[:-1][alone]]]] = cells[alone]
        for s in np.flatnonzero((np.diff(bounds) > 1) & ~failed).tolist():
            members = order[bounds[s] : bounds[s + 1]]
            shares = np.maximum(radius[members] ** 2, 1.0)
            if max_radius_m is not None or np.allclose(shares, shares[0]):
                shares = np.ones(len(members))
            for m, piece in zip(members, _wedges(cells[s], site_xy[s], shares), strict=True):
                out_geoms[pos[m]] = piece
    out = data.copy()
    out["footprint_estimated"] = pd.array(estimated, dtype="boolean")
    out["footprint_reason"] = pd.array(reason, dtype="string")
    geometry = gpd.GeoSeries(out_geoms, index=data.index, crs=crs)
    out[out.geometry.name] = geometry.to_crs(data.crs) if data.crs != crs else geometry
    return out


def regroup_stacks(areas: np.ndarray, points: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Re-cut the wedges of each stack so that members of one group sit side by side.

    ``areas`` are estimated areas and ``points`` the compounds' points, in one
    metric CRS; ``groups`` an integer per compound (e.g. its bundle, -1 for
    none). Each compound keeps the size of its wedge; only their order around
    the point changes, so a bundle's share of a stack is one sector, not a
    fan of slivers. Compounds alone on their point are returned as they are.
    """
    out = np.asarray(areas, dtype=object).copy()
    is_point = shapely.get_type_id(points) == 0
    pos = np.flatnonzero(is_point & (shapely.get_type_id(out) != 0))
    if len(pos) < 2:
        return out
    xy = shapely.get_coordinates(points[pos])
    site = _sites(xy)
    count = np.bincount(site)
    for s in np.flatnonzero(count > 1).tolist():
        members = pos[site == s]
        if len(set(groups[members].tolist())) < 2:
            continue
        apex = xy[site == s][np.lexsort((xy[site == s][:, 1], xy[site == s][:, 0]))[0]]
        # the present order of the wedges around the point, then by group (stable)
        angle = [_start_angle(out[m], apex) for m in members]
        members = members[np.lexsort((angle, groups[members]))]
        cell = shapely.union_all(out[members])
        shares = np.maximum(shapely.area(out[members]), 1e-9)
        for m, piece in zip(members, _wedges(cell, apex, shares), strict=True):
            out[m] = piece
    return out


def _start_angle(area: shapely.Geometry, apex: np.ndarray) -> float:
    """Angle (0..2 pi) of a wedge's middle, seen from its apex."""
    c = shapely.get_coordinates(shapely.point_on_surface(area))[0]
    return float(np.arctan2(c[1] - apex[1], c[0] - apex[0]) % (2 * np.pi))


def footprint_reason_label(code: str, lang: str = "zh") -> str:
    """Return the planner's words for a :data:`FOOTPRINT_REASONS` code.

    >>> footprint_reason_label("outside_boundary")
    '位于边界之外，未估算占地'
    """
    return label(f"footprint_{code}", lang)
