"""Interactive meeting maps of coverage plans: one self-contained HTML file.

:func:`plan_map` draws a :class:`~lianhu_geo.coverage.CoveragePlan` with
folium: compounds coloured by service mode (professional ones muted) in one
layer per subdistrict, bundles outlined in colours that differ between
neighbours, subdistrict, community and district outlines, Chinese popups
(name, households, mode and why, bundle figures), a legend, search by name,
full screen, a scale bar, and the plan's options, data fingerprint and date.
:func:`compare_map` shows what changed between two plans, and
:func:`export_html` writes either map to one HTML file that, with
``offline=True`` (the default), needs no network: Leaflet and its plugins
are inlined from copies shipped with lianhu_geo.

Text is data, never code: every element of these maps renders through
:mod:`~lianhu_geo.maps._render`, so no name, option or title is ever compiled
as a Jinja2 template (branca would otherwise evaluate ``{{ 7*7 }}`` in a
name), data reaches the page as JSON escaped for ``<script>``, and popups,
tooltips, layer names and the info box show HTML-escaped text; search tips
show the name as text.

Files are byte-identical for the same plan and options: element ids come
from a counter, not folium's random ids, and the date comes from the
``date`` argument or the plan (``plan.created``), never the clock.
"""

from __future__ import annotations

import datetime as _dt
import functools
import html as _html
import os
import warnings
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Figure
from folium.utilities import JsCode

from .._write import check_target
from ..compounds import _UNWRITABLE
from ..coords import to_metric
from ..coverage import CoveragePlan
from ..coverage.scenarios import match_bundles
from ..errors import DataWarning, InputError, format_rows
from ..labels import label
from . import _controls, _popups
from . import _layers as _layers
from . import _points as _points
from ._info import InfoBox, date_text, iso_day
from ._offline import use_assets
from ._pair import SideBySide, pair_maps
from ._render import literal_tree, write_page
from ._style import (
    BUNDLE_PALETTE,
    MODE_LABELS,
    TEXT,
    Legend,
    bundle_colors,
)
from .basemaps import add_basemap, basemap_coords, check_basemap

__all__ = [
    "MapSizeWarning",
    "MAX_RESPONSIVE_MB",
    "plan_map",
    "compare_map",
    "side_by_side_map",
    "SideBySide",
    "export_html",
]

#: Above this file size (MB) a map gets slow to open and pan on a meeting laptop
#: (benchmarks/bench_maps.py: 14 MB, 20,000 compounds, takes about 5 s to first render).
MAX_RESPONSIVE_MB = 10.0
_LANGS = ("zh", "en")


class MapSizeWarning(UserWarning):
    """An exported map is too big to stay responsive in a browser."""


def _check_options(lang: str, simplify_m: float, **texts: Any) -> None:
    if lang not in _LANGS:
        raise InputError(f"unknown lang {lang!r}; use 'zh' or 'en'")
    if not simplify_m >= 0:
        raise InputError(f"simplify_m must be >= 0 metres; got {simplify_m!r}")
    for name, value in texts.items():
        for text in value if isinstance(value, (tuple, list)) else [value]:
            if isinstance(text, str) and _UNWRITABLE.search(text):
                bad = _UNWRITABLE.search(text).group()
                raise InputError(
                    f"`{name}` holds the control character or broken Unicode U+{ord(bad):04X}, "
                    "which a web page cannot show; remove it."
                )


def _date_text(date: str | _dt.date | None, plan: Any, lang: str) -> tuple[str, str | None]:
    """Give the map's date (``date`` or the plan's) as shown, in China, and its ISO day."""
    if date is None:
        date = getattr(plan, "created", None)
    text = date_text(date, lang)
    return (TEXT[lang]["no_date"] if text is None else text), iso_day(date)


@functools.cache
def _sample_ids() -> frozenset[str]:
    from .. import sample

    return frozenset(sample.load_sample()["compound_id"].astype(str))


