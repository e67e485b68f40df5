"""The compound data model: columns, header aliases and validation.

A compounds table is a GeoDataFrame with one row per residential compound
(小区/院落), the unit of planning. This module is the one place that says
which columns exist, which headers planners' spreadsheets use for them, and
what a valid value is.

Required columns
    ``compound_id`` (unique string), ``name``, ``subdistrict`` (街道),
    ``community`` (社区), ``households`` (integer >= 0), ``management``
    (``"professional"`` or ``"unmanaged"``) and a geometry: Polygon or
    MultiPolygon footprints, or Points where footprints are unknown.

Optional columns
    ``buildings``, ``units``, ``build_year``, ``old``, ``sanwu``,
    ``willing_to_pay``, ``owners_committee``, ``property_company``,
    ``fee_yuan_per_m2``.

Files often lack planning fields (a scraped list of names and points has no
subdistrict or management). :func:`validate_compounds` with
``planning=False`` keeps such rows, leaves the missing fields unknown (NA)
and warns which; with ``planning=True`` (what planning functions use) it
refuses unknowns and names the rows. No value is ever invented: the only
derived value is ``old`` from ``build_year`` (built before 2000) when the
input has no ``old`` column, and a ``compound_id`` made from the row number
when the input has no id column; both are announced with a warning.

Values that no plan can hold are refused before any work, naming the rows:
counts that are infinite or beyond :data:`MAX_COUNTS` (no compound has more
than 100,000 households), text with control characters, NUL bytes, lone
surrogates (broken Unicode) or non-characters (they cannot be written to a
workbook or a GeoPackage), and an index that the plan's files cannot give
back (a MultiIndex, labels that mix ``1`` and ``"1"``, repeated labels,
unsigned integers beyond int64). Two repairs are made and named in a
:class:`~lianhu_geo.errors.DataWarning`: line breaks and tabs inside ids and
names become spaces, and a footprint with no area (a line or a point drawn
as a polygon) becomes its centre point.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import DataWarning, InputError, format_rows

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "ALIASES",
    "MANAGEMENT_VALUES",
    "NO_COMPANY_VALUES",
    "PROVENANCE_COLUMNS",
    "OLD_BEFORE_YEAR",
    "MAX_COUNTS",
    "standardize_columns",
    "validate_compounds",
]

REQUIRED_COLUMNS: tuple[str, ...] = (
    "compound_id",
    "name",
    "subdistrict",
    "community",
    "households",
    "management",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "buildings",
    "units",
    "build_year",
    "old",
    "sanwu",
    "willing_to_pay",
    "owners_committee",
    "property_company",
    "fee_yuan_per_m2",
)

#: Headers accepted for each column, besides the column's own name. Matching
#: ignores case, spaces and a byte-order mark. Names cut to 10 characters are
#: what a Shapefile keeps of the longer ones.
ALIASES: dict[str, tuple[str, ...]] = {
    "compound_id": ("compound_i", "id", "编号", "小区编号", "小区id", "小区代码"),
    "name": ("小区名称", "小区名", "院落名称", "名称", "小区", "compound_name"),
    "subdistrict": ("subdistric", "街道", "街道办", "街道办事处", "所属街道", "street"),
    "community": ("社区", "所属社区", "社区名称", "社区居委会"),
    "households": ("户数", "总户数", "住户数", "居民户数", "房屋总数"),
    "management": ("管理状态", "物业状态", "物业管理状态", "物业管理"),
    # a yes/no column "is there a property company": 有/是 = professional
    "has_management": ("有无物业", "是否有物业", "有无物业管理", "是否有物业管理", "有物业"),
    "buildings": ("楼栋数", "楼栋", "楼数", "栋数"),
    "units": ("单元数", "单元"),
    "build_year": ("建成年代", "建成年份", "建筑年代", "竣工年份", "建成时间"),
    "old": ("是否老旧", "老旧小区", "是否老旧小区"),
    "sanwu": ("是否三无", "三无小区", "三无"),
    "willing_to_pay": ("willing_to", "是否愿意付费", "愿意付费", "付费意愿"),
    "owners_committee": ("owners_com", "业委会", "物管会", "是否有业委会", "业委会/物管会"),
    "property_company": ("property_c", "物业公司", "物业企业", "物业服务企业"),
    "fee_yuan_per_m2": (
        "fee_yuan_p",
        "物业费",
        "物业费单价",
        "物业费(元/平米/月)",
        "物业费(元/平方米·月)",
    ),
    # geometry sources in tables
    "lon": ("lng", "longitude", "x", "经度"),
    "lat": ("latitude", "y", "纬度"),
    "wkt": ("geometry", "geom", "几何", "边界"),
}

#: Accepted spellings of the two management values.
MANAGEMENT_VALUES: dict[str, str] = {
    "professional": "professional",
    "专业物业": "professional",
    "专业": "professional",
    "有物业": "professional",
    "已管": "professional",
    "managed": "professional",
    "unmanaged": "unmanaged",
    "失管": "unmanaged",
    "失管小区": "unmanaged",
    "无物业": "unmanaged",
    "未管": "unmanaged",
    "有": "professional",
    "无": "unmanaged",
}

#: ``property_company`` values that mean "no company": read as unknown (NA).
NO_COMPANY_VALUES: tuple[str, ...] = ("无", "暂无", "没有", "无物业", "-", "--", "—", "/", "／")

#: Where each row came from, when read from a file: the file's name, the
#: sheet (or layer) and the row number as Excel shows it (feature number in a
#: GIS layer). Errors name rows by these when present.
PROVENANCE_COLUMNS: tuple[str, ...] = ("source_file", "source_sheet", "source_row")

#: A compound is ``old`` (老旧小区) when built before this year.
OLD_BEFORE_YEAR = 2000

_TRUE = {"true", "yes", "y", "t", "1", "是", "有", "愿意", "√", "✓"}
_FALSE = {"false", "no", "n", "f", "0", "否", "无", "没有", "不愿意", "×"}
_INT_COLUMNS = ("households", "buildings", "units", "build_year")

#: Largest plausible count per compound. China's largest single compounds
#: hold a few tens of thousands of households; a count above these bounds
#: is a typo (an extra digit, a phone number in the wrong column) or an
#: overflow, and is refused naming the rows.
MAX_COUNTS: dict[str, int] = {"households": 100_000, "buildings": 5_000, "units": 50_000}

# text a workbook (XML 1.0) or GeoPackage cannot hold, or that is not text:
# C0/C1 controls except tab/newline/return, lone surrogates, non-characters
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# line breaks and tabs: cleaned to a space in ids and names
_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]+")
_BOOL_COLUMNS = ("old", "sanwu", "willing_to_pay", "owners_committee")
_TEXT_COLUMNS = ("compound_id", "name", "subdistrict", "community", "property_company")
_CHINA_LON = (73.0, 136.0)
_CHINA_LAT = (3.0, 54.0)
_STRIP = np.frompyfunc(str.strip, 1, 1)
#: Nullable text as Python strings, whether or not pyarrow is installed: pandas
#: would otherwise keep it in Arrow, which cannot hold the lone surrogates that
#: validation must name (and the model's dtypes would depend on the machine).
TEXT_DTYPE = pd.StringDtype("python")


def _key(header: object) -> str:
    return re.sub(r"\s+", "", str(header).replace("\ufeff", "")).lower()


def standardize_columns(
    data: pd.DataFrame, columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Rename planners' headers to the model's column names.

    Parameters
    ----------
    data : pandas.DataFrame
        A table with headers in English or Chinese.
    columns : mapping, optional
        Extra renames ``{"their header": "column"}`` that win over the
        built-in :data:`ALIASES`.

    Returns
    -------
    pandas.DataFrame
        A copy whose recognised headers carry the model's names; other
        columns keep their own.

    Raises
    ------
    InputError
        When two headers map to the same column.

    Examples
    --------
    >>> import pandas as pd
    >>> standardize_columns(pd.DataFrame(columns=["小区名称", "户数", "备注"])).columns.tolist()
    ['name', 'households', '备注']
    """
    lookup = {_key(c): c for c in ALIASES}
    for column, aliases in ALIASES.items():
        lookup.update({_key(a): column for a in aliases})
    explicit = {_key(k): v for k, v in (columns or {}).items()}
    geometry = data.geometry.name if isinstance(data, gpd.GeoDataFrame) else None
    renames: dict[object, str] = {}
    for header in data.columns:
        if header == geometry:
            continue
        if _key(header) == "id" and "compound_id" in data.columns and "id" not in explicit:
            continue  # geopandas' to_json() writes a feature `id` beside `compound_id`
        target = explicit.get(_key(header))
        if target is None and _key(header) in lookup:
            target = lookup[_key(header)]
        if target is not None and target != header:
            renames[header] = target
    # a header already named as a column keeps it; an alias must not clash
    targets = [renames.get(h, h) for h in data.columns]
    clashes = sorted({t for t in targets if targets.count(t) > 1 and t in lookup.values()})
    if clashes:
        detail = "; ".join(
            f"`{t}` from headers "
            + ", ".join(repr(str(h)) for h in data.columns if renames.get(h, h) == t)
            for t in clashes
        )
        raise InputError(
            f"two headers name the same column: {detail}. Rename or drop one of "
            "them, or pass `columns={...}` to say which header is which."
        )
    return data.rename(columns=renames)


