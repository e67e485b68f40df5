"""Provenance: name a row the way a person finds it in the file.

Every row read from a file carries ``source_file`` (the file's name),
``source_sheet`` (the sheet, or the layer of a GIS file) and ``source_row``
(the row number as Excel shows it, or the feature number in a layer). A
place groups rows by file and sheet:
"小区台账_青年路.xlsx, 工作表 Sheet1, 第 7、9 行, 列 户数".
"""

from __future__ import annotations

from pathlib import PurePath

import pandas as pd

from ..labels import message

__all__ = ["place", "GIS_SUFFIXES", "TABLE_SUFFIXES"]

GIS_SUFFIXES = frozenset(
    {".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb", ".gml", ".kml", ".gdb"}
)
TABLE_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".xlsx", ".xlsm"})


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _is_layer(file: object) -> bool:
    return not _missing(file) and PurePath(str(file)).suffix.lower() in GIS_SUFFIXES


def sheet_place(file: object, sheet: object, lang: str) -> str:
    """``"工作表 Sheet1"`` or ``"图层 roads"`` (empty text when there is no sheet)."""
    if _missing(sheet):
        return ""
    return message("place_layer" if _is_layer(file) else "place_sheet", lang, sheet=sheet)


def place(
    provenance: pd.DataFrame,
    *,
    lang: str = "zh",
    column: object = None,
    limit: int = 10,
) -> str:
    """Name the rows of ``provenance`` by file, sheet and row number.

    Parameters
    ----------
    provenance : pandas.DataFrame
        The rows to name, with ``source_file``, ``source_sheet`` and
        ``source_row`` (missing file: rows are named by their number alone).
    lang : {"zh", "en"}
        Language of the words around the names.
    column : str, optional
        The header, as the file writes it, of the column at fault.
    limit : int
        Rows named per sheet before the rest is counted.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"source_file": ["台账.xlsx"] * 2,
    ...     "source_sheet": ["Sheet1"] * 2, "source_row": [7, 9]})
    >>> place(rows, column="户数")
    '台账.xlsx, 工作表 Sheet1, 第 7、9 行, 列 户数'
    >>> place(rows.iloc[:1], lang="en")
    '台账.xlsx, sheet Sheet1, row 7'
    """
    parts = []
    groups: dict[tuple[str, str], list[object]] = {}
    for file, sheet, row in provenance[["source_file", "source_sheet", "source_row"]].itertuples(
        index=False, name=None
    ):
        key = ("" if _missing(file) else str(file), "" if _missing(sheet) else str(sheet))
        groups.setdefault(key, []).append(row)
    for (file, sheet), rows in groups.items():
        names = [str(r) for r in rows[:limit]]
        text = message("list_sep", lang).join(names)
        if len(rows) > limit:
            text += " " + message("place_more", lang, count=len(rows))
        layer = _is_layer(file)
        key = ("place_feature" if layer else "place_row") + ("s" if len(rows) > 1 else "")
        bits = [file] if file else []
        if sheet:
            bits.append(sheet_place(file, sheet, lang))
        bits.append(message(key, lang, rows=text))
        if column is not None:
            bits.append(message("place_column", lang, column=column))
        parts.append(", ".join(bits))
    return message("place_sep", lang).join(parts)
