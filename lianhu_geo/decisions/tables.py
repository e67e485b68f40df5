"""The data model of the district's other decisions: stations, cadres and companies.

Three tables join the compounds (:mod:`lianhu_geo.compounds`). Each is a
(Geo)DataFrame with one row per station, cadre or company; this module says
which columns exist, which headers planners' spreadsheets use for them, and
what a valid value is. Validation returns a new frame with the same index, the
model's columns first, and raises :class:`~lianhu_geo.errors.InputError`
naming rows and columns at fault. Nothing is invented: a value that is not
given stays unknown (NA) where the column is optional.

Stations (党群服务站), :func:`validate_stations`
    ``station_id`` (unique text) and a location: either ``compound_id`` (the
    compound it sits in; the station is placed on that compound) or a Point
    geometry (lon/lat columns in a table). Optional ``name`` and ``head``
    (the station head, usually the property company's manager).

Cadres (小区院长), :func:`validate_cadres`
    ``cadre_id`` (unique text), ``name``, ``level`` (``"district"`` or
    ``"subdistrict"``), and the office location as a Point. Optional
    ``subdistrict`` (required for subdistrict cadres: they head compounds of
    their own subdistrict) and ``max_visits`` (visits a month this cadre can
    make; default: the assignment's cap).

Companies (物业企业 and service firms), :func:`validate_companies`
    ``company_id`` (unique text), ``name`` (as written in the compounds'
    ``property_company`` column, which is how managed compounds are found),
    ``service_types`` (a list, written ``"property,cleaning"`` or
    ``"物业,保洁"``: any of :data:`SERVICE_TYPES`). Optional
    ``capacity_households`` (the most households the company can serve in
    all, managed ones included), ``qualification`` (text as the table gives
    it, e.g. 一级/二级/三级) and an office location (Point).

Readers (:func:`read_stations`, :func:`read_cadres`, :func:`read_companies`)
take the same files as :func:`~lianhu_geo.readers.read_compounds` (Excel,
CSV in UTF-8 or GBK, GeoJSON, GeoPackage, Shapefile) and lon/lat in WGS84,
GCJ-02 or BD-09.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..compounds import _key, _present, _to_text, parse_numbers
from ..coords import COORDINATE_SYSTEMS, convert_coords
from ..errors import InputError, format_rows

__all__ = [
    "STATION_COLUMNS",
    "CADRE_COLUMNS",
    "COMPANY_COLUMNS",
    "TABLE_ALIASES",
    "SERVICE_TYPES",
    "CADRE_LEVELS",
    "validate_stations",
    "validate_cadres",
    "validate_companies",
    "read_stations",
    "read_cadres",
    "read_companies",
]

#: Columns of each table, required ones first.
STATION_COLUMNS: tuple[str, ...] = ("station_id", "compound_id", "name", "head")
CADRE_COLUMNS: tuple[str, ...] = ("cadre_id", "name", "level", "subdistrict", "max_visits")
COMPANY_COLUMNS: tuple[str, ...] = (
    "company_id",
    "name",
    "service_types",
    "capacity_households",
    "qualification",
)

#: What a company can be brought in for, with accepted spellings.
SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "property": ("property", "物业", "物业服务", "物业管理", "property_management"),
    "cleaning": ("cleaning", "保洁", "清洁", "环卫"),
    "security": ("security", "保安", "安保", "秩序维护"),
    "greening": ("greening", "绿化", "园林"),
}

#: Cadre levels, with accepted spellings.
CADRE_LEVELS: dict[str, tuple[str, ...]] = {
    "district": ("district", "区级", "区", "区干部"),
    "subdistrict": ("subdistrict", "街道", "街道级", "街道干部"),
}

_LOCATION = {
    "lon": ("lng", "longitude", "x", "经度", "办公地点经度"),
    "lat": ("latitude", "y", "纬度", "办公地点纬度"),
    "wkt": ("geometry", "geom", "几何"),
}

#: Headers accepted for each column of each table, besides the column's own name.
TABLE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "stations": {
        "station_id": ("站点编号", "服务站编号", "编号", "id"),
        "compound_id": ("小区编号", "所在小区编号", "compound_i"),
        "name": ("名称", "服务站名称", "站点名称"),
        "head": ("站长", "负责人"),
        **_LOCATION,
    },
    "cadres": {
        "cadre_id": ("干部编号", "院长编号", "编号", "id"),
        "name": ("姓名", "院长姓名", "干部姓名"),
        "level": ("级别", "层级", "干部级别"),
        "subdistrict": ("街道", "所属街道", "subdistric"),
        "max_visits": ("每月最多走访次数", "走访上限", "max_visits_per_month"),
        **_LOCATION,
    },
    "companies": {
        "company_id": ("企业编号", "编号", "id", "company_i"),
        "name": ("企业名称", "公司名称", "名称", "物业公司", "property_company"),
        "service_types": ("服务类型", "业务类型", "service_ty"),
        "capacity_households": ("承接能力(户)", "承接能力", "服务能力(户)", "capacity_h"),
        "qualification": ("资质", "资质等级", "qualificat"),
        **_LOCATION,
    },
}


def _standardize(data: pd.DataFrame, table: str, columns: Mapping[str, str] | None) -> pd.DataFrame:
    lookup = {}
    for column, aliases in TABLE_ALIASES[table].items():
        lookup[_key(column)] = column
        lookup.update({_key(a): column for a in aliases})
    lookup.update({_key(k): v for k, v in (columns or {}).items()})
    geometry = data.geometry.name if isinstance(data, gpd.GeoDataFrame) else None
    renames = {}
    for header in data.columns:
        if header == geometry:
            continue
        target = lookup.get(_key(header))
        if target is not None and target != header:
            renames[header] = target
    targets = [renames.get(h, h) for h in data.columns if h != geometry]
    clashes = sorted({t for t in targets if targets.count(t) > 1})
    if clashes:
        raise InputError(
            f"two headers of the {table} table name the same column: "
            + ", ".join(f"`{t}`" for t in clashes)
            + ". Rename or drop one of them, or pass `columns={...}` to say which is which."
        )
    return data.rename(columns=renames)


def _names(frame: pd.DataFrame, id_column: str, mask: np.ndarray | pd.Series) -> str:
    mask = np.asarray(mask, dtype=bool)
    if id_column in frame.columns:
        ids = frame[id_column].to_numpy(dtype=object)
        return format_rows(
            str(i) if _present(i) else f"row {r}"
            for i, r in zip(ids[mask], frame.index[mask], strict=True)
        )
    return format_rows(f"row {r}" for r in frame.index[mask])


def _location(frame: pd.DataFrame, table: str, *, required: bool) -> gpd.GeoDataFrame:
    """Turn a table's lon/lat or WKT columns (or its geometry) into WGS84 points."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        gdf = frame.copy()
        if gdf.crs is None:
            raise InputError(
                f"the {table} have no CRS. Set it, e.g. `gdf.set_crs('EPSG:4326')` for lon/lat."
            )
        gdf = gdf.to_crs(4326)
    elif "wkt" in frame.columns:
        text = frame["wkt"].astype("string")
        geometry = shapely.from_wkt(text.to_numpy(dtype=object, na_value=None), on_invalid="ignore")
        bad = text.notna().to_numpy() & pd.isna(geometry)
        if bad.any():
            raise InputError(
                f"`wkt` of the {table} is not valid WKT in rows {format_rows(frame.index[bad])}."
            )
        gdf = gpd.GeoDataFrame(frame.drop(columns="wkt"), geometry=list(geometry), crs=4326)
    elif "lon" in frame.columns and "lat" in frame.columns:
        xy = []
        for axis in ("lon", "lat"):
            text = frame[axis].astype("string").str.strip()
            values = parse_numbers(text)
            bad = text.notna() & values.isna()
            if bad.any():
                raise InputError(
                    f"`{axis}` of the {table} must be a number; rows "
                    f"{format_rows(frame.index[bad])} have "
                    f"{', '.join(map(repr, text[bad].unique()[:3]))}."
                )
            xy.append(values.to_numpy(dtype="float64", na_value=np.nan))
        points = shapely.points(xy[0], xy[1])
        points[np.isnan(xy[0]) | np.isnan(xy[1])] = None
        gdf = gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=list(points), crs=4326)
    else:
        if required:
            raise InputError(
                f"the {table} table has no location: add longitude/latitude columns "
                "(经度/纬度, lon/lat) or a WKT column."
            )
        gdf = gpd.GeoDataFrame(frame.copy(), geometry=[None] * len(frame), crs=4326)
    gdf.index = frame.index
    geom = gdf.geometry
    present = geom.notna() & ~geom.is_empty
    not_point = present & (geom.geom_type != "Point")
    if not_point.any():  # a footprint stands for its representative point
        gdf.loc[not_point, gdf.geometry.name] = geom[not_point].representative_point()
    return gdf


