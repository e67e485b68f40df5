"""What the explorer's map draws, as GeoJSON data (no widget needed to read it).

The compounds' display geometry is made once per explorer
(:func:`display_geometry`); every replan only remakes the properties and
styles (:func:`plan_features`), so a redraw costs milliseconds. Colours and
styles are those of the meeting maps (:mod:`lianhu_geo.maps._style`).
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..maps import _layers
from ..maps._style import MODE_COLORS, MODE_LABELS, bundle_colors, mode_style

__all__ = ["display_geometry", "plan_features", "bundle_features", "diff_features", "bounds"]

LOCKED_STYLE = {"color": "#000000", "weight": 3, "opacity": 1.0}
EXCLUDED_STYLE = {"color": "#6a1b9a", "weight": 2, "dashArray": "3 3", "fillOpacity": 0.15}
GREY = {"color": "#9e9e9e", "weight": 0.5, "fillColor": "#9e9e9e", "fillOpacity": 0.2}


def display_geometry(compounds: gpd.GeoDataFrame, *, simplify_m: float = 2.0) -> pd.Series:
    """GeoJSON geometry of each compound, by ``compound_id`` (simplified, lon/lat)."""
    geom = _layers.display_frame(compounds, simplify_m=simplify_m)
    ids = compounds["compound_id"].astype(str).to_numpy()
    return pd.Series([shapely.geometry.mapping(g) for g in geom.values], index=ids, dtype=object)


def bounds(compounds: gpd.GeoDataFrame) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the compounds in lon/lat."""
    x0, y0, x1, y1 = compounds.geometry.to_crs(4326).total_bounds
    return [[float(y0), float(x0)], [float(y1), float(x1)]]


def _text(value: object) -> object:
    return None if pd.isna(value) else str(value)


def plan_features(
    plan: object,
    geometry: pd.Series,
    *,
    locked: Iterable[str] = (),
    exclude: Iterable[str] = (),
    lang: str = "zh",
) -> dict:
    """Return the compounds of ``plan`` as a FeatureCollection (feature id: compound id).

    Each feature's properties: ``cid``, ``name``, ``subdistrict``,
    ``households``, ``mode``, ``mode_label``, ``bundle`` (or None),
    ``locked``, ``excluded`` and the Leaflet ``style``. Compounds are in
    ``compound_id`` order, so the data never depends on row order.
    """
    c = plan.compounds
    locked, exclude = set(locked), set(exclude)
    order = c["compound_id"].astype(str).sort_values(kind="stable").index
    features = []
    names = MODE_LABELS[lang]
    for cid, name, sub, hh, mode, bundle in zip(
        c.loc[order, "compound_id"].astype(str),
        c.loc[order, "name"],
        c.loc[order, "subdistrict"],
        c.loc[order, "households"],
        c.loc[order, "service_mode"],
        c.loc[order, "bundle_id"],
        strict=True,
    ):
        mode = str(mode)
        style = dict(mode_style(mode))
        if cid in locked:
            style.update(LOCKED_STYLE)
        elif cid in exclude:
            style.update(EXCLUDED_STYLE)
        features.append(
            {
                "type": "Feature",
                "id": cid,
                "properties": {
                    "cid": cid,
                    "name": str(name),
                    "subdistrict": str(sub),
                    "households": None if pd.isna(hh) else int(hh),
                    "mode": mode,
                    "mode_label": names.get(mode, mode),
                    "bundle": _text(bundle),
                    "locked": cid in locked,
                    "excluded": cid in exclude,
                    "style": style,
                },
                "geometry": geometry[cid],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def bundle_features(plan: object, *, metric_crs: object, dash: str | None = None) -> dict:
    """Return the outlines of the plan's bundles, colours differing between neighbours.

    ``metric_crs`` is the compounds' metric CRS (:func:`lianhu_geo.coords.metric_crs`),
    worked out once per explorer rather than once per redraw.
    """
    bundles = plan.bundles
    if len(bundles) == 0:
        return {"type": "FeatureCollection", "features": []}
    metric = bundles.geometry.to_crs(metric_crs)
    colors = bundle_colors(metric)
    lonlat = metric.simplify(2.0, preserve_topology=True).to_crs(4326).values
    geom = shapely.transform(lonlat, lambda xy: np.round(xy, 6))
    features = []
    for bid, g in zip(bundles.index.astype(str), geom, strict=True):
        style = {"color": colors[bid], "weight": 3, "fill": False, "opacity": 0.9}
        if dash:
            style["dashArray"] = dash
        features.append(
            {
                "type": "Feature",
                "id": bid,
                "properties": {"bundle": bid, "style": style},
                "geometry": shapely.geometry.mapping(g),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def diff_features(diff: pd.DataFrame, plan_b: object, geometry: pd.Series) -> dict:
    """Return ``plan_b``'s compounds: changed ones (``diff`` rows) by new mode, others grey."""
    changed = set(diff.index.astype(str))
    change = diff["change"].astype(str).to_dict() if len(diff) else {}
    c = plan_b.compounds
    order = c["compound_id"].astype(str).sort_values(kind="stable").index
    features = []
    for cid, name, mode in zip(
        c.loc[order, "compound_id"].astype(str),
        c.loc[order, "name"],
        c.loc[order, "service_mode"].astype(str),
        strict=True,
    ):
        moved = cid in changed
        style = dict(mode_style(mode)) if moved else dict(GREY)
        if moved:
            style.update({"color": "#000000", "weight": 1.5})
        features.append(
            {
                "type": "Feature",
                "id": cid,
                "properties": {
                    "cid": cid,
                    "name": str(name),
                    "changed": moved,
                    "change": change.get(cid),
                    "style": style,
                },
                "geometry": geometry[cid],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def legend(lang: str) -> dict[str, str]:
    """Mode label -> colour, for the map's legend."""
    return {MODE_LABELS[lang][m]: MODE_COLORS[m] for m in MODE_COLORS}
