"""Point-only compounds for the stacked-point and footprint tests (EPSG:32649)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from bundle_fixtures import X0, Y0, make_compounds
from shapely.geometry import Point


def stacked_points(seed: int = 0, n: int = 60) -> gpd.GeoDataFrame:
    """Random points ~120 m apart with stacks: 2, 4 and 7 compounds on one spot,
    and a pair 0.4 m apart (a near-duplicate); two subdistricts, string ids."""
    rng = np.random.default_rng(seed)
    side = np.sqrt(n) * 120.0
    xy = rng.uniform(0, side, (n, 2)) + [X0, Y0]
    xy[1] = xy[0]  # a pair
    xy[3:6] = xy[2]  # four on one point
    xy[7:13] = xy[6]  # seven on one point
    xy[14] = xy[13] + [0.4, 0.0]  # within a metre
    households = rng.integers(40, 400, n)
    sub = np.where(xy[:, 0] < X0 + side / 2, "青年路街道", "北院门街道")
    return make_compounds(
        [Point(p) for p in xy],
        households,
        compound_id=[f"P{k:03d}" for k in range(n)],
        subdistrict=list(sub),
        old=list(rng.random(n) < 0.5),
    )


def shuffled_renamed(frame: gpd.GeoDataFrame, seed: int = 1) -> gpd.GeoDataFrame:
    """The same compounds in another row order, index and ids ("P001" -> "id-P001")."""
    rng = np.random.default_rng(seed)
    out = frame.iloc[rng.permutation(len(frame))].copy()
    out["compound_id"] = "id-" + out["compound_id"]
    out.index = np.arange(len(out))[::-1] + 100
    return out
