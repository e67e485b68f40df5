"""Chinese coordinate systems and the metric CRS.

Planners' data come in three lon/lat systems:

- ``wgs84``: GPS, OpenStreetMap, EPSG:4326.
- ``gcj02``: the "Mars" system of Amap (高德) and Tencent maps, WGS84 with a
  deliberate offset of a few hundred metres.
- ``bd09``: Baidu maps, GCJ-02 with a further offset.

The forward formulas (WGS84 to GCJ-02 to BD-09) are the published ones; the
inverses are solved by fixed-point iteration until the round trip is within
1e-7 degrees (about 1 cm), so they are exact for planning. All functions are
vectorised over numpy arrays. Outside China GCJ-02 equals WGS84, as the
standard defines.

Distances and areas are computed in one projected CRS, :func:`metric_crs`
(UTM zone 49N, EPSG:32649, for Xi'an), and maps go back to EPSG:4326.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike
from pyproj import CRS

from .options import Option, check_options

__all__ = [
    "COORDINATE_SYSTEMS",
    "wgs84_to_gcj02",
    "gcj02_to_wgs84",
    "gcj02_to_bd09",
    "bd09_to_gcj02",
    "wgs84_to_bd09",
    "bd09_to_wgs84",
    "convert_coords",
    "metric_crs",
    "to_metric",
]

COORDINATE_SYSTEMS = ("wgs84", "gcj02", "bd09")
_SYSTEM_OPTIONS = (
    Option("source", "choice", choices=COORDINATE_SYSTEMS),
    Option("target", "choice", choices=COORDINATE_SYSTEMS),
)

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
_TOLERANCE_DEG = 1e-7
_MAX_ITER = 30


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def _arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS84 lon/lat to GCJ-02 (Amap, Tencent).

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(108.9398, 34.2616)  # Xi'an Bell Tower
    >>> round(float(lon), 4), round(float(lat), 4)
    (108.9444, 34.26)
    """
    lon, lat = _arrays(lon, lat)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert GCJ-02 lon/lat to BD-09 (Baidu)."""
    x, y = _arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS84 lon/lat to BD-09 (Baidu)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def _invert(
    forward: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    lon: ArrayLike,
    lat: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``forward(x) == target`` by fixed-point iteration."""
    tlon, tlat = _arrays(lon, lat)
    x, y = tlon.copy(), tlat.copy()
    for _ in range(_MAX_ITER):
        flon, flat = forward(x, y)
        elon, elat = flon - tlon, flat - tlat
        x, y = x - elon, y - elat
        if np.all(np.abs(elon) < _TOLERANCE_DEG) and np.all(np.abs(elat) < _TOLERANCE_DEG):
            break
    return x, y


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert GCJ-02 lon/lat to WGS84, exact to about 1 cm.

    Examples
    --------
    >>> lon, lat = gcj02_to_wgs84(*wgs84_to_gcj02(108.9398, 34.2616))
    >>> round(float(lon), 7), round(float(lat), 7)
    (108.9398, 34.2616)
    """
    return _invert(wgs84_to_gcj02, lon, lat)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert BD-09 lon/lat to GCJ-02, exact to about 1 cm."""
    return _invert(gcj02_to_bd09, lon, lat)


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert BD-09 lon/lat to WGS84, exact to about 1 cm."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_CONVERSIONS = {
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("bd09", "wgs84"): bd09_to_wgs84,
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "gcj02"): bd09_to_gcj02,
}


def convert_coords(geometry: ArrayLike, source: str, target: str = "wgs84") -> np.ndarray:
    """Convert shapely geometries between ``wgs84``, ``gcj02`` and ``bd09``.

    Parameters
    ----------
    geometry : array of shapely geometries (or a GeoSeries)
        Geometries in lon/lat of the ``source`` system.
    source, target : {"wgs84", "gcj02", "bd09"}
        Coordinate systems.

    Returns
    -------
    numpy.ndarray
        New geometries; every vertex converted.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> [p] = convert_coords([Point(108.9398, 34.2616)], "wgs84", "bd09")
    >>> round(p.x, 4), round(p.y, 4)
    (108.9509, 34.2662)
    """
    check_options({"source": source, "target": target}, _SYSTEM_OPTIONS, where="convert_coords")
    geoms = np.asarray(geometry, dtype=object)
    if source == target:
        return geoms.copy()
    func = _CONVERSIONS[(source, target)]

    def transform(xy: np.ndarray) -> np.ndarray:
        lon, lat = func(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, transform)


def metric_crs(data: gpd.GeoDataFrame | gpd.GeoSeries) -> CRS:
    """Choose the projected CRS for distances and areas: the local UTM zone.

    For Xi'an this is UTM zone 49N (EPSG:32649).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> metric_crs(gpd.GeoSeries([Point(108.94, 34.26)], crs=4326)).to_epsg()
    32649
    """
    if data.crs is not None and data.crs.is_projected:
        return data.crs
    if data.crs is None or len(data) == 0:
        return data.estimate_utm_crs()  # raises geopandas' own error
    # the query behind estimate_utm_crs reads the PROJ database (~0.1 s a call): remember
    # its answer for the same CRS and extent, which a replan of the same compounds asks again
    bounds = tuple(float(v) for v in data.total_bounds)
    return _utm_crs(data.crs.to_wkt(), _zone_key(data.crs, bounds))


def _zone_key(crs: CRS, bounds: tuple[float, float, float, float]) -> tuple:
    """Key estimate_utm_crs's answer by what it depends on: for lon/lat, the centre's zone.

    geopandas asks PROJ for the UTM zones holding the centre of the bounds;
    inside a zone (not on its edge meridians or the equator, between 80 S
    and 84 N) that is that zone alone, so every extent centred in it shares
    one answer: maps of 250 subdistricts ask once, not 250 times. Other
    cases are keyed by the exact bounds.
    """
    if crs.is_geographic and crs.equals("EPSG:4326"):
        lon, lat = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        band = (lon + 180.0) / 6.0
        if -180 < lon < 180 and band != int(band) and -80 < lat < 84 and lat != 0:
            return ("zone", int(band), lat > 0)
    return bounds


@functools.lru_cache(maxsize=256)
def _utm_crs(wkt: str, key: tuple) -> CRS:
    if key[0] == "zone":  # any point of the zone: its centre line, a degree from the equator
        _, band, north = key
        lon = band * 6.0 - 177.0
        box = gpd.GeoSeries([shapely.Point(lon, 1.0 if north else -1.0)], crs=CRS.from_wkt(wkt))
    else:
        box = gpd.GeoSeries([shapely.box(*key)], crs=CRS.from_wkt(wkt))
    return box.estimate_utm_crs()


def to_metric(data: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``data`` in its metric CRS (unchanged if already projected)."""
    crs = metric_crs(data)
    return data.to_crs(crs) if data.crs != crs else data.copy()
