"""Read planners' compound files: GIS layers, CSV and Excel tables."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .compounds import ALIASES, standardize_columns, validate_compounds
from .coords import COORDINATE_SYSTEMS, convert_coords
from .errors import InputError, format_rows

__all__ = ["read_compounds", "CSV_ENCODINGS"]

#: Encodings tried in order for CSV: UTF-8 (with or without BOM), then
#: GB18030, a superset of the GBK that Chinese Excel writes.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")

_GIS_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb", ".gml", ".kml"}
_TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"}


def read_compounds(
    source: str | os.PathLike | pd.DataFrame,
    *,
    coords: str = "wgs84",
    columns: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Read compounds from a file or table into a validated GeoDataFrame.

    Parameters
    ----------
    source : path or DataFrame
        GeoJSON, GeoPackage, Shapefile (``.shp`` or zipped), CSV or Excel
        (``.xlsx``); or a DataFrame already in memory. Tables carry their
        location as lon/lat columns (``lon``/``lat``, ``经度``/``纬度``,
        ``lon_bd09`` when ``coords="bd09"`` and so on) or as a WKT column
        (``wkt``, ``geometry``). CSV may be UTF-8 (with or without BOM) or
        GBK/GB18030.
    coords : {"wgs84", "gcj02", "bd09"}, default "wgs84"
        The lon/lat system of the source: ``gcj02`` for Amap/Tencent,
        ``bd09`` for Baidu. Converted to WGS84 on read. Files in a projected
        CRS are reprojected and must use ``"wgs84"``.
    columns : mapping, optional
        Header renames ``{"their header": "column"}`` for headers the built-in
        aliases do not know.

    Returns
    -------
    geopandas.GeoDataFrame
        Every input row, in EPSG:4326, with the model's columns (see
        :mod:`lianhu_geo.compounds`) and the source's other columns. Required
        fields the source lacks are left unknown with a
        :class:`~lianhu_geo.errors.DataWarning`; planning functions refuse
        them until they are filled.

    Raises
    ------
    InputError
        When the file cannot be read, has no location columns, or holds
        values the model rejects; the message names rows and columns.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "编号": ["A1"], "小区名称": ["劳动村小区"], "街道": ["桃园路街道"],
    ...     "社区": ["劳动路社区"], "户数": ["300"], "管理状态": ["失管"],
    ...     "经度": [108.92004], "纬度": [34.274797]})
    >>> compounds = read_compounds(table, coords="bd09")
    >>> compounds.crs.to_epsg(), round(float(compounds.geometry.x[0]), 4)
    (4326, 108.9089)
    """
    if coords not in COORDINATE_SYSTEMS:
        raise InputError(
            f"coords={coords!r} is not a known coordinate system; use one of "
            f"{', '.join(COORDINATE_SYSTEMS)} (Baidu maps: bd09, Amap/Tencent: gcj02, GPS: wgs84)."
        )
    if isinstance(source, pd.DataFrame):
        label = "the table"
        frame = source.copy()
    else:
        path = Path(source)
        label = str(path)
        frame = _read_path(path)
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        gdf = _from_layer(frame, coords, label)
    else:
        gdf = _from_table(pd.DataFrame(frame), coords, columns, label)
    return validate_compounds(gdf, planning=False, columns=columns)