def _check_ids(out: pd.DataFrame, column: str, table: str) -> None:
    if column not in out.columns:
        raise InputError(
            f"the {table} table has no `{column}` column (headers accepted: "
            f"{', '.join([column, *TABLE_ALIASES[table][column]])}). Add one id per row."
        )
    out[column] = _to_text(out[column])
    empty = out[column].isna()
    if empty.any():
        raise InputError(
            f"`{column}` of the {table} is empty in rows {format_rows(out.index[empty])}; "
            "give every row an id."
        )
    duplicated = out[column].duplicated(keep=False)
    if duplicated.any():
        raise InputError(
            f"`{column}` of the {table} must be unique; "
            f"{format_rows(sorted(set(out[column][duplicated])))} appear more than once."
        )


def _check_inside(gdf: gpd.GeoDataFrame, id_column: str, table: str, mask: pd.Series) -> None:
    if not mask.any():
        return
    xy = shapely.get_coordinates(gdf.geometry[mask].to_numpy())
    inside = (xy[:, 0] >= 73) & (xy[:, 0] <= 136) & (xy[:, 1] >= 3) & (xy[:, 1] <= 54)
    if not inside.all():
        bad = pd.Series(False, index=gdf.index)
        bad[gdf.index[mask][~inside]] = True
        raise InputError(
            f"the {table} {_names(gdf, id_column, bad)} lie outside China (lon 73-136, "
            "lat 3-54). Check the coordinates and that longitude comes first."
        )


