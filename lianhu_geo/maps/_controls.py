"""What makes a meeting map readable on a projector: layout, bundle list, labels.

- :class:`Layout` fits the district clear of the controls, keeps popups
  clear of them too (Leaflet's ``autoPanPadding``, measured from the
  controls on the screen at each click), keeps compounds above the grid
  zones and bundle areas whichever layer was switched on last, and draws a
  metric-only scale bar.
- :class:`BundlePanel` lists the bundles (id, subdistrict, courtyards,
  households, margin); a click on a row zooms to the bundle and highlights
  it (a second click clears it). On maps narrower than :data:`PANEL_OPEN_WIDTH` it starts folded and
  folds again once a bundle is picked, so that the bundle is not under it.
- :class:`BundleLabels` writes each bundle's id on the map from zoom
  :data:`LABEL_MIN_ZOOM` on.

Every element here has a fixed template; the data (ids, names, figures)
reach the page as JSON (:func:`~lianhu_geo.maps._render.script_json`) and are
put into the page with ``textContent``, never as HTML.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from ..labels import label
from . import _layers
from ._render import script_json

__all__ = [
    "LABEL_MIN_ZOOM",
    "PANEL_OPEN_WIDTH",
    "Layout",
    "MetricScale",
    "BundlePanel",
    "BundleLabels",
    "bundle_rows",
]

#: Bundle labels show from this zoom on (about 1:70,000: the district fills a laptop screen).
LABEL_MIN_ZOOM = 12
#: The bundle list starts open on maps at least this wide (pixels), folded below.
PANEL_OPEN_WIDTH = 1600

_CSS = """
<style>
.lianhu-bundles {max-width: 340px; padding: 4px 6px;}
.lianhu-bundles button.lianhu-toggle {font: inherit; font-weight: bold; border: none;
    background: none; cursor: pointer; padding: 2px 0; width: 100%; text-align: left;}
