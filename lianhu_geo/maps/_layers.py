"""Layers of lianhu_geo maps: display geometry, features, search and ids."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from ..coords import convert_coords, to_metric
from ..errors import InputError

__all__ = [
    "display_frame",
    "feature_collection",
    "derived_areas",
    "fmt_int",
    "escape_frame",
    "SearchControl",
    "LinkedLayer",
    "Registry",
    "set_ids",
]

_DECIMALS = 6  # 1e-6 degree is about 0.1 m north-south, 0.09 m east-west in Xi'an


def display_frame(
    gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, simplify_m: float, coords: str = "wgs84"
) -> gpd.GeoSeries:
    """Geometry ready to draw: simplified in metres, lon/lat rounded to 6 decimals.

    Simplification keeps topology (no self-intersections) and happens in
    the data's metric CRS (:func:`lianhu_geo.coords.metric_crs`, UTM 49N in
    Xi'an); the result is EPSG:4326 lon/lat, shifted to GCJ-02 when
    ``coords="gcj02"`` (for Amap tiles). Same index as ``gdf``.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> s = gpd.GeoSeries([Point(350000, 3792000).buffer(50)], crs=32649)
    >>> out = display_frame(s, simplify_m=2)
    >>> out.crs.to_epsg(), len(out[0].exterior.coords) < 60
    (4326, True)
    """
    geo = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    if geo.crs is None:
        raise InputError("geometry has no CRS; set it with `gdf.set_crs(...)` before mapping")
    metric = to_metric(geo)
    if simplify_m > 0:
        metric = metric.simplify(simplify_m, preserve_topology=True)
    lonlat = metric.to_crs(4326)
    values = lonlat.values
    if coords != "wgs84":
        values = convert_coords(values, "wgs84", coords)
    values = shapely.transform(values, lambda xy: np.round(xy, _DECIMALS))
    return gpd.GeoSeries(values, index=geo.index, crs=4326)


def feature_collection(geometry: gpd.GeoSeries, properties: pd.DataFrame) -> dict:
    """Make a GeoJSON FeatureCollection with ids ``"0"``, ``"1"``, ... and given properties."""
    columns = [str(c) for c in properties.columns]
    values = [  # column by column: what to_dict("records") gives, missing values None
        [None if missing else v for v, missing in zip(column, absent, strict=True)]
        for column, absent in zip(
            (properties[c].tolist() for c in properties.columns),
            properties.isna().to_numpy().T.tolist(),
            strict=True,
        )
    ]
    records = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
    if not columns:
        records = [{} for _ in range(len(properties))]
    features = [
        {"type": "Feature", "id": str(i), "properties": props, "geometry": geom}
        for i, (geom, props) in enumerate(
            zip(geojson_geometries(geometry.values), records, strict=True)
        )
    ]
    return {"type": "FeatureCollection", "features": features}


_POINT, _POLYGON, _MULTIPOLYGON = 0, 3, 6  # shapely.get_type_id


def geojson_geometries(values: np.ndarray) -> list[dict]:
    """GeoJSON geometries, as ``shapely.geometry.mapping`` gives them, made all at once.

    Points, polygons and multipolygons (what maps draw) are read with one
    call per kind instead of one Python object per ring; anything else
    (empty points, 3D, lines, collections) goes through ``mapping``. The
    JSON is the same.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> point, square = geojson_geometries(np.array([Point(1, 2), box(0, 0, 1, 1)]))
    >>> point
    {'type': 'Point', 'coordinates': [1.0, 2.0]}
    >>> square["coordinates"]
    [[[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]]
    """
    values = np.asarray(values, dtype=object)
    kinds = shapely.get_type_id(values)
    plain = ~shapely.has_z(values) & ~(shapely.is_empty(values) & (kinds == _POINT))
    out: list[dict | None] = [None] * len(values)
    for k in np.flatnonzero(~plain | ~np.isin(kinds, (_POINT, _POLYGON, _MULTIPOLYGON))):
        out[k] = shapely.geometry.mapping(values[k])
    points = np.flatnonzero(plain & (kinds == _POINT))
    for k, xy in zip(points, shapely.get_coordinates(values[points]).tolist(), strict=True):
        out[k] = {"type": "Point", "coordinates": xy}
    areas = np.flatnonzero(plain & np.isin(kinds, (_POLYGON, _MULTIPOLYGON)))
    multi = kinds[areas] == _MULTIPOLYGON  # a polygon is its own part (get_parts copies it)
    parts = values[areas]
    part_of = np.arange(len(areas))
    if multi.any():
        pieces, piece_of = shapely.get_parts(parts[multi], return_index=True)
        whole = np.concatenate([np.flatnonzero(~multi), np.flatnonzero(multi)[piece_of]])
        order = np.argsort(whole, kind="stable")
        parts = np.concatenate([parts[~multi], pieces])[order]
        part_of = whole[order]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    ring_list = _split(coords.tolist(), coord_of, len(rings))
    part_list = _split(ring_list, ring_of, len(parts))
    for k in areas:
        out[k] = {"type": "Polygon" if kinds[k] == _POLYGON else "MultiPolygon"}
    for k, polygons in zip(areas, _split(part_list, part_of, len(areas)), strict=True):
        out[k]["coordinates"] = polygons[0] if kinds[k] == _POLYGON and polygons else polygons
    return out  # type: ignore[return-value]


def _split(items: list, owner: np.ndarray, groups: int) -> list[list]:
    """Cut ``items`` (in ``owner`` order, ascending) into ``groups`` lists."""
    ends = np.cumsum(np.bincount(owner, minlength=groups)).tolist()
    starts = [0, *ends[:-1]][:groups]
    return [items[a:b] for a, b in zip(starts, ends, strict=True)]


def derived_areas(
    compounds: gpd.GeoDataFrame,
    column: str,
    *,
    reach_m: float = 150.0,
    shared: dict | None = None,
) -> gpd.GeoDataFrame:
    """Outline areas from their compounds when no polygons are known.

    The Voronoi cells of the compounds' centres are dissolved by ``column``
    and clipped to the compounds' concave hull grown by ``reach_m``, so the
    areas tile the district without overlapping. Calls for several columns
    of the same compounds that pass the same ``shared`` dict compute the
    cells once (for the same rows: those with a value and a geometry).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"s": ["a", "a", "b"]}, geometry=[box(0, 0, 10, 10),
    ...     box(40, 0, 50, 10), box(100, 0, 110, 10)], crs=32649)
    >>> out = derived_areas(g, "s")
    >>> out["name"].tolist(), bool(out.geometry.iloc[0].intersection(out.geometry.iloc[1]).area)
    (['a', 'b'], False)
    """
    kept = (compounds[column].notna() & ~compounds.geometry.is_empty).to_numpy()
    key = (reach_m, np.flatnonzero(kept).tobytes())
    if shared is None or key not in shared:
        cells = _voronoi_cells(compounds[kept], reach_m)
        if shared is not None:
            shared[key] = cells
    else:
        cells = shared[key]
    every, owner, clip, crs = cells
    names = compounds.loc[kept, column].astype(str).to_numpy()
    rows = pd.Series(np.arange(len(names))).groupby(names, sort=True).indices
    union = [_union(every[np.unique(owner[rows[name]])]) for name in rows]
    return gpd.GeoDataFrame(
        {"name": pd.Index(list(rows), dtype=object).astype(str)},
        geometry=shapely.intersection(union, clip),
        crs=crs,
    )


def _voronoi_cells(compounds: gpd.GeoDataFrame, reach_m: float) -> tuple:
    """Give the Voronoi cells, each compound's cell (row order), the clip area, the CRS."""
    metric = to_metric(compounds[[compounds.geometry.name]])
    points = metric.geometry.representative_point()
    every = shapely.multipoints(points.to_numpy())  # one call, not a Python MultiPoint
    hull = shapely.concave_hull(every, ratio=0.3)
    clip = hull.buffer(reach_m)
    cells = shapely.voronoi_polygons(every, extend_to=clip)
    cells = gpd.GeoSeries(list(cells.geoms), crs=metric.crs)
    # voronoi_polygons does not keep input order: match cells back to points
    cell, point = gpd.GeoSeries(points.to_numpy(), crs=metric.crs).sindex.query(
        cells.to_numpy(), predicate="contains"
    )
    owner = np.zeros(len(points), dtype=np.int64)
    owner[point] = cell  # points at the same place share one cell
    return cells.to_numpy(), owner, clip, metric.crs


