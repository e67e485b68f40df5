"""Map layers for the district's other decisions: stations, compound heads, companies.

:func:`decision_map` draws the result of :func:`~lianhu_geo.station_coverage`,
:func:`~lianhu_geo.site_stations`, :func:`~lianhu_geo.assign_heads` or
:func:`~lianhu_geo.match_companies` on an offline Leaflet map;
:func:`write_decision_map` writes it as one self-contained HTML file. Data
go in as GeoJSON (never as template text); every text shown is HTML-escaped.
"""

from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely

from ..errors import InputError
from ..labels import check_lang, label
from . import _layers
from ._controls import MetricScale
from ._offline import use_assets
from ._render import literal_tree, write_page
from .basemaps import add_basemap

__all__ = ["decision_map", "write_decision_map", "STATUS_COLORS"]

#: Colours of compounds by station status, and of the markers.
STATUS_COLORS = {
    "within_reach": "#2e7d32",
    "not_covered": "#c62828",
    "existing": "#2e7d32",
    "new": "#ef6c00",
    "uncovered": "#c62828",
    "uncoverable": "#6a1b9a",
    "not_a_target": "#bdbdbd",
    "station": "#1565c0",
    "site": "#ef6c00",
    "office": "#37474f",
    "matched": "#1565c0",
    "unmatched": "#c62828",
}
_PALETTE = [
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
    "#cab2d6",
    "#ff7f00",
]


def _color_of(key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def _new_map(frames: list[gpd.GeoSeries], basemap: str, tianditu_key: str | None) -> folium.Map:
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=False, zoom_start=13)
    add_basemap(m, basemap, tianditu_key=tianditu_key)
    MetricScale().add_to(m)  # metres only, as on the meeting maps
    bounds = pd.concat([f.to_crs(4326).bounds for f in frames if len(f)])
    m.fit_bounds(
        [[bounds["miny"].min(), bounds["minx"].min()], [bounds["maxy"].max(), bounds["maxx"].max()]]
    )
    return m


def _polygons(m, frame: gpd.GeoDataFrame, colors: pd.Series, tips: pd.DataFrame, name: str):
    geometry = _layers.display_frame(frame, simplify_m=1.0)
    props = _layers.escape_frame(tips.copy())
    props["color"] = colors.to_numpy()
    group = folium.FeatureGroup(name=html.escape(name)).add_to(m)
    fields = list(tips.columns)
    folium.GeoJson(
        _layers.feature_collection(geometry, props),
        style_function=lambda f: {
            "color": f["properties"]["color"],
            "fillColor": f["properties"]["color"],
            "weight": 1,
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[label(f) for f in fields]),
        marker=folium.CircleMarker(radius=4),
        control=False,
    ).add_to(group)
    return group


def _points(m, points: gpd.GeoSeries, tips: pd.DataFrame, name: str, color: str, radius: float):
    lonlat = points.to_crs(4326)
    group = folium.FeatureGroup(name=html.escape(name)).add_to(m)
    props = _layers.escape_frame(tips.copy())
    fields = list(tips.columns)
    folium.GeoJson(
        _layers.feature_collection(lonlat, props),
        marker=folium.CircleMarker(
            radius=radius, color=color, fill=True, fill_opacity=0.9, weight=1
        ),
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[label(f) for f in fields]),
        control=False,
    ).add_to(group)
    return group


def _lines(m, lines: list, colors: list[str], name: str) -> None:
    group = folium.FeatureGroup(name=html.escape(name)).add_to(m)
    if not lines:
        return
    collection = _layers.feature_collection(
        gpd.GeoSeries(lines, crs=4326), pd.DataFrame({"color": colors})
    )
    folium.GeoJson(
        collection,
        style_function=lambda f: {"color": f["properties"]["color"], "weight": 2, "opacity": 0.8},
        control=False,
    ).add_to(group)


def _legend(m, items: list[tuple[str, str]], title: str) -> None:
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;background:{c};'
        f'margin-right:6px"></span>{html.escape(t)}</div>'
        for t, c in items
    )
    box = (
        '<div class="lianhu-legend" style="position:fixed;bottom:24px;left:12px;z-index:9999;'
        'background:#fff;padding:8px 10px;border:1px solid #999;font:13px sans-serif">'
        f"<b>{html.escape(title)}</b>{rows}</div>"
    )
    m.get_root().html.add_child(folium.Element(box), name="lianhu_legend")


def _station_coverage(m, result, lang) -> None:
    c = result.compounds
    colors = c["within_reach"].map(
        {True: STATUS_COLORS["within_reach"], False: STATUS_COLORS["not_covered"]}
    )
    tips = pd.DataFrame(
        {
            "name": c["name"].astype(str),
            "station_id": c["station_id"].astype(str),
            "station_distance_m": c["station_distance_m"].round(0),
        }
    )
    _polygons(m, c, colors, tips, label("compound", lang))
    s = result.stations
    _points(
        m,
        s.geometry,
        pd.DataFrame(
            {"station_id": s["station_id"].astype(str), "compounds_served": s["compounds_served"]}
        ),
        label("service_station", lang),
        STATUS_COLORS["station"],
        5,
    )
    walk = result.options["max_walk_m"]
    _legend(
        m,
        [
            (label("within_reach", lang), STATUS_COLORS["within_reach"]),
            (f"> {walk:.0f} m", STATUS_COLORS["not_covered"]),
            (label("service_station", lang), STATUS_COLORS["station"]),
        ],
        label("station_coverage", lang),
    )


