"""Colours, labels, legend and info box of lianhu_geo maps."""

from __future__ import annotations

import html

import geopandas as gpd
import networkx as nx
from branca.element import MacroElement
from jinja2 import Template

from ..labels import label as _label

__all__ = [
    "MODES",
    "MODE_COLORS",
    "MODE_LABELS",
    "BUNDLE_PALETTE",
    "TEXT",
    "mode_style",
    "bundle_colors",
    "Legend",
]

#: Service modes in legend order.
MODES: tuple[str, ...] = (
    "bundle",
    "standalone",
    "extended",
    "self_governed",
    "on_demand",
    "professional",
)

MODE_COLORS: dict[str, str] = {
    "bundle": "#1f78b4",
    "standalone": "#17becf",
    "extended": "#33a02c",
    "self_governed": "#ff7f00",
    "on_demand": "#e31a1c",
    "professional": "#9e9e9e",
}

MODE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "bundle": "片区大物业",
        "standalone": "单独选聘物业",
        "extended": "延伸式",
        "self_governed": "自治式",
        "on_demand": "订单式",
        "professional": "专业物业",
    },
    "en": {
        "bundle": "bundle (片区大物业)",
        "standalone": "standalone (单独选聘物业)",
        "extended": "extended (延伸式)",
        "self_governed": "self-governed (自治式)",
        "on_demand": "on-demand (订单式)",
        "professional": "professional (专业物业)",
    },
}

#: Ten fill colours for bundles, none of them a mode colour.
BUNDLE_PALETTE: tuple[str, ...] = (
    "#6a3d9a",
    "#b15928",
    "#008b8b",
    "#d81b60",
    "#3949ab",
    "#827717",
    "#5d4037",
    "#c49a00",
    "#8e24aa",
    "#455a64",
)

#: Words printed on the map, by language.
TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "name": "小区",
        "place": "街道 / 社区",
        "households": "户数",
        "mode": "服务模式",
        "reason": "理由",
        "bundle": "片区",
        "bundle_text": "{id}：{n} 个小区，{hh} 户，跨度 {span} 米，月盈余 {margin} 元",
        "bundle_layer": "片区大物业",
        "compounds_layer": "小区：{sub}（{n}）",
        "subdistricts": "街道边界",
        "communities": "社区边界",
        "district": "区界",
        "zones": "邻里格片区",
        "legend": "服务模式",
        "search": "搜索小区名称",
        "fullscreen": "全屏",
        "fullscreen_off": "退出全屏",
        "fingerprint": "数据指纹",
        "date": "日期",
        "no_date": "未注明",
        "options": "方案参数",
        "version": "版本",
        "changed": "有变化的小区（{n}）",
        "unchanged": "无变化的小区",
        "before": "方案 A",
        "after": "方案 B",
        "compounds": "个小区",
    },
    "en": {
        "name": "compound",
        "place": "subdistrict / community",
        "households": "households",
        "mode": "service mode",
        "reason": "why",
        "bundle": "bundle",
        "bundle_text": "{id}: {n} compounds, {hh} households, span {span} m, "
        "margin {margin} yuan/month",
        "bundle_layer": "bundles",
        "compounds_layer": "compounds: {sub} ({n})",
        "subdistricts": "subdistricts",
        "communities": "communities",
        "district": "district",
        "zones": "grid zones",
        "legend": "service mode",
        "search": "search compound name",
        "fullscreen": "full screen",
        "fullscreen_off": "exit full screen",
        "fingerprint": "data fingerprint",
        "date": "date",
        "no_date": "not given",
        "options": "plan options",
        "version": "version",
        "changed": "changed compounds ({n})",
        "unchanged": "unchanged compounds",
        "before": "plan A",
        "after": "plan B",
        "compounds": "compounds",
    },
}


def mode_style(mode: str) -> dict[str, object]:
    """Leaflet path style of a compound in ``mode`` (professional is muted).

    Examples
    --------
    >>> mode_style("professional")["fillOpacity"]
    0.25
    """
    color = MODE_COLORS.get(mode, "#000000")
    muted = mode == "professional"
    return {
        "color": color,
        "weight": 0.5 if muted else 1,
        "fillColor": color,
        "fillOpacity": 0.25 if muted else 0.7,
        "opacity": 0.6 if muted else 1.0,
    }


