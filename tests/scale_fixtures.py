"""Synthetic compounds in many subdistricts, for the scale tests and benchmarks/bench_scale.py.

Vectorised (a million compounds in a few seconds): each subdistrict is a
square tile of a grid of tiles, its compounds jittered rectangles on a grid
inside it, about 60 m apart, so footprints of one tile are neighbours
within the default 40 m gap and tiles are 300 m apart.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

_X0, _Y0 = 306_600.0, 3_791_300.0  # UTM 49N, near Lianhu
_STEP_M = 60.0
_TILE_GAP_M = 300.0


def province_compounds(n: int, *, subdistricts: int, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` compounds in ``subdistricts`` subdistricts, EPSG:32649, index 0..n-1."""
    rng = np.random.default_rng(seed)
    per = -(-n // subdistricts)
    side = int(np.ceil(np.sqrt(per)))  # compounds per tile row
    tiles = int(np.ceil(np.sqrt(subdistricts)))
    k = np.arange(n)
    sub = k // per
    within = k % per
    tile_x, tile_y = sub % tiles, sub // tiles
    size = side * _STEP_M + _TILE_GAP_M
    cx = _X0 + tile_x * size + (within % side) * _STEP_M
    cy = _Y0 + tile_y * size + (within // side) * _STEP_M
    cx += rng.uniform(-6, 6, n)
    cy += rng.uniform(-6, 6, n)
    half_w = rng.uniform(14, 26, n)
    half_h = rng.uniform(14, 26, n)
    geoms = shapely.box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    names = np.array([f"省{s:03d}街道" for s in range(subdistricts)], dtype=object)
    managed = rng.random(n) < 0.6
    return gpd.GeoDataFrame(
        {
            "compound_id": pd.array([f"P{i:07d}" for i in range(n)], dtype=object),
            "name": [f"合成{i}号院" for i in range(n)],
            "subdistrict": names[sub],
            "community": [
                f"社区{s:03d}-{w % 4}" for s, w in zip(sub, within // max(1, per // 4), strict=True)
            ],
            "households": rng.integers(20, 600, size=n),
            "management": np.where(managed, "professional", "unmanaged"),
            "willing_to_pay": rng.random(n) < 0.5,
            "owners_committee": rng.random(n) < 0.4,
        },
        geometry=geoms,
        crs=32649,
    )
