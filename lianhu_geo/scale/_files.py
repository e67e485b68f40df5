"""A province's plan on disk: GeoPackage in batches, a workbook and a map per subdistrict.

:func:`write_plan_parts` writes into a folder

``plan.gpkg``
    The whole plan, as :func:`~lianhu_geo.coverage.files.write_plan` writes
    it (its compounds layer is written in batches of
    :data:`~lianhu_geo.coverage.files.GPKG_BATCH_ROWS` rows);
    :func:`~lianhu_geo.coverage.files.read_plan` reads it back.
``plan.xlsx``
    汇总 (summary by subdistrict), 片区 (every bundle) and 说明 (options):
    the figures, without the compounds, so it opens whatever the size.
``workbooks/NNN_subdistrict.xlsx``
    One workbook per subdistrict: its 小区 (compounds) and 片区 (bundles),
    written with XlsxWriter (memory bounded by a subdistrict). A sheet over
    Excel's 1,048,576 rows is refused, naming the subdistrict, before any
    file is written.
``map.html`` and ``maps/NNN_subdistrict.html``
    The meeting map of the whole plan when it has at most
    :data:`MAP_MAX_COMPOUNDS` compounds; above that, one map per
    subdistrict and ``map.html`` becomes an overview: one outline per
    subdistrict (the convex hull of its compounds) with its figures
    (:mod:`lianhu_geo.scale._overview`).

Each subdistrict's workbook and map are one task, run where ``engine``
says (:mod:`lianhu_geo.scale._engines`) with only that subdistrict's part
of the plan, while this process writes ``plan.gpkg``, ``plan.xlsx`` and
``map.html``.

File names number subdistricts in sorted order (``001``, ``002`` ...) and
keep letters and digits of their names (CJK included); anything else
becomes ``_``, so a name is never a path. Everything is written to
temporary files and moved into place when complete, and the same plan gives
the same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from .._write import atomic_path, atomic_paths, check_target
from ..coverage import CoveragePlan
from ..coverage import files as _plan_files
from ..errors import InputError, OutputError
from ._engines import resolve_engine, run_groups

__all__ = ["MAP_MAX_COMPOUNDS", "MAX_SHEET_ROWS", "write_plan_parts", "part_name"]

#: Compounds one meeting map holds: about 0.85 MB of HTML per 1,000
#: compounds, so 10,000 stay under the maps' 10 MB responsiveness limit
#: (:data:`lianhu_geo.maps.MAX_RESPONSIVE_MB`).
MAP_MAX_COMPOUNDS = 10_000

#: Rows of one Excel sheet, the header included.
MAX_SHEET_ROWS = 1_048_576

#: Subdistricts' parts of the plan sent to a Dask cluster at a time (each is a copy).
_PARTS_AT_ONCE = 32

_UNSAFE = re.compile(r"[^\w\-]+")


def part_name(number: int, name: str) -> str:
    """File stem of one subdistrict's files: its number and its name made safe.

    Examples
    --------
    >>> part_name(3, "青年路街道")
    '003_青年路街道'
    >>> part_name(12, "../../etc/passwd")
    '012_etc_passwd'
    """
    safe = _UNSAFE.sub("_", str(name)).strip("_")[:60]
    return f"{number:03d}_{safe}" if safe else f"{number:03d}"


def _part(plan: CoveragePlan, rows: Any) -> CoveragePlan:
    """Give the plan of one subdistrict: the compounds at positions ``rows``, their bundles."""
    compounds = plan.compounds.iloc[rows]
    ids = compounds["bundle_id"].dropna().unique()
    return CoveragePlan(
        compounds,
        plan.bundles[plan.bundles.index.isin(ids)],
        options=plan.options,
        fingerprint=plan.fingerprint,
        version=plan.version,
        created=plan.created,
    )


class _Parts(Sequence):
    """The subdistricts' jobs (part of the plan, workbook, map), each made when handed out.

    Only the part of the plan a job needs travels to the worker that
    writes it; the positions of each subdistrict's compounds are found
    once, not by a pass over the whole plan per subdistrict.
    """

    def __init__(
        self,
        plan: CoveragePlan,
        folder: Path,
        stems: dict[str, str],
        rows: dict[str, Any],
        maps: bool,
    ):
        self._plan, self._folder, self._maps = plan, folder, maps
        self._names = list(stems)
        self._stems, self._rows = stems, rows

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, k: int) -> tuple[CoveragePlan, Path, Path | None]:  # type: ignore[override]
        name = self._names[k]
        stem = self._stems[name]
        drawn = self._folder / "maps" / f"{stem}.html" if self._maps else None
        part = _part(self._plan, self._rows[name])
        return part, self._folder / "workbooks" / f"{stem}.xlsx", drawn


def _write_subdistrict(job: tuple[CoveragePlan, Path, Path | None]) -> tuple[Path, Path | None]:
    """Write one subdistrict's workbook, and its map when it has a path (a worker's task)."""
    from .. import export_html

    part, workbook, drawn = job
    sheets = {"小区": _plan_files._compound_frame(part), "片区": _plan_files._bundle_frame(part)}
    with atomic_path(workbook) as tmp:
        _write_workbook(tmp, sheets, part)
    if drawn is not None:
        export_html(part, drawn)
    return workbook, drawn


def _write_workbook(path: Path, frames: dict[str, pd.DataFrame], plan: CoveragePlan) -> None:
    """Write ``frames`` as the sheets of a workbook at ``path``, the same bytes for the same plan.

    XlsxWriter, not openpyxl: it writes a 4,000-compound sheet about twice
    as fast (0.32 s against 0.66 s with lxml), and 250 of them are most of
    a province's files. Text is always written as text (``write_string``;
    XlsxWriter's guessing of formulas, numbers and links is off), never as
    a formula or an error value; the file's date is the plan's and its zip
    entries carry XlsxWriter's fixed 1980-01-01, so nothing depends on the
    clock.
    """
    import xlsxwriter

    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(str(path), {**options, "strings_to_urls": False})
    date = _plan_files._plan_date(plan)
    workbook.set_properties({"title": "覆盖方案", "author": "lianhu_geo", "created": date})
    cell = _plan_files._cell
    for title, frame in frames.items():
        sheet = workbook.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        text, number = sheet.write_string, sheet.write_number
        for j, column in enumerate(frame.columns):
            text(0, j, str(column))
        for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
            for j, value in enumerate(row):
                value = cell(value)
                if isinstance(value, str):
                    text(i, j, value)
                elif value is not None and math.isfinite(value):
                    number(i, j, value)
                elif value is not None:  # inf: no number a workbook holds
                    text(i, j, str(value))
    workbook.close()


def _check_rows(frames: dict[str, Any], where: str) -> None:
    for title, frame in frames.items():
        if len(frame) + 1 > MAX_SHEET_ROWS:
            raise InputError(
                f"{where}: sheet {title} would have {len(frame) + 1:,} rows, more than "
                f"Excel's {MAX_SHEET_ROWS:,}. Plan it in parts (by subdistrict or city), "
                "or use plan.gpkg, which has no row limit."
            )


def write_plan_parts(
    plan: CoveragePlan,
    folder: str | Path,
    *,
    maps: bool = True,
    map_max_compounds: int = MAP_MAX_COMPOUNDS,
    workers: int | None = None,
    engine: object = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Write a plan of any size: GeoPackage, summary workbook, per-subdistrict files.

    Parameters
    ----------
    plan : CoveragePlan
        From :func:`~lianhu_geo.coverage.plan_coverage`.
    folder : str or pathlib.Path
        Created if needed; the files listed in this module's description are
        replaced.
    maps : bool, default True
        Write the maps too.
    map_max_compounds : int, default :data:`MAP_MAX_COMPOUNDS`
        Above this many compounds, one map per subdistrict and an overview.
    workers, engine
        Where the subdistricts' workbooks and maps are written, one task per
        subdistrict holding only its part of the plan, as for
        :func:`~lianhu_geo.scale.bundle_by_group` (by default in local
        processes from :data:`~lianhu_geo.scale.AUTO_PROCESSES_FROM`
        compounds); ``plan.gpkg``, ``plan.xlsx`` and ``map.html`` are
        written meanwhile in this process. The same bytes on every engine.
    progress : callable, optional
        Called as ``progress(step, done, total)`` as subdistricts are
        finished (steps ``workbooks`` and ``maps``), then ``plan`` when
        ``plan.gpkg``, ``plan.xlsx`` and ``map.html`` are.

    Returns
    -------
    dict
        ``gpkg`` and ``xlsx`` paths, ``workbooks`` and ``maps`` (lists of
        paths, in subdistrict order) and ``map`` (the map or the overview;
        None without maps).

    Raises
    ------
    InputError
        A sheet over Excel's row limit, or text a workbook cannot hold,
        named by sheet, row and column; nothing is written.
    OutputError
        ``folder`` is a file, or a target is a folder or a link.

    Examples
    --------
    >>> import tempfile
    >>> from lianhu_geo.coverage import plan_coverage
    >>> plan = plan_coverage(three_compounds(), bundle=False, created="2026-12-06")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = write_plan_parts(plan, d, maps=False)
    ...     [p.name for p in out["workbooks"]]
    ['001_青年路街道.xlsx']
    """
    from ..options import Option

    maps = Option("maps", "bool").check(maps)
    map_max_compounds = Option("map_max_compounds", "count", minimum=1).check(map_max_compounds)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write the plan into {folder}: it is a file, not a folder.")
    subdistrict = plan.compounds["subdistrict"].astype(str)
    rows = subdistrict.groupby(subdistrict, sort=False).indices  # each one's positions, once
    names = sorted(rows)
    stems = dict(zip(names, (part_name(k, n) for k, n in enumerate(names, start=1)), strict=True))
    frames = _plan_files._workbook_frames(plan)
    _plan_files._check_cells(frames)  # every cell of every workbook, before the first byte
    del frames["小区"]
    _check_rows(frames, "plan.xlsx")
    for name in names:
        _check_rows({"小区": rows[name]}, f"subdistrict {name}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "workbooks").mkdir(exist_ok=True)
    out: dict[str, Any] = {"gpkg": folder / "plan.gpkg", "xlsx": folder / "plan.xlsx"}
    for path in out.values():
        check_target(path)
    for stem in stems.values():
        check_target(folder / "workbooks" / f"{stem}.xlsx")
    tell = progress or (lambda step, done, total: None)
    per_part = maps and len(plan.compounds) > map_max_compounds
    if per_part:
        (folder / "maps").mkdir(exist_ok=True)
    jobs = _Parts(plan, folder, stems, rows, per_part)
    engine_name, count = resolve_engine(
        engine, workers, groups=len(jobs), compounds=len(plan.compounds)
    )

    def done(n: int) -> None:
        tell("workbooks", n, len(jobs))
        if per_part:
            tell("maps", n, len(jobs))

    def whole() -> Path | None:
        with atomic_paths(out["gpkg"], out["xlsx"]) as (gpkg, xlsx):
            _plan_files._write_gpkg(plan, gpkg, _plan_files._plan_date(plan))
            _write_workbook(xlsx, frames, plan)
        if per_part:
            from ._overview import write_overview

            return write_overview(plan, folder / "map.html", stems=stems)
        if maps:
            from .. import export_html

            return export_html(plan, folder / "map.html")
        return None

    # the whole plan's files (and map) are written here while the workers write the
    # subdistricts'
    with ThreadPoolExecutor(max_workers=1) as background:
        written = background.submit(whole)
        parts = run_groups(
            _write_subdistrict,
            jobs,
            engine=engine,
            workers=count,
            name=engine_name,
            sizes=[len(rows[n]) for n in names],  # the largest handed out first
            done=done,
            at_once=_PARTS_AT_ONCE,
        )
        out["map"] = written.result()
    tell("plan", 1, 1)
    if maps and not per_part:
        tell("maps", 1, 1)
    out["workbooks"] = [workbook for workbook, _ in parts]
    out["maps"] = [drawn for _, drawn in parts] if per_part else []
    return out