def _row_names(data: pd.DataFrame, mask: np.ndarray | pd.Series) -> str:
    mask = np.asarray(mask, dtype=bool)
    if all(c in data.columns for c in PROVENANCE_COLUMNS):
        from .ledgers._place import place

        prov = data.loc[mask, list(PROVENANCE_COLUMNS)]
        ids = data.loc[mask, "compound_id"] if "compound_id" in data.columns else None
        named = [  # "C1 (台账.xlsx, sheet Sheet1, row 7)"; format_rows counts the rest
            (f"{ids.iloc[k]} " if ids is not None and _present(ids.iloc[k]) else "")
            + f"({place(prov.iloc[[k]], lang='en')})"
            for k in range(min(len(prov), 10))
        ]
        return format_rows(named + [""] * (len(prov) - len(named)))
    if "compound_id" in data.columns:
        ids = data["compound_id"].to_numpy(dtype=object)
        labels = [
            str(i) if _present(i) else f"row {r}"
            for i, r in zip(ids[mask], data.index[mask], strict=True)
        ]
    else:
        labels = [f"row {r}" for r in data.index[mask]]
    return format_rows(labels)


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and np.isnan(value))
        and (value is not pd.NA and value is not pd.NaT)
    )


def _aliases_text(column: str) -> str:
    return ", ".join([column, *ALIASES.get(column, ())])


