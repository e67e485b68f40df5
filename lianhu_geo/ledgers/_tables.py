"""Tables as offices keep them: find the header, the sheets, the layers.

A workbook from a district office has a title (often merged across the
table) and notes above the header, sometimes a two-line header, merged cells
down a column (one 街道 for many rows), blank rows, and a notes block under
the table (注：..., 填表人...). A workbook may hold one sheet per community.
A CSV may be separated by ``,``, ``;``, tab or ``|``, in UTF-8 or GBK.

Rules, in this order:

- The header is the row, among the first :data:`HEADER_SCAN` rows, with the
  most cells that are known headers (aliases of the model's columns or
  coordinate headers), at least two; ``header_row=`` (as Excel numbers rows)
  says it explicitly.
- Merged cells are filled with their top-left value.
- Blank rows are skipped. Under the table, rows whose first filled cell
  starts with 注, 说明, 备注：, 填表, 制表, 审核, 合计, 总计 or 小计 are notes,
  not compounds.
- Of the sheets, those with a header are tables (a sheet of instructions
  has none). One table: it is read. Several with the same known columns: all
  are read, and each row records its sheet. Several that differ: an error
  lists them, and ``sheet=`` chooses.
- GIS files with several layers follow the same rule with ``layer=``.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..compounds import ALIASES, _key
from ..errors import InputError
from ..labels import message
from ._arrow import BadText, file_text_dtype, read_layer_arrow
from ._coords import coordinate_header
from ._place import GIS_SUFFIXES, TABLE_SUFFIXES, place, sheet_place

__all__ = ["HEADER_SCAN", "CSV_ENCODINGS", "Piece", "read_file"]

#: Rows searched for the header.
HEADER_SCAN = 30
#: Encodings tried in order for CSV: UTF-8 (with or without BOM), then
#: GB18030, a superset of the GBK that Chinese Excel writes.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_SEPARATORS = ",;\t|"
_NOTE = re.compile(r"^\s*(注|说明|备注[:：]|填表|制表|审核|合计|总计|小计)")
_NONE = object()  # no filled cell in a row
_LOOKUP = {_key(c) for c in ALIASES} | {_key(a) for v in ALIASES.values() for a in v}


@dataclass
class Piece:
    """One table read from one sheet or layer, with where each row came from."""

    frame: pd.DataFrame
    file: str
    sheet: object
    rows: list[int]
    crs: object = None
    layer: bool = False
    header_row: int | None = None

    def provenance(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "source_file": self.file,
                "source_sheet": self.sheet,
                "source_row": pd.array(self.rows, dtype="Int64"),
            },
            index=self.frame.index,
        )
        for column in ("source_file", "source_sheet"):  # Python strings, pyarrow or not
            if isinstance(frame[column].dtype, pd.StringDtype):
                frame[column] = frame[column].astype(file_text_dtype())
        return frame


def known_header(value: object, extra: set[str]) -> bool:
    if value is None or str(value).strip() == "":
        return False
    key = _key(value)
    return key in _LOOKUP or key in extra or coordinate_header(value) is not None


def shape(headers: list[object], extra: set[str]) -> tuple[str, ...]:
    """Return the known headers of a table, as compared between sheets."""
    return tuple(sorted({_key(h) for h in headers if known_header(h, extra)}))


def _blank(value: object) -> bool:
    return (
        value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""
    )


def _table(
    grid: list[tuple[int, list[object]]],
    *,
    header_row: int | None,
    extra: set[str],
    file: str,
    sheet: object,
    lang: str,
    lenient: bool = False,
) -> tuple[list[object], list[tuple[int, list[object]]], int] | None:
    """Split a grid of ``(excel row, cells)`` into header, data rows and the header's row."""
    if header_row is not None:
        at = [i for i, (number, _) in enumerate(grid) if number == header_row]
        if lenient and (not at or sum(known_header(v, extra) for v in grid[at[0]][1]) < 2):
            return None  # another sheet of the workbook: notes, instructions
        if not at:
            count = grid[-1][0] if grid else 0
            raise InputError(
                message(
                    "header_row_range",
                    lang,
                    file=file,
                    sheet_place=sheet_place(file, sheet, lang),
                    row=header_row,
                    count=count,
                )
            )
        index = at[0]
    else:
        scores = [sum(known_header(v, extra) for v in cells) for _, cells in grid[:HEADER_SCAN]]
        if not scores or max(scores) < 2:
            return None
        index = scores.index(max(scores))
    header = list(grid[index][1])
    # a two-line header: a blank header cell takes the text above it
    if index > 0:
        above = grid[index - 1][1]
        for j, value in enumerate(header):
            if _blank(value) and j < len(above) and not _blank(above[j]):
                header[j] = above[j]
    width = max((len(c) for _, c in grid[index:]), default=0)
    header += [None] * (width - len(header))
    rows = []
    for number, cells in grid[index + 1 :]:
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        first = next((v for v in cells if not _blank(v)), _NONE)  # the first filled cell
        if first is _NONE:
            continue
        if _NOTE.match(str(first)):
            continue
        rows.append((number, cells))
    # columns with neither header nor data go; the rest get a name
    keep = [
        j for j in range(width) if not _blank(header[j]) or any(not _blank(c[j]) for _, c in rows)
    ]
    names: list[object] = []
    for j in keep:
        name = str(header[j]).strip() if not _blank(header[j]) else f"Unnamed: {j}"
        base, n = name, 1
        while name in names:
            name, n = f"{base}.{n}", n + 1
        names.append(name)
    if keep == list(range(width)):  # every column kept (most often): the rows as they are
        return names, rows, grid[index][0]
    body = [(number, [cells[j] for j in keep]) for number, cells in rows]
    return names, body, grid[index][0]


