"""Synthetic tessellations for the bundling benchmark.

Voronoi cells of seeded uniform random points in a square in EPSG:32649 (UTM 49N,
placed over Xi'an), with households drawn from a lognormal distribution with a
median of 300. The square grows with ``n`` so that the density stays close to
Lianhu's (about 1,500 compounds on 38 km2, i.e. about 25,000 m2 per compound).
Every compound is unmanaged and all are in one subdistrict, so every method
solves the same problem.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely

__all__ = ["CRS", "M2_PER_COMPOUND", "contiguity", "make_tessellation"]

CRS = "EPSG:32649"
#: Area per compound in the square (m2): Lianhu's density.
M2_PER_COMPOUND = 25_000.0
#: Lower-left corner of the square, near Lianhu in UTM 49N.
ORIGIN = (305_000.0, 3_790_000.0)
HOUSEHOLDS_MEDIAN = 300.0
HOUSEHOLDS_SIGMA = 0.8


def make_tessellation(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Return ``n`` Voronoi compounds with the model columns, in EPSG:32649.

    The same ``n`` and ``seed`` give the same data, byte for byte.
    """
    rng = np.random.default_rng([seed, n])
    side = math.sqrt(n * M2_PER_COMPOUND)
    x0, y0 = ORIGIN
    xy = rng.uniform(0.0, side, size=(n, 2)) + np.array([x0, y0])
    households = np.maximum(
        1, np.rint(rng.lognormal(math.log(HOUSEHOLDS_MEDIAN), HOUSEHOLDS_SIGMA, n))
    ).astype("int64")
    square = shapely.box(x0, y0, x0 + side, y0 + side)
    cells = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=square, ordered=True)
    cells = shapely.intersection(shapely.get_parts(cells), square)
    ids = [f"C{i:06d}" for i in range(n)]
    return gpd.GeoDataFrame(
        {
            "compound_id": pd.array(ids, dtype="string"),
            "name": pd.array([f"院落{i}" for i in range(n)], dtype="string"),
            "subdistrict": pd.array(["北院门"] * n, dtype="string"),
            "community": pd.array(["社区1"] * n, dtype="string"),
            "households": pd.array(households, dtype="Int64"),
            "management": pd.array(["unmanaged"] * n, dtype="string"),
        },
        geometry=gpd.GeoSeries(cells, crs=CRS),
    )


def contiguity(gdf: gpd.GeoDataFrame) -> sp.csr_matrix:
    """Return the queen contiguity (cells that touch or overlap) as a symmetric CSR.

    Built with a spatial index (STRtree), so it costs about n log n. Rows and
    columns follow the row order of ``gdf``.
    """
    geoms = gdf.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    n = len(gdf)
    adj = sp.coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n)).tocsr()
    adj = ((adj + adj.T) > 0).astype(np.int8)
    adj.sort_indices()
    return adj
