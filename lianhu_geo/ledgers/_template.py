"""The fill-in ledger template sent to subdistrict and community offices."""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .._write import atomic_path, save_workbook
from ..compounds import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from ..errors import InputError
from ..labels import label, message
from ..options import Option, check_options

__all__ = ["write_template", "TEMPLATE_COLUMNS", "SUBDISTRICTS"]

#: The nine subdistricts of Lianhu, offered in the 街道 drop-down.
SUBDISTRICTS: tuple[str, ...] = (
    "北院门街道",
    "青年路街道",
    "桃园路街道",
    "西关街道",
    "土门街道",
    "红庙坡街道",
    "环城西路街道",
    "枣园街道",
    "北关街道",
)
#: Columns of the template, in order; ``lon``/``lat`` are WGS84 degrees.
TEMPLATE_COLUMNS: tuple[str, ...] = (
    *REQUIRED_COLUMNS[:4],
    "address",
    *REQUIRED_COLUMNS[4:],
    *OPTIONAL_COLUMNS,
    "lon",
    "lat",
    "notes",
)
_COUNTS = ("households", "buildings", "units")
_FLAGS = ("old", "sanwu", "willing_to_pay", "owners_committee")
_ROWS_VALIDATED = 1000
_DATE = _dt.datetime(2000, 1, 1)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_OPTIONS = [
    Option("lang", "choice", choices=("zh", "en")),
    Option("by", "choice", choices=("subdistrict", "community"), allow_none=True),
]
_INSTRUCTIONS = {
    "zh": [
        ("填写说明", ""),
        ("", "每行一个小区（院落）。表头请勿修改；可以增加行，也可以在右侧增加列。"),
        ("黄色单元格", "还需要填写的内容（规划需要）。不详的可先留空，读入时会逐格列出。"),
        ("小区编号", "每个小区唯一，已预填的请勿改动。"),
        ("管理状态", "从下拉框选择：专业物业 或 失管。"),
        ("是/否 列", "老旧小区、三无小区、愿意付费、业委会/物管会：从下拉框选择 是 或 否。"),
        (
            "数字列",
            "户数、楼栋数、单元数填整数；建成年代填四位年份；物业费填数字（元/平方米·月）。",
        ),
        ("物业公司", "没有物业公司的留空（不要写“无”）。"),
        (
            "经度_wgs84 / 纬度_wgs84",
            "WGS84 经纬度（度）。如用高德或百度坐标，请把表头改为 经度_gcj02 或 经度_bd09。",
        ),
        (
            "读回",
            "填好后用 lianhu_geo.read_compounds(文件) 或 lianhu-geo validate 文件 读回，无需任何"
            "选项。",
        ),
    ],
    "en": [
        ("How to fill in", ""),
        ("", "One row per compound. Keep the headers; add rows, or columns on the right."),
        (
            "yellow cells",
            "still to fill (planning needs them). Leave unknowns empty: reading lists them cell b"
            "y cell.",
        ),
        ("compound_id", "unique for each compound; keep the pre-filled ids."),
        ("management", "choose from the list: professional or unmanaged."),
        ("yes/no columns", "old, sanwu, willing_to_pay, owners_committee: choose yes or no."),
        (
            "numbers",
            "households, buildings, units: whole numbers; build_year: a year; fee: yuan/m2/month.",
        ),
        ("property_company", "leave empty when there is none."),
        (
            "lon_wgs84 / lat_wgs84",
            "WGS84 degrees. For Amap or Baidu points rename the headers lon_gcj02 or lon_bd09.",
        ),
        (
            "reading back",
            "lianhu_geo.read_compounds(file) or lianhu-geo validate file, no options needed.",
        ),
    ],
}


def _header(column: str, lang: str) -> str:
    if column in ("lon", "lat"):
        return {
            "zh": {"lon": "经度_wgs84", "lat": "纬度_wgs84"},
            "en": {"lon": "lon_wgs84", "lat": "lat_wgs84"},
        }[lang][column]
    if lang == "en":
        return column
    return label(column, lang)