def _xlsx_grids(path: Path) -> dict[str, list[tuple[int, list[object]]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, data_only=True)
    grids = {}
    for sheet in workbook.worksheets:
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = values[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(values))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(values[r]))):
                    values[r][c] = top
        grids[sheet.title] = list(enumerate(values, start=1))
    return grids


def _xls_grids(path: Path) -> dict[str, list[tuple[int, list[object]]]]:
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    return {
        str(name): [
            (i + 1, [None if pd.isna(v) else v for v in row])
            for i, row in enumerate(frame.itertuples(index=False, name=None))
        ]
        for name, frame in sheets.items()
    }


def _csv_grid(path: Path, lang: str) -> list[tuple[int, list[object]]]:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(message("not_text", lang, file=path.name))
    sample = "\n".join(text.splitlines()[: HEADER_SCAN + 20])
    if path.suffix.lower() == ".tsv":
        separator = "\t"
    else:
        counts = {s: sample.count(s) for s in _SEPARATORS}
        separator = max(_SEPARATORS, key=lambda s: (counts[s], -_SEPARATORS.index(s)))
        if counts[separator] == 0:
            separator = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    grid, start = [], 1
    for cells in reader:
        grid.append((start, [None if c.strip() == "" else c for c in cells]))
        start = reader.line_num + 1
    return grid


def _frame(
    names: list[object], rows: list[tuple[int, list[object]]]
) -> tuple[pd.DataFrame, list[int]]:
    frame = pd.DataFrame([cells for _, cells in rows], columns=names, dtype=object)
    if not rows:
        frame = pd.DataFrame(columns=names, dtype=object)
    return frame, [number for number, _ in rows]


def _pick(names: list[str], wanted: object, *, file: str, layer: bool, lang: str) -> list[str]:
    """Return the sheets (or layers) ``sheet=`` names: a name, a 0-based position or a list."""
    picks = wanted if isinstance(wanted, list | tuple) else [wanted]
    out = []
    for pick in picks:
        if isinstance(pick, int) and not isinstance(pick, bool) and 0 <= pick < len(names):
            out.append(names[pick])
        elif str(pick) in names:
            out.append(str(pick))
        else:
            raise InputError(
                message(
                    "layer_not_found" if layer else "sheet_not_found",
                    lang,
                    file=file,
                    sheet=pick,
                    sheets=", ".join(names),
                )
            )
    return out


def _same_shape(
    headers: dict[str, list[object]], *, file: str, layer: bool, lang: str, extra: set[str]
) -> None:
    if len({shape(h, extra) for h in headers.values()}) > 1:
        detail = "; ".join(f"{n}: {', '.join(map(str, h))}" for n, h in headers.items())
        raise InputError(
            message("layers_differ" if layer else "sheets_differ", lang, file=file, detail=detail)
        )


def _no_table(file: str, lang: str) -> InputError:
    examples = ", ".join(["经度", "纬度", "小区名称", "户数", "lon", "lat", "name"])
    return InputError(message("no_table", lang, file=file, scan=HEADER_SCAN, examples=examples))