def _union(cells: np.ndarray) -> shapely.Geometry:
    """Union of distinct Voronoi cells: they meet edge to edge, a coverage union (25x faster)."""
    try:
        return shapely.coverage_union_all(cells)
    except shapely.errors.GEOSException:  # GEOS found them overlapping after all
        return shapely.union_all(cells)


def fmt_int(value: object) -> str:
    """Format a count with thousands separators, ``"—"`` when missing.

    Examples
    --------
    >>> fmt_int(12345), fmt_int(None)
    ('12,345', '—')
    """
    if value is None or pd.isna(value):
        return "—"
    return f"{round(float(value)):,}"


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """HTML-escape the text in a frame whose values go into popups.

    A column's texts are escaped in one pass over them joined by NUL (which
    escaping leaves alone), not one call each; other values stay as they are.

    Examples
    --------
    >>> escape_frame(pd.DataFrame({"a": ["<b>", "x&y"], "n": [1, 2]})).to_numpy().tolist()
    [['&lt;b&gt;', 1], ['x&amp;y', 2]]
    """
    out = frame.copy()
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j].tolist()
        texts = [k for k, v in enumerate(values) if isinstance(v, str)]
        if not texts:
            continue
        joined = "\0".join(values[k] for k in texts)
        if joined.count("\0") == len(texts) - 1:  # no NUL inside a text: split where joined
            escaped = html.escape(joined).split("\0")
        else:
            escaped = [html.escape(values[k]) for k in texts]
        for k, text in zip(texts, escaped, strict=True):
            values[k] = text
        out.isetitem(j, pd.Series(values, index=frame.index, dtype=object))
    return out