def parse_numbers(text: pd.Series) -> pd.Series:
    """Read numbers from text: ``pandas.to_numeric(errors="coerce")``, same on every pandas.

    Text that is a number too large for a float (``"1e400"``) is infinite,
    as pandas 3 reads it (pandas 2.2 gives NA), so that it is refused as too
    large rather than as not a number.

    >>> parse_numbers(pd.Series(["5", "1e400", "x", None], dtype="string")).tolist()
    [5.0, inf, <NA>, <NA>]
    """
    numbers = pd.to_numeric(text, errors="coerce").astype("Float64")
    missed = text.notna() & numbers.isna()
    for position in np.flatnonzero(missed.to_numpy(dtype=bool)):
        try:
            value = float(str(text.iloc[position]))
        except ValueError:
            continue
        if np.isinf(value):
            numbers.iloc[position] = value
    return numbers


def _numeric(raw: pd.Series, column: str) -> bool:
    """Whether a count column holds numbers already (a GIS layer's integer or real field).

    Their digits would parse back to the same numbers, so the text round trip
    is skipped; the text of the rows named in an error is made as before.
    """
    kind = raw.dtype
    numbers = pd.api.types.is_integer_dtype(kind) or pd.api.types.is_float_dtype(kind)
    return column != "build_year" and numbers and not pd.api.types.is_bool_dtype(kind)


class _Digits:
    """The text of a count column, made by ``as_text`` only for the rows an error names."""

    def __init__(self, raw: pd.Series, as_text: Callable[[pd.Series], pd.Series]):
        self.raw, self.as_text = raw, as_text

    def __getitem__(self, mask: pd.Series) -> pd.Series:
        return self.as_text(self.raw[mask])


