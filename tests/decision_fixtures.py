"""Builders for the decisions tests: compounds, cadres and companies at known places."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

X0, Y0 = 350_000.0, 3_792_000.0  # metres in EPSG:32649, inside Xi'an
CRS = "EPSG:32649"


def compounds_at(
    xy,
    *,
    management=None,
    households=None,
    subdistricts=None,
    index=None,
    ids=None,
    old=None,
    company=None,
) -> gpd.GeoDataFrame:
    """10 m square compounds centred on ``xy`` (metres from X0, Y0)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    geoms = [box(X0 + x - 5, Y0 + y - 5, X0 + x + 5, Y0 + y + 5) for x, y in xy]
    return gpd.GeoDataFrame(
        {
            "compound_id": ids or [f"C{i:03d}" for i in range(n)],
            "name": [f"院{i}" for i in range(n)],
            "subdistrict": subdistricts or ["青年路街道"] * n,
            "community": ["社区"] * n,
            "households": households or [100] * n,
            "management": management or ["unmanaged"] * n,
            "old": old if old is not None else [True] * n,
            "sanwu": [False] * n,
            "property_company": company or [None] * n,
        },
        geometry=geoms,
        crs=CRS,
        index=index,
    )


def lonlat(xy) -> list[Point]:
    """WGS84 points of metre offsets from X0, Y0."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    pts = gpd.GeoSeries([Point(X0 + x, Y0 + y) for x, y in xy], crs=CRS).to_crs(4326)
    return list(pts)


def cadres_at(xy, *, level=None, subdistricts=None, max_visits=None) -> gpd.GeoDataFrame:
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    return gpd.GeoDataFrame(
        {
            "cadre_id": [f"K{i:02d}" for i in range(n)],
            "name": [f"干部{i}" for i in range(n)],
            "level": level or ["district"] * n,
            "subdistrict": subdistricts or [None] * n,
            "max_visits": pd.array(max_visits or [None] * n, dtype="Int64"),
        },
        geometry=lonlat(xy),
        crs=4326,
    )