def bundle_colors(
    bundles: gpd.GeoSeries, *, gap_m: float = 100.0, prefer: dict[object, str] | None = None
) -> dict[object, str]:
    """Give each bundle a palette colour, neighbouring bundles different ones.

    Bundles within ``gap_m`` of each other are neighbours. Bundles are
    coloured in order of most neighbours first (ties by bundle id), each
    with the palette colour used least so far among those its coloured
    neighbours do not have: every bundle has its own colour while there are
    no more bundles than colours, and colours repeat evenly, never between
    neighbours (unless a bundle has as many neighbours as the palette has
    colours).

    Parameters
    ----------
    bundles : GeoSeries
        Bundle footprints in a metric CRS, indexed by bundle id.
    gap_m : float
        Bundles closer than this are neighbours.
    prefer : dict, optional
        Bundle id to the colour it should keep when no neighbour has it yet
        (the same bundle in another scenario's map).

    Returns
    -------
    dict
        Bundle id to colour.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> s = gpd.GeoSeries([box(0, 0, 1, 1), box(1, 0, 2, 1)], index=["B1", "B2"], crs=32649)
    >>> c = bundle_colors(s)
    >>> c["B1"] != c["B2"]
    True
    """
    ids = sorted(bundles.index, key=str)
    graph = nx.Graph()
    graph.add_nodes_from(str(i) for i in ids)
    if len(ids) > 1:
        geoms = bundles.loc[ids].geometry.values
        left, right = gpd.GeoSeries(geoms).sindex.query(geoms, predicate="dwithin", distance=gap_m)
        for a, b in zip(left.tolist(), right.tolist(), strict=True):
            if a < b:
                graph.add_edge(str(ids[a]), str(ids[b]))
    order = sorted(graph.nodes, key=lambda n: (-graph.degree[n], n))
    used = [0] * len(BUNDLE_PALETTE)
    chosen: dict[str, int] = {}
    for node in order:
        taken = {chosen[n] for n in graph.neighbors(node) if n in chosen}
        free = [k for k in range(len(BUNDLE_PALETTE)) if k not in taken] or list(
            range(len(BUNDLE_PALETTE))
        )
        wanted = {str(k): v for k, v in (prefer or {}).items()}.get(node)
        if wanted in BUNDLE_PALETTE and BUNDLE_PALETTE.index(wanted) in free:
            free = [BUNDLE_PALETTE.index(wanted)]
        pick = min(free, key=lambda k: (used[k], k))
        chosen[node] = pick
        used[pick] += 1
    return {i: BUNDLE_PALETTE[chosen[str(i)]] for i in ids}


class Legend(MacroElement):
    """A categorical legend listing every service mode, bottom right."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .lianhu-box {background: rgba(255,255,255,0.92); padding: 6px 8px;
            border-radius: 4px; box-shadow: 0 0 6px rgba(0,0,0,0.3);
            font: 13px/1.4 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;}
        .lianhu-box i {display: inline-block; width: 14px; height: 14px;
            margin-right: 6px; vertical-align: -2px; border: 1px solid #555;}
        .lianhu-box details {max-width: 320px;}
        .lianhu-box pre {margin: 2px 0; font-size: 11px; white-space: pre-wrap;}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "lianhu-box lianhu-legend");
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        lang: str = "zh",
        *,
        extra: tuple[tuple[str, str], ...] = (),
        round_symbols: bool = False,
        symbols: tuple[tuple[str, str], ...] = (),
        bundle_swatch: tuple[str, ...] = (),
    ):
        super().__init__()
        self._name = "Legend"
        labels = MODE_LABELS[lang]
        rows = [f"<b>{html.escape(TEXT[lang]['legend'])}</b>"]
        # compounds drawn as points get round symbols, as on the map
        shape = "border-radius:50%;" if round_symbols else ""
        for mode in MODES:
            style = mode_style(mode)
            text = labels[mode]
            stripes = ""
            if mode == "bundle" and bundle_swatch:  # each bundle has its own colour
                stripes = f"background-image:linear-gradient(90deg,{','.join(bundle_swatch)});"
                text = _label("bundle_colors", lang)
            rows.append(
                f'<div data-mode="{mode}"><i class="lianhu-symbol" style="{shape}'
                f"background-color:{style['fillColor']};{stripes}"
                f'opacity:{max(float(style["fillOpacity"]), 0.4)}"></i>'
                f"{html.escape(text)}</div>"
            )
        for label, color in extra:
            rows.append(
                f'<div><i style="background:none;border:2px solid {color}"></i>'
                f"{html.escape(label)}</div>"
            )
        for label, css in symbols:  # css comes from lianhu_geo, never from the data
            rows.append(
                f'<div class="lianhu-note"><i style="{html.escape(css)}"></i>'
                f"{html.escape(label)}</div>"
            )
        self.html = "".join(rows)


class SwatchLegend(Legend):
    """A legend of a title and coloured swatches, bottom right, styled as :class:`Legend`.

    ``rows`` are ``(label, colour)`` under the ``title`` and a ``note`` on
    what the colours show; text is escaped, colours come from lianhu_geo's
    palettes, never from the data.
    """

    def __init__(self, title: str, rows: list[tuple[str, str]], *, note: str = ""):
        MacroElement.__init__(self)
        self._name = "Legend"
        head = f"<b>{html.escape(title)}</b>"
        if note:
            head += f"<div>{html.escape(note)}</div>"
        self.html = head + "".join(
            f'<div><i style="background-color:{html.escape(color)}"></i>{html.escape(text)}</div>'
            for text, color in rows
        )