def _check_regular_file(path: Path) -> None:
    """Refuse a path that is not a regular file, before opening it.

    A FIFO or a device would block the reader or never end, and a folder is
    not a table; each gets its own message.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file. Check the path.") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}.") from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(
            f"cannot read {path}: it is a folder. Give the file inside it (the .xlsx, .csv, "
            ".gpkg or .shp)."
        )
    kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
    raise InputError(f"cannot read {path}: it is {kind}, not a file. Save the data as a file.")


def _read_path(path: Path) -> pd.DataFrame:
    _check_regular_file(path)
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".txt", ".tsv"}:
            return _read_csv(path)
        if suffix in {".xlsx", ".xlsm", ".xls"}:
            return pd.read_excel(path, dtype=object)
        if suffix in _GIS_SUFFIXES or path.is_dir():
            return gpd.read_file(path)
    except InputError:
        raise
    except Exception as exc:  # the reader's own words say what is wrong
        raise InputError(
            f"cannot read {path}: {type(exc).__name__}: {exc}. Check that the file is a "
            "complete, uncorrupted "
            f"{suffix.lstrip('.').upper() or 'data'} file (open it in Excel or QGIS)."
        ) from exc
    known = ", ".join(sorted(_GIS_SUFFIXES | _TABLE_SUFFIXES))
    raise InputError(f"cannot read {path}: unknown file type {suffix!r}; use one of {known}.")


def _read_csv(path: Path) -> pd.DataFrame:
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    errors = []
    for encoding in CSV_ENCODINGS:
        try:
            return pd.read_csv(path, dtype=str, encoding=encoding, sep=sep)
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason}")
    raise InputError(
        f"cannot read {path}: not UTF-8 or GBK/GB18030 text ({'; '.join(errors)}). "
        "Save it from Excel as 'CSV UTF-8'."
    )


def _from_layer(frame: gpd.GeoDataFrame, coords: str, label: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        frame = frame.set_crs(4326)
    if frame.crs.is_projected:
        if coords != "wgs84":
            raise InputError(
                f"{label} is in a projected CRS ({frame.crs.name}); coords={coords!r} only "
                "applies to lon/lat data. Drop the coords argument."
            )
        return frame.to_crs(4326)
    if not frame.crs.equals(gpd.GeoSeries(crs=4326).crs):
        frame = frame.to_crs(4326)
    if coords != "wgs84":
        frame = frame.copy()
        valid = frame.geometry.notna().to_numpy()
        converted = convert_coords(frame.geometry.to_numpy()[valid], coords, "wgs84")
        geometry = frame.geometry.to_numpy().copy()
        geometry[valid] = converted
        frame = frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=4326))
    return frame


def _numeric(frame: pd.DataFrame, column: str, label: str) -> np.ndarray:
    text = frame[column].astype("string").str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & values.isna()
    if bad.any():
        raise InputError(
            f"`{column}` in {label} must be a number; rows "
            f"{format_rows(frame.index[bad])} have {', '.join(map(repr, text[bad].unique()[:3]))}."
        )
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _from_table(
    frame: pd.DataFrame, coords: str, columns: Mapping[str, str] | None, label: str
) -> gpd.GeoDataFrame:
    # `lon_bd09` / `lat_bd09` style headers name the system they are in
    system_columns = {
        f"{axis}_{coords}": "lat" if axis == "lat" else "lon" for axis in ("lon", "lng", "lat")
    }
    present = {c.lower(): c for c in map(str, frame.columns)}
    renames = {present[k]: v for k, v in system_columns.items() if k in present}
    if any(v == "lon" for v in renames.values()) and not any(
        str(c).lower() in {"lon", "lng", "longitude", "x", "经度"} for c in frame.columns
    ):
        frame = frame.rename(columns=renames)
    frame = standardize_columns(frame, columns)
    if "wkt" in frame.columns:
        text = frame["wkt"].astype("string")
        geometry = shapely.from_wkt(text.to_numpy(dtype=object, na_value=None), on_invalid="ignore")
        bad = text.notna().to_numpy() & pd.isna(geometry)
        if bad.any():
            raise InputError(
                f"`wkt` in {label} is not valid WKT in rows {format_rows(frame.index[bad])}; "
                "write geometry as e.g. POLYGON ((108.94 34.26, ...))."
            )
        frame = frame.drop(columns="wkt")
    elif "lon" in frame.columns and "lat" in frame.columns:
        lon, lat = _numeric(frame, "lon", label), _numeric(frame, "lat", label)
        geometry = shapely.points(lon, lat)
        geometry[np.isnan(lon) | np.isnan(lat)] = None
        frame = frame.drop(columns=["lon", "lat"])
    else:
        raise InputError(
            f"{label} has no location: add longitude/latitude columns (headers accepted: "
            f"{', '.join(['lon', *ALIASES['lon']])} / {', '.join(['lat', *ALIASES['lat']])}, "
            f"or lon_{coords}/lat_{coords}) or a WKT column "
            f"({', '.join(['wkt', *ALIASES['wkt']])})."
        )
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, index=frame.index), crs=4326)
    if coords != "wgs84":
        valid = gdf.geometry.notna().to_numpy()
        converted = gdf.geometry.to_numpy().copy()
        converted[valid] = convert_coords(converted[valid], coords, "wgs84")
        gdf = gdf.set_geometry(gpd.GeoSeries(converted, index=gdf.index, crs=4326))
    return gdf
