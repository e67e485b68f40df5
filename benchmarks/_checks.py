"""Constraint checks and quality figures for any method's regions.

Nothing a method says about its regions is trusted: every region is checked
here against the shared contiguity graph and the household threshold.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["check_regions", "upper_bound"]


def upper_bound(adj: sp.csr_matrix, households: np.ndarray, threshold: float) -> int:
    """Sum over connected components of floor(component households / threshold)."""
    _, comp = connected_components(adj, directed=False)
    sums = np.bincount(comp, weights=households)
    return int(np.floor(sums / threshold + 1e-9).sum())


def check_regions(
    gdf: gpd.GeoDataFrame,
    adj: sp.csr_matrix,
    labels: np.ndarray,
    threshold: float,
) -> dict:
    """Check every region; return counts and quality figures.

    ``labels`` holds one integer per row of ``gdf`` (-1 = not in any region).
    A region is *valid* when it is connected in ``adj`` and reaches
    ``threshold`` households. Regions failing either are counted and reported,
    and their compounds do not count as covered.
    """
    labels = np.asarray(labels, dtype=np.int64)
    households = gdf["households"].to_numpy(dtype="float64")
    n = len(gdf)
    assigned = labels >= 0
    uniq, dense = np.unique(labels[assigned], return_inverse=True)
    k = len(uniq)
    idx = np.flatnonzero(assigned)
    region_hh = np.bincount(dense, weights=households[idx], minlength=k)
    region_size = np.bincount(dense, minlength=k)
    # Connectivity: keep only edges inside a region; a region is connected when
    # all its members fall in one component of that subgraph.
    sub = adj[idx][:, idx].tocoo()
    same = dense[sub.row] == dense[sub.col]
    m = len(idx)
    inner = sp.coo_matrix((np.ones(same.sum()), (sub.row[same], sub.col[same])), shape=(m, m))
    _, comp = connected_components(inner, directed=False)
    pieces = np.zeros(k, dtype=np.int64)
    seen = np.unique(np.stack([dense, comp]), axis=1)
    np.add.at(pieces, seen[0], 1)
    connected = pieces == 1
    reaches = region_hh >= threshold
    valid = connected & reaches
    valid_rows = np.zeros(n, dtype=bool)
    valid_rows[idx] = valid[dense]
    # Compactness: Polsby-Popper 4*pi*A/P^2 of each dissolved valid region.
    pp = float("nan")
    if valid.any():
        part = gdf.loc[valid_rows, ["geometry"]].copy()
        part["region"] = labels[valid_rows]
        try:
            shapes = part.dissolve(by="region", method="coverage").geometry
        except Exception:  # noqa: BLE001 - fall back when the coverage is not clean
            shapes = part.dissolve(by="region").geometry
        pp = float(np.mean(4 * math.pi * shapes.area / shapes.length**2))
    total_hh = float(households.sum())
    ub = upper_bound(adj, households, threshold)
    return {
        "regions": int(k),
        "viable": int(valid.sum()),
        "not_connected": int((~connected).sum()),
        "below_threshold": int((~reaches).sum()),
        "constraints_ok_pct": 100.0 * float(valid.mean()) if k else 100.0,
        "upper_bound": ub,
        "viable_vs_upper_bound": float(valid.sum()) / ub if ub else float("nan"),
        "coverage_households": float(households[valid_rows].sum()) / total_hh,
        "coverage_compounds": float(valid_rows.mean()),
        "mean_compounds": float(region_size[valid].mean()) if valid.any() else float("nan"),
        "max_compounds": int(region_size[valid].max()) if valid.any() else 0,
        "polsby_popper": pp,
    }