def check_readable(path: Path, lang: str) -> None:
    """Refuse, before opening it, a path that is no file or folder.

    A FIFO would block the reader until something writes to it, and a
    device (``/dev/zero``) would never end; each is named in its own words.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(message("no_file", lang, file=path)) from None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    kind = message("kind_fifo" if stat.S_ISFIFO(mode) else "kind_device", lang)
    raise InputError(message("not_a_file", lang, file=path, kind=kind))


def read_file(
    path: Path,
    *,
    sheet: object = None,
    header_row: int | None = None,
    layer: object = None,
    extra: set[str] | None = None,
    lang: str = "zh",
    progress: Callable[[int, int], None] | None = None,
) -> list[Piece]:
    """Read one file into one piece per sheet or layer that holds the table.

    ``progress(features read, features)`` is told while a layer is read in batches.
    """
    extra = extra or set()
    file = path.name
    suffix = path.suffix.lower()
    check_readable(path, lang)
    try:
        if suffix in GIS_SUFFIXES or path.is_dir():
            return _read_layers(
                path,
                layer=layer if layer is not None else sheet,
                extra=extra,
                lang=lang,
                progress=progress,
            )
        if suffix in {".csv", ".txt", ".tsv"}:
            grids = {path.stem: _csv_grid(path, lang)}
        elif suffix in {".xlsx", ".xlsm"}:
            grids = _xlsx_grids(path)
        elif suffix == ".xls":
            grids = _xls_grids(path)
        else:
            known = ", ".join(sorted(GIS_SUFFIXES | TABLE_SUFFIXES | {".xls"}))
            raise InputError(
                message("unknown_type", lang, file=path, suffix=repr(suffix), known=known)
            )
    except InputError:
        raise
    except Exception as exc:  # the reader's own words say what is wrong
        reason = f"{type(exc).__name__}: {exc}"
        raise InputError(message("unreadable", lang, file=path, reason=reason)) from exc
    if not any(any(not _blank(v) for v in cells) for grid in grids.values() for _, cells in grid):
        raise InputError(message("empty_workbook", lang, file=file))
    names = (
        list(grids)
        if sheet is None
        else _pick(list(grids), sheet, file=file, layer=False, lang=lang)
    )
    tables = {}
    for name in names:
        table = _table(
            grids[name],
            header_row=header_row,
            extra=extra,
            file=file,
            sheet=name,
            lang=lang,
            lenient=sheet is None and len(names) > 1,
        )
        if table is None and sheet is not None:
            raise _no_table(f"{file}, {sheet_place(file, name, lang)}", lang)
        if table is not None:
            tables[name] = table
    if not tables:
        raise _no_table(file, lang)
    _same_shape(
        {n: t[0] for n, t in tables.items()}, file=file, layer=False, lang=lang, extra=extra
    )
    pieces = []
    for name, (headers, rows, at) in tables.items():
        frame, numbers = _frame(headers, rows)
        pieces.append(Piece(frame, file, name, numbers, header_row=at))
    return pieces


def _read_layers(
    path: Path,
    *,
    layer: object,
    extra: set[str],
    lang: str,
    progress: Callable[[int, int], None] | None = None,
) -> list[Piece]:
    import pyogrio

    names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    if layer is not None:
        chosen = _pick(names, layer, file=path.name, layer=True, lang=lang)
    else:
        chosen = names
        fields = {n: [*pyogrio.read_info(path, layer=n)["fields"]] for n in names}
        _same_shape(fields, file=path.name, layer=True, lang=lang, extra=extra)
    pieces: list[Piece] = []
    tell = progress or (lambda done, total: None)
    for name in chosen:
        before = sum(len(p.frame) for p in pieces)
        try:  # in columns, when pyarrow can
            frame = read_layer_arrow(path, name, lambda d, t, b=before: tell(b + d, b + t))
        except BadText as exc:
            raise _not_utf8(exc, path.name, name, lang) from None
        if frame is None:
            frame = gpd.read_file(path, layer=name)
        pieces.append(
            Piece(frame, path.name, name, list(range(1, len(frame) + 1)), crs=frame.crs, layer=True)
        )
    return pieces


def _not_utf8(exc: BadText, file: str, layer: str, lang: str) -> InputError:
    """Name the cells of a layer that are not UTF-8, by feature number and field."""
    prov = pd.DataFrame(
        {
            "source_file": file,
            "source_sheet": layer,
            "source_row": [row + 1 for row, _ in exc.rows],
        }
    )
    values = ", ".join(repr(raw.decode("utf-8", "backslashreplace")) for _, raw in exc.rows[:3])
    where = place(prov, lang=lang, column=exc.column)
    return InputError(message("not_utf8_cells", lang, where=where, values=values))
