"""Maps of a plan too large for one map: one per subdistrict, and an overview.

The overview draws one outline per subdistrict (the convex hull of its
compounds' representative points, buffered by 50 m) coloured by coverage
of unmanaged compounds by bundles, with the subdistrict's figures in a
tooltip. It is a plain folium map written by the public
:func:`lianhu_geo.export_html`, which renders every element literally and
inlines Leaflet, so it opens offline; the tooltip's text is HTML-escaped
here, as the meeting map's popups are.
"""

from __future__ import annotations

import html
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import shapely

from ..coverage import CoveragePlan
from ..maps._layers import Registry
from ..maps._offline import use_assets

__all__ = ["overview_frame", "write_overview"]

#: Tooltip fields of the overview: column -> Chinese label.
OVERVIEW_FIELDS = {
    "subdistrict": "街道",
    "compounds": "小区数",
    "unmanaged": "失管小区",
    "bundle": "纳入片区",
    "bundles": "片区数",
    "bundled_share": "失管小区纳入片区比例",
    "map_file": "分街道地图",
}


def overview_frame(plan: CoveragePlan, stems: dict[str, str]) -> gpd.GeoDataFrame:
    """One row per subdistrict: its outline (EPSG:4326) and figures."""
    summary = plan.summary().drop(index="total")
    compounds = plan.compounds
    metric = compounds.to_crs(compounds.estimate_utm_crs()) if compounds.crs.is_geographic else (
        compounds
    )  # fmt: skip
    points = shapely.point_on_surface(metric.geometry.to_numpy())
    sub = compounds["subdistrict"].astype(str).to_numpy()
    outlines = []
    for name in summary.index:
        hull = shapely.convex_hull(shapely.multipoints(points[sub == name]))
        outlines.append(shapely.buffer(hull, 50.0))
    frame = gpd.GeoDataFrame(
        {
            "subdistrict": summary.index.astype(str),
            "compounds": summary["compounds"].to_numpy(),
            "unmanaged": summary["unmanaged"].to_numpy(),
            "bundle": summary["bundle"].to_numpy(),
            "bundles": summary["bundles"].to_numpy(),
        },
        geometry=outlines,
        crs=metric.crs,
    ).to_crs(4326)
    share = frame["bundle"] / frame["unmanaged"].where(frame["unmanaged"] > 0)
    frame["bundled_share"] = [f"{v:.0%}" if pd.notna(v) else "—" for v in share]
    frame["map_file"] = [f"maps/{stems[n]}.html" for n in frame["subdistrict"]]
    frame["fill"] = [_color(v) for v in share]
    return frame


def _color(share: float) -> str:
    if pd.isna(share):
        return "#bdbdbd"
    steps = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]
    return steps[min(int(share * len(steps)), len(steps) - 1)]


def _overview_map(frame: gpd.GeoDataFrame, title: str) -> folium.Map:
    shown = frame.copy()
    for column in OVERVIEW_FIELDS:  # the tooltip inserts HTML: user text is escaped
        shown[column] = [html.escape(str(v)) for v in shown[column]]
    x0, y0, x1, y1 = shown.total_bounds
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True)
    m.fit_bounds([[float(y0), float(x0)], [float(y1), float(x1)]])
    layer = folium.GeoJson(
        shown[[*OVERVIEW_FIELDS, "fill", "geometry"]].to_json(),
        name=html.escape(title),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#444444",
            "weight": 1,
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=list(OVERVIEW_FIELDS), aliases=list(OVERVIEW_FIELDS.values())
        ),
    ).add_to(m)
    Registry({"subdistricts": {"all": layer}}).add_to(m)  # window.lianhuMap, as on every map
    return use_assets(m)  # the assets the meeting maps ship, so export_html inlines them


def write_overview(plan: CoveragePlan, path: Path, *, stems: dict[str, str]) -> Path:
    """Write the overview map of ``plan``'s subdistricts (file names from ``stems``) to ``path``."""
    from .. import export_html

    frame = overview_frame(plan, stems)
    title = f"覆盖方案总览（{len(stems)} 个街道，{len(plan.compounds):,} 个小区）"
    return export_html(_overview_map(frame, title), path)