def _reference_areas(compounds: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame] | None:
    """Return the sample's subdistrict, community and district polygons for sample plans."""
    from .. import sample

    if not set(compounds["compound_id"].astype(str)) <= _sample_ids():
        return None
    return {
        "subdistrict": sample.load_sample_areas(level="subdistrict"),
        "community": sample.load_sample_areas(level="community"),
        "district": sample.load_boundary(),
    }


def _name_column(areas: gpd.GeoDataFrame, level: str) -> pd.Series:
    for col in ("name", level, "name_zh"):
        if col in areas.columns:
            return areas[col].astype(str)
    return pd.Series(areas.index.astype(str), index=areas.index)


def _new_map(frames: list[gpd.GeoSeries], *, basemap: str, tianditu_key: str | None) -> folium.Map:
    # the scale bar is metric only (see _controls.Layout), zoom in quarter steps to fill a screen
    m = folium.Map(
        tiles=None, prefer_canvas=True, control_scale=False, zoom_start=13, zoom_snap=0.25
    )
    add_basemap(m, basemap, tianditu_key=tianditu_key)
    bounds = pd.concat([f.bounds for f in frames if len(f)])
    box = [
        [bounds["miny"].min(), bounds["minx"].min()],
        [bounds["maxy"].max(), bounds["maxx"].max()],
    ]
    m.fit_bounds(box)
    m.lianhu_bounds = [[round(float(v), 6) for v in corner] for corner in box]
    return m


def _outlines(
    m: folium.Map,
    compounds: gpd.GeoDataFrame,
    *,
    areas: dict[str, gpd.GeoDataFrame | None],
    simplify_m: float,
    coords: str,
    lang: str,
) -> dict[str, folium.GeoJson]:
    """District, subdistrict and community outlines (not clickable)."""
    reference = None
    if any(areas.get(k) is None for k in ("subdistrict", "community", "district")):
        reference = _reference_areas(compounds)
    words = TEXT[lang]
    styles = {
        "district": ({"color": "#222222", "weight": 3, "fill": False}, words["district"], True),
        "subdistrict": (
            {"color": "#444444", "weight": 2, "dashArray": "6 4", "fill": False},
            words["subdistricts"],
            True,
        ),
        "community": (
            {"color": "#888888", "weight": 0.8, "dashArray": "2 3", "fill": False},
            words["communities"],
            False,
        ),
    }
    layers, shared = {}, {}  # derived areas of both levels from the same Voronoi cells
    for level in ("community", "subdistrict", "district"):
        frame = areas.get(level)
        derived = False
        if frame is None and reference is not None:
            frame = reference[level]
            if level != "district":  # only the areas this plan's compounds are in
                names = set(compounds[level].astype(str))
                frame = frame[_name_column(frame, level).isin(names)]
        if frame is None and level == "district":  # the shipped outline, for data in Lianhu
            frame = _points.district_outline(compounds)
        if frame is None and level != "district":
            frame = _layers.derived_areas(compounds, level, shared=shared)
            derived = True
        if frame is None or len(frame) == 0:
            continue
        style, name, show = styles[level]
        name = _points.outline_name(level, lang, derived=derived) or name
        geom = _layers.display_frame(frame, simplify_m=max(simplify_m, 5.0), coords=coords)
        props = pd.DataFrame({"name": _name_column(frame, level).to_numpy()}, index=frame.index)
        label = None
        if level == "subdistrict":
            label = JsCode(
                "function(feature, layer) {layer.bindTooltip(feature.properties.name, "
                "{permanent: true, direction: 'center', className: 'lianhu-label'});}"
            )
        layers[level] = folium.GeoJson(
            _layers.feature_collection(geom, _layers.escape_frame(props)),
            name=name,
            show=show,
            style_function=lambda _f, s=style: s,
            interactive=False,
            on_each_feature=label,
        ).add_to(m)
    return layers


