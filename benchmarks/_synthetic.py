"""Synthetic compounds around Lianhu for map benchmarks and tests."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

SUBDISTRICTS = ("北院门街道", "青年路街道", "桃园路街道", "西关街道", "土门街道",
                "红庙坡街道", "环城西路街道", "枣园街道", "北关街道")  # fmt: skip
_X0, _Y0 = 306_600.0, 3_791_300.0  # UTM 49N, near Lianhu's south-west corner


def synthetic_compounds(n: int, *, seed: int = 0, span_m: float | None = None) -> gpd.GeoDataFrame:
    """``n`` irregular compound polygons on a jittered grid, EPSG:32649."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    step = (span_m or max(6_000.0, side * 60.0)) / side
    ij = np.array([(i, j) for i in range(side) for j in range(side)][:n], dtype=float)
    centers = np.column_stack([_X0 + ij[:, 0] * step, _Y0 + ij[:, 1] * step])
    centers += rng.uniform(-0.15, 0.15, size=centers.shape) * step
    radius = rng.uniform(0.2, 0.4, size=n) * step
    angles = np.linspace(0, 2 * np.pi, 13)[:-1]
    geoms = []
    for (cx, cy), r in zip(centers, radius, strict=True):
        rr = r * rng.uniform(0.7, 1.0, size=angles.size)
        geoms.append(shapely.Polygon(np.column_stack([cx + rr * np.cos(angles),
                                                      cy + rr * np.sin(angles)])))  # fmt: skip
    sub = (ij[:, 0] * 3 // side).astype(int) * 3 + (ij[:, 1] * 3 // side).astype(int)
    managed = rng.random(n) < 0.6
    return gpd.GeoDataFrame(
        {
            "compound_id": [f"S{i:05d}" for i in range(n)],
            "name": [f"合成{i}号院" for i in range(n)],
            "subdistrict": [SUBDISTRICTS[s] for s in sub],
            "community": [f"{SUBDISTRICTS[s][:2]}社区{k % 12}" for k, s in enumerate(sub)],
            "households": rng.integers(20, 900, size=n),
            "management": np.where(managed, "professional", "unmanaged"),
            "willing_to_pay": rng.random(n) < 0.5,
            "owners_committee": rng.random(n) < 0.4,
        },
        geometry=geoms,
        crs=32649,
    )
