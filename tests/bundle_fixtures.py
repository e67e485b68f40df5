"""Hand-built and random compounds in EPSG:32649 for the neighbor and bundling tests."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

X0, Y0 = 310_000.0, 3_793_000.0


def make_compounds(geoms, households, **columns) -> gpd.GeoDataFrame:
    n = len(geoms)
    data = {
        "compound_id": columns.pop("compound_id", [f"C{k:03d}" for k in range(n)]),
        "name": [f"院{k}" for k in range(n)],
        "subdistrict": columns.pop("subdistrict", ["青年路街道"] * n),
        "community": columns.pop("community", ["社区甲"] * n),
        "households": list(households),
        "management": columns.pop("management", ["unmanaged"] * n),
        **columns,
    }
    return gpd.GeoDataFrame(data, geometry=list(geoms), crs=32649)


def grid(rows: int = 3, cols: int = 3, size: float = 100.0, lane: float = 10.0, **columns):
    """Squares of ``size`` metres separated by lanes, ids C000.. row by row."""
    cells = [
        box(
            X0 + c * (size + lane),
            Y0 + r * (size + lane),
            X0 + c * (size + lane) + size,
            Y0 + r * (size + lane) + size,
        )
        for r in range(rows)
        for c in range(cols)
    ]
    households = columns.pop("households", [100] * len(cells))
    return make_compounds(cells, households, **columns)


def tessellation(
    seed: int,
    n: int = 120,
    *,
    islands: int = 2,
    multi: int = 2,
    points: bool = False,
    professional: float = 0.15,
) -> gpd.GeoDataFrame:
    """Voronoi cells of random points shrunk by a lane, with islands and MultiPolygons.

    Two subdistricts (left and right half), two communities in each, some
    professional compounds, old/sanwu flags; households lognormal, median 120.
    """
    rng = np.random.default_rng(seed)
    side = np.sqrt(n) * 120.0
    pts = rng.uniform(0, side, (n, 2)) + [X0, Y0]
    frame = shapely.box(X0, Y0, X0 + side, Y0 + side)
    voronoi = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame, ordered=True)
    cells = shapely.intersection(shapely.get_parts(voronoi), frame)  # cell k around point k
    shrunk = shapely.buffer(cells, -4.0, join_style="mitre")
    keep = (shapely.get_type_id(shrunk) == 3) & ~shapely.is_empty(shrunk)
    cells = np.where(keep, shrunk, cells)  # tiny cells stay whole
    geoms = list(cells)
    for k in range(min(multi, n)):  # split some cells into two parts
        c = geoms[k]
        minx, miny, maxx, maxy = c.bounds
        mid = (minx + maxx) / 2
        left = c.intersection(box(minx, miny, mid - 3, maxy))
        right = c.intersection(box(mid + 3, miny, maxx, maxy))
        parts_ok = left.geom_type == right.geom_type == "Polygon"
        if parts_ok and not (left.is_empty or right.is_empty):
            geoms[k] = shapely.MultiPolygon([left, right])
    for k in range(islands):  # far away islands
        geoms.append(box(X0 - 2000 - 300 * k, Y0, X0 - 1900 - 300 * k, Y0 + 100))
    xy = shapely.get_coordinates(shapely.point_on_surface(np.asarray(geoms, dtype=object)))
    m = len(geoms)
    if points:
        geoms = list(shapely.points(xy))
    households = np.round(rng.lognormal(np.log(120), 0.6, m)).astype(int)
    households[n:] = rng.integers(50, 200, m - n)
    left = xy[:, 0] < X0 + side / 2
    low = xy[:, 1] < Y0 + side / 2
    management = np.where(rng.random(m) < professional, "professional", "unmanaged")
    return make_compounds(
        geoms,
        households,
        compound_id=[f"C{k:04d}" for k in range(m)],
        subdistrict=np.where(left, "西关街道", "青年路街道").tolist(),
        community=[
            ("西" if a else "东") + ("南" if b else "北") for a, b in zip(left, low, strict=True)
        ],
        management=management.tolist(),
        old=pd.array(rng.random(m) < 0.7, dtype="boolean"),
        sanwu=pd.array(rng.random(m) < 0.3, dtype="boolean"),
    )