def _to_count(out: pd.DataFrame, column: str, id_column: str, table: str) -> pd.Series:
    text = out[column].astype("string").str.strip().str.replace(",", "", regex=False)
    text = text.replace("", pd.NA)
    numbers = parse_numbers(text)
    bad = (text.notna() & numbers.isna()) | (numbers < 0) | (numbers != np.floor(numbers))
    bad = bad.fillna(False)
    if bad.any():
        raise InputError(
            f"`{column}` of the {table} must be a whole number >= 0; "
            f"{_names(out, id_column, bad)} have "
            f"{', '.join(map(repr, text[bad].unique()[:3]))}. Leave the cell empty if unknown."
        )
    return numbers.astype("Int64")


def _choice(
    out: pd.DataFrame,
    column: str,
    spellings: Mapping[str, tuple[str, ...]],
    id_column: str,
    table: str,
) -> pd.Series:
    lookup = {}
    for value, names in spellings.items():
        lookup[_key(value)] = value
        lookup.update({_key(n): value for n in names})
    text = _to_text(out[column])
    mapped = pd.Series(
        [lookup.get(_key(v)) if _present(v) else None for v in text], index=out.index, dtype=object
    )
    bad = (text.notna() & mapped.isna()) | text.isna()
    if bad.any():
        accepted = "; ".join(f"{k}: {', '.join(v)}" for k, v in spellings.items())
        raise InputError(
            f"`{column}` of the {table} must be one of {', '.join(spellings)}; "
            f"{_names(out, id_column, bad)} have "
            f"{', '.join(repr(str(v)) for v in text[bad].unique()[:3])}. Accepted: {accepted}."
        )
    return mapped.astype("string")


def _table(data: pd.DataFrame, table: str, columns: Mapping[str, str] | None) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"expected a table of {table}, got {type(data).__name__}; "
            f"use `lianhu_geo.read_{table}(path)` to read a file."
        )
    if len(data) == 0:
        raise InputError(f"the {table} table has no rows.")
    if not data.index.is_unique:
        raise InputError(f"the index of the {table} table must be unique.")
    return _standardize(data, table, columns)


def _ordered(gdf: gpd.GeoDataFrame, model: tuple[str, ...]) -> gpd.GeoDataFrame:
    first = [c for c in model if c in gdf.columns]
    rest = [c for c in gdf.columns if c not in first and c != gdf.geometry.name]
    return gdf[[*first, *rest, gdf.geometry.name]]


