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

from ..coords import metric_crs
from ..coverage import CoveragePlan
from ..labels import label, message
from ..maps._controls import MetricScale
from ..maps._layers import Registry
from ..maps._offline import use_assets
from ..maps._style import SwatchLegend

__all__ = ["overview_frame", "write_overview"]

#: Tooltip fields of the overview (columns of :func:`overview_frame`) and their label keys.
OVERVIEW_FIELDS = {
    "subdistrict": "subdistrict",
    "compounds": "compounds",
    "unmanaged": "overview_unmanaged",
    "bundle": "overview_bundled",
    "bundles": "bundles",
    "bundled_share": "overview_share",
    "map_file": "overview_map_file",
}

#: Fill by share of unmanaged compounds in bundles: five classes of 20 points, light to dark.
SHARE_COLORS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
#: Fill of a subdistrict without unmanaged compounds.
NO_UNMANAGED_COLOR = "#bdbdbd"


def overview_frame(plan: CoveragePlan, stems: dict[str, str]) -> gpd.GeoDataFrame:
    """One row per subdistrict: its outline (EPSG:4326) and figures."""
    summary = plan.summary().drop(index="total")
    compounds = plan.compounds
    crs = metric_crs(compounds)  # PROJ asked once per zone, as for every map
    geometry = compounds.geometry if compounds.crs == crs else compounds.geometry.to_crs(crs)
    points = shapely.point_on_surface(geometry.to_numpy())
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
        crs=crs,
    ).to_crs(4326)
    share = frame["bundle"] / frame["unmanaged"].where(frame["unmanaged"] > 0)
    frame["bundled_share"] = [f"{v:.0%}" if pd.notna(v) else "—" for v in share]
    frame["map_file"] = [f"maps/{stems[n]}.html" for n in frame["subdistrict"]]
    frame["fill"] = [_color(v) for v in share]
    return frame


def _color(share: float) -> str:
    if pd.isna(share):
        return NO_UNMANAGED_COLOR
    return SHARE_COLORS[min(int(share * len(SHARE_COLORS)), len(SHARE_COLORS) - 1)]


def _legend_rows(lang: str) -> list[tuple[str, str]]:
    step = 100 // len(SHARE_COLORS)
    rows = [(f"{k * step}–{(k + 1) * step}%", c) for k, c in enumerate(SHARE_COLORS)]
    return [*rows, (label("overview_no_unmanaged", lang), NO_UNMANAGED_COLOR)]


def _overview_map(frame: gpd.GeoDataFrame, title: str, lang: str = "zh") -> folium.Map:
    shown = frame.copy()
    for column in OVERVIEW_FIELDS:  # the tooltip inserts HTML: user text is escaped
        shown[column] = [html.escape(str(v)) for v in shown[column]]
    # the popup's link: made here from the file name (letters, digits, _ and - only), escaped
    text = html.escape(label("overview_open_map", lang))
    shown["link"] = [
        f'<a href="{html.escape(f, quote=True)}" target="_blank">{text}</a>'
        for f in frame["map_file"]
    ]
    x0, y0, x1, y1 = shown.total_bounds
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=False)
    m.fit_bounds([[float(y0), float(x0)], [float(y1), float(x1)]])
    layer = folium.GeoJson(
        shown[[*OVERVIEW_FIELDS, "link", "fill", "geometry"]].to_json(),
        name=html.escape(title),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#444444",
            "weight": 1,
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=list(OVERVIEW_FIELDS),
            aliases=[html.escape(label(k, lang)) for k in OVERVIEW_FIELDS.values()],
        ),
        popup=folium.GeoJsonPopup(fields=["link"], labels=False),
    ).add_to(m)
    Registry({"subdistricts": {"all": layer}}).add_to(m)  # window.lianhuMap, as on every map
    MetricScale().add_to(m)
    m.add_child(SwatchLegend(title, _legend_rows(lang), note=label("overview_share", lang)))
    return use_assets(m)  # the assets the meeting maps ship, so export_html inlines them


def write_overview(plan: CoveragePlan, path: Path, *, stems: dict[str, str]) -> Path:
    """Write the overview map of ``plan``'s subdistricts (file names from ``stems``) to ``path``."""
    from .. import export_html

    frame = overview_frame(plan, stems)
    title = message(
        "overview_title", "zh", subdistricts=f"{len(stems):,}", compounds=f"{len(plan.compounds):,}"
    )
    return export_html(_overview_map(frame, title), path)
