"""What the three decisions share: checked inputs, places in metres, workbooks."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .._prepared import prepare
from .._write import atomic_path, save_workbook
from ..labels import label
from ..options import Option, compound_mask

__all__ = ["checked_compounds", "select", "write_workbook", "DISTANCE_OPTIONS"]

#: Options every decision takes for its distances.
DISTANCE_OPTIONS = (
    Option("detour_factor", "number", minimum=1.0, maximum=5.0),
    Option("time_limit_s", "number", minimum=0, exclusive_minimum=True),
    Option("exact", "bool"),
)
_FILE_DATE = _dt.datetime(2000, 1, 1)


def checked_compounds(compounds: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, np.ndarray, Any]:
    """Validate the compounds; return them, their order by id and their metric CRS."""
    prep = prepare(compounds, unique_index=True)
    return prep.data, prep.order, prep.metric_crs


def select(compounds: gpd.GeoDataFrame, which: Any, *, name: str, default: pd.Series) -> pd.Series:
    """Return a boolean mask over ``compounds`` from ``None`` (``default``), ids or a mask."""
    if which is None:
        return default.astype(bool)
    return pd.Series(compound_mask(which, compounds, name=name), index=compounds.index)


def _text_cell(cell: Any, value: Any) -> None:
    """Write ``value``; text is always a string cell, never a formula."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        value = label("yes") if value else label("no")
    if isinstance(value, int | float):
        cell.value = value
        return
    cell.value = str(value)
    cell.data_type = "s"  # openpyxl would take "=..." for a formula


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame], *, title: str) -> Path:
    """Write ``sheets`` (title -> table) to ``path`` atomically, byte for byte the same each run."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_title, frame in sheets.items():
        sheet = workbook.create_sheet(sheet_title[:31])
        for j, column in enumerate(frame.columns, start=1):
            cell = sheet.cell(row=1, column=j)
            _text_cell(cell, str(column))
            cell.font = Font(bold=True)
        for r, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            for j, value in enumerate(row, start=1):
                _text_cell(sheet.cell(row=r, column=j), value)
        for j, column in enumerate(frame.columns, start=1):
            width = max([len(str(column)) * 2, *(len(str(v)) for v in frame[column].head(100))])
            letter = sheet.cell(row=1, column=j).column_letter
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    with atomic_path(path) as tmp:
        save_workbook(workbook, tmp, date=_FILE_DATE, title=title)
    return Path(path)