def _count_cells(
    raw: pd.Series, column: str, as_text: Callable[[pd.Series], pd.Series]
) -> tuple[pd.Series | _Digits, pd.Series, pd.Series]:
    """Read a count column: its text (for errors), its numbers, and where text is no number.

    A number field is taken as it is (NaN: unknown, as an empty cell), its
    text made by ``as_text`` only for the rows an error names; text is
    ``as_text(raw)`` without thousands separators (``build_year``: its first
    four digits in a row), read by :func:`parse_numbers`.
    """
    if _numeric(raw, column):
        return _Digits(raw, as_text), raw.astype("Float64"), pd.Series(False, index=raw.index)
    text = as_text(raw)
    if column == "build_year":
        text = text.str.extract(r"(\d{4})", expand=False).where(text.notna())
    text = text.str.replace(",", "", regex=False).replace("", pd.NA)
    numbers = parse_numbers(text)
    return text, numbers, text.notna() & numbers.isna()


def _to_int(data: pd.DataFrame, column: str) -> pd.Series:
    text, numbers, bad = _count_cells(data[column], column, _strip_text)
    if bad.any():
        examples = ", ".join(repr(str(v)) for v in text[bad].unique()[:3])
        raise InputError(
            f"`{column}` must be a whole number; rows {_row_names(data, bad)} have "
            f"{examples}. Write plain numbers (no units) or leave the cell empty "
            "if unknown."
        )
    fractional = numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
    if fractional.any():
        raise InputError(
            f"`{column}` must be a whole number; rows {_row_names(data, fractional)} "
            "have fractions."
        )
    limit = MAX_COUNTS.get(column)
    huge = numbers.notna() & ~np.isfinite(numbers.astype("float64").fillna(0))
    if limit is not None:
        huge |= numbers.notna() & (numbers.astype("float64") > limit)
    if huge.any():
        examples = ", ".join(repr(str(v)) for v in text[huge].unique()[:3])
        bound = f"at most {limit:,}" if limit is not None else "a finite number"
        raise InputError(
            f"`{column}` must be {bound} for one compound; rows {_row_names(data, huge)} "
            f"have {examples}. Correct the number (an extra digit, a value from another "
            "column?) or leave the cell empty if unknown."
        )
    negative = numbers.notna() & (numbers < 0)
    if negative.any():
        raise InputError(
            f"`{column}` must be >= 0; rows {_row_names(data, negative)} have "
            "negative values. Correct them, or leave the cell empty if unknown."
        )
    return numbers.astype("Int64")


def _to_bool(data: pd.DataFrame, column: str) -> pd.Series:
    raw = data[column]
    if pd.api.types.is_bool_dtype(raw):
        return raw.astype("boolean")
    text = _strip_text(raw).str.lower()
    out = pd.Series(pd.NA, index=data.index, dtype="boolean")
    out[text.isin(_TRUE).fillna(False)] = True
    out[text.isin(_FALSE).fillna(False)] = False
    bad = text.notna() & out.isna()
    if bad.any():
        examples = ", ".join(repr(str(v)) for v in text[bad].unique()[:3])
        raise InputError(
            f"`{column}` must be yes/no; rows {_row_names(data, bad)} have {examples}. "
            "Use 是/否, yes/no, true/false or 1/0, or leave the cell empty if unknown."
        )
    return out


def _to_text(series: pd.Series) -> pd.Series:
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return _strip_text(series)  # text already: vectorised, as `one` does it
    if pd.api.types.is_integer_dtype(series.dtype):  # whole numbers: their digits, as `one`
        return series.astype(TEXT_DTYPE)

    def one(v: object) -> object:
        if not _present(v):
            return pd.NA
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        s = str(v).strip()
        return s if s else pd.NA

    return pd.Series([one(v) for v in series], index=series.index, dtype=TEXT_DTYPE)


def _strip_text(series: pd.Series) -> pd.Series:
    """Text (or missing) values stripped, empty ones missing: ``string`` dtype, vectorised.

    ``str.strip`` is applied by a numpy ufunc over the values (pandas' own
    ``.str.strip`` goes through a Python function per value, 5x slower).
    """
    text = series.astype(TEXT_DTYPE)
    values = text.to_numpy(dtype=object, na_value="")
    stripped = _STRIP(values) if len(values) else values
    out = pd.Series(pd.array(stripped, dtype=text.dtype), index=series.index, name=series.name)
    return out.mask(stripped == "", pd.NA)