def _rows(compounds: gpd.GeoDataFrame | None, lang: str) -> pd.DataFrame:
    table = pd.DataFrame(columns=list(TEMPLATE_COLUMNS), dtype=object)
    if compounds is None:
        return table
    if not isinstance(compounds, gpd.GeoDataFrame):
        raise InputError(message("template_columns", lang, columns="geometry"))
    missing = [c for c in ("compound_id", "name") if c not in compounds.columns]
    if missing:
        raise InputError(message("template_columns", lang, columns=", ".join(missing)))
    points = compounds.geometry.to_crs(4326).representative_point()
    rows = {}
    for column in TEMPLATE_COLUMNS:
        if column == "lon":
            rows[column] = points.x.round(7).to_numpy()
        elif column == "lat":
            rows[column] = points.y.round(7).to_numpy()
        elif column in compounds.columns:
            rows[column] = compounds[column].astype(object).to_numpy()
        else:
            rows[column] = [None] * len(compounds)
    table = pd.DataFrame(rows, dtype=object)
    table = table.where(table.notna(), None)
    words = {"professional": label("professional", lang), "unmanaged": label("unmanaged", lang)}
    table["management"] = [words.get(v, v) if v is not None else None for v in table["management"]]
    for flag in _FLAGS:
        table[flag] = [
            None if v is None else label("yes" if bool(v) else "no", lang) for v in table[flag]
        ]
    return table


def _cell(value: object) -> object:
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy and pandas scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return value
    return value


def _validations(
    sheet: object, headers: list[str], lang: str, last_row: int, subdistricts: list[str]
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    def column_range(column: str) -> str:
        letter = sheet.cell(row=1, column=TEMPLATE_COLUMNS.index(column) + 1).column_letter
        return f"{letter}2:{letter}{last_row}"

    def add(validation: DataValidation, *columns: str) -> None:
        validation.showErrorMessage = True
        for column in columns:
            validation.add(column_range(column))
        sheet.add_data_validation(validation)

    management = ",".join([label("professional", lang), label("unmanaged", lang)])
    add(DataValidation(type="list", formula1=f'"{management}"', allow_blank=True), "management")
    yes_no = ",".join([label("yes", lang), label("no", lang)])
    add(DataValidation(type="list", formula1=f'"{yes_no}"', allow_blank=True), *_FLAGS)
    if subdistricts and len(",".join(subdistricts)) < 250:
        offered = DataValidation(
            type="list", formula1=f'"{",".join(subdistricts)}"', allow_blank=True
        )
        offered.errorStyle = "warning"  # another name can be kept after a warning
        add(offered, "subdistrict")
    add(
        DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
        *_COUNTS,
    )
    add(
        DataValidation(
            type="whole", operator="between", formula1="1900", formula2="2100", allow_blank=True
        ),
        "build_year",
    )
    add(
        DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        ),
        "fee_yuan_per_m2",
    )
    add(
        DataValidation(
            type="decimal", operator="between", formula1="73", formula2="136", allow_blank=True
        ),
        "lon",
    )
    add(
        DataValidation(
            type="decimal", operator="between", formula1="3", formula2="54", allow_blank=True
        ),
        "lat",
    )


def _data_sheet(
    workbook: object, title: str, table: pd.DataFrame, lang: str, subdistricts: list[str]
) -> None:
    from openpyxl.styles import Font, PatternFill

    sheet = workbook.create_sheet(title)
    headers = [_header(c, lang) for c in TEMPLATE_COLUMNS]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    todo = PatternFill("solid", fgColor="FFF2CC")
    for r, row in enumerate(table.itertuples(index=False, name=None), start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            value = _cell(value)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula
            elif TEMPLATE_COLUMNS[c - 1] in REQUIRED_COLUMNS and value is None:
                cell.fill = todo
            if value is None and TEMPLATE_COLUMNS[c - 1] in REQUIRED_COLUMNS:
                cell.fill = todo
    for c, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=c).column_letter
        sheet.column_dimensions[letter].width = min(max(len(header) * 2 + 2, 10), 40)
    sheet.freeze_panes = "A2"
    _validations(sheet, headers, lang, max(len(table) + 1, _ROWS_VALIDATED), subdistricts)


