"""What maps of point data need: filled point symbols, the district outline, honest areas.

Kept apart from the map's controls and text: these functions decide only
geometry, symbols and which outline layers exist.

- Compounds given as points are drawn as filled circles
  (:data:`POINT_MARKER`), and the legend shows circles for them.
- The Lianhu outline shipped with the library (:func:`lianhu_geo.load_boundary`)
  is drawn whenever most compounds lie inside it (:func:`district_outline`).
- Outlines derived from the compounds' positions are labelled approximate
  (:func:`outline_name`), never as official 街道边界.
- Bundles whose areas are estimated from points (``footprint_estimated``) are
  drawn dashed and lighter (:func:`bundle_style`), so a reader can tell them
  from surveyed footprints.
"""

from __future__ import annotations

import functools

import folium
import geopandas as gpd
import numpy as np
import shapely

from ..coords import to_metric
from ..labels import label

__all__ = [
    "POINT_MARKER_RADIUS",
    "point_marker",
    "has_points",
    "district_outline",
    "outline_name",
    "bundle_style",
    "edge_style",
    "legend_rows",
]

#: Radius (pixels) of a compound drawn as a point.
POINT_MARKER_RADIUS = 6
#: Dash pattern of areas estimated from points.
ESTIMATED_DASH = "6 4"
#: A share of compounds inside the district outline above which it is drawn.
INSIDE_SHARE = 0.5


def point_marker() -> folium.CircleMarker:
    """Return the marker of a point compound: a filled circle (folium's is hollow)."""
    return folium.CircleMarker(radius=POINT_MARKER_RADIUS, fill=True, fill_opacity=0.9)


def has_points(frame: gpd.GeoDataFrame) -> bool:
    """Whether any compound is drawn as a point."""
    return bool((shapely.get_type_id(frame.geometry.to_numpy()) == 0).any())


@functools.cache
def _lianhu() -> gpd.GeoDataFrame:
    from ..sample import load_boundary

    return load_boundary()


def district_outline(compounds: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Return the shipped Lianhu outline when most compounds lie inside it, else None."""
    outline = _lianhu()
    metric = to_metric(compounds[[compounds.geometry.name]])
    shape = shapely.union_all(outline.to_crs(metric.crs).geometry.to_numpy())
    shapely.prepare(shape)
    reps = shapely.point_on_surface(metric.geometry.to_numpy())
    inside = shapely.covers(shape, reps)
    return outline if len(inside) and float(np.mean(inside)) >= INSIDE_SHARE else None


def outline_name(level: str, lang: str, *, derived: bool) -> str | None:
    """Layer name of a derived outline ("approximate"), None to keep the usual name."""
    return label(f"approximate_{level}", lang) if derived else None


def bundle_style(color: str, estimated: bool) -> dict[str, object]:
    """Fill of a bundle area: lighter and dashed when the area is estimated."""
    style: dict[str, object] = {
        "color": color,
        "weight": 1,
        "fillColor": color,
        "fillOpacity": 0.12 if estimated else 0.15,
    }
    if estimated:
        style["dashArray"] = ESTIMATED_DASH
    return style


def edge_style(color: str, estimated: bool, dash: str | None) -> dict[str, object]:
    """Outline of a bundle area drawn above the compounds."""
    return {
        "color": color,
        "weight": 3 if estimated else 4,
        "fill": False,
        "dashArray": dash or (ESTIMATED_DASH if estimated else None),
    }


def legend_rows(lang: str, *, estimated: bool) -> tuple[tuple[str, str], ...]:
    """Extra legend rows ``(label, css of the symbol)``: the dashed estimated area."""
    if not estimated:
        return ()
    css = "background:none;border:2px dashed #555;border-radius:0"
    return ((label("estimated_bundle_area", lang), css),)
