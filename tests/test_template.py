"""write_template: the fill-in ledger, and the way back from a list of points to a plan."""

import hashlib
import re
import warnings

import pytest
from openpyxl import load_workbook

import lianhu_geo as lg
from lianhu_geo import DataWarning, InputError, read_compounds, write_template
from lianhu_geo.ledgers import SUBDISTRICTS


@pytest.fixture(scope="module")
def sample():
    return lg.load_sample().head(12)


def test_headers_dropdowns_number_checks_frozen_header(tmp_path, sample):
    path = write_template(tmp_path / "台账模板.xlsx", compounds=sample)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["小区台账", "填写说明"]
    sheet = workbook["小区台账"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["小区编号", "小区名称", "街道", "社区", "地址", "户数"]
    assert "管理状态" in headers and "经度_wgs84" in headers and "物业费(元/平方米·月)" in headers
    assert sheet.freeze_panes == "A2"
    rules = {(v.type, v.formula1): str(v.sqref) for v in sheet.data_validations.dataValidation}
    letter = {h: sheet.cell(row=1, column=i + 1).column_letter for i, h in enumerate(headers)}
    assert rules[("list", '"专业物业,失管"')].startswith(f"{letter['管理状态']}2:")
    assert letter["三无小区"] in rules[("list", '"是,否"')]
    assert letter["户数"] in rules[("whole", "0")]
    subdistricts = next(f for (t, f) in rules if t == "list" and "北院门街道" in f)
    assert all(s in subdistricts for s in SUBDISTRICTS)
    assert [sheet.cell(row=r, column=1).value for r in range(2, 14)] == sample[
        "compound_id"
    ].tolist()


def test_english_template_reads_back(tmp_path, sample):
    path = write_template(tmp_path / "ledger.xlsx", compounds=sample, lang="en")
    assert load_workbook(path).sheetnames == ["ledger", "instructions"]
    back = read_compounds(path)
    assert back["households"].tolist() == sample["households"].tolist()
    assert back["management"].tolist() == sample["management"].tolist()


def test_same_input_same_bytes_and_text_is_never_a_formula(tmp_path, sample):
    tricky = sample.copy()
    tricky.loc[tricky.index[0], "name"] = '=HYPERLINK("http://x","点我")'
    a = write_template(tmp_path / "a.xlsx", compounds=tricky)
    b = write_template(tmp_path / "b.xlsx", compounds=tricky)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    cell = load_workbook(a)["小区台账"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_one_sheet_per_subdistrict(tmp_path, sample):
    path = write_template(tmp_path / "t.xlsx", compounds=sample, by="subdistrict")
    names = load_workbook(path).sheetnames
    assert names[-1] == "填写说明" and names[:-1] == sorted(set(sample["subdistrict"]))
    back = read_compounds(path)
    assert sorted(back["compound_id"]) == sorted(sample["compound_id"])
    assert (back["source_sheet"] == back["subdistrict"]).all()


def test_partly_filled_template_says_which_cells_are_empty(tmp_path, sample):
    points = sample[["compound_id", "name", "geometry"]]
    path = write_template(tmp_path / "t.xlsx", compounds=points)
    sheet_cells = load_workbook(path)["小区台账"]
    assert sheet_cells["F2"].fill.fgColor.rgb.endswith("FFF2CC")  # 户数 still to fill
    for lang, text in (
        ("zh", r"以下单元格还未填写.*t.xlsx, 工作表 小区台账, 第 2、3、4.*行, 列 街道"),
        ("en", r"still empty.*t.xlsx, sheet 小区台账, rows 2, 3, 4.*column 户数"),
    ):
        with pytest.warns(DataWarning, match=text):
            back = read_compounds(path, lang=lang)
    with pytest.raises(
        InputError, match=r"`subdistrict` is unknown for rows .*\(t.xlsx, sheet 小区台账, row 2\)"
    ):
        lg.validate_compounds(back)


def test_bad_options(tmp_path):
    with pytest.raises(InputError, match="`lang` must be one of 'zh', 'en'"):
        write_template(tmp_path / "t.xlsx", lang="fr")
    with pytest.raises(InputError, match="compounds 中缺少 compound_id 列"):
        write_template(tmp_path / "t.xlsx", compounds=lg.load_sample().drop(columns="compound_id"))
    assert not (tmp_path / "t.xlsx").exists()
    assert read_compounds  # the empty template is a valid workbook with only headers
    empty = write_template(tmp_path / "empty.xlsx")
    assert [c.value for c in load_workbook(empty)["小区台账"][1]][0] == "小区编号"


def _fill(path, shuffle_seed=0):
    """Fill every empty cell a planner must fill, deterministically."""
    workbook = load_workbook(path)
    sheet = workbook["小区台账"]
    headers = {c.value: c.column for c in sheet[1]}
    for r in range(2, sheet.max_row + 1):
        i = r - 2
        subdistrict = SUBDISTRICTS[i % len(SUBDISTRICTS)]
        values = {
            "街道": subdistrict,
            "社区": f"{subdistrict[:-2]}第{i % 3 + 1}社区",
            "户数": 40 + (i * 37) % 400,
            "管理状态": "专业物业" if i % 4 == 0 else "失管",
            "愿意付费": "是" if i % 2 else "否",
            "业委会/物管会": "是" if i % 5 == 0 else "否",
        }
        for header, value in values.items():
            cell = sheet.cell(row=r, column=headers[header])
            if cell.value is None:
                cell.value = value
    workbook.save(path)


def test_scraped_points_to_template_to_plan(tmp_path, shared_data):
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", DataWarning
        )  # no ids, no subdistricts: said in test_readers
        points = read_compounds(shared_data / "lianhu_compound_points_scraped.csv", coords="bd09")
    path = write_template(tmp_path / "台账模板.xlsx", compounds=points)
    _fill(path)
    with pytest.warns(DataWarning) as record:  # only the scrape's near-duplicate names
        filled = read_compounds(path)
    assert all(re.match("possible duplicate compounds", str(w.message)) for w in record)
    assert len(filled) == 766
    assert filled["compound_id"].tolist() == points["compound_id"].tolist()
    assert filled["source_row"].tolist() == list(range(2, 768))
    assert set(filled["source_sheet"]) == {"小区台账"} and set(filled["source_file"]) == {path.name}
    assert filled.to_crs(32649).distance(points.to_crs(32649)).max() < 0.05  # metres
    plan = lg.plan_coverage(filled)
    ids = plan.compounds["compound_id"]
    assert ids.is_unique and set(ids) == set(points["compound_id"])
    assert plan.compounds["service_mode"].notna().all()
    assert plan.compounds["source_row"].tolist() == filled["source_row"].tolist()
    plan.to_file(tmp_path / "out")
    lg.export_html(plan, tmp_path / "out" / "map.html")
    back = lg.read_plan(tmp_path / "out")
    assert back.compounds["source_row"].tolist() == filled["source_row"].tolist()
    assert (tmp_path / "out" / "map.html").stat().st_size > 10_000