def _sheet_title(value: object, used: set[str], lang: str) -> str:
    text = (
        "—" if value is None or pd.isna(value) else _SHEET_BAD.sub("_", str(value)).strip("'")[:31]
    )
    if text == "—":
        text = {"zh": "未填", "en": "not filled"}[lang]
    base, n = text, 2
    while text in used:
        text = f"{base[:28]}_{n}"
        n += 1
    used.add(text)
    return text


def _save(workbook: object, path: Path) -> None:
    with atomic_path(path) as tmp:
        save_workbook(workbook, tmp, date=_DATE)


def write_template(
    path: str | os.PathLike,
    *,
    compounds: gpd.GeoDataFrame | None = None,
    lang: str = "zh",
    by: str | None = None,
) -> Path:
    """Write the fill-in ledger workbook (小区台账模板) for the offices.

    The workbook has the data model's headers (Chinese with ``lang="zh"``,
    the code names with ``"en"``), an instructions sheet, drop-down lists on
    every categorical column (管理状态: 专业物业/失管; 是/否 columns; 街道),
    number checks on counts, years, fees and coordinates, and a frozen
    header. Given compounds (a list of names and points, as
    :func:`~lianhu_geo.read_compounds` reads a scrape or geocoder output),
    it holds one pre-filled row per compound: id, name, address, WGS84
    coordinates and whatever fields are known; the required fields still
    to fill are shaded yellow. Reading the filled copy back needs no
    options; a partly filled one warns which cells are still empty.

    Parameters
    ----------
    path : path
        The ``.xlsx`` to write (atomically; same input, same bytes).
    compounds : GeoDataFrame, optional
        Rows to pre-fill; needs ``compound_id`` and ``name``. Without it the
        template is empty.
    lang : {"zh", "en"}, default "zh"
        Headers, drop-down words and instructions.
    by : {"subdistrict", "community"}, optional
        One sheet per subdistrict or community (in name order; rows with the
        field unknown on a sheet of their own).

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import lianhu_geo as lg
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> sample = lg.load_sample().head(3)
    >>> path = write_template(folder / "台账模板.xlsx", compounds=sample)
    >>> back = lg.read_compounds(path)
    >>> back["compound_id"].tolist() == sample["compound_id"].tolist()
    True
    >>> print(back.loc[0, "source_sheet"], int(back.loc[0, "source_row"]))
    小区台账 2
    """
    check_options({"lang": lang, "by": by}, _OPTIONS, where="write_template")
    from openpyxl import Workbook

    table = _rows(compounds, lang)
    subdistricts = list(SUBDISTRICTS)
    if compounds is not None and "subdistrict" in compounds.columns:
        known = sorted(set(compounds["subdistrict"].dropna().astype(str)))
        subdistricts = list(dict.fromkeys([*SUBDISTRICTS, *known]))
    workbook = Workbook()
    workbook.remove(workbook.active)
    if by is None or table.empty:
        _data_sheet(workbook, label("ledger", lang), table, lang, subdistricts)
    else:
        used: set[str] = set()
        keys = table[by].map(lambda v: "\uffff" if v is None else str(v))
        for key in sorted(keys.unique()):
            rows = table[keys == key]
            title = _sheet_title(None if key == "\uffff" else key, used, lang)
            _data_sheet(workbook, title, rows, lang, subdistricts)
    notes = workbook.create_sheet({"zh": "填写说明", "en": "instructions"}[lang])
    for row in _INSTRUCTIONS[lang]:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 100
    _save(workbook, Path(path))
    return Path(path)