.lianhu-bundles.lianhu-folded .lianhu-rows {display: none;}
.lianhu-bundles .lianhu-rows {max-height: 50vh; overflow: auto;}
.lianhu-bundles table {border-collapse: collapse; font-size: 12px;}
.lianhu-bundles th, .lianhu-bundles td {padding: 1px 4px; text-align: right; white-space: nowrap;}
.lianhu-bundles th:nth-child(-n+2), .lianhu-bundles td:nth-child(-n+2) {text-align: left;}
.lianhu-bundles tbody tr {cursor: pointer;}
.lianhu-bundles tbody tr:hover {background: #eef;}
.lianhu-bundles tbody tr.lianhu-active {background: #ffe082;}
.lianhu-bundles i {display: inline-block; width: 10px; height: 10px; margin-right: 4px;}
.leaflet-marker-icon.lianhu-bundle-label {font: bold 13px/1 "Noto Sans CJK SC",
    "Microsoft YaHei", sans-serif; color: #111; white-space: nowrap; width: auto !important;
    height: auto !important; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;
    pointer-events: none;}
.lianhu-zoomed-out .lianhu-bundle-label {display: none;}
.leaflet-popup-content {font-size: 13px; line-height: 1.35; margin: 10px 14px;}
.leaflet-popup-content th {white-space: nowrap; padding-right: 10px; vertical-align: top;}
</style>
"""


class _Style(Element):
    """The style sheet of these controls, once per page."""

    def render(self, **kwargs: Any) -> str:
        return _CSS


def add_style(m: Any) -> None:
    """Put the style sheet of the bundle list and labels in ``m``'s page header."""
    m.get_root().header.add_child(_Style(), name="lianhu_controls_style")


class MetricScale(MacroElement):
    """A metric-only scale bar, bottom left (folium's ``control_scale`` adds feet too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, metric: true, position: "bottomleft"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


class Layout(MacroElement):
    """Fit, popup padding, layer order and a metric scale bar for one map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var bounds = L.latLngBounds({{ this.bounds }});
            var order = [{% for l in this.order %}{{ l.get_name() }}{{
                "," if not loop.last }}{% endfor %}];
            L.control.scale({imperial: false, metric: true, position: "bottomleft"}).addTo(map);
            // the space the controls take at each side of the map, in pixels
            function padding() {
                var box = map.getContainer().getBoundingClientRect(), p = [0, 0, 0, 0];
                map.getContainer().querySelectorAll(".leaflet-control").forEach(function(c) {
                    var r = c.getBoundingClientRect();
                    if (!r.width || !r.height) { return; }
                    var top = c.closest(".leaflet-top"), left = c.closest(".leaflet-left");
                    if (top) { p[1] = Math.max(p[1], r.bottom - box.top); }
                    else { p[3] = Math.max(p[3], box.bottom - r.top); }
                    if (left) { p[0] = Math.max(p[0], r.right - box.left); }
                    else { p[2] = Math.max(p[2], box.right - r.left); }
                });
                return {topLeft: L.point(p[0] + 8, p[1] + 8),
                    bottomRight: L.point(p[2] + 8, p[3] + 8)};
            }
            function padPopups() {
                var p = padding();
                L.Popup.prototype.options.autoPanPaddingTopLeft = p.topLeft;
                L.Popup.prototype.options.autoPanPaddingBottomRight = p.bottomRight;
            }
            // compounds above grid zones and bundle areas, bundle outlines above all
            var pending = false;
            function reorder() {
                if (pending) { return; }
                pending = true;
                setTimeout(function() {
                    pending = false;
                    order.forEach(function(l) { if (map.hasLayer(l)) { l.bringToFront(); } });
                }, 0);
            }
            order.forEach(function(l) { l.on("add", reorder); });
            function zoomClass() {
                var low = map.getZoom() < {{ this.label_zoom }};
                var box = map.getContainer();
                L.DomUtil[low ? "addClass" : "removeClass"](box, "lianhu-zoomed-out");
            }
            map.on("zoomend", zoomClass);
            map.on("preclick", padPopups);
            map.on("resize", padPopups);
            map.lianhuPadding = padding;
            map.lianhuFit = function() {
                // the controls sit in the corners, where the district's box is mostly
                // empty: keep a part of their room as padding, so the district fills the
                // screen and each control covers little of it
                var p = padding(), size = map.getSize();
                var side = Math.min(Math.max(p.topLeft.x, p.bottomRight.x) * 0.25, size.x * 0.1);
                map.fitBounds(bounds, {
                    paddingTopLeft: L.point(side, Math.min(p.topLeft.y, size.y * 0.2) * 0.5),
                    paddingBottomRight:
                        L.point(side, Math.min(p.bottomRight.y, size.y * 0.25) * 0.5),
                    animate: false
                });
                zoomClass();
            };
            map.whenReady(function() {
                map.lianhuFit();
                padPopups();
                reorder();
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], order: list[Element]):
        super().__init__()
        self._name = "Layout"
        self.bounds = script_json(bounds)
        self.order = [layer for layer in order if layer is not None]
        self.label_zoom = int(LABEL_MIN_ZOOM)


def bundle_rows(plan: Any, colors: dict[object, str], lang: str) -> list[dict[str, str]]:
    """One row of the bundle list per bundle: id, colour, subdistrict and figures as text."""
    bundles = plan.bundles
    n = len(bundles)
    get = bundles.get
    subs = get("subdistrict", pd.Series("", index=bundles.index)).astype(str)
    compounds = get("compounds", pd.Series([None] * n, index=bundles.index))
    households = get("households", pd.Series([None] * n, index=bundles.index))
    margin = get("margin_yuan_month", pd.Series([None] * n, index=bundles.index))
    return [
        {
            "id": str(bid),
            "color": colors[bid],
            "sub": sub,
            "n": _layers.fmt_int(c),
            "hh": _layers.fmt_int(h),
            "margin": _layers.fmt_int(mg),
        }
        for bid, sub, c, h, mg in zip(
            bundles.index, subs, compounds, households, margin, strict=True
        )
    ]


class BundlePanel(MacroElement):
    """The bundle list: a row per bundle that zooms to it and highlights it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var rows = {{ this.rows }}, words = {{ this.words }};
            var areas = {{ this.areas.get_name() }}, edges = {{ this.edges.get_name() }};
            function find(group, id) {
                var hit = null;
                group.eachLayer(function(l) { if (l.feature.properties.bid === id) { hit = l; } });
                return hit;
            }
            var control = L.control({position: "topright"}), active = null;
            control.onAdd = function() {
                var div = L.DomUtil.create("div", "lianhu-box lianhu-bundles");
                var toggle = L.DomUtil.create("button", "lianhu-toggle", div);
                toggle.type = "button";
                toggle.textContent = words.title + "（" + rows.length + "）";
                toggle.title = words.fold;
                var body = L.DomUtil.create("div", "lianhu-rows", div);
                var table = L.DomUtil.create("table", "", body);
                var head = L.DomUtil.create("tr", "", L.DomUtil.create("thead", "", table));
                words.columns.forEach(function(w) {
                    L.DomUtil.create("th", "", head).textContent = w;
                });
                var tbody = L.DomUtil.create("tbody", "", table);
                rows.forEach(function(r) {
                    var tr = L.DomUtil.create("tr", "", tbody);
                    tr.dataset.bid = r.id;
                    var first = L.DomUtil.create("td", "", tr);
                    var swatch = L.DomUtil.create("i", "", first);
                    swatch.style.background = r.color;
                    first.appendChild(document.createTextNode(r.id));
                    [r.sub, r.n, r.hh, r.margin].forEach(function(v) {
                        L.DomUtil.create("td", "", tr).textContent = v;
                    });
                    L.DomEvent.on(tr, "click", function() { select(r.id, tr); });
                });
                if (map.getSize().x < {{ this.open_width }}) {
                    L.DomUtil.addClass(div, "lianhu-folded");
                }
                L.DomEvent.on(toggle, "click", function() {
                    div.classList.toggle("lianhu-folded");
                    map.fire("resize");
                });
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            function select(id, tr) {
                var again = active && active.tr === tr;
                if (active) {
                    areas.resetStyle(active.area);
                    edges.resetStyle(active.edge);
                    L.DomUtil.removeClass(active.tr, "lianhu-active");
                    active = null;
                }
                if (again) { return; }  // a second click on the row clears the highlight
                var area = find(areas, id), edge = find(edges, id);
                if (!area) { return; }
                if (!map.hasLayer(areas)) { map.addLayer(areas); }
                area.setStyle({fillOpacity: 0.55, weight: 3});
                edge.setStyle({weight: 8, opacity: 1});
                edge.bringToFront();
                L.DomUtil.addClass(tr, "lianhu-active");
                active = {area: area, edge: edge, tr: tr};
                if (map.getSize().x < {{ this.open_width }}) {
                    // on a small screen the open list would take the room the bundle needs
                    L.DomUtil.addClass(control.getContainer(), "lianhu-folded");
                }
                var p = map.lianhuPadding ? map.lianhuPadding() : {};
                map.fitBounds(area.getBounds(), {
                    paddingTopLeft: p.topLeft, paddingBottomRight: p.bottomRight,
                    maxZoom: 17, animate: false
                });
            }
            control.addTo(map);
            map.lianhuSelectBundle = function(id) {
                var tr = control.getContainer().querySelector(
                    "tr[data-bid='" + CSS.escape(id) + "']");
                if (tr) { select(id, tr); }
                return !!tr;
            };
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[dict[str, str]], *, areas: Element, edges: Element, lang: str):
        super().__init__()
        self._name = "BundlePanel"
        self.rows = script_json(rows, separators=(",", ":"))
        columns = ["bundle_short", "subdistrict", "members", "households", "margin_yuan_month"]
        self.words = script_json(
            {
                "title": label("bundle_list", lang),
                "fold": label("fold_or_unfold", lang),
                "columns": [label(c, lang) for c in columns],
            }
        )
        self.areas = areas
        self.edges = edges
        self.open_width = int(PANEL_OPEN_WIDTH)


def label_points(display: gpd.GeoSeries) -> list[list[float]]:
    """Return a point well inside each (display) shape for its label: ``[lat, lon]``."""
    points = shapely.point_on_surface(display.to_numpy())
    xy = shapely.get_coordinates(points)
    return [[round(float(y), 6), round(float(x), 6)] for x, y in xy]


class BundleLabels(MacroElement):
    """Each bundle's id on the map (shown and hidden with the bundle layer)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, group = L.layerGroup();
            {{ this.labels }}.forEach(function(item) {
                var text = document.createElement("span");
                text.textContent = item[0];
                L.marker(item[1], {
                    icon: L.divIcon({className: "lianhu-bundle-label", html: text,
                        iconSize: null, iconAnchor: [14, 8]}),
                    interactive: false, keyboard: false
                }).addTo(group);
            });
            group.addTo(map);
            var areas = {{ this.areas.get_name() }};
            map.on("overlayadd overlayremove", function(e) {
                if (e.layer === areas) {
                    if (e.type === "overlayadd") { group.addTo(map); } else { group.remove(); }
                }
            });
            map.lianhuBundleLabels = group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, ids: list[str], points: list[list[float]], *, areas: Element):
        super().__init__()
        self._name = "BundleLabels"
        self.labels = script_json([[i, p] for i, p in zip(ids, points, strict=True)])
        self.areas = areas