def _station_sites(m, result, lang) -> None:
    c = result.compounds
    status = c["station_status"].astype(str)
    tips = pd.DataFrame(
        {
            "name": c["name"].astype(str),
            "station_status": status.map(lambda v: label(f"station_{v}", lang)),
            "station_id": c["station_id"].astype("string").fillna("—"),
        }
    )
    _polygons(m, c, status.map(STATUS_COLORS), tips, label("compound", lang))
    s = result.sites
    points = gpd.GeoSeries(s.geometry.representative_point(), crs=s.crs)
    _points(
        m,
        points,
        pd.DataFrame(
            {
                "name": s["name"].astype(str),
                "new_compounds": s["new_compounds"],
                "new_households": s["new_households"],
            }
        ),
        label("new_sites", lang),
        STATUS_COLORS["site"],
        8,
    )
    _legend(
        m,
        [
            (label(f"station_{k}", lang), STATUS_COLORS[k])
            for k in ("existing", "new", "uncovered", "uncoverable", "not_a_target")
            if (status == k).any()
        ]
        + [(label("new_site", lang), STATUS_COLORS["site"])],
        label("new_sites", lang),
    )


def _heads(m, result, lang) -> None:
    c = result.compounds[result.compounds["eligible"]]
    colors = c["cadre_id"].astype(str).map(_color_of)
    tips = pd.DataFrame(
        {
            "name": c["name"].astype(str),
            "cadre_name": c["cadre_name"].astype(str),
            "cadre_id": c["cadre_id"].astype(str),
        }
    )
    _polygons(m, c, colors, tips, label("compound_head", lang))
    k = result.cadres
    used = k[k["compounds"] > 0]
    _points(
        m,
        used.geometry,
        pd.DataFrame(
            {
                "cadre_name": used["name"].astype(str),
                "visits": used["visits"],
                "tour_m": used["tour_m"].round(0),
            }
        ),
        label("cadre_office", lang),
        STATUS_COLORS["office"],
        4,
    )
    where = pd.Series(
        list(c.geometry.to_crs(4326).representative_point()), index=c["compound_id"].astype(str)
    )
    lines, colors_l = [], []
    for row in used.itertuples():
        office = row.geometry
        stops = [where[i] for i in row.compound_ids.split(",") if i]
        lines.append(shapely.LineString([office, *stops, office]))
        colors_l.append(_color_of(str(row.cadre_id)))
    _lines(m, lines, colors_l, label("roster", lang))
    _legend(
        m,
        [
            (label("compound_head", lang), _PALETTE[0]),
            (label("cadre_office", lang), STATUS_COLORS["office"]),
        ],
        label("roster", lang),
    )


def _companies(m, result, lang) -> None:
    c = result.compounds
    c = c[c["target_id"].notna()]
    matched = c["first_choice"].notna()
    colors = c["first_choice"].astype(str).map(_color_of).where(matched, STATUS_COLORS["unmatched"])
    reasons = result.unmatched.set_index("target_id")["reason"]
    tips = pd.DataFrame(
        {
            "name": c["name"].astype(str),
            "target_id": c["target_id"].astype(str),
            "company_name": c["first_choice"]
            .astype("string")
            .fillna(c["target_id"].map(reasons).astype("string"))
            .fillna("—"),
        }
    )
    _polygons(m, c, colors, tips, label("shortlist", lang))
    firms = result.companies
    firms = firms[firms["first_choice_of"].notna() & firms.geometry.notna()]
    if len(firms):
        _points(
            m,
            firms.geometry,
            pd.DataFrame(
                {
                    "company_name": firms["name"].astype(str),
                    "first_choice_of": firms["first_choice_of"],
                }
            ),
            label("property_company", lang),
            STATUS_COLORS["office"],
            5,
        )
    _legend(
        m,
        [
            (label("first_choice_color", lang), _PALETTE[0]),
            (label("unmatched", lang), STATUS_COLORS["unmatched"]),
        ],
        label("shortlist", lang),
    )


def decision_map(
    result: Any, *, lang: str = "zh", basemap: str = "none", tianditu_key: str | None = None
) -> folium.Map:
    """Draw a decision's result: station coverage or sites, compound heads, or shortlists.

    Parameters
    ----------
    result : StationCoverage, StationSites, HeadRoster or CompanyShortlist
    lang : {"zh", "en"}
        Language of the legend and the tooltips.
    basemap : str, default "none"
        As in :func:`~lianhu_geo.plan_map`; ``"none"`` works offline.
    tianditu_key : str, optional

    Returns
    -------
    folium.Map
    """
    from ..decisions import CompanyShortlist, HeadRoster, StationCoverage, StationSites

    check_lang(lang)
    draw = {
        StationCoverage: _station_coverage,
        StationSites: _station_sites,
        HeadRoster: _heads,
        CompanyShortlist: _companies,
    }
    kind = next((k for k in draw if isinstance(result, k)), None)
    if kind is None:
        raise InputError(
            f"decision_map draws station coverage, station sites, head rosters or company "
            f"shortlists; got {type(result).__name__}."
        )
    m = _new_map([result.compounds.geometry], basemap, tianditu_key)
    draw[kind](m, result, lang)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    use_assets(m)
    # literal like every lianhu_geo map: no text is compiled, and m.save() writes offline
    return literal_tree(_layers.set_ids(m))


def write_decision_map(result: Any, path: str | os.PathLike, **options: Any) -> Path:
    """Write :func:`decision_map` of ``result`` as one offline HTML file (atomically)."""
    return write_page(decision_map(result, **options), path)
