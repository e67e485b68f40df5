"""Base maps for China: none, OpenStreetMap, Amap (高德) and Tianditu (天地图).

Amap tiles are drawn in GCJ-02, so data drawn on them must be shifted from
WGS84 to GCJ-02 first (about 450-500 m in Xi'an); :func:`basemap_coords`
says which system a base map needs. Tianditu tiles are in CGCS2000, equal
to WGS84 at map scale, and need a key (token) from https://console.tianditu.gov.cn.

Tiles are optional: a map with ``basemap="none"`` draws district and
subdistrict outlines instead, and opens with no network. A tile that fails
to load shows as a transparent square and never holds up the page.
"""

from __future__ import annotations

import folium

from ..errors import InputError

__all__ = ["BASEMAPS", "basemap_coords", "check_basemap", "add_basemap"]

#: Base maps :func:`add_basemap` knows.
BASEMAPS: tuple[str, ...] = ("none", "osm", "amap", "tianditu")

_BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
_TILES = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
        "OpenStreetMap",
        "abc",
    ),
    "amap": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
        "&x={x}&y={y}&z={z}",
        "&copy; 高德地图 AutoNavi",
        "高德地图 Amap",
        "1234",
    ),
}
_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
    "&TILECOL={x}&tk={key}"
)


def check_basemap(basemap: str, *, tianditu_key: str | None = None) -> None:
    """Raise :class:`InputError` for an unknown base map or a missing key.

    Examples
    --------
    >>> check_basemap("amap")
    >>> check_basemap("tianditu")
    Traceback (most recent call last):
    ...
    lianhu_geo.errors.InputError: basemap='tianditu' needs tianditu_key=...
    """
    if basemap not in BASEMAPS:
        raise InputError(f"unknown basemap {basemap!r}; use one of {', '.join(BASEMAPS)}")
    if tianditu_key is not None and not (
        isinstance(tianditu_key, str) and tianditu_key.isascii() and tianditu_key.isalnum()
    ):
        raise InputError(
            "tianditu_key must be the letters and digits of a Tianditu key (tk) from "
            "https://console.tianditu.gov.cn; the one given holds other characters."
        )
    if basemap == "tianditu" and not tianditu_key:
        raise InputError(
            "basemap='tianditu' needs tianditu_key=...: a Tianditu browser key (tk) from "
            "https://console.tianditu.gov.cn; or use basemap='osm', 'amap' or 'none'"
        )


def basemap_coords(basemap: str) -> str:
    """Coordinate system (``"wgs84"`` or ``"gcj02"``) data must be in for ``basemap``.

    Examples
    --------
    >>> basemap_coords("amap"), basemap_coords("osm")
    ('gcj02', 'wgs84')
    """
    check_basemap(basemap, tianditu_key="x")
    return "gcj02" if basemap == "amap" else "wgs84"


def add_basemap(m: folium.Map, basemap: str, *, tianditu_key: str | None = None) -> folium.Map:
    """Add the tiles of ``basemap`` to ``m`` (nothing for ``"none"``).

    Examples
    --------
    >>> m = add_basemap(folium.Map(tiles=None), "osm")
    >>> [type(c).__name__ for c in m._children.values()][-1]
    'TileLayer'
    """
    check_basemap(basemap, tianditu_key=tianditu_key)
    options = {"error_tile_url": _BLANK_TILE, "max_zoom": 19, "control": False}
    if basemap in _TILES:
        url, attr, name, subdomains = _TILES[basemap]
        folium.TileLayer(url, attr=attr, name=name, subdomains=subdomains, **options).add_to(m)
    elif basemap == "tianditu":
        for layer, name in (("vec", "天地图 Tianditu"), ("cva", "天地图注记")):
            folium.TileLayer(
                _TIANDITU.replace("{layer}", layer).replace("{key}", str(tianditu_key)),
                attr="&copy; 天地图 Tianditu",
                name=name,
                subdomains="01234567",
                overlay=layer == "cva",
                **options,
            ).add_to(m)
    return m
