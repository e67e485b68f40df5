"""Small tables the command reads beside the ledger: locked bundles, ids, layers."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..compounds import ALIASES, _key
from ..errors import InputError, format_rows
from ..labels import message
from ._place import GIS_SUFFIXES
from ._tables import _blank, _csv_grid, _xlsx_grids

__all__ = ["read_locked", "locked_series", "read_ids", "read_layer", "BUNDLE_HEADERS"]

#: Headers of the bundle column in a table of locked bundles.
BUNDLE_HEADERS = (
    "bundle",
    "bundle_id",
    "bundle_name",
    "片区",
    "片区名称",
    "片区编号",
    "片区大物业",
    "片区大物业编号",
    "片区大物业名称",
)
_ID_HEADERS = {_key(h) for h in ("compound_id", *ALIASES["compound_id"], "包含小区", "小区")}
_SPLIT = re.compile(r"[、,，;；\s]+")


def _grid(path: Path, lang: str) -> list[list[object]]:
    if not path.exists():
        raise InputError(message("no_file", lang, file=path))
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            grids = list(_xlsx_grids(path).values())
        else:
            grids = [_csv_grid(path, lang)]
    except InputError:
        raise
    except Exception as exc:  # the reader's own words say what is wrong
        reason = f"{type(exc).__name__}: {exc}"
        raise InputError(message("unreadable", lang, file=path, reason=reason)) from exc
    for grid in grids:
        rows = [cells for _, cells in grid if any(not _blank(v) for v in cells)]
        if rows:
            return rows
    raise InputError(message("empty_workbook", lang, file=path.name))


def _ids(value: object) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [p for p in _SPLIT.split(str(value).strip()) if p]


def read_locked(path: str | os.PathLike, *, lang: str = "en") -> dict[str, list[str]]:
    r"""Read bundles already contracted: ``{bundle name: [compound ids]}``.

    The table (``.xlsx`` or ``.csv``) is one of:

    - a bundle column (片区, 片区名称, bundle ...) and a compound id column
      (小区编号, 编号, compound_id ...), one row per compound, or one row per
      bundle with the ids in one cell separated by 、 , ; or spaces;
    - one column per bundle: the header is the bundle's name, the cells its
      compound ids;
    - a single column of compound ids: one bundle, named after the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "已签约片区.csv"
    >>> text = "片区,小区编号\n北院门一片,C1、C2\n北院门一片,C3\n"
    >>> _ = path.write_text(text, encoding="utf-8")
    >>> read_locked(path)
    {'北院门一片': ['C1', 'C2', 'C3']}
    """
    path = Path(path)
    rows = _grid(path, lang)
    header = [None if _blank(h) else str(h).strip() for h in rows[0]]
    keys = [None if h is None else _key(h) for h in header]
    bundle_col = next(
        (j for j, k in enumerate(keys) if k in {_key(b) for b in BUNDLE_HEADERS}), None
    )
    id_col = next((j for j, k in enumerate(keys) if k in _ID_HEADERS), None)
    out: dict[str, list[str]] = {}
    if bundle_col is not None and id_col is not None:
        for cells in rows[1:]:
            cells = list(cells) + [None] * (len(header) - len(cells))
            if _blank(cells[bundle_col]):
                continue
            out.setdefault(str(cells[bundle_col]).strip(), []).extend(_ids(cells[id_col]))
    elif id_col is not None and sum(h is not None for h in header) == 1:
        out[path.stem] = [
            i for cells in rows[1:] for i in _ids(cells[id_col] if id_col < len(cells) else None)
        ]
    elif bundle_col is None and id_col is None and all(h is not None for h in header):
        for j, name in enumerate(header):
            out[name] = [
                i for cells in rows[1:] for i in _ids(cells[j] if j < len(cells) else None)
            ]
    else:
        headers = ", ".join(str(h) for h in header if h is not None)
        raise InputError(message("locked_table", lang, file=path.name, headers=headers))
    return {name: list(dict.fromkeys(ids)) for name, ids in out.items() if ids}


def locked_series(
    locked: Mapping[str, list[str]], compounds: pd.DataFrame, *, file: str, lang: str = "en"
) -> pd.Series:
    """Bundle name per compound (NA = free), indexed like ``compounds``."""
    ids = compounds["compound_id"].astype(str)
    known = set(ids)
    unknown = [i for members in locked.values() for i in members if i not in known]
    if unknown:
        raise InputError(message("locked_unknown_ids", lang, file=file, ids=format_rows(unknown)))
    owner: dict[str, str] = {}
    twice = []
    for name, members in locked.items():
        for i in members:
            if i in owner and owner[i] != name:
                twice.append(i)
            owner[i] = name
    if twice:
        raise InputError(message("locked_twice", lang, file=file, ids=format_rows(twice)))
    return pd.Series([owner.get(i, pd.NA) for i in ids], index=compounds.index, dtype="string")


def read_ids(value: str, compounds: pd.DataFrame, *, lang: str = "en") -> list[str]:
    """Compound ids from a file (a table with an id column, or one id a line) or ``"C1,C2"``."""
    path = Path(value)
    if not path.exists() and path.suffix.lower() in {".csv", ".txt", ".xlsx", ".xlsm"}:
        raise InputError(message("no_file", lang, file=path))
    if path.is_file():
        rows = _grid(path, lang)
        keys = [None if _blank(h) else _key(h) for h in rows[0]]
        column = next((j for j, k in enumerate(keys) if k in _ID_HEADERS), None)
        body = rows[1:] if column is not None else rows
        column = 0 if column is None else column
        ids = [i for cells in body for i in _ids(cells[column] if column < len(cells) else None)]
    else:
        ids = _ids(value)
    known = set(compounds["compound_id"].astype(str))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise InputError(message("locked_unknown_ids", lang, file=value, ids=format_rows(unknown)))
    return list(dict.fromkeys(ids))


def read_layer(path: str | os.PathLike, *, lang: str = "en") -> gpd.GeoDataFrame:
    """Read a GIS layer (barriers, a boundary), in its own CRS (EPSG:4326 when it has none)."""
    path = Path(path)
    if not path.exists():
        raise InputError(message("no_file", lang, file=path))
    if path.suffix.lower() not in GIS_SUFFIXES:
        known = ", ".join(sorted(GIS_SUFFIXES))
        raise InputError(
            message("unknown_type", lang, file=path, suffix=repr(path.suffix), known=known)
        )
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # the reader's own words say what is wrong
        reason = f"{type(exc).__name__}: {exc}"
        raise InputError(message("unreadable", lang, file=path, reason=reason)) from exc
    return frame if frame.crs is not None else frame.set_crs(4326)