def _codepoints(text: str) -> str:
    found = sorted(set(_UNWRITABLE.findall(text)))
    return ", ".join(f"U+{ord(c):04X}" for c in found)


def _safe_label(value: object) -> str:
    """Show unwritable characters of a row label as ``<U+XXXX>``, for messages."""
    return _UNWRITABLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", str(value))


def _check_text(data: pd.DataFrame) -> pd.DataFrame:
    """Refuse text that no file can hold; clean line breaks in ids and names."""
    headers = [str(c) for c in data.columns if _UNWRITABLE.search(str(c))]
    if headers:
        raise InputError(
            "column headers "
            + ", ".join(f"{_safe_label(h)!r} ({_codepoints(h)})" for h in headers)
            + " hold control characters or broken Unicode that no workbook or GeoPackage "
            "can hold. Retype those headers."
        )
    geometry = data.geometry.name if isinstance(data, gpd.GeoDataFrame) else None
    ids = data.get("compound_id", data.index)
    cleaned: dict[str, list[str]] = {}
    for column in data.columns:
        if column == geometry or not (
            pd.api.types.is_object_dtype(data[column]) or pd.api.types.is_string_dtype(data[column])
        ):
            continue
        values = data[column].to_numpy(dtype=object)
        is_text = _is_str(values)
        joined = " ".join(values[is_text])
        # printable text (most often, checked in C) holds no control, surrogate, break
        printable = joined.isprintable()
        if printable or not _UNWRITABLE.search(joined):  # one search, else
            bad = np.zeros(len(values), dtype=bool)
        else:
            bad = np.array(
                [
                    bool(t) and _UNWRITABLE.search(v) is not None
                    for v, t in zip(values, is_text, strict=True)
                ],
                dtype=bool,
            )
        if bad.any():
            labels = np.array([_safe_label(v) for v in ids], dtype=object)
            where = ", ".join(
                f"{label} ({_codepoints(v)})"
                for label, v in list(zip(labels[bad], values[bad], strict=True))[:10]
            )
            more = f" and {int(bad.sum()) - 10} more" if bad.sum() > 10 else ""
            raise InputError(
                f"`{column}` holds control characters, NUL bytes or broken Unicode that no "
                f"workbook or GeoPackage can hold: rows {where}{more}. Delete them in the "
                "spreadsheet (they often come from text pasted from another program) or "
                "re-save the file as UTF-8."
            )
        if column in _TEXT_COLUMNS:
            breaks = np.zeros(len(values), dtype=bool)
            if not printable and _BREAKS.search(joined):  # one search, most often
                breaks = np.array(
                    [
                        bool(t) and _BREAKS.search(v) is not None
                        for v, t in zip(values, is_text, strict=True)
                    ],
                    dtype=bool,
                )
            if breaks.any():
                labels = np.array([_safe_label(v) for v in ids], dtype=object)
                fixed = [_BREAKS.sub(" ", v).strip() for v in values[breaks]]
                data = data.copy() if not cleaned else data
                data.loc[breaks, column] = pd.array(fixed, dtype=data[column].dtype)
                cleaned[column] = list(labels[breaks])
    if cleaned:
        warnings.warn(
            "replaced line breaks and tabs by spaces in "
            + "; ".join(f"`{c}` of rows {format_rows(rows)}" for c, rows in cleaned.items())
            + ".",
            DataWarning,
            stacklevel=3,
        )
    return data


