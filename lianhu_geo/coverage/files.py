"""Write a coverage plan for a meeting, and read it back.

:func:`write_plan` writes two files into a folder:

``plan.gpkg``
    GeoPackage with layers ``compounds`` (every compound with its service
    mode), ``bundles`` (dissolved bundle footprints) and ``plan_info`` (a
    key/value table: options, input fingerprint, library version, column
    types). :func:`read_plan` reads it back into an equal plan.
``plan.xlsx``
    Excel workbook with sheets 汇总 (summary by subdistrict), 片区 (bundles),
    小区 (compounds) and 说明 (options and fingerprint), Chinese headers.

Both files are byte-identical for the same plan: GeoPackage timestamps are
fixed with GDAL's ``OGR_CURRENT_DATE``, the workbook's properties and zip
entries carry a fixed date, and no wall-clock time is written. The date used
is the plan's date (``plan.created``: the explicit ``created`` option, else
the day the plan was made in China Standard Time), or 2000-01-01 for a plan
with no date.

Every text cell of the workbook is written as text, never as a formula or an
error value, whatever it starts with (``=``, ``+``, ``@``, ``#N/A``). Text
that a workbook cannot hold (control characters, cells over 32,767
characters) is refused, naming sheet, row and column, before any file is
touched. Both files are written to temporary files beside the targets and
moved into place only when both are complete, so a failed or interrupted
write leaves the previous plan intact.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors

from .._write import atomic_paths, check_target, save_workbook
from ..compounds import _UNWRITABLE, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from ..errors import InputError, OutputError
from ..labels import label, labels
from . import PLAN_COLUMNS, RATE_COLUMNS, SUMMARY_LABELS, CoveragePlan
from .triage import SERVICE_MODES

__all__ = ["write_plan", "read_plan", "COLUMN_LABELS", "BUNDLE_LABELS"]

#: Columns of the compounds sheet, in order (then any others the compounds have).
_COMPOUND_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, *PLAN_COLUMNS, *OPTIONAL_COLUMNS)

#: Columns of the bundles sheet -> their label key in :mod:`lianhu_geo.labels`.
_BUNDLE_KEYS: dict[str, str] = {
    "bundle_id": "bundle_id",
    "subdistrict": "subdistrict",
    "compounds": "compounds",
    "households": "households",
    "area_m2": "area_m2",
    "span_m": "span_m",
    "polsby_popper": "polsby_popper",
    "footprint_estimated": "footprint_estimated",
    "margin_yuan_month": "margin_yuan_month",
    "locked": "locked",
    "viable": "viable",
    "compound_ids": "member_ids",
    "compound_names": "member_names",
}

#: Chinese headers of the compounds sheet (from :mod:`lianhu_geo.labels`).
COLUMN_LABELS: dict[str, str] = labels(_COMPOUND_COLUMNS, "zh")

#: Chinese headers of the bundles sheet (from :mod:`lianhu_geo.labels`).
BUNDLE_LABELS: dict[str, str] = {c: label(k, "zh") for c, k in _BUNDLE_KEYS.items()}

_MANAGEMENT_LABELS = labels(["professional", "unmanaged"], "zh")
_FIXED_DATE = _dt.datetime(2000, 1, 1)
_INDEX_COLUMN = "plan_row"
_FORMAT = "lianhu_geo.coverage_plan/1"


_MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
_MAX_ROWS = 1_048_576


def _plan_date(plan: CoveragePlan) -> _dt.datetime:
    created = plan.options.get("created") or plan.created
    if not created:
        return _FIXED_DATE
    moment = _dt.datetime.fromisoformat(str(created))
    if not isinstance(moment, _dt.datetime):
        moment = _dt.datetime.combine(moment, _dt.time())
    return moment.replace(tzinfo=None, microsecond=0)


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    geometry = frame.geometry.name
    return {str(c): str(t) for c, t in frame.dtypes.items() if c != geometry}


def _restore(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    for column, dtype in dtypes.items():
        if dtype in ("bool", "boolean") or dtype.startswith(("int", "Int", "uint", "UInt")):
            values = pd.to_numeric(out[column]).astype("Float64")
            out[column] = values.astype("boolean" if dtype == "boolean" else dtype)
            if dtype == "bool":
                out[column] = out[column].astype(bool)
        elif dtype == "object":
            out[column] = out[column].astype(object).where(out[column].notna(), None)
        else:
            out[column] = out[column].astype(dtype)
    return out


#: Rows written to a GeoPackage layer at a time: GDAL's copy of the rows
#: (well-known binary, field buffers) is bounded by this, not by the plan.
GPKG_BATCH_ROWS = 100_000


def _write_layer(frame: gpd.GeoDataFrame, path: Path, layer: str, date: _dt.datetime) -> None:
    for start in range(0, max(len(frame), 1), GPKG_BATCH_ROWS):  # streamed in batches
        table = frame.iloc[start : start + GPKG_BATCH_ROWS].copy()
        for column, dtype in table.dtypes.items():
            if str(dtype) == "boolean":  # GDAL stores booleans as integers with a subtype
                table[column] = table[column].astype("Int64")
        pyogrio.write_dataframe(
            table,
            path,
            layer=layer,
            driver="GPKG",
            promote_to_multi=False,
            geometry_type="Unknown",
            append=path.exists(),
        )


def _write_gpkg(plan: CoveragePlan, path: Path, date: _dt.datetime) -> None:
    """Write the GeoPackage at ``path`` (a temporary file, created here)."""
    path.unlink(missing_ok=True)
    index = plan.compounds.index
    compounds = plan.compounds.reset_index(drop=True)
    compounds.insert(0, _INDEX_COLUMN, index.astype(str) if index.dtype == object else index)
    bundles = plan.bundles.reset_index()
    info = {
        "format": _FORMAT,
        "options": json.dumps(plan.options, ensure_ascii=False, sort_keys=True),
        "fingerprint": plan.fingerprint,
        "version": plan.version,
        "created": plan.created or "",
        "compounds_dtypes": json.dumps(_dtypes(plan.compounds)),
        "compounds_geometry": plan.compounds.geometry.name,
        "compounds_index": json.dumps({"name": index.name, "dtype": str(index.dtype)}),
        "bundles_dtypes": json.dumps(_dtypes(plan.bundles)),
        "bundles_index_dtype": str(plan.bundles.index.dtype),
    }
    table = pd.DataFrame({"key": list(info), "value": list(info.values())})
    options = {"OGR_CURRENT_DATE": date.strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options(options)
    try:
        _write_layer(compounds, path, "compounds", date)
        _write_layer(bundles, path, "bundles", date)
        pyogrio.write_dataframe(table, path, layer="plan_info", driver="GPKG", append=True)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, bool):  # planners read 是/否, not TRUE/FALSE
        return "是" if value else "否"
    if isinstance(value, (str, int, float)):
        return value
    return str(value)


def _sheet(workbook: Any, title: str, frame: pd.DataFrame, *, percent: tuple[str, ...] = ()):
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title)
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    # cells by number: sheet.max_row and sheet[row] count every cell, at each row
    for number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        values = [_cell(v) for v in row]
        sheet.append(values)
        for j, value in enumerate(values, start=1):
            if isinstance(value, str):  # never a formula ("=...") or an error ("#N/A")
                sheet.cell(row=number, column=j).data_type = "s"
    for j, column in enumerate(frame.columns, start=1):
        width = max([len(str(column)) * 2, *(len(str(v)) for v in frame[column].head(200))])
        letter = sheet.cell(row=1, column=j).column_letter
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if column in percent:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = "0.0%"
    sheet.freeze_panes = "A2"
    return sheet


def _bundle_frame(plan: CoveragePlan) -> pd.DataFrame:
    """Make the 片区 sheet: one row per bundle, Chinese headers."""
    bundles = pd.DataFrame(plan.bundles.drop(columns=plan.bundles.geometry.name)).reset_index()
    return bundles.rename(columns=BUNDLE_LABELS)


def _compound_frame(plan: CoveragePlan) -> pd.DataFrame:
    """Make the 小区 sheet: one row per compound, modes in Chinese, Chinese headers."""
    compounds = pd.DataFrame(plan.compounds.drop(columns=plan.compounds.geometry.name))
    compounds["service_mode"] = compounds["service_mode"].map(labels(SERVICE_MODES, "zh"))
    compounds["management"] = compounds["management"].map(_MANAGEMENT_LABELS)
    first = [c for c in COLUMN_LABELS if c in compounds.columns]
    rest = [c for c in compounds.columns if c not in first]
    return compounds[[*first, *rest]].rename(columns=COLUMN_LABELS)


def _workbook_frames(plan: CoveragePlan) -> dict[str, pd.DataFrame]:
    summary = plan.summary(lang="zh").reset_index()
    bundles = _bundle_frame(plan)
    compounds = _compound_frame(plan)
    info = [
        (label("fingerprint"), plan.fingerprint),
        (label("library_version"), plan.version),
        (label("plan_date"), plan.created or ""),
        (label("provider_delivered"), label("provider_modes")),
        (label("community_carried"), label("community_modes")),
    ]
    info += [
        (f"{label('option')} {k}", json.dumps(v, ensure_ascii=False))
        for k, v in plan.options.items()
    ]
    return {
        label("summary"): summary,
        "片区": bundles,
        "小区": compounds,
        "说明": pd.DataFrame(info, columns=[label("item"), label("value")]),
    }


def _gdal_failure(exc: Exception, target: Path) -> OSError:
    """Say why GDAL could not write: most often a full disk (GDAL gives no errno)."""
    if shutil.disk_usage(target.parent).free < 1_000_000:
        return OSError(errno.ENOSPC, "No space left on device", str(target))
    return OSError(errno.EIO, f"GDAL could not write the GeoPackage ({exc})", str(target))


def _check_cells(frames: dict[str, pd.DataFrame]) -> None:
    """Refuse what a workbook cannot hold, naming sheet, Excel row and column."""
    for title, frame in frames.items():
        if len(frame) + 1 > _MAX_ROWS:
            raise InputError(
                f"sheet {title} would have {len(frame) + 1:,} rows, more than Excel's "
                f"{_MAX_ROWS:,}; plan fewer compounds at a time."
            )
        headers = [str(c) for c in frame.columns]
        for j, column in enumerate(frame.columns):
            values = [headers[j], *frame[column].tolist()]
            texts = [v for v in values if isinstance(v, str)]
            if not texts or (  # the usual case, seen in one search: nothing to name
                _UNWRITABLE.search("\n".join(texts)) is None
                and max(map(len, texts)) <= _MAX_CELL_CHARS
            ):
                continue
            for i, value in enumerate(values):
                if not isinstance(value, str):
                    continue
                where = f"sheet {title}, row {i + 1}, column {headers[j]!r}"
                bad = _UNWRITABLE.search(value)
                if bad:
                    raise InputError(
                        f"cannot write plan.xlsx: {where} holds the control character "
                        f"U+{ord(bad.group()):04X}, which a workbook cannot hold. Remove it "
                        "from the input."
                    )
                if len(value) > _MAX_CELL_CHARS:
                    raise InputError(
                        f"cannot write plan.xlsx: {where} has {len(value):,} characters, "
                        f"more than the {_MAX_CELL_CHARS:,} a workbook cell holds. Shorten it."
                    )


def _write_xlsx(
    plan: CoveragePlan, path: Path, date: _dt.datetime, frames: dict[str, pd.DataFrame]
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    rates = tuple(SUMMARY_LABELS[c] for c in RATE_COLUMNS)
    for title, frame in frames.items():
        _sheet(workbook, title, frame, percent=rates if title == label("summary") else ())
    save_workbook(workbook, path, date=date, title=label("coverage_plan"))


def write_plan(plan: CoveragePlan, folder: str | Path) -> dict[str, Path]:
    """Write ``plan.gpkg`` and ``plan.xlsx`` into ``folder``, deterministically.

    Parameters
    ----------
    plan : CoveragePlan
        The plan to write.
    folder : str or pathlib.Path
        Created if needed; existing ``plan.gpkg``/``plan.xlsx`` are replaced.

    Returns
    -------
    dict
        ``{"gpkg": path, "xlsx": path}``.

    Raises
    ------
    OutputError
        ``folder`` is a file, or ``plan.gpkg``/``plan.xlsx`` is a folder or a
        symbolic link; nothing is written.
    InputError
        Text that a workbook cannot hold, named by sheet, row and column;
        nothing is written.
    OSError
        The disk is full or the folder cannot be written; the previous
        ``plan.gpkg`` and ``plan.xlsx`` are left as they were.

    Examples
    --------
    >>> import tempfile
    >>> from lianhu_geo.coverage import plan_coverage
    >>> plan = plan_coverage(three_compounds(), bundle=False)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_plan(plan, folder)
    ...     read_plan(folder).equals(plan)
    True
    """
    if not isinstance(plan, CoveragePlan):
        raise InputError(f"expected a CoveragePlan, got {type(plan).__name__}.")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write the plan into {folder}: it is a file, not a folder.")
    date = _plan_date(plan)
    frames = _workbook_frames(plan)
    _check_cells(frames)  # before the first byte
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"gpkg": folder / "plan.gpkg", "xlsx": folder / "plan.xlsx"}
    for path in paths.values():
        check_target(path)
    with atomic_paths(paths["gpkg"], paths["xlsx"]) as (gpkg, xlsx):
        try:
            _write_gpkg(plan, gpkg, date)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise _gdal_failure(exc, paths["gpkg"]) from exc
        _write_xlsx(plan, xlsx, date, frames)
    return paths


def read_plan(folder: str | Path) -> CoveragePlan:
    """Read a plan written by :func:`write_plan` (or ``plan.to_file``).

    Parameters
    ----------
    folder : str or pathlib.Path
        The folder holding ``plan.gpkg``, or the ``.gpkg`` file itself.

    Returns
    -------
    CoveragePlan
        Equal to the plan written (``plan.equals``); ``created`` is the
        plan's date (``plan.created`` when it was written), or None.

    Raises
    ------
    InputError
        When the file is missing or was not written by :func:`write_plan`.
    """
    path = Path(folder)
    if path.is_dir():
        path = path / "plan.gpkg"
    if not path.exists():
        raise InputError(f"no plan at {path}; write one with `plan.to_file(folder)`.")
    layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    if not {"compounds", "bundles", "plan_info"} <= layers:
        raise InputError(
            f"{path} is not a coverage plan: it needs layers compounds, bundles and "
            f"plan_info, and has {', '.join(sorted(layers))}."
        )
    table = pyogrio.read_dataframe(path, layer="plan_info")
    info = dict(zip(table["key"], table["value"], strict=True))
    if info.get("format") != _FORMAT:
        raise InputError(f"{path} was written in an unknown format {info.get('format')!r}.")

    compounds = pyogrio.read_dataframe(path, layer="compounds")
    index_info = json.loads(info["compounds_index"])
    index = pd.Index(compounds.pop(_INDEX_COLUMN).to_numpy()).astype(index_info["dtype"])
    compounds.index = index.rename(index_info["name"])
    if compounds.geometry.name != info["compounds_geometry"]:
        compounds = compounds.rename_geometry(info["compounds_geometry"])
    compounds = _restore(compounds, json.loads(info["compounds_dtypes"]))

    bundles = pyogrio.read_dataframe(path, layer="bundles")
    if bundles.crs is None:
        bundles = bundles.set_crs(compounds.crs)
    bundles = bundles.set_index("bundle_id")
    bundles.index = bundles.index.astype(info["bundles_index_dtype"])
    bundles = _restore(bundles, json.loads(info["bundles_dtypes"]))

    options = json.loads(info["options"])
    return CoveragePlan(
        compounds,
        bundles,
        options=options,
        fingerprint=info["fingerprint"],
        version=info["version"],
        created=info["created"] or options.get("created") or None,
    )
