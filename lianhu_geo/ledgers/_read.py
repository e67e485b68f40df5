"""read_compounds: one or many ledger files into one validated GeoDataFrame."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..compounds import (
    _FALSE,
    _TRUE,
    ALIASES,
    MANAGEMENT_VALUES,
    NO_COMPANY_VALUES,
    PROVENANCE_COLUMNS,
    REQUIRED_COLUMNS,
    TEXT_DTYPE,
    _count_cells,
    _key,
    _management_codes,
    _to_text,
    standardize_columns,
    validate_compounds,
)
from ..coords import COORDINATE_SYSTEMS, convert_coords, metric_crs
from ..errors import DataWarning, InputError
from ..labels import label, message
from ..options import Option, check_options
from ._coords import choose_columns, parse_crs, points
from ._place import GIS_SUFFIXES, TABLE_SUFFIXES, place, sheet_place
from ._tables import Piece, read_file

__all__ = ["read_compounds", "DEDUPE", "DEDUPE_DISTANCE_M"]

#: What ``dedupe=`` may say about compounds of the same name close together.
DEDUPE = ("warn", "error", "keep_first")
#: Compounds of the same name closer than this are reported as duplicates.
DEDUPE_DISTANCE_M = 150.0
#: Stages of checks ``progress`` is told about: cell values, ids, duplicate names, the model.
CHECK_STAGES = 4

_OPTIONS = [
    Option("coords", "choice", choices=COORDINATE_SYSTEMS, allow_none=True),
    Option("header_row", "count", minimum=1, allow_none=True),
    Option("dedupe", "choice", choices=DEDUPE),
    Option("lang", "choice", choices=("zh", "en")),
]
_INT_COLUMNS = ("households", "buildings", "units", "build_year")
_BOOL_COLUMNS = ("old", "sanwu", "willing_to_pay", "owners_committee", "has_management")
_NAME_NOISE = re.compile(r"[\s\-_·.,，。()（）\[\]【】]+")
_NAME_SUFFIX = re.compile(r"(小区|家属院|家属区|院落|院|社区)$")
# the same suffixes at the end of each name of names joined by NUL
_JOINED_SUFFIX = re.compile("(?:家属院|家属区|小区|院落|社区|院)(?=\x00|\\Z)")


def read_compounds(
    source: str | os.PathLike | pd.DataFrame | Sequence[str | os.PathLike],
    *,
    coords: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | Sequence[str | int] | None = None,
    header_row: int | None = None,
    layer: str | int | None = None,
    crs: object = None,
    dedupe: str = "warn",
    lang: str = "en",
    progress: Callable[[str, int, int], None] | None = None,
) -> gpd.GeoDataFrame:
    """Read compounds from ledger files or a table into a validated GeoDataFrame.

    Parameters
    ----------
    source : path, list of paths, folder or DataFrame
        Excel (``.xlsx``), CSV, GeoJSON, GeoPackage, FileGDB (``.gdb``),
        Shapefile; a list of them or a folder of them (one workbook per
        community or subdistrict, read in name order and merged); or a
        DataFrame in memory. Title rows, merged cells, notes under the table,
        several sheets or layers, CSV separators and encodings are handled as
        :mod:`lianhu_geo.ledgers._tables` describes.
    coords : {"wgs84", "gcj02", "bd09"}, optional
        The lon/lat system. By default the headers say it (``经度_gcj02``,
        ``lng_bd09``, ``经度(百度)``), else WGS84; a header that names
        another system than ``coords`` is an error.
    columns : mapping, optional
        Header renames ``{"their header": "column"}`` for headers the built-in
        aliases (:data:`lianhu_geo.compounds.ALIASES`) do not know.
    sheet : str, int or list, optional
        The sheet(s) to read: names, or 0-based positions. By default the
        sheets that hold a table, all of them when they have the same columns.
    header_row : int, optional
        The header's row as Excel numbers it (1 = first row). Found by itself
        by default.
    layer : str or int, optional
        The layer of a GeoPackage or FileGDB. By default every layer, when
        they have the same fields; an error lists them when they differ.
    crs : EPSG code or CRS, optional
        The system of table coordinates in projected metres, e.g.
        ``"EPSG:4545"`` (CGCS2000 3-degree Gauss-Kruger CM 108E, Xi'an),
        ``"EPSG:4524"`` (CGCS2000 3-degree GK zone 36, easting with the zone
        prefix), ``"EPSG:2381"`` (Xian 1980 3-degree GK CM 108E), or a
        geographic one such as ``"EPSG:4490"`` (CGCS2000 lon/lat). Columns
        headed X/Y as surveyors write them (X = northing) are recognised.
    dedupe : {"warn", "error", "keep_first"}, default "warn"
        Compounds with the same name (ignoring spaces, punctuation and a
        trailing 小区/院/家属院) less than :data:`DEDUPE_DISTANCE_M` apart:
        warn naming both rows, refuse, or keep the first of each and warn
        which rows were dropped. Never merged in silence.
    lang : {"en", "zh"}, default "en"
        Language of the reader's errors and warnings (the command uses
        ``"zh"``).
    progress : callable, optional
        Called as ``progress(step, done, total)`` while a large input is
        read: ``"read"`` with the rows read so far and the rows known so far
        (a GIS layer read through Arrow tells every 100,000 features, a
        table each file), then ``"check"`` after each of the
        :data:`CHECK_STAGES` stages of checks.

    Returns
    -------
    geopandas.GeoDataFrame
        Every input row (but duplicates dropped by ``dedupe="keep_first"``),
        in EPSG:4326, model columns first (see :mod:`lianhu_geo.compounds`),
        then the source's other columns. Rows read from files carry their
        provenance: ``source_file`` (file name), ``source_sheet`` (sheet or
        layer) and ``source_row`` (row as Excel shows it, or feature number),
        and have a fresh index 0..n-1; a DataFrame keeps its index. Required
        fields the source lacks are left unknown with a
        :class:`~lianhu_geo.errors.DataWarning` naming the empty cells.

    Raises
    ------
    InputError
        When a file cannot be read or holds values the model rejects; the
        message names file, sheet, Excel row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "编号": ["A1"], "小区名称": ["劳动村小区"], "街道": ["桃园路街道"],
    ...     "社区": ["劳动路社区"], "户数": ["300"], "管理状态": ["失管"],
    ...     "经度(百度)": [108.92004], "纬度(百度)": [34.274797]})
    >>> compounds = read_compounds(table)
    >>> compounds.crs.to_epsg(), round(float(compounds.geometry.x[0]), 4)
    (4326, 108.9089)
    """
    given = {"coords": coords, "header_row": header_row, "dedupe": dedupe, "lang": lang}
    if coords is not None and coords not in COORDINATE_SYSTEMS:
        raise InputError(
            message(
                "coords_unknown",
                lang if lang in ("zh", "en") else "en",
                coords=coords,
                known=", ".join(COORDINATE_SYSTEMS),
            )
        )
    check_options(given, _OPTIONS, where="read_compounds")
    if progress is not None and not callable(progress):
        raise InputError(message("progress_not_callable", lang, kind=type(progress).__name__))
    tell = progress or (lambda step, done, total: None)
    parsed_crs = None
    if crs is not None:
        if coords not in (None, "wgs84"):
            raise InputError(message("crs_with_coords", lang, coords=coords))
        parsed_crs = parse_crs(crs, lang)
    extra = {_key(k) for k in (columns or {})}
    if isinstance(source, pd.DataFrame):
        index = source.index
        frame = source.copy()
        frame.index = pd.RangeIndex(len(frame))
        piece = Piece(frame, "", None, list(index), crs=getattr(source, "crs", None))
        piece.layer = isinstance(source, gpd.GeoDataFrame) and source.geometry.name in source
        pieces, from_files = [piece], False
    else:
        pieces, from_files = [], True
        for path in _paths(source, lang):
            before = sum(len(p.frame) for p in pieces)
            pieces += read_file(
                path,
                sheet=sheet,
                header_row=header_row,
                layer=layer,
                extra=extra,
                lang=lang,
                progress=lambda done, total, b=before: tell("read", b + done, b + total),
            )
            rows = sum(len(p.frame) for p in pieces)
            tell("read", rows, rows)
    parts = []
    for piece in pieces:  # a loop, not a comprehension: warnings point at the caller
        parts.append(_piece(piece, coords, parsed_crs, columns, lang))
    tell("check", 1, CHECK_STAGES)
    gdf = _concat(parts)
    if not from_files:
        gdf.index = index
    gdf = _fill_missing(gdf, parts, lang)
    _check_ids(gdf, lang)
    tell("check", 2, CHECK_STAGES)
    gdf = _dedupe(gdf, dedupe, lang)
    tell("check", 3, CHECK_STAGES)
    out = validate_compounds(gdf, planning=False)
    if not from_files:
        out = out.drop(columns=list(PROVENANCE_COLUMNS))
    tell("check", CHECK_STAGES, CHECK_STAGES)
    return out


def _paths(source: object, lang: str) -> list[Path]:
    items = [source] if isinstance(source, str | os.PathLike) else list(source)
    if not items:
        raise InputError(message("no_sources", lang))
    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir() and path.suffix.lower() != ".gdb":
            found = sorted(
                p
                for p in path.iterdir()
                if not p.name.startswith((".", "~$"))
                and (p.suffix.lower() in (GIS_SUFFIXES | TABLE_SUFFIXES | {".xls"}))
            )
            if not found:
                known = ", ".join(sorted(GIS_SUFFIXES | TABLE_SUFFIXES))
                raise InputError(message("empty_folder", lang, file=path, known=known))
            paths += found
        else:
            paths.append(path)
    return paths


class _Part:
    """A piece read and standardized, with its headers as the file wrote them."""

    def __init__(self, gdf: gpd.GeoDataFrame, headers: dict[str, object], piece: Piece):
        self.gdf, self.headers, self.piece = gdf, headers, piece

    def where(self, mask: np.ndarray, column: str | None, lang: str) -> str:
        prov = self.gdf.loc[mask, list(PROVENANCE_COLUMNS)]
        header = None if column is None else self.headers.get(column, column)
        return place(prov, lang=lang, column=header)


def _piece(
    piece: Piece, coords: str | None, crs: object, columns: Mapping | None, lang: str
) -> _Part:
    frame = piece.frame
    prov = piece.provenance()
    at = sheet_place(piece.file, piece.sheet, lang)
    if piece.header_row is not None:  # problems of the header name its row
        at += ", " + message("place_header", lang, row=piece.header_row)
    where = {"file": piece.file, "sheet_place": at}
    if piece.layer:
        gdf = _layer(gpd.GeoDataFrame(frame), coords, crs, lang, where)
        table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        geometry = gdf.geometry
    else:
        table = pd.DataFrame(frame)
        explicit = {_key(k): v for k, v in (columns or {}).items()}
        pair = choose_columns(
            # a header `columns=` maps to lon/lat is a plain lon/lat; to anything else, not one
            [
                explicit.get(_key(c), c) if explicit.get(_key(c)) in ("lon", "lat") else c
                for c in table.columns
                if explicit.get(_key(c)) in (None, "lon", "lat")
            ],
            coords,
            file=piece.file,
            sheet=piece.sheet,
            lang=lang,
        )
        if pair is not None:
            lon, lat, system = pair
            back = {explicit.get(_key(c)): c for c in table.columns}
            lon, lat = back.get(lon, lon), back.get(lat, lat)
            geometry = points(
                table,
                lon,
                lat,
                system,
                crs=crs,
                prov=prov,
                file=piece.file,
                sheet=piece.sheet,
                lang=lang,
            )
            table = table.drop(columns=[lon, lat])
        else:
            geometry = None
    renamed = _standardize(table, columns, lang, where)
    headers = {renamed.columns[i]: table.columns[i] for i in range(len(table.columns))}
    if geometry is None:
        if "wkt" not in renamed.columns:
            raise InputError(
                message(
                    "no_location",
                    lang,
                    **where,
                    lon=", ".join(["lon", *ALIASES["lon"]]),
                    lat=", ".join(["lat", *ALIASES["lat"]]),
                    wkt=", ".join(["wkt", *ALIASES["wkt"]]),
                )
            )
        text = renamed["wkt"].astype(TEXT_DTYPE)
        values = shapely.from_wkt(text.to_numpy(dtype=object, na_value=None), on_invalid="ignore")
        bad = text.notna().to_numpy() & pd.isna(values)
        if bad.any():
            raise InputError(
                message("bad_wkt", lang, where=place(prov[bad], lang=lang, column=headers["wkt"]))
            )
        geometry = gpd.GeoSeries(values, index=renamed.index, crs=crs or 4326).to_crs(4326)
        if coords not in (None, "wgs84"):
            valid = geometry.notna().to_numpy()
            moved = geometry.to_numpy().copy()
            moved[valid] = convert_coords(moved[valid], coords, "wgs84")
            geometry = gpd.GeoSeries(moved, index=renamed.index, crs=4326)
        renamed = renamed.drop(columns="wkt")
    renamed = renamed.drop(columns=[c for c in PROVENANCE_COLUMNS if c in renamed.columns])
    gdf = gpd.GeoDataFrame(
        pd.concat([renamed, prov], axis=1),
        geometry=gpd.GeoSeries(geometry.to_numpy(), index=renamed.index),
        crs=4326,
    )
    part = _Part(gdf, headers, piece)
    _check_values(part, lang)
    return part


def _standardize(
    table: pd.DataFrame, columns: Mapping | None, lang: str, where: dict
) -> pd.DataFrame:
    try:
        return standardize_columns(table, columns)
    except InputError as exc:
        detail = str(exc).split(": ", 1)[-1].split(". Rename")[0]
        raise InputError(message("header_clash", lang, **where, detail=detail)) from exc


def _layer(
    frame: gpd.GeoDataFrame, coords: str | None, crs: object, lang: str, where: dict
) -> gpd.GeoDataFrame:
    if frame.crs is None:
        frame = frame.set_crs(crs if crs is not None else 4326)
    if frame.crs.is_projected:
        if coords not in (None, "wgs84"):
            raise InputError(
                message("layer_projected", lang, **where, crs=frame.crs.name, coords=coords)
            )
        return frame.to_crs(4326)
    frame = frame.to_crs(4326)
    if coords not in (None, "wgs84"):
        valid = frame.geometry.notna().to_numpy()
        geometry = frame.geometry.to_numpy().copy()
        geometry[valid] = convert_coords(geometry[valid], coords, "wgs84")
        frame = frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=4326))
    return frame


def _text(series: pd.Series) -> pd.Series:
    return _to_text(series)  # stripped text, empty cells missing: as validation reads it


def _examples(values: pd.Series) -> str:
    return ", ".join(repr(str(v)) for v in values.unique()[:3])


def _check_values(part: _Part, lang: str) -> None:
    """Refuse cells the model cannot read, naming file, sheet, row and column."""
    data = part.gdf
    for column in _INT_COLUMNS:
        if column not in data.columns:
            continue
        text, numbers, number_text = _count_cells(data[column], column, _text)
        for key, bad in (
            ("not_number", number_text),
            ("not_whole", numbers.notna() & (numbers != np.floor(numbers.fillna(0)))),
            ("negative", numbers.notna() & (numbers < 0)),
        ):
            mask = bad.to_numpy(dtype=bool)
            if mask.any():
                where = part.where(mask, column, lang)
                raise InputError(message(key, lang, where=where, values=_examples(text[mask])))
    for column in _BOOL_COLUMNS:
        if column not in data.columns or pd.api.types.is_bool_dtype(data[column]):
            continue
        text = _text(data[column]).str.lower()
        mask = (text.notna() & ~text.isin(_TRUE | _FALSE)).to_numpy(dtype=bool)
        if mask.any():
            raise InputError(
                message(
                    "not_yes_no",
                    lang,
                    where=part.where(mask, column, lang),
                    values=_examples(text[mask]),
                )
            )
    if "compound_id" in data.columns:
        empty = _text(data["compound_id"]).isna().to_numpy()
        if empty.any():
            raise InputError(
                message("empty_id", lang, where=part.where(empty, "compound_id", lang))
            )
    text = _text(data["management"]) if "management" in data.columns else None
    mapped = pd.Series(None, index=data.index, dtype=object)
    if text is not None:
        mapped = pd.Series(_management_codes(text), index=data.index, dtype=object)
        mask = (text.notna() & mapped.isna()).to_numpy(dtype=bool)
        if mask.any():
            raise InputError(
                message(
                    "bad_management",
                    lang,
                    where=part.where(mask, "management", lang),
                    values=_examples(text[mask]),
                    accepted=", ".join(MANAGEMENT_VALUES),
                )
            )
    if "has_management" in data.columns:
        has = _text(data["has_management"]).str.lower()
        says = has.map(
            lambda v: "professional" if v in _TRUE else "unmanaged" if v in _FALSE else None
        )
        mask = (mapped.notna() & says.notna() & (mapped != says)).to_numpy(dtype=bool)
        if mask.any():
            pairs = [f"{a}/{b}" for a, b in zip(text[mask], has[mask], strict=True)]
            warnings.warn(
                message(
                    "management_contradiction",
                    lang,
                    where=part.where(mask, None, lang),
                    values=", ".join(dict.fromkeys(pairs)),
                ),
                DataWarning,
                stacklevel=4,
            )
        mapped = mapped.where(mapped.notna(), says)
    if "property_company" in data.columns:
        company = _text(data["property_company"])
        said = (mapped == "professional") & company.isin(NO_COMPANY_VALUES)
        mask = said.to_numpy(dtype=bool)
        if mask.any():
            warnings.warn(
                message(
                    "company_contradiction",
                    lang,
                    where=part.where(mask, "property_company", lang),
                    values=_examples(company[mask]),
                ),
                DataWarning,
                stacklevel=4,
            )


def _concat(parts: list[_Part]) -> gpd.GeoDataFrame:
    frames = [p.gdf for p in parts]
    if len(frames) == 1:
        return frames[0].copy()
    gdf = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(gdf, geometry=frames[0].geometry.name, crs=4326)


def _fill_missing(gdf: gpd.GeoDataFrame, parts: list[_Part], lang: str) -> gpd.GeoDataFrame:
    """Add unknown required columns and say which cells are still empty."""
    gdf = gdf.copy()
    sep = message("list_sep", lang)
    if "has_management" in gdf.columns and "management" not in gdf.columns:
        gdf["management"] = pd.NA  # the yes/no column fills it, row by row
        yes = gdf["has_management"].astype(TEXT_DTYPE).str.strip().str.lower()
        gdf["management"] = yes.map(
            lambda v: "professional" if v in _TRUE else "unmanaged" if v in _FALSE else pd.NA
        ).astype("object")
    if "has_management" in gdf.columns and "management" in gdf.columns:
        yes = gdf["has_management"].astype(TEXT_DTYPE).str.strip().str.lower()
        fill = yes.map(
            lambda v: "professional" if v in _TRUE else "unmanaged" if v in _FALSE else None
        )
        gdf["management"] = gdf["management"].where(_text(gdf["management"]).notna(), fill)
        gdf = gdf.drop(columns="has_management")
    missing = [c for c in REQUIRED_COLUMNS if c not in gdf.columns]
    if "compound_id" in missing:
        width = len(str(len(gdf)))
        gdf["compound_id"] = [f"R{i + 1:0{width}d}" for i in range(len(gdf))]
        warnings.warn(
            message(
                "ids_made",
                lang,
                first=gdf["compound_id"].iloc[0],
                second=gdf["compound_id"].iloc[min(1, len(gdf) - 1)],
            ),
            DataWarning,
            stacklevel=3,
        )
        missing.remove("compound_id")
    if missing:
        names = sep.join(label(c, lang) if lang == "zh" else f"`{c}`" for c in missing)
        warnings.warn(message("missing_columns", lang, columns=names), DataWarning, stacklevel=3)
        for c in missing:
            gdf[c] = pd.NA
    details = []
    offset = 0
    for part in parts:
        rows = slice(offset, offset + len(part.gdf))
        offset += len(part.gdf)
        chunk = gdf.iloc[rows]
        for column in REQUIRED_COLUMNS:
            if column in missing or column not in part.gdf.columns:
                continue
            empty = _text(chunk[column]).isna().to_numpy()
            if empty.any():
                prov = chunk.loc[empty, list(PROVENANCE_COLUMNS)]
                details.append(place(prov, lang=lang, column=part.headers.get(column, column)))
    if details:
        warnings.warn(
            message("empty_cells", lang, detail=message("place_sep", lang).join(details)),
            DataWarning,
            stacklevel=3,
        )
    return gdf


def _prov(gdf: gpd.GeoDataFrame, mask: np.ndarray, lang: str, column: str | None = None) -> str:
    return place(gdf.loc[mask, list(PROVENANCE_COLUMNS)], lang=lang, column=column)


def _check_ids(gdf: gpd.GeoDataFrame, lang: str) -> None:
    ids = _text(gdf["compound_id"])
    empty = ids.isna().to_numpy()
    if empty.any():
        raise InputError(
            message("empty_id", lang, where=_prov(gdf, empty, lang, label("compound_id", lang)))
        )
    duplicated = ids.duplicated(keep=False).to_numpy()
    if duplicated.any():
        detail = []
        for value in list(dict.fromkeys(ids[duplicated]))[:10]:
            mask = (ids == value).to_numpy()
            detail.append(f"{value} ({_prov(gdf, mask, lang)})")
        raise InputError(
            message("duplicate_id", lang, detail=message("place_sep", lang).join(detail))
        )
    no_geometry = (gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    if no_geometry.any():
        raise InputError(message("no_geometry", lang, where=_prov(gdf, no_geometry, lang)))


def _name_key(name: object) -> str | None:
    if name is None or (not isinstance(name, str) and bool(pd.isna(name))):
        return None
    key = _NAME_SUFFIX.sub("", _NAME_NOISE.sub("", str(name)).lower())
    return key or None


def _name_keys(names: np.ndarray) -> list[str | None]:
    """:func:`_name_key` of each name, in three passes over the names joined by NUL.

    NUL is no noise, no letter and no part of a suffix, so each name's key
    is what it would be alone; names that hold a NUL are keyed one by one.
    """
    if not len(names):
        return []
    texts = names if pd.api.types.infer_dtype(names) == "string" else [str(v) for v in names]
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        return [_name_key(v) for v in names]
    joined = _JOINED_SUFFIX.sub("", _NAME_NOISE.sub("", joined).lower())
    return [key or None for key in joined.split("\x00")]


def _dedupe(gdf: gpd.GeoDataFrame, dedupe: str, lang: str) -> gpd.GeoDataFrame:
    if "name" not in gdf.columns or len(gdf) < 2:
        return gdf
    codes, names = pd.factorize(gdf["name"])  # each spelling's key once
    known = np.array([*_name_keys(np.asarray(names, dtype=object)), None], dtype=object)
    keys = pd.Series(known[codes], index=gdf.index)
    repeated = keys.notna() & keys.duplicated(keep=False)
    if not repeated.any():
        return gdf
    metric = gdf.geometry[repeated].representative_point().to_crs(metric_crs(gdf))
    pairs = []
    positions = {label_: i for i, label_ in enumerate(gdf.index)}
    for _, group in keys[repeated].groupby(keys[repeated], sort=False):
        members = list(group.index)
        for a_i, a in enumerate(members):
            for b in members[a_i + 1 :]:
                if metric[a].distance(metric[b]) < DEDUPE_DISTANCE_M:
                    pairs.append((positions[a], positions[b]))
    if not pairs:
        return gdf
    pairs.sort()

    def name(i: int) -> str:
        mask = np.zeros(len(gdf), dtype=bool)
        mask[i] = True
        return f"{gdf['compound_id'].iloc[i]} {gdf['name'].iloc[i]} ({_prov(gdf, mask, lang)})"

    detail = message("place_sep", lang).join(
        message("duplicate_pair", lang, first=name(a), second=name(b)) for a, b in pairs[:10]
    )
    if dedupe == "error":
        raise InputError(
            message("duplicate_name", lang, distance_m=DEDUPE_DISTANCE_M, detail=detail)
        )
    if dedupe == "warn":
        warnings.warn(
            message("duplicate_name", lang, distance_m=DEDUPE_DISTANCE_M, detail=detail),
            DataWarning,
            stacklevel=3,
        )
        return gdf
    drop = sorted({b for a, b in pairs if a not in {y for _, y in pairs}} | {b for _, b in pairs})
    warnings.warn(
        message(
            "dropped_duplicates", lang, detail=message("list_sep", lang).join(name(i) for i in drop)
        ),
        DataWarning,
        stacklevel=3,
    )
    keep = np.ones(len(gdf), dtype=bool)
    keep[drop] = False
    return gdf[keep]