def _is_str(values: np.ndarray) -> np.ndarray:
    """Which values are ``str``: one C pass when all present ones are, as a table's text is."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return ~pd.isna(values)
    return np.array([isinstance(v, str) for v in values], dtype=bool)


def _check_index(data: pd.DataFrame) -> None:
    """Refuse an index that the plan's files cannot give back as it was."""
    index = data.index
    fix = (
        "Use `df.reset_index(drop=True)`, or make the labels text with "
        "`df.index = df.index.astype(str)`."
    )
    if isinstance(index, pd.MultiIndex):
        raise InputError(
            f"the compounds have a MultiIndex ({', '.join(map(str, index.names))}); plan files "
            f"keep one index column. Use `df.reset_index()` to make the levels columns."
        )
    if index.has_duplicates:
        repeated = sorted({str(v) for v in index[index.duplicated()]})
        raise InputError(
            f"the compounds' index must be unique; labels {format_rows(repeated)} repeat. "
            "Use `compounds.reset_index(drop=True)` or index by `compound_id`."
        )
    if pd.api.types.is_object_dtype(index.dtype):
        kinds = sorted({type(v).__name__ for v in index})
        if kinds != ["str"]:
            what = f"mixes {' and '.join(kinds)} labels" if len(kinds) > 1 else f"holds {kinds[0]}"
            raise InputError(
                f"the index {what} in a generic (object) index, which the plan's files "
                f"cannot give back as they were (1 and '1' are both written as text). {fix}"
            )
    unsigned = pd.api.types.is_unsigned_integer_dtype(index.dtype) and len(index)
    if unsigned and int(index.max()) > np.iinfo(np.int64).max:
        raise InputError(
            f"index labels up to {int(index.max())} do not fit the GeoPackage's 64-bit "
            f"integers. {fix}"
        )
    if pd.api.types.is_string_dtype(index.dtype) or pd.api.types.is_object_dtype(index.dtype):
        bad = [str(v) for v in index if _UNWRITABLE.search(str(v))]
        if bad:
            raise InputError(
                f"index labels {format_rows(_safe_label(v) for v in bad)} hold control "
                f"characters or broken Unicode. {fix}"
            )


def _to_management(data: pd.DataFrame) -> pd.Series:
    text = _to_text(data["management"])
    mapped = pd.Series(_management_codes(text), index=data.index, dtype="object")
    bad = text.notna() & mapped.isna()
    if bad.any():
        examples = ", ".join(repr(str(v)) for v in text[bad].unique()[:3])
        raise InputError(
            f"`management` must be 'professional' or 'unmanaged'; rows "
            f"{_row_names(data, bad)} have {examples}. Accepted spellings: "
            f"{', '.join(MANAGEMENT_VALUES)}."
        )
    return mapped.astype(TEXT_DTYPE)


def _management_codes(text: pd.Series) -> np.ndarray:
    """``"professional"``, ``"unmanaged"`` or None per value of stripped text.

    Each distinct spelling is looked up once (:data:`MANAGEMENT_VALUES`,
    ignoring case and spaces); the rows take theirs by position.
    """
    codes, spellings = pd.factorize(text)
    lookup = {_key(k): v for k, v in MANAGEMENT_VALUES.items()}
    spellings = np.asarray(spellings, dtype=object)
    known = np.array([lookup.get(_key(v)) for v in spellings] + [None], dtype=object)
    return known[codes]  # code -1 (missing) takes the last: None


