"""Location columns of tables: which headers hold coordinates, in which system.

A header may carry its coordinate system as a suffix or prefix, the way map
exports write it: ``经度_gcj02``, ``lng_bd09``, ``经度(百度)``, ``百度经度``,
``lon_wgs84``, ``gcj02_lat``. Plain ``lon``/``lng``/``经度``/``x`` (and
``lat``/``纬度``/``y``) say nothing about the system. Projected coordinates in
metres (CGCS2000 Gauss-Kruger, Xian 1980) need ``crs=``.
"""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..compounds import parse_numbers
from ..coords import convert_coords
from ..errors import DataWarning, InputError
from ..labels import message
from ._place import place, sheet_place

__all__ = ["SYSTEM_WORDS", "AXIS_WORDS", "coordinate_header", "choose_columns", "points"]

#: Words in a header that name a coordinate system.
SYSTEM_WORDS: dict[str, str] = {
    "wgs84": "wgs84",
    "wgs": "wgs84",
    "gps": "wgs84",
    "gcj02": "gcj02",
    "gcj": "gcj02",
    "高德": "gcj02",
    "火星": "gcj02",
    "amap": "gcj02",
    "腾讯": "gcj02",
    "bd09": "bd09",
    "bd09ll": "bd09",
    "bd": "bd09",
    "baidu": "bd09",
    "百度": "bd09",
}
#: Words in a header that name an axis.
AXIS_WORDS: dict[str, str] = {
    "lon": "lon",
    "lng": "lon",
    "long": "lon",
    "longitude": "lon",
    "经度": "lon",
    "东经": "lon",
    "x": "lon",
    "x坐标": "lon",
    "坐标x": "lon",
    "lat": "lat",
    "latitude": "lat",
    "纬度": "lat",
    "北纬": "lat",
    "y": "lat",
    "y坐标": "lat",
    "坐标y": "lat",
}
_STRIP = re.compile(r"[\s_\-:：/·.()（）\[\]【】]+")
_CHINA_LON = (73.0, 136.0)
_CHINA_LAT = (3.0, 54.0)


def coordinate_header(header: object) -> tuple[str, str | None] | None:
    """``(axis, system)`` of a coordinate header, or ``None``.

    >>> coordinate_header("经度_gcj02"), coordinate_header("纬度(百度)"), coordinate_header("lng")
    (('lon', 'gcj02'), ('lat', 'bd09'), ('lon', None))
    >>> coordinate_header("户数") is None
    True
    """
    compact = _STRIP.sub("", str(header).replace("\ufeff", "")).lower()
    if compact in AXIS_WORDS:
        return AXIS_WORDS[compact], None
    for word, axis in AXIS_WORDS.items():
        for token, system in SYSTEM_WORDS.items():
            if compact in (word + token, token + word):
                return axis, system
    return None


def choose_columns(
    headers: list[object], coords: str | None, *, file: str, sheet: object, lang: str
) -> tuple[object, object, str] | None:
    """Pick the lon and lat headers and their system; ``None`` when there are none."""
    found: dict[str | None, dict[str, object]] = {}
    for header in headers:
        parsed = coordinate_header(header)
        if parsed is not None:
            found.setdefault(parsed[1], {}).setdefault(parsed[0], header)
    pairs = {s: (a["lon"], a["lat"]) for s, a in found.items() if "lon" in a and "lat" in a}
    if not pairs:
        return None
    where = {"file": file, "sheet_place": sheet_place(file, sheet, lang)}
    named = {s: p for s, p in pairs.items() if s is not None}
    if coords is not None:
        if coords in pairs:
            return (*pairs[coords], coords)
        if None in pairs:
            return (*pairs[None], coords)
        system, headers_ = sorted(named.items())[0]
        raise InputError(
            message(
                "coords_disagree",
                lang,
                **where,
                headers=" / ".join(map(str, headers_)),
                found=system,
                coords=coords,
            )
        )
    if "wgs84" in named:
        return (*named["wgs84"], "wgs84")
    if len(named) == 1:
        system, pair = next(iter(named.items()))
        return (*pair, system)
    if not named:
        return (*pairs[None], "wgs84")
    raise InputError(message("coords_ambiguous", lang, **where, found=", ".join(sorted(named))))