def _by_id(compounds: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Compounds in ``compound_id`` order, so that row order never changes the file."""
    order = np.argsort(compounds["compound_id"].astype(str).to_numpy(), kind="stable")
    return compounds.iloc[order]


def _compound_layers(
    m: folium.Map,
    frame: gpd.GeoDataFrame,
    props: pd.DataFrame,
    *,
    simplify_m: float,
    coords: str,
    lang: str,
    popup_keys: list[str],
    group_by: str | None = "subdistrict",
    name: str | None = None,
    style: Any = None,
) -> dict[str, folium.GeoJson]:
    geom = _layers.display_frame(frame, simplify_m=simplify_m, coords=coords)
    fields, aliases = _popups.popup_fields(lang, popup_keys)
    groups = sorted(frame[group_by].astype(str).unique()) if group_by else [name or "compounds"]
    layers = {}
    for group in groups:
        mask = frame[group_by].astype(str) == group if group_by else pd.Series(True, frame.index)
        label = (
            TEXT[lang]["compounds_layer"].format(sub=group, n=int(mask.sum()))
            if group_by
            else group
        )
        fg = folium.FeatureGroup(name=_html.escape(label)).add_to(m)
        layers[group] = folium.GeoJson(
            _layers.feature_collection(geom[mask], props[mask]),
            style_function=style or _popups.compound_style,
            highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
            # folium refuses popup fields on a layer with no features (no changed compounds)
            popup=folium.GeoJsonPopup(fields=fields, aliases=aliases, max_width=360)
            if mask.any()
            else None,
            tooltip=folium.GeoJsonTooltip(fields=["name", "mode_label"], labels=False)
            if mask.any()
            else None,
            marker=_points.point_marker(),
            control=False,
        ).add_to(fg)
    return layers


def _bundle_layer(
    m: folium.Map, plan: Any, *, simplify_m: float, coords: str, lang: str, name: str,
    dash: str | None = None, colors: dict[object, str] | None = None,
) -> tuple[folium.GeoJson, folium.GeoJson] | None:  # fmt: skip
    text, bundles = _popups.bundle_text(plan, lang)
    if len(bundles) == 0:
        return None
    colors = _colors(plan) if colors is None else colors
    ids = bundles.index.astype(str)
    geom = _layers.display_frame(bundles, simplify_m=simplify_m, coords=coords)
    names = bundles.get("compound_names", pd.Series("", index=bundles.index)).astype(str)
    props = _layers.escape_frame(
        pd.DataFrame(
            {
                "bundle": text.reindex(ids).to_numpy(),
                "place": bundles.get("subdistrict", pd.Series("", index=bundles.index))
                .astype(str)
                .to_numpy(),
                "name": names.to_numpy(),
                "color": [colors[i] for i in bundles.index],
                "estimated": _estimated(bundles),
            },
            index=bundles.index,
        )
    )
    props.insert(0, "bid", ids.to_numpy())  # the id as data (the panel finds it), never HTML
    words = TEXT[lang]
    layer = folium.GeoJson(
        _layers.feature_collection(geom, props),
        name=_html.escape(name),
        style_function=lambda f: _points.bundle_style(
            f["properties"]["color"], bool(f["properties"]["estimated"])
        ),
        popup=folium.GeoJsonPopup(
            fields=["bundle", "place", "name"],
            aliases=[words["bundle"], words["subdistricts"], words["name"]],
            max_width=360,
        ),
    ).add_to(m)
    edges = folium.GeoJson(
        _layers.feature_collection(geom, props[["bid", "color", "estimated"]]),
        style_function=lambda f: _points.edge_style(
            f["properties"]["color"], bool(f["properties"]["estimated"]), dash
        ),
        interactive=False,
        control=False,
    )
    layer.lianhu_extra = (ids.tolist(), _controls.label_points(geom), colors)
    return layer, edges


def _colors(plan: Any) -> dict[object, str]:
    """Give each bundle a colour, neighbours different (:func:`bundle_colors`).

    A plan renumbered after another (:func:`_matched`) keeps the other's
    colours where it can, so the same bundle looks the same in both maps.
    """
    if len(plan.bundles) == 0:
        return {}
    prefer = _colors(plan._map_reference) if hasattr(plan, "_map_reference") else None
    return bundle_colors(to_metric(plan.bundles).geometry, prefer=prefer)


def _estimated(bundles: gpd.GeoDataFrame) -> np.ndarray:
    """Whether each bundle's area is estimated from points (``footprint_estimated``)."""
    if "footprint_estimated" not in bundles.columns:
        return np.zeros(len(bundles), dtype=bool)
    return bundles["footprint_estimated"].fillna(False).to_numpy(dtype=bool)


def _legend(
    plan: Any, compounds: gpd.GeoDataFrame, lang: str, colors: dict[object, str] | None = None
) -> Legend:
    """Build the legend: round symbols for point data, the dashed estimated area."""
    estimated = bool(_estimated(plan.bundles).any()) if len(plan.bundles) else False
    colors = _colors(plan) if colors is None else colors
    colors = sorted(set(colors.values()), key=BUNDLE_PALETTE.index)
    return Legend(
        lang,
        round_symbols=_points.has_points(compounds),
        symbols=_points.legend_rows(lang, estimated=estimated),
        bundle_swatch=tuple(colors),
    )


def _add_edges(m: folium.Map, bundle_layers: list[tuple[folium.GeoJson, folium.GeoJson]]) -> None:
    """Draw bundle outlines above the compounds (not clickable), shown with their layer."""
    for layer, edges in bundle_layers:
        edges.add_to(m)
        _layers.LinkedLayer(layer, edges).add_to(m)


def _finish(
    m: folium.Map,
    *,
    search_layers: dict[str, folium.GeoJson],
    registry: dict[str, dict[str, Any]],
    info: InfoBox,
    legend: Legend,
    lang: str,
    title: str,
    panel: tuple[Any, folium.GeoJson, folium.GeoJson] | None = None,
) -> folium.Map:
    """Add the controls, the bundle list and labels, the layout and the page title.

    ``panel`` is ``(plan, bundle areas, bundle outlines)`` of the bundles
    to list and label.
    """
    words = TEXT[lang]
    # folded: a layer list always open hides the bundles under it on a small screen
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    folium.plugins.Fullscreen(
        position="topleft", title=words["fullscreen"], title_cancel=words["fullscreen_off"]
    ).add_to(m)
    _layers.SearchControl(
        search_layers.values(), prop="search", placeholder=words["search"]
    ).add_to(m)
    legend.add_to(m)
    info.add_to(m)
    if panel is not None:
        plan, areas, edges = panel
        ids, points, colors = areas.lianhu_extra
        rows = _controls.bundle_rows(plan, colors, lang)
        _controls.BundlePanel(rows, areas=areas, edges=edges, lang=lang).add_to(m)
        _controls.BundleLabels(ids, points, areas=areas).add_to(m)
    _controls.add_style(m)
    bundles = [v for k, v in registry.items() if k.startswith("bundles")]
    order = [registry.get("grid", {}).get("zones")]
    order += [b["all"] for b in bundles] + list(registry["compounds"].values())
    order += [b["edges"] for b in bundles]
    _controls.Layout(m.lianhu_bounds, order).add_to(m)
    m.get_root().title = _html.escape(title)  # branca writes the title as it is given
    m.get_root().header.add_child(
        folium.Element(
            "<style>.leaflet-tooltip.lianhu-label{background:transparent;border:none;box-shadow:none;"
            "font-weight:bold;color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff;}"
            ".leaflet-tooltip.lianhu-label:before{display:none;}</style>"
        ),
        name="lianhu_style",
    )
    _layers.Registry(registry).add_to(m)
    use_assets(m)
    return literal_tree(_layers.set_ids(m))


def plan_map(
    plan: Any,
    *,
    grid: Any = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    lang: str = "zh",
    simplify_m: float = 2.0,
    date: str | _dt.date | None = None,
    title: str | None = None,
    subdistricts: gpd.GeoDataFrame | None = None,
    communities: gpd.GeoDataFrame | None = None,
    boundary: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
) -> folium.Map:
    """Draw a coverage plan on an interactive map.

    Parameters
    ----------
    plan : CoveragePlan
        From :func:`~lianhu_geo.coverage.plan_coverage`.
    grid : NeighborhoodGrid, optional
        Adds a drill-down layer of grid zones (zone > compound > building >
        unit counts) from ``grid.to_json()``.
    basemap : {"none", "osm", "amap", "tianditu"}
        Tiles under the data; ``"amap"`` shifts all data to GCJ-02 so it lines
        up with Amap's tiles; ``"none"`` (default) needs no network.
    tianditu_key : str, optional
        Tianditu key, required for ``basemap="tianditu"``.
    lang : {"zh", "en"}
        Language of popups, legend and layer names.
    simplify_m : float, default 2.0
        Tolerance in metres (EPSG:32649) for simplifying shapes before
        drawing; 0 keeps every vertex. Coordinates are rounded to 6 decimals
        (about 0.1 m).
    date : date or str, optional
        Date printed on the map; default ``plan.created``.
    title : str, optional
        Title printed on the map.
    subdistricts, communities : GeoDataFrame, optional
        Area polygons with a ``name`` column. Default: the sample's areas
        when the plan is made from the sample, else outlines dissolved from
        the compounds.
    boundary : GeoDataFrame or GeoSeries, optional
        District outline. Default: the sample's, for sample plans.

    Returns
    -------
    folium.Map
        Leaflet map with canvas rendering; its layers are also reachable in
        the page as ``window.lianhuMap``.

    Raises
    ------
    InputError
        Unknown basemap or language, Tianditu without a key.

    Examples
    --------
    >>> from lianhu_geo.coverage import plan_coverage
    >>> m = plan_map(plan_coverage(three_compounds(), bundle=False), date="2026-11-28")
    >>> type(m).__name__
    'Map'
    """
    _check_options(lang, simplify_m, title=title, date=date)
    check_basemap(basemap, tianditu_key=tianditu_key)
    coords = basemap_coords(basemap)
    compounds = _by_id(plan.compounds)
    words = TEXT[lang]
    display = _layers.display_frame(compounds, simplify_m=0, coords=coords)
    m = _new_map([display], basemap=basemap, tianditu_key=tianditu_key)
    outlines = _outlines(
        m,
        compounds,
        areas={"subdistrict": subdistricts, "community": communities, "district": boundary},
        simplify_m=simplify_m,
        coords=coords,
        lang=lang,
    )
    registry: dict[str, dict[str, Any]] = {"outlines": outlines}
    colors = _colors(plan)  # worked out once: the bundles, the compounds and the legend
    bundle_layers = _bundle_layer(
        m, plan, simplify_m=simplify_m, coords=coords, lang=lang, name=words["bundle_layer"],
        colors=colors,
    )  # fmt: skip
    if bundle_layers is not None:
        registry["bundles"] = {"all": bundle_layers[0], "edges": bundle_layers[1]}
    if grid is not None:
        from ._grid import grid_layer

        registry["grid"] = {"zones": grid_layer(m, grid, compounds, coords=coords, lang=lang)}
    layers = _compound_layers(
        m,
        compounds,
        _popups.compound_props(compounds, plan, lang, colors),
        simplify_m=simplify_m,
        coords=coords,
        lang=lang,
        popup_keys=_popups.POPUP_KEYS,
    )
    registry["compounds"] = layers
    _add_edges(m, [bundle_layers] if bundle_layers else [])
    default_title, figures = _headline(plan, lang)
    date_shown, day = _date_text(date, plan, lang)
    info = InfoBox(
        title=title or default_title,
        date=date_shown,
        day=day,
        fingerprint=str(getattr(plan, "fingerprint", "")),
        version=str(getattr(plan, "version", "")),
        options={"plan": dict(getattr(plan, "options", {}) or {})},
        figures=figures,
        lang=lang,
    )
    legend = _legend(plan, compounds, lang, colors)
    panel = (plan, *bundle_layers) if bundle_layers is not None else None
    return _finish(
        m, search_layers=layers, registry=registry, info=info, legend=legend, lang=lang,
        title=title or default_title, panel=panel,
    )  # fmt: skip


def _headline(plan: CoveragePlan, lang: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the map's title and the plan's honest figures as ``(label, value)`` rows.

    A plan gives every unmanaged compound some mode, so "covered" is always all
    of them; the map says instead what a provider would deliver and what the
    community would carry, as proposed (:meth:`CoveragePlan.coverage_figures`).
    """
    total = plan.summary().loc["total"]

    def share(count: str, rate: str) -> str:
        value = total[rate]
        return f"{int(total[count])} ({value:.1%})" if pd.notna(value) else str(int(total[count]))

    figures = [
        (label("unmanaged_compounds", lang), str(int(total["unmanaged"]))),
        (label("provider_delivered", lang), share("provider_delivered", "provider_rate")),
        (label("community_carried", lang), share("community_carried", "community_rate")),
        (label("bundles", lang), str(int(total["bundles"]))),
    ]
    return label("plan_title", lang), figures


def compare_map(
    plan_a: Any,
    plan_b: Any,
    *,
    basemap: str = "none",
    tianditu_key: str | None = None,
    lang: str = "zh",
    simplify_m: float = 2.0,
    date: str | _dt.date | None = None,
    labels: tuple[str, str] | None = None,
) -> folium.Map:
    """Map the compounds whose service mode or bundle differs between two plans.

    Changed compounds are coloured by their mode in ``plan_b``; their popup
    gives mode and bundle in both plans. Unchanged compounds are grey. The
    bundles of both plans are outlined (plan A dashed). A compound "changed
    bundle" when the set of compounds it is bundled with differs, so
    renumbered bundles do not count as changes.

    Parameters
    ----------
    plan_a, plan_b : CoveragePlan
        Plans over the same compounds (same ``compound_id`` values).
    labels : (str, str), optional
        Names of the two plans; default 方案 A / 方案 B.
    basemap, tianditu_key, lang, simplify_m, date
        As in :func:`plan_map`; the date defaults to ``plan_b.created``.

    Returns
    -------
    folium.Map

    Raises
    ------
    InputError
        The plans do not cover the same compounds.

    Examples
    --------
    >>> from lianhu_geo.coverage import plan_coverage
    >>> a = plan_coverage(three_compounds(), bundle=False)
    >>> m = compare_map(a, a, date="2026-11-28")
    >>> type(m).__name__
    'Map'
    """
    _check_options(lang, simplify_m, date=date, labels=labels or ())
    check_basemap(basemap, tianditu_key=tianditu_key)
    coords = basemap_coords(basemap)
    words = TEXT[lang]
    label_a, label_b = labels or (words["before"], words["after"])
    plan_b = _matched(plan_b, plan_a)
    a, b = plan_a.compounds, _by_id(plan_b.compounds)
    ids_a, ids_b = set(a["compound_id"].astype(str)), set(b["compound_id"].astype(str))
    if ids_a != ids_b:
        only = sorted(ids_a ^ ids_b)
        raise InputError(
            f"the two plans must cover the same compounds; compounds {format_rows(only)} are "
            "in only one of them. Make both plans from the same compounds table."
        )
    mode_a = pd.Series(a["service_mode"].astype(str).to_numpy(), index=a["compound_id"].astype(str))
    bid_a = pd.Series(a["bundle_id"].astype("string").to_numpy(), index=mode_a.index)
    key = b["compound_id"].astype(str)
    mode_b = b["service_mode"].astype(str)
    # bundles matched by members (match_bundles): a compound changed when its mode or its
    # bundle did, not when its bundle gained or lost others
    same_bundle = bid_a.reindex(key).fillna("").to_numpy() == (
        b["bundle_id"].astype("string").fillna("").to_numpy()
    )
    changed = (mode_a.reindex(key).to_numpy() != mode_b.to_numpy()) | ~same_bundle
    props = _popups.compound_props(b, plan_b, lang, _colors(plan_b))
    labels_zh = MODE_LABELS[lang]

    def describe(mode: pd.Series, bundle: pd.Series) -> list[str]:
        return [
            _html.escape(labels_zh.get(m_, m_) + ("" if pd.isna(b_) else f" · {b_}"))
            for m_, b_ in zip(mode, bundle, strict=True)
        ]

    props["before"] = describe(mode_a.reindex(key), bid_a.reindex(key))
    props["after"] = describe(mode_b, b["bundle_id"].astype("string"))
    display = _layers.display_frame(b, simplify_m=0, coords=coords)
    m = _new_map([display], basemap=basemap, tianditu_key=tianditu_key)
    areas = {"subdistrict": None, "community": None, "district": None}
    outlines = _outlines(m, b, areas=areas, simplify_m=simplify_m, coords=coords, lang=lang)
    registry: dict[str, dict[str, Any]] = {"outlines": outlines}
    bundle_layers = []
    for plan, name, dash in ((plan_a, label_a, "6 6"), (plan_b, label_b, None)):
        pair = _bundle_layer(
            m, plan, simplify_m=simplify_m, coords=coords, lang=lang,
            name=f"{words['bundle_layer']} · {name}", dash=dash,
        )  # fmt: skip
        if pair is not None:
            bundle_layers.append(pair)
            registry[f"bundles_{'a' if dash else 'b'}"] = {"all": pair[0], "edges": pair[1]}
    keys = ["name", "place", "households", "before", "after", "reason", "build_year", "status"]
    grey = {"color": "#9e9e9e", "weight": 0.5, "fillColor": "#9e9e9e", "fillOpacity": 0.2}
    unchanged = _compound_layers(
        m, b[~changed], props[~changed], simplify_m=simplify_m, coords=coords, lang=lang,
        popup_keys=keys, group_by=None, name=words["unchanged"], style=lambda _f: grey,
    )  # fmt: skip
    moved = _compound_layers(
        m, b[changed], props[changed], simplify_m=simplify_m, coords=coords, lang=lang,
        popup_keys=keys, group_by=None, name=words["changed"].format(n=int(changed.sum())),
    )  # fmt: skip
    registry["compounds"] = {"unchanged": unchanged[words["unchanged"]], **moved}
    _add_edges(m, bundle_layers)
    info = InfoBox(
        title=f"{label_a} → {label_b}：{int(changed.sum())} / {len(b)} {words['compounds']}",
        date=_date_text(date, plan_b, lang)[0],
        day=_date_text(date, plan_b, lang)[1],
        fingerprint=f"{getattr(plan_a, 'fingerprint', '')} / {getattr(plan_b, 'fingerprint', '')}",
        version=str(getattr(plan_b, "version", "")),
        options={label_a: plan_a.options, label_b: plan_b.options},
        lang=lang,
    )
    search = {**unchanged, **moved}
    legend = _legend(plan_b, b, lang)
    panel = (plan_b, *bundle_layers[-1]) if len(plan_b.bundles) else None
    return _finish(
        m, search_layers=search, registry=registry, info=info, legend=legend, lang=lang,
        title=info.title, panel=panel,
    )  # fmt: skip


def _matched(plan: Any, reference: Any) -> Any:
    """``plan`` with its bundles renumbered after ``reference``'s (:func:`match_bundles`)."""
    if not (isinstance(plan, CoveragePlan) and isinstance(reference, CoveragePlan)):
        return plan
    with warnings.catch_warnings():  # a map shows differences; compare_plans warns about data
        warnings.simplefilter("ignore", DataWarning)
        matched = match_bundles(plan, reference)
    matched._map_reference = reference  # for the colours (see _colors)
    return matched


def side_by_side_map(
    plan_a: Any,
    plan_b: Any,
    *,
    labels: tuple[str, str] | None = None,
    grid: Any = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    lang: str = "zh",
    simplify_m: float = 2.0,
    date: str | _dt.date | None = None,
) -> SideBySide:
    """Show two plans side by side: two maps in one page that pan and zoom together.

    Each half is a full :func:`plan_map` (popups, bundle list, labels,
    legend); ``plan_b``'s bundles are renumbered after ``plan_a``'s
    (:func:`~lianhu_geo.match_bundles`), so the same bundle has the same id
    and colour on both sides. :func:`compare_map` shows on one map what
    changed.

    Parameters
    ----------
    plan_a, plan_b : CoveragePlan
        The two scenarios (left and right).
    labels : (str, str), optional
        Their names, shown as each map's title; default 方案 A / 方案 B.
    grid, basemap, tianditu_key, lang, simplify_m, date
        As in :func:`plan_map`, for both maps.

    Returns
    -------
    SideBySide
        A page (a branca ``Figure``) with the maps as ``.left`` and
        ``.right``; ``.save(path)`` or :func:`export_html` writes one file
        that opens offline.

    Examples
    --------
    >>> from lianhu_geo.coverage import plan_coverage
    >>> a = plan_coverage(three_compounds(), bundle=False)
    >>> page = side_by_side_map(a, a, labels=("现状", "方案"), date="2026-11-28")
    >>> page.left.get_name() != page.right.get_name()
    True
    """
    _check_options(lang, simplify_m, date=date, labels=labels or ())
    words = TEXT[lang]
    label_a, label_b = labels or (words["before"], words["after"])
    options = {
        "grid": grid, "basemap": basemap, "tianditu_key": tianditu_key, "lang": lang,
        "simplify_m": simplify_m, "date": date,
    }  # fmt: skip
    left = plan_map(plan_a, title=label_a, **options)
    right = plan_map(_matched(plan_b, plan_a), title=label_b, **options)
    for key in [k for k, child in left._children.items() if isinstance(child, Legend)]:
        del left._children[key]  # one legend for the page, on the right: room for the map
    return pair_maps(left, right, title=f"{label_a} | {label_b}")


def export_html(
    plan: Any,
    path: str | os.PathLike,
    *,
    offline: bool = True,
    max_size_mb: float = MAX_RESPONSIVE_MB,
    **options: Any,
) -> Path:
    """Write a plan's map (or a map from :func:`compare_map`) to one HTML file.

    Parameters
    ----------
    plan : CoveragePlan or folium.Map
        A plan (drawn with :func:`plan_map` and ``**options``) or a map made
        by :func:`plan_map` / :func:`compare_map`. Any other map's elements
        are switched to literal rendering too (their output is never
        compiled as a template).
    path : str or path
        File to write (UTF-8).
    offline : bool, default True
        Inline Leaflet and its plugins so the file opens with no network
        (base-map tiles, if any, still need it).
    max_size_mb : float
        Warn above this size.
    **options
        Passed to :func:`plan_map`.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OutputError
        ``path`` is a folder or a symbolic link, or its folder is missing;
        nothing is written.
    OSError
        The disk is full or the folder cannot be written; the previous file
        at ``path`` is left as it was.

    Warns
    -----
    MapSizeWarning
        When the file is over ``max_size_mb``: simplify more (``simplify_m``),
        or map one subdistrict at a time.

    Examples
    --------
    >>> import tempfile
    >>> from lianhu_geo.coverage import plan_coverage
    >>> plan = plan_coverage(three_compounds(), bundle=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = export_html(plan, Path(d) / "plan.html", date="2026-11-28")
    ...     "<script src=" in out.read_text(encoding="utf-8")
    False
    """
    check_target(path)
    if isinstance(plan, (folium.Map, Figure)):
        if options:
            raise InputError(f"options {', '.join(sorted(options))} apply to plans, not to maps")
        m = plan
    else:
        m = plan_map(plan, **options)
    path = write_page(m, path, offline=offline)
    size_mb = path.stat().st_size / 1e6
    if size_mb > max_size_mb:
        warnings.warn(
            f"the map {path.name} is {size_mb:.1f} MB (over {max_size_mb:g} MB) and will be "
            "slow to open and pan on a meeting laptop; raise simplify_m (e.g. simplify_m=10), "
            "or map fewer compounds (one subdistrict at a time)",
            MapSizeWarning,
            stacklevel=2,
        )
    return path