def _check_geometry(data: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geom = data.geometry
    empty = geom.isna() | geom.is_empty
    if empty.any():
        raise InputError(
            f"rows {_row_names(data, empty)} have no geometry (column "
            f"`{data.geometry.name}`). Give each compound a footprint polygon or "
            "a lon/lat point; a compound without a location cannot be planned."
        )
    kinds = geom.geom_type
    bad_kind = ~kinds.isin(["Polygon", "MultiPolygon", "Point"])
    if bad_kind.any():
        raise InputError(
            f"geometry must be Polygon, MultiPolygon or Point; rows "
            f"{_row_names(data, bad_kind)} are {', '.join(sorted(kinds[bad_kind].unique()))}."
            " Convert them to footprints (or points) first."
        )
    if data.crs is None:
        raise InputError(
            "the compounds have no CRS. Set it, e.g. `gdf.set_crs('EPSG:4326')` for "
            "lon/lat, or read the file with `read_compounds(..., coords=...)`."
        )
    lonlat = geom if data.crs.is_geographic else geom.to_crs(4326)
    lon, lat = _representative_lonlat(lonlat.to_numpy())
    inside = (
        (lon >= _CHINA_LON[0])
        & (lon <= _CHINA_LON[1])
        & (lat >= _CHINA_LAT[0])
        & (lat <= _CHINA_LAT[1])
    )
    if not inside.all():
        swapped = ~inside & (
            (lat >= _CHINA_LON[0])
            & (lat <= _CHINA_LON[1])
            & (lon >= _CHINA_LAT[0])
            & (lon <= _CHINA_LAT[1])
        )
        if swapped.any():
            raise InputError(
                f"rows {_row_names(data, swapped)} look like latitude/longitude "
                "swapped (longitude must come first, about 73-136 in China). Swap "
                "the lon and lat columns, or name them 经度/纬度."
            )
        raise InputError(
            f"rows {_row_names(data, ~inside)} lie outside China (lon 73-136, lat "
            "3-54). Check the coordinates, and that `coords=` names their system "
            "(wgs84, gcj02 or bd09); projected coordinates need a CRS."
        )
    # zero or not is the same in any CRS, so the area is taken as it is
    flat = kinds.isin(["Polygon", "MultiPolygon"]) & ~(shapely.area(geom.to_numpy()) > 0)
    if flat.any():
        warnings.warn(
            f"footprints of rows {_row_names(data, flat)} have no area (a line or a point "
            "drawn as a polygon); they are used as points at their centre. Draw the "
            "footprints again to plan with their shape.",
            DataWarning,
            stacklevel=3,
        )
        data = data.copy()
        centres = shapely.centroid(geom[flat].to_numpy())
        data.loc[flat, data.geometry.name] = gpd.GeoSeries(
            centres, index=data.index[flat], crs=data.crs
        )
        geom = data.geometry
    invalid = ~geom.is_valid
    if invalid.any():
        warnings.warn(
            f"repaired invalid footprints of rows {_row_names(data, invalid)} with "
            "shapely.make_valid; check them in a GIS.",
            DataWarning,
            stacklevel=3,
        )
        repaired = shapely.make_valid(geom[invalid].to_numpy())
        repaired = [_polygonal(g) for g in repaired]
        data = data.copy()
        data.loc[invalid, data.geometry.name] = gpd.GeoSeries(
            repaired, index=data.index[invalid], crs=data.crs
        )
    return data


def _representative_lonlat(shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat of a point of each shape, as good as its representative point for the China test.

    A shape whose bounds lie inside China's box has its representative point
    inside too: its box corner stands for it, and only the others (or all,
    for a country outside) pay for ``representative_point``.
    """
    bounds = shapely.bounds(shapes)
    inside = (
        (bounds[:, 0] >= _CHINA_LON[0])
        & (bounds[:, 2] <= _CHINA_LON[1])
        & (bounds[:, 1] >= _CHINA_LAT[0])
        & (bounds[:, 3] <= _CHINA_LAT[1])
    )
    lon, lat = bounds[:, 0].copy(), bounds[:, 1].copy()
    if not inside.all():
        reps = shapely.get_coordinates(shapely.point_on_surface(shapes[~inside]))
        lon[~inside], lat[~inside] = reps[:, 0], reps[:, 1]
    return lon, lat


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygon parts of a repaired geometry."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geometry


def validate_compounds(
    data: gpd.GeoDataFrame,
    *,
    planning: bool = True,
    columns: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Check a compounds table and return it in the model's columns and types.

    Parameters
    ----------
    data : geopandas.GeoDataFrame
        One row per compound, headers in English or Chinese (see
        :data:`ALIASES`), in any CRS.
    planning : bool, default True
        Refuse rows whose required fields are unknown (what planning
        functions need). With ``False``, missing required columns are added
        as unknown (NA) with a warning, so partial data can be read and
        looked at.
    columns : mapping, optional
        Extra header renames, as in :func:`standardize_columns`.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame with the same index and rows, model columns first in the
        documented order, then the input's other columns. Types: ids and
        names as strings, counts as ``Int64``, flags as ``boolean``.

    Raises
    ------
    InputError
        Naming the rows and columns at fault and how to fix them.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> df = gpd.GeoDataFrame(
    ...     {"小区名称": ["甲院"], "街道": ["北院门街道"], "社区": ["大麦市社区"],
    ...      "户数": [120], "管理状态": ["失管"], "compound_id": ["C1"]},
    ...     geometry=[Point(108.94, 34.26)], crs=4326)
    >>> validate_compounds(df)[["compound_id", "households", "management"]]
      compound_id  households management
    0          C1         120  unmanaged
    """
    if not isinstance(data, gpd.GeoDataFrame):
        raise InputError(
            f"expected a GeoDataFrame of compounds, got {type(data).__name__}; "
            "use `lianhu_geo.read_compounds(path)` to read a file."
        )
    if len(data) == 0:
        raise InputError(
            "the input has no compounds (0 rows). Check the file or the filter that produced it."
        )
    _check_index(data)
    out = standardize_columns(data, columns)
    if not isinstance(out, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=data.geometry.name, crs=data.crs)
    out = out.copy()
    if "has_management" in out.columns:
        has = _to_bool(out, "has_management")
        if "management" not in out.columns:
            out["management"] = has.map({True: "professional", False: "unmanaged"}).astype("object")
        out = out.drop(columns="has_management")

    missing = [c for c in REQUIRED_COLUMNS if c not in out.columns]
    if missing and planning:
        lines = "; ".join(f"`{c}` (headers accepted: {_aliases_text(c)})" for c in missing)
        raise InputError(
            f"missing required columns: {lines}. Add them, or map your headers with "
            "`columns={'your header': 'column'}`."
        )
    if "compound_id" in missing:
        width = len(str(len(out)))
        out["compound_id"] = [f"R{i + 1:0{width}d}" for i in range(len(out))]
        warnings.warn(
            f"the input has no `compound_id` column; ids {out['compound_id'].iloc[0]}, "
            f"{out['compound_id'].iloc[min(1, len(out) - 1)]}... were made from the row "
            "order. Add ids to keep them stable across edits of the file.",
            DataWarning,
            stacklevel=2,
        )
        missing.remove("compound_id")
    if missing:
        warnings.warn(
            f"the input lacks {', '.join(f'`{c}`' for c in missing)}; they are left "
            "unknown for all rows, and planning functions will refuse these rows "
            "until they are filled.",
            DataWarning,
            stacklevel=2,
        )
        for c in missing:
            out[c] = pd.NA

    for c in _TEXT_COLUMNS:
        if c in out.columns:
            out[c] = _to_text(out[c])
    if "property_company" in out.columns:
        company = out["property_company"]
        out["property_company"] = company.mask(company.isin(NO_COMPANY_VALUES))
    out = _check_text(out)
    for c in _INT_COLUMNS:
        if c in out.columns:
            out[c] = _to_int(out, c)
    for c in _BOOL_COLUMNS:
        if c in out.columns:
            out[c] = _to_bool(out, c)
    if "fee_yuan_per_m2" in out.columns:
        out["fee_yuan_per_m2"] = pd.to_numeric(
            out["fee_yuan_per_m2"].astype(TEXT_DTYPE).str.extract(r"([\d.]+)", expand=False),
            errors="coerce",
        ).astype("Float64")
    out["management"] = _to_management(out)
    if "old" not in out.columns and "build_year" in out.columns:
        out["old"] = (out["build_year"] < OLD_BEFORE_YEAR).astype("boolean")

    ids = out["compound_id"]
    if ids.isna().any():
        raise InputError(
            f"`compound_id` is empty in rows {_row_names(out, ids.isna())}. Give every "
            "compound an id, or drop the id column to have ids made from row numbers."
        )
    duplicated = ids.duplicated(keep=False)
    if duplicated.any():
        raise InputError(
            f"`compound_id` must be unique; {format_rows(sorted(set(ids[duplicated])))} "
            "appear more than once. Give each compound its own id."
        )

    out = _check_geometry(out)

    if planning:
        for c in REQUIRED_COLUMNS:
            unknown = out[c].isna()
            if unknown.any():
                raise InputError(
                    f"`{c}` is unknown for rows {_row_names(out, unknown)}; planning "
                    f"needs it for every compound. Fill it in (headers accepted: "
                    f"{_aliases_text(c)})."
                )

    model = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in out.columns]
    rest = [c for c in out.columns if c not in model and c != out.geometry.name]
    return out[[*model, *rest, out.geometry.name]]
