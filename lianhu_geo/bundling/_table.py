"""Bundle ids and the per-bundle table of :func:`lianhu_geo.bundling.propose_bundles`."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .quality import dissolve_footprints, polsby_popper, span_m
from .viability import ViabilityModel

__all__ = ["bundle_table", "TABLE_COLUMNS"]

TABLE_COLUMNS = [
    "subdistrict",
    "compounds",
    "households",
    "area_m2",
    "span_m",
    "polsby_popper",
    "footprint_estimated",
    "margin_yuan_month",
    "viable",
    "locked",
    "compound_ids",
]


def _new_ids(count: int, taken: set[str]) -> list[str]:
    width = max(3, len(str(count + len(taken))))
    out, k = [], 1
    while len(out) < count:
        name = f"B{k:0{width}d}"
        if name not in taken:
            out.append(name)
        k += 1
    return out


def bundle_table(
    *,
    ids: np.ndarray,
    geoms: np.ndarray,
    households: np.ndarray,
    subdistrict: np.ndarray,
    free_positions: np.ndarray,
    region: np.ndarray,
    lock_ids: np.ndarray,
    threshold: int,
    model: ViabilityModel,
    close_m: float,
    metric_crs: object,
    output_crs: object,
    reps: np.ndarray | None = None,
    estimated: np.ndarray | None = None,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Name bundles and compute their figures.

    All arrays are in compound-id order (positions). ``reps`` are the
    members' points for the span (default: a point on each footprint);
    ``estimated`` flags footprints estimated from points. Returns the table
    and the bundle id of each position (None when not bundled).
    """
    n = len(ids)
    # groups: new regions first, then locked bundles; each as sorted positions
    new_pos = free_positions[region >= 0]
    new_code = region[region >= 0]
    n_new = int(region.max()) + 1 if (region >= 0).any() else 0
    locked_mask = np.array([v is not None for v in lock_ids], dtype=bool)
    locked_names = sorted({str(v) for v in lock_ids[locked_mask]})
    lock_lookup = {name: k for k, name in enumerate(locked_names)}
    lock_pos = np.flatnonzero(locked_mask)
    lock_code = np.array([n_new + lock_lookup[str(v)] for v in lock_ids[lock_pos]], dtype=np.int64)
    positions = np.concatenate([new_pos, lock_pos]).astype(np.intp)
    codes = np.concatenate([new_code, lock_code]).astype(np.int64)
    n_groups = n_new + len(locked_names)

    first = np.full(n_groups, n, dtype=np.int64)
    np.minimum.at(first, codes, positions)
    sub_of = np.array([subdistrict[f] for f in first], dtype=object) if n_groups else first
    new_order = sorted(range(n_new), key=lambda g: (sub_of[g], first[g]))
    names = np.empty(n_groups, dtype=object)
    names[new_order] = _new_ids(n_new, set(locked_names))
    names[n_new:] = locked_names

    label = np.full(n, None, dtype=object)
    label[positions] = names[codes]

    order = np.argsort(codes, kind="stable")
    sorted_pos = positions[order]
    sorted_pos = sorted_pos[np.lexsort((sorted_pos, codes[order]))]
    sorted_codes = np.sort(codes)
    bounds = np.searchsorted(sorted_codes, np.arange(n_groups + 1))
    if reps is None:
        reps = shapely.get_coordinates(shapely.point_on_surface(geoms))
    if estimated is None:
        estimated = np.zeros(n, dtype=bool)
    guessed = np.bincount(codes, weights=estimated[positions], minlength=n_groups) > 0
    hh = np.bincount(codes, weights=households[positions], minlength=n_groups).astype(np.int64)
    count = np.bincount(codes, minlength=n_groups).astype(np.int64)
    subs, member_ids, spans = [], [], []
    for g in range(n_groups):
        members = sorted_pos[bounds[g] : bounds[g + 1]]
        subs.append("、".join(sorted(set(subdistrict[members].tolist()))))
        member_ids.append(",".join(ids[members].tolist()))
        spans.append(span_m(reps[members]))
    shapes = dissolve_footprints(geoms[positions], codes, n_groups, close_m=close_m)
    margin = np.asarray(model.margin_yuan_month(hh), dtype=float).reshape(-1)
    table = pd.DataFrame(
        {
            "subdistrict": pd.array(subs, dtype="string"),
            "compounds": count,
            "households": hh,
            "area_m2": np.round(shapely.area(shapes), 1) if n_groups else np.empty(0),
            "span_m": np.round(np.asarray(spans, dtype=float), 1),
            "polsby_popper": np.round(polsby_popper(shapes), 4) if n_groups else np.empty(0),
            "footprint_estimated": guessed,
            "margin_yuan_month": np.round(margin, 0),
            "viable": hh >= threshold,
            "locked": np.arange(n_groups) >= n_new,
            "compound_ids": pd.array(member_ids, dtype="string"),
        },
        index=pd.Index(pd.array(names.tolist(), dtype="string"), name="bundle_id"),
    )
    geometry = gpd.GeoSeries(shapes, index=table.index, crs=metric_crs).to_crs(output_crs)
    result = gpd.GeoDataFrame(table, geometry=geometry, crs=output_crs)
    sort = np.lexsort((first, sub_of)) if n_groups else np.empty(0, dtype=np.intp)
    return result.iloc[sort], label