class SearchControl(MacroElement):
    """Search compounds by name over several layers (leaflet-search)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var layer = L.featureGroup([{% for l in this.layers %}{{ l.get_name() }}{{
                "," if not loop.last }}{% endfor %}]);
            var control = new L.Control.Search({
                layer: layer, propertyName: {{ this.property|tojson }}, initial: false,
                marker: false, position: "topleft", collapsed: false,
                textPlaceholder: {{ this.placeholder|tojson }}, textErr: "—",
                // the searched text is the name as written: shown as text, never as HTML
                buildTip: function(text) {
                    var tip = L.DomUtil.create("li", "");
                    tip.textContent = text;
                    return tip;
                },
                moveToLocation: function(latlng, title, map) {
                    if (latlng.layer && latlng.layer.getBounds) {
                        map.fitBounds(latlng.layer.getBounds(), {maxZoom: 17});
                    } else { map.setView(latlng, 17); }
                }
            });
            control.on("search:locationfound", function(e) {
                // popups are bound to each GeoJSON layer: a click on the feature opens its own
                if (!e.layer) { return; }
                var at = e.layer.getCenter ? e.layer.getCenter() : e.layer.getLatLng();
                e.layer.fire("click", {latlng: at}, true);
            });
            {{ this._parent.get_name() }}.addControl(control);
            // search as text arrives from an IME or a paste too, not only on key-up
            L.DomEvent.on(control._input, "input", control._handleKeypress, control);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, layers: Iterable[folium.GeoJson], *, prop: str, placeholder: str):
        super().__init__()
        self._name = "SearchControl"
        self.layers = list(layers)
        self.property = prop
        self.placeholder = placeholder


class LinkedLayer(MacroElement):
    """Show and hide ``follower`` with ``leader`` (a layer in the layer control)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on("overlayadd overlayremove", function(e) {
            if (e.layer === {{ this.leader.get_name() }}) {
                if (e.type === "overlayadd") {
                    {{ this.follower.get_name() }}.addTo({{ this._parent.get_name() }});
                } else { {{ this.follower.get_name() }}.remove(); }
            }
        });
        {% endmacro %}
        """
    )

    def __init__(self, leader: Element, follower: Element):
        super().__init__()
        self._name = "LinkedLayer"
        self.leader = leader
        self.follower = follower


class Registry(MacroElement):
    """Expose the map's layers as ``window.lianhuMap`` (for tests and notebooks).

    Each map is also appended to ``window.lianhuMaps``, so a page with two maps
    reaches both.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.lianhuMap = {
            map: {{ this._parent.get_name() }},
            {% for key, layers in this.entries %}
            {{ key|tojson }}: { {% for name, layer in layers %}
                {{ name|tojson }}: {{ layer.get_name() }}{{ "," if not loop.last }}{% endfor %}
            }{{ "," if not loop.last }}{% endfor %}
        };
        // every map of the page, in order (two in a side-by-side view)
        (window.lianhuMaps = window.lianhuMaps || []).push(window.lianhuMap);
        {% endmacro %}
        """
    )

    def __init__(self, entries: Mapping[str, Mapping[str, Element]]):
        super().__init__()
        self._name = "Registry"
        self.entries = [(key, list(layers.items())) for key, layers in entries.items()]


def _elements(element: Element) -> Iterable[Element]:
    yield element
    extra = [getattr(element, a, None) for a in ("header", "html", "script")]
    extra = [e for e in extra if isinstance(e, Element)]
    for child in itertools.chain(element._children.values(), extra):
        yield from _elements(child)


def set_ids(m: folium.Map) -> folium.Map:
    """Replace folium's random element ids by a counter, for byte-identical files.

    Examples
    --------
    >>> m = set_ids(folium.Map(tiles=None))
    >>> m.get_name()
    'map_0001'
    """
    seen: set[int] = set()
    counter = itertools.count()
    for element in _elements(m.get_root()):
        if id(element) in seen:
            continue
        seen.add(id(element))
        element._id = f"{next(counter):04d}"
    return m