def validate_stations(
    data: pd.DataFrame,
    compounds: gpd.GeoDataFrame | None = None,
    *,
    columns: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Check a table of service stations (党群服务站) and place each one.

    Parameters
    ----------
    data : pandas.DataFrame or geopandas.GeoDataFrame
        One row per station: ``station_id`` and either ``compound_id`` or a
        location (Point geometry, lon/lat or WKT columns in WGS84).
    compounds : geopandas.GeoDataFrame, optional
        The compounds; needed for stations given by ``compound_id`` only.
        A station's ``compound_id`` must name one of them.
    columns : mapping, optional
        Extra header renames ``{"their header": "column"}``.

    Returns
    -------
    geopandas.GeoDataFrame
        Same index, :data:`STATION_COLUMNS` first, Point geometry in EPSG:4326
        (the compound's representative point where only ``compound_id`` is
        given).

    Raises
    ------
    InputError
        Missing or duplicated ids, a station without location, a
        ``compound_id`` that is not among the compounds.

    Examples
    --------
    >>> import pandas as pd
    >>> from lianhu_geo import load_sample
    >>> stations = validate_stations(
    ...     pd.DataFrame({"站点编号": ["S1"], "小区编号": ["LH0001"]}), load_sample())
    >>> stations[["station_id", "compound_id"]].to_dict("records")
    [{'station_id': 'S1', 'compound_id': 'LH0001'}]
    """
    frame = _table(data, "stations", columns)
    gdf = _location(frame, "stations", required=False)
    _check_ids(gdf, "station_id", "stations")
    for c in ("compound_id", "name", "head"):
        gdf[c] = (
            _to_text(gdf[c])
            if c in gdf.columns
            else pd.Series(pd.NA, index=gdf.index, dtype="string")
        )
    located = gdf.geometry.notna() & ~gdf.geometry.is_empty
    by_compound = gdf["compound_id"].notna()
    if by_compound.any():
        if compounds is None:
            if not located.all():
                raise InputError(
                    "stations given by `compound_id` need the compounds to be placed: "
                    "pass `compounds`, or give lon/lat for each station."
                )
        else:
            reps = compounds.to_crs(4326).representative_point()
            where = pd.Series(reps.to_numpy(), index=compounds["compound_id"].astype(str))
            unknown = by_compound & ~gdf["compound_id"].isin(where.index)
            if unknown.any():
                raise InputError(
                    f"stations {_names(gdf, 'station_id', unknown)} name compounds that are "
                    f"not in the compounds table ({format_rows(gdf['compound_id'][unknown])}). "
                    "Correct the `compound_id`, or give the station's lon/lat instead."
                )
            fill = by_compound & ~located
            if fill.any():
                gdf.loc[fill, gdf.geometry.name] = gpd.GeoSeries(
                    where[gdf["compound_id"][fill]].to_numpy(), index=gdf.index[fill], crs=4326
                )
    missing = ~(gdf.geometry.notna() & ~gdf.geometry.is_empty)
    if missing.any():
        raise InputError(
            f"stations {_names(gdf, 'station_id', missing)} have no location: give the "
            "`compound_id` the station sits in, or its lon/lat."
        )
    _check_inside(gdf, "station_id", "stations", ~missing)
    return _ordered(gdf, STATION_COLUMNS)


def validate_cadres(
    data: pd.DataFrame, *, columns: Mapping[str, str] | None = None
) -> gpd.GeoDataFrame:
    """Check a table of cadres who serve as compound heads (小区院长).

    Parameters
    ----------
    data : pandas.DataFrame or geopandas.GeoDataFrame
        One row per cadre: ``cadre_id``, ``name``, ``level`` (区级/街道,
        district/subdistrict), ``subdistrict`` (for subdistrict cadres),
        optional ``max_visits`` and the office location (Point, lon/lat or
        WKT in WGS84).
    columns : mapping, optional
        Extra header renames.

    Returns
    -------
    geopandas.GeoDataFrame
        Same index, :data:`CADRE_COLUMNS` first, offices as Points in EPSG:4326.

    Raises
    ------
    InputError
        Missing or duplicated ids, an unknown level, a subdistrict cadre
        without subdistrict, an office without location, a bad ``max_visits``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"干部编号": ["K1"], "姓名": ["王芳"], "级别": ["街道"],
    ...                       "街道": ["北院门街道"], "经度": [108.94], "纬度": [34.26]})
    >>> cadres = validate_cadres(table)
    >>> cadres[["cadre_id", "level"]].to_dict("records"), bool(cadres["max_visits"].isna().all())
    ([{'cadre_id': 'K1', 'level': 'subdistrict'}], True)
    """
    frame = _table(data, "cadres", columns)
    gdf = _location(frame, "cadres", required=True)
    _check_ids(gdf, "cadre_id", "cadres")
    for c in ("name", "level"):
        if c not in gdf.columns:
            raise InputError(
                f"the cadres table has no `{c}` column (headers accepted: "
                f"{', '.join([c, *TABLE_ALIASES['cadres'][c]])})."
            )
    gdf["name"] = _to_text(gdf["name"])
    gdf["level"] = _choice(gdf, "level", CADRE_LEVELS, "cadre_id", "cadres")
    gdf["subdistrict"] = (
        _to_text(gdf["subdistrict"])
        if "subdistrict" in gdf.columns
        else pd.Series(pd.NA, index=gdf.index, dtype="string")
    )
    lost = (gdf["level"] == "subdistrict") & gdf["subdistrict"].isna()
    if lost.any():
        raise InputError(
            f"subdistrict cadres {_names(gdf, 'cadre_id', lost)} have no `subdistrict`; "
            "write the subdistrict (街道) they serve in, or make them district (区级) cadres."
        )
    gdf["max_visits"] = (
        _to_count(gdf, "max_visits", "cadre_id", "cadres")
        if "max_visits" in gdf.columns
        else pd.Series(pd.NA, index=gdf.index, dtype="Int64")
    )
    missing = gdf.geometry.isna() | gdf.geometry.is_empty
    if missing.any():
        raise InputError(
            f"cadres {_names(gdf, 'cadre_id', missing)} have no office location; "
            "give the lon/lat of the office they start their visits from."
        )
    _check_inside(gdf, "cadre_id", "cadres", ~missing)
    return _ordered(gdf, CADRE_COLUMNS)


def _service_types(gdf: pd.DataFrame) -> pd.Series:
    lookup = {}
    for value, names in SERVICE_TYPES.items():
        lookup[_key(value)] = value
        lookup.update({_key(n): value for n in names})
    out, bad = [], []
    for index, raw in zip(gdf.index, _to_text(gdf["service_types"]), strict=True):
        parts = (
            []
            if not _present(raw)
            else [
                p
                for p in str(raw).replace("，", ",").replace("、", ",").replace(";", ",").split(",")
                if p.strip()
            ]
        )
        mapped = [lookup.get(_key(p)) for p in parts]
        if not parts or None in mapped:
            bad.append(index)
            out.append(pd.NA)
        else:
            out.append(",".join(t for t in SERVICE_TYPES if t in mapped))
    if bad:
        mask = gdf.index.isin(bad)
        raise InputError(
            f"`service_types` of the companies must list one or more of "
            f"{', '.join(SERVICE_TYPES)} (or 物业, 保洁, 保安, 绿化), comma-separated; "
            f"{_names(gdf, 'company_id', mask)} have none or an unknown one."
        )
    return pd.Series(out, index=gdf.index, dtype="string")


def validate_companies(
    data: pd.DataFrame, *, columns: Mapping[str, str] | None = None
) -> gpd.GeoDataFrame:
    """Check a table of property companies and service firms.

    Parameters
    ----------
    data : pandas.DataFrame or geopandas.GeoDataFrame
        One row per company: ``company_id``, ``name``, ``service_types``;
        optional ``capacity_households``, ``qualification`` and an office
        location (Point, lon/lat or WKT in WGS84).
    columns : mapping, optional
        Extra header renames.

    Returns
    -------
    geopandas.GeoDataFrame
        Same index, :data:`COMPANY_COLUMNS` first, ``service_types`` as
        comma-separated codes in the order of :data:`SERVICE_TYPES`, offices
        as Points in EPSG:4326 (None where not given).

    Raises
    ------
    InputError
        Missing or duplicated ids or names, unknown service types, a bad
        capacity.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"企业编号": ["P1"], "企业名称": ["西安安信保洁有限公司"],
    ...                       "服务类型": ["保洁、保安"], "承接能力(户)": ["2,000"]})
    >>> validate_companies(table)[["service_types", "capacity_households"]].to_dict("records")
    [{'service_types': 'cleaning,security', 'capacity_households': 2000}]
    """
    frame = _table(data, "companies", columns)
    gdf = _location(frame, "companies", required=False)
    _check_ids(gdf, "company_id", "companies")
    for c in ("name", "service_types"):
        if c not in gdf.columns:
            raise InputError(
                f"the companies table has no `{c}` column (headers accepted: "
                f"{', '.join([c, *TABLE_ALIASES['companies'][c]])})."
            )
    gdf["name"] = _to_text(gdf["name"])
    unnamed = gdf["name"].isna()
    if unnamed.any():
        raise InputError(f"companies {_names(gdf, 'company_id', unnamed)} have no `name`.")
    twice = gdf["name"].duplicated(keep=False)
    if twice.any():
        raise InputError(
            f"company names must be unique (compounds name their company by it); "
            f"{format_rows(sorted(set(gdf['name'][twice])))} appear more than once."
        )
    gdf["service_types"] = _service_types(gdf)
    gdf["capacity_households"] = (
        _to_count(gdf, "capacity_households", "company_id", "companies")
        if "capacity_households" in gdf.columns
        else pd.Series(pd.NA, index=gdf.index, dtype="Int64")
    )
    gdf["qualification"] = (
        _to_text(gdf["qualification"])
        if "qualification" in gdf.columns
        else pd.Series(pd.NA, index=gdf.index, dtype="string")
    )
    located = gdf.geometry.notna() & ~gdf.geometry.is_empty
    _check_inside(gdf, "company_id", "companies", located)
    return _ordered(gdf, COMPANY_COLUMNS)


_GIS_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb", ".gml", ".kml"}
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def _read_path(path: Path) -> pd.DataFrame:
    """Read a table (CSV in UTF-8 or GBK, Excel) or a GIS layer, every cell as it is."""
    if not path.exists():
        raise InputError(f"cannot read {path}: no such file. Check the path.")
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".txt", ".tsv"}:
            sep = "\t" if suffix == ".tsv" else ","
            for encoding in _CSV_ENCODINGS:
                try:
                    return pd.read_csv(path, dtype=str, encoding=encoding, sep=sep)
                except UnicodeDecodeError:
                    continue
            raise InputError(
                f"cannot read {path}: not UTF-8 or GBK/GB18030 text. Save it from Excel as "
                "'CSV UTF-8'."
            )
        if suffix in {".xlsx", ".xlsm", ".xls"}:
            return pd.read_excel(path, dtype=object)
        if suffix in _GIS_SUFFIXES or path.is_dir():
            return gpd.read_file(path)
    except InputError:
        raise
    except Exception as exc:  # the reader's own words say what is wrong
        raise InputError(
            f"cannot read {path}: {type(exc).__name__}: {exc}. Check that the file is complete "
            "(open it in Excel or QGIS)."
        ) from exc
    known = ", ".join(sorted(_GIS_SUFFIXES | {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls"}))
    raise InputError(f"cannot read {path}: unknown file type {suffix!r}; use one of {known}.")


def _read(
    source: str | os.PathLike | pd.DataFrame,
    table: str,
    coords: str,
    columns: Mapping[str, str] | None,
) -> gpd.GeoDataFrame:
    """Read a file or table and put its locations in WGS84 points."""
    if coords not in COORDINATE_SYSTEMS:
        raise InputError(
            f"coords={coords!r} is not a known coordinate system; use one of "
            f"{', '.join(COORDINATE_SYSTEMS)}."
        )
    frame = source.copy() if isinstance(source, pd.DataFrame) else _read_path(Path(source))
    gdf = _location(_table(frame, table, columns), table, required=False)
    if coords == "wgs84":
        return gdf
    geometry = gdf.geometry.to_numpy().copy()
    valid = pd.notna(geometry) & ~gdf.geometry.is_empty.to_numpy()
    geometry[valid] = convert_coords(geometry[valid], coords, "wgs84")
    return gdf.set_geometry(gpd.GeoSeries(geometry, index=gdf.index, crs=4326))


def read_stations(
    source: str | os.PathLike | pd.DataFrame,
    compounds: gpd.GeoDataFrame | None = None,
    *,
    coords: str = "wgs84",
    columns: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Read service stations from a file or table; see :func:`validate_stations`."""
    return validate_stations(_read(source, "stations", coords, columns), compounds)


def read_cadres(
    source: str | os.PathLike | pd.DataFrame,
    *,
    coords: str = "wgs84",
    columns: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Read cadres from a file or table; see :func:`validate_cadres`."""
    return validate_cadres(_read(source, "cadres", coords, columns))


def read_companies(
    source: str | os.PathLike | pd.DataFrame,
    *,
    coords: str = "wgs84",
    columns: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Read companies from a file or table; see :func:`validate_companies`."""
    return validate_companies(_read(source, "companies", coords, columns))
