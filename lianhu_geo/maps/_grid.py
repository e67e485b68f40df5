"""Drill-down layer of the 邻里格 grid: zone > compound > building (> unit counts)."""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
from branca.element import MacroElement
from folium.utilities import JsCode
from jinja2 import Template

from ..labels import LANGS, count_words
from . import _layers
from ._render import script_json
from ._style import TEXT

__all__ = ["grid_tree", "grid_layer"]

#: The words after a count, by language (kept in :mod:`lianhu_geo.labels`).
_WORDS = {lang: count_words(lang) for lang in LANGS}


def grid_tree(grid: Any) -> dict[str, list]:
    """Compact drill-down data from ``grid.to_dict()``, keyed by zone id.

    Each zone is ``[name, households, compounds]``; each compound
    ``[name, households, buildings]``; each building ``[name, units,
    households]``.
    """
    tree = grid.to_dict(max_level="building")
    out: dict[str, list] = {}
    for zone in tree.get("children", []):
        compounds = [
            [
                c.get("name"),
                c.get("households"),
                [
                    [b.get("name"), b.get("units"), b.get("households")]
                    for b in c.get("children", [])
                ],
            ]
            for c in zone.get("children", [])
        ]
        out[zone["id"]] = [zone.get("name"), zone.get("households"), compounds]
    return out


class _GridData(MacroElement):
    """The drill-down data and the popup builder, once per page."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var lianhuGrid = {{ this.data }};
        function lianhuGridPopup(id) {
            var w = {{ this.words }}, z = lianhuGrid[id];
            var esc = function(s) {
                var d = document.createElement("div");
                d.textContent = String(s);
                return d.innerHTML;
            };
            if (!z) { return ""; }
            var h = "<b>" + esc(z[0]) + "</b>：" + z[2].length + w.compounds + "，" +
                (z[1] || 0).toLocaleString() + w.households +
                "<div style='max-height:260px;overflow:auto'>";
            z[2].forEach(function(c) {
                h += "<details><summary>" + esc(c[0]) + " · " + c[2].length + w.buildings +
                    " · " + (c[1] || 0).toLocaleString() + w.households + "</summary><ul>";
                c[2].forEach(function(b) {
                    h += "<li>" + esc(b[0]) + "：" + (b[1] || 0) + w.units + "，" +
                        (b[2] || 0) + w.households + "</li>";
                });
                h += "</ul></details>";
            });
            return h + "</div>";
        }
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, lang: str):
        super().__init__()
        self._name = "GridData"
        self.data = script_json(data, separators=(",", ":"), sort_keys=True)
        self.words = script_json(_WORDS[lang])


def grid_layer(
    m: folium.Map, grid: Any, compounds: Any, *, coords: str, lang: str, simplify_m: float = 5.0
) -> folium.GeoJson:
    """Add the grid's zones, each opening its compound > building drill-down."""
    zones = grid.to_frames(levels=["zone"])["zone"]
    geom = _layers.display_frame(zones, simplify_m=simplify_m, coords=coords)
    props = pd.DataFrame({"zid": zones.index.astype(str)}, index=zones.index)
    _GridData(grid_tree(grid), lang).add_to(m)
    popup = JsCode(
        "function(feature, layer) {layer.bindPopup(function() {"
        "return lianhuGridPopup(feature.properties.zid);}, {maxWidth: 380});}"
    )
    return folium.GeoJson(
        _layers.feature_collection(geom, props),
        name=TEXT[lang]["zones"],
        show=False,
        style_function=lambda _f: {
            "color": "#00695c",
            "weight": 2,
            "fillColor": "#00695c",
            "fillOpacity": 0.05,
        },
        on_each_feature=popup,
    ).add_to(m)