def _numbers(frame: pd.DataFrame, header: object, prov: pd.DataFrame, lang: str) -> np.ndarray:
    text = frame[header].astype("string").str.strip().replace("", pd.NA)
    values = parse_numbers(text)
    bad = (text.notna() & values.isna()).to_numpy()
    if bad.any():
        examples = ", ".join(repr(str(v)) for v in text[bad].unique()[:3])
        raise InputError(
            message(
                "not_number",
                lang,
                where=place(prov[bad], lang=lang, column=header),
                values=examples,
            )
        )
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (
        (lon >= _CHINA_LON[0])
        & (lon <= _CHINA_LON[1])
        & (lat >= _CHINA_LAT[0])
        & (lat <= _CHINA_LAT[1])
    )


def parse_crs(crs: object, lang: str) -> CRS:
    """Return the :class:`pyproj.CRS` of ``crs=``, or an error that gives examples."""
    try:
        return CRS.from_user_input(crs)
    except Exception as exc:  # pyproj says what it could not parse
        raise InputError(message("crs_unknown", lang, crs=crs, reason=exc)) from exc


def points(
    frame: pd.DataFrame,
    lon_header: object,
    lat_header: object,
    system: str,
    *,
    crs: CRS | None,
    prov: pd.DataFrame,
    file: str,
    sheet: object,
    lang: str,
) -> gpd.GeoSeries:
    """Points in EPSG:4326 from two coordinate columns; empty cells give None."""
    x = _numbers(frame, lon_header, prov, lang)
    y = _numbers(frame, lat_header, prov, lang)
    empty = np.isnan(x) | np.isnan(y)
    if crs is not None and crs.is_projected:
        direct = gpd.GeoSeries(shapely.points(x, y), crs=crs).to_crs(4326)
        swapped = gpd.GeoSeries(shapely.points(y, x), crs=crs).to_crs(4326)
        ok_direct = _in_china(direct.x.to_numpy(), direct.y.to_numpy())[~empty]
        ok_swapped = _in_china(swapped.x.to_numpy(), swapped.y.to_numpy())[~empty]
        result = direct
        if not ok_direct.all() and ok_swapped.all():
            warnings.warn(
                message(
                    "axes_swapped",
                    lang,
                    file=file,
                    sheet_place=sheet_place(file, sheet, lang),
                    x=lon_header,
                    y=lat_header,
                ),
                DataWarning,
                stacklevel=4,
            )
            result = swapped
        lon, lat = result.x.to_numpy(), result.y.to_numpy()
    else:
        metres = ~empty & ((np.abs(x) > 1000) | (np.abs(y) > 1000))
        if metres.any():
            examples = ", ".join(
                f"({a:.1f}, {b:.1f})" for a, b in zip(x[metres][:2], y[metres][:2], strict=True)
            )
            raise InputError(
                message(
                    "looks_like_metres",
                    lang,
                    where=place(prov[metres], lang=lang, column=f"{lon_header}/{lat_header}"),
                    values=examples,
                )
            )
        if crs is not None:  # a geographic CRS such as CGCS2000 (EPSG:4490)
            moved = gpd.GeoSeries(shapely.points(x, y), crs=crs).to_crs(4326)
            lon, lat = moved.x.to_numpy(), moved.y.to_numpy()
        else:
            lon, lat = x, y
    lon, lat = np.where(empty, np.nan, lon), np.where(empty, np.nan, lat)
    inside = empty | _in_china(lon, lat)
    column = f"{lon_header}/{lat_header}"
    if not inside.all():
        swapped_rows = ~inside & _in_china(lat, lon)
        key, mask = ("swapped", swapped_rows) if swapped_rows.any() else ("outside_china", ~inside)
        raise InputError(message(key, lang, where=place(prov[mask], lang=lang, column=column)))
    geometry = shapely.points(lon, lat)
    geometry[empty] = None
    if system != "wgs84" and crs is None:
        valid = ~empty
        geometry[valid] = convert_coords(geometry[valid], system, "wgs84")
    return gpd.GeoSeries(geometry, index=frame.index, crs=4326)
