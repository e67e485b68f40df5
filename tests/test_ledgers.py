"""Ledgers as district offices keep them: fixtures from fixtures/make_ledgers.py."""

import re
import shutil
import warnings

import geopandas as gpd
import numpy as np
import pytest
from openpyxl import load_workbook
from shapely.geometry import Point

from lianhu_geo import DataWarning, InputError, read_compounds, validate_compounds
from lianhu_geo.coords import convert_coords


@pytest.fixture(scope="module")
def ledgers(fixtures_dir):
    return fixtures_dir / "ledgers"


def test_title_row_merged_cells_and_notes_block(ledgers):
    with pytest.warns(DataWarning, match=r"第 7 行, 列 物业公司：管理状态写的是有物业"):
        compounds = read_compounds(ledgers / "小区台账_青年路.xlsx", lang="zh")
    assert compounds["compound_id"].tolist() == [f"QN0{i}" for i in range(1, 7)]
    assert compounds["source_row"].tolist() == [4, 5, 6, 7, 8, 9]  # as Excel numbers them
    assert set(compounds["source_sheet"]) == {"Sheet1"}
    assert set(compounds["source_file"]) == {"小区台账_青年路.xlsx"}
    assert compounds["subdistrict"].eq("青年路街道").all()  # merged down the column
    # 有无物业 有/无 is the management; 物业公司 无/暂无/-/blank is no company
    assert (
        compounds["management"].tolist()
        == ["unmanaged"] * 2 + ["professional"] * 2 + ["unmanaged"] * 2
    )
    assert compounds["property_company"].notna().tolist() == [False, False, True] + [False] * 3
    assert "序号" in compounds.columns and "注：1" not in " ".join(compounds["name"])


def test_contradiction_warning_in_english(ledgers):
    with pytest.warns(DataWarning, match=r"Sheet1, row 7, column 物业公司: management says"):
        read_compounds(ledgers / "小区台账_青年路.xlsx")


def test_one_sheet_per_community_reads_every_sheet(ledgers):
    compounds = read_compounds(ledgers / "按社区分表.xlsx")
    assert (
        compounds["source_sheet"].tolist()
        == ["桃园路社区"] * 2 + ["劳动路社区"] + ["团结村社区"] * 2
    )
    assert compounds["source_row"].tolist() == [2, 3, 2, 2, 3]
    assert compounds.index.tolist() == list(range(5))
    only = read_compounds(ledgers / "按社区分表.xlsx", sheet="劳动路社区")
    assert only["compound_id"].tolist() == ["TY03"]
    with pytest.raises(
        InputError, match=r"按社区分表.xlsx 中没有工作表 新村社区；已有：桃园路社区"
    ):
        read_compounds(ledgers / "按社区分表.xlsx", sheet="新村社区", lang="zh")


def test_sheets_of_different_shape_are_named_never_first_in_silence(tmp_path, ledgers):
    path = tmp_path / "mixed.xlsx"
    workbook = load_workbook(ledgers / "按社区分表.xlsx")
    workbook["劳动路社区"].delete_cols(5)  # no 户数 on this sheet
    workbook.save(path)
    with pytest.raises(InputError, match=r"several tables with different columns: .*劳动路社区"):
        read_compounds(path)
    assert len(read_compounds(path, sheet=["桃园路社区", "团结村社区"])) == 4


def test_header_row_explicit(ledgers):
    with pytest.warns(DataWarning, match="property company says '无'"):
        compounds = read_compounds(ledgers / "小区台账_青年路.xlsx", header_row=3, dedupe="error")
    assert len(compounds) == 6
    with pytest.raises(InputError, match=r"Sheet1, row 1 \(the header\): no location columns"):
        read_compounds(ledgers / "小区台账_青年路.xlsx", header_row=1, sheet="Sheet1")


def test_semicolon_and_gbk_csv(ledgers):
    semicolon = read_compounds(ledgers / "分号分隔.csv")
    assert semicolon["households"].tolist() == [130, 420]
    gbk = read_compounds(ledgers / "台账_gbk.csv")  # GBK, title line above the header
    assert gbk["name"].tolist() == ["土门市场家属院", "丰禾路小区"]
    assert gbk["source_row"].tolist() == [3, 4]


def test_amap_export_headers_pick_gcj02(ledgers):
    with pytest.warns(DataWarning) as record:
        compounds = read_compounds(ledgers / "高德导出.csv")
    assert "lacks `subdistrict`, `community`, `households`, `management`" in str(record[1].message)
    expected = convert_coords(np.array([Point(108.9219, 34.2908)]), "gcj02", "wgs84")[0]
    assert compounds.geometry[0].distance(expected) < 1e-9
    with pytest.raises(
        InputError, match=r"经度_gcj02 / 纬度_gcj02 写明坐标系是 gcj02.*coords='bd09'"
    ):
        read_compounds(ledgers / "高德导出.csv", coords="bd09", lang="zh")


def test_geopandas_to_json_with_feature_id(ledgers):
    compounds = read_compounds(ledgers / "geopandas.geojson")
    assert compounds["compound_id"].tolist() == ["BG01", "BG02"]


def test_gauss_kruger_metres_need_crs_and_say_so(ledgers):
    path = ledgers / "高斯投影_4545.xlsx"
    for lang, where in (
        ("zh", "高斯投影_4545.xlsx, 工作表 测绘成果, 第 3、4 行, 列 X坐标/Y坐标：坐标"),
        ("en", "高斯投影_4545.xlsx, sheet 测绘成果, rows 3, 4, column X坐标/Y坐标: coordinates"),
    ):
        with pytest.raises(InputError, match=rf"{where}.*EPSG:4545"):
            read_compounds(path, lang=lang)
    with pytest.warns(DataWarning, match="X坐标 as northing"):
        compounds = read_compounds(path, crs="EPSG:4545")
    assert compounds.geometry[0].distance(Point(108.9305, 34.2580)) < 1e-7
    with pytest.raises(InputError, match=r"crs='EPSG:99999' is not a coordinate"):
        read_compounds(path, crs="EPSG:99999")


def test_filegdb_with_two_layers(filegdb):
    path = filegdb
    with pytest.raises(InputError, match=r"several layers.*compounds: .*roads: road"):
        read_compounds(path)
    compounds = read_compounds(path, layer="compounds")
    assert compounds["source_sheet"].tolist() == ["compounds"] * 2
    assert compounds.to_crs(4545).area.round().tolist() == [4800.0, 5600.0]
    with pytest.raises(InputError, match="has no layer 小区; it has: compounds, roads"):
        read_compounds(path, layer="小区")


def test_many_files_and_a_folder(tmp_path, ledgers):
    files = [ledgers / "分号分隔.csv", ledgers / "台账_gbk.csv", ledgers / "按社区分表.xlsx"]
    merged = read_compounds(files)
    assert len(merged) == 9 and merged.index.tolist() == list(range(9))
    for f in files:
        shutil.copy(f, tmp_path / f.name)
    folder = read_compounds(tmp_path)
    assert sorted(folder["compound_id"]) == sorted(merged["compound_id"])
    shutil.copy(ledgers / "分号分隔.csv", tmp_path / "重复.csv")
    for lang, text in (
        (
            "zh",
            r"小区编号重复：XG01 \(分号分隔.csv, 工作表 分号分隔, 第 2 行；重复.csv, 工作表 重复,"
            r" 第 2 行\)",
        ),
        ("en", r"XG01 \(分号分隔.csv, sheet 分号分隔, row 2; 重复.csv, sheet 重复, row 2\)"),
    ):
        with pytest.raises(InputError, match=text):
            read_compounds(tmp_path, lang=lang)


def _edited(tmp_path, ledgers, cell, value):
    path = tmp_path / "小区台账_青年路.xlsx"
    workbook = load_workbook(ledgers / "小区台账_青年路.xlsx")
    workbook["Sheet1"][cell] = value
    workbook.save(path)
    return path


# column letters of the fixture: B 小区编号, F 户数, G 有无物业, I 经度, J 纬度
@pytest.mark.parametrize(
    ("cell", "value", "column", "zh", "en"),
    [
        ("F7", "三百", "户数", "应为数字", "must be a number"),
        ("F7", 12.5, "户数", "应为整数", "must be a whole number"),
        ("F7", -3, "户数", "不能为负数", "must be >= 0"),
        ("G7", "也许", "有无物业", "应填 是/否", "must be yes/no"),
        ("I7", "东经108", "经度", "应为数字", "must be a number"),
        ("B7", None, "小区编号", "小区编号为空", "compound id is empty"),
        ("J7", 134.2, "经度/纬度", "中国境外", "outside China"),
        ("I7", 34.27, "经度/纬度", "写反", "look swapped"),
    ],
)
def test_every_reader_error_names_file_sheet_row_column(
    tmp_path, ledgers, cell, value, column, zh, en
):
    path = _edited(tmp_path, ledgers, cell, value)
    if cell == "I7" and value == 34.27:
        workbook = load_workbook(path)
        workbook["Sheet1"]["J7"] = 108.9475
        workbook.save(path)
    for lang, where, words in (
        ("zh", f"小区台账_青年路.xlsx, 工作表 Sheet1, 第 7 行, 列 {column}", zh),
        ("en", f"小区台账_青年路.xlsx, sheet Sheet1, row 7, column {column}", en),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            with pytest.raises(InputError) as info:
                read_compounds(path, lang=lang)
        assert where in str(info.value) and words in str(info.value)


def test_empty_location_and_empty_workbook(tmp_path, ledgers):
    path = _edited(tmp_path, ledgers, "I8", None)
    with (
        pytest.raises(InputError, match=r"工作表 Sheet1, 第 8 行：没有位置"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", DataWarning)
        read_compounds(path, lang="zh")
    from openpyxl import Workbook

    Workbook().save(tmp_path / "空.xlsx")
    with pytest.raises(InputError, match=r"空.xlsx 中没有任何数据"):
        read_compounds(tmp_path / "空.xlsx", lang="zh")
    (tmp_path / "notes.csv").write_text("just,some\nwords,here\n", encoding="utf-8")
    with pytest.raises(InputError, match="no compounds table found in notes.csv"):
        read_compounds(tmp_path / "notes.csv")


def test_management_values_you_and_wu(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "编号,小区名称,街道,社区,户数,管理状态,是否有物业,经度,纬度\n"
        "A,甲院,北关街道,北关社区,10,有,是,108.94,34.29\n"
        "B,乙院,北关街道,北关社区,10,无,,108.95,34.29\n"
        "C,丙院,北关街道,北关社区,10,,否,108.96,34.29\n",
        encoding="utf-8",
    )
    compounds = read_compounds(path)
    assert compounds["management"].tolist() == ["professional", "unmanaged", "unmanaged"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("10,有,是", "10,有,否"), encoding="utf-8"
    )
    with pytest.warns(DataWarning, match=r"t.csv, sheet t, row 2: the two management columns"):
        read_compounds(path)


def test_dedupe_reports_both_rows_and_decides(tmp_path):
    path = tmp_path / "scrape.csv"
    path.write_text(
        "名称,经度,纬度\n顺泽·自在城,108.9400,34.2700\n其他院,108.9500,34.2800\n顺泽自在城,108.9405,34.2702\n"
        "顺泽自在城,108.9900,34.2900\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "(the input (has no|lacks)|输入中没有)", DataWarning)
        with pytest.warns(
            DataWarning, match=r"R1 顺泽·自在城 \(scrape.csv, sheet scrape, row 2\) and R3"
        ):
            assert len(read_compounds(path)) == 4
        with pytest.raises(InputError, match="可能重复的小区"):
            read_compounds(path, dedupe="error", lang="zh")
        with pytest.warns(DataWarning, match=r"dropped duplicate compounds.*R3 顺泽自在城"):
            kept = read_compounds(path, dedupe="keep_first")
    assert kept["compound_id"].tolist() == ["R1", "R2", "R4"]  # 660 m away: another compound
    with pytest.raises(InputError, match="`dedupe` must be one of"):
        read_compounds(path, dedupe="merge")


def test_validate_names_excel_rows_when_provenance_is_there(tmp_path, ledgers):
    path = _edited(tmp_path, ledgers, "F8", None)
    with pytest.warns(DataWarning) as record:
        compounds = read_compounds(path)
    messages = [str(w.message) for w in record]
    assert any(re.search(r"still empty.*Sheet1, row 8, column 户数", m) for m in messages)
    with pytest.raises(InputError, match=r"QN05 \(小区台账_青年路.xlsx, sheet Sheet1, row 8\)"):
        validate_compounds(compounds)


def test_dataframe_input_keeps_its_index_and_has_no_provenance():
    import pandas as pd

    table = pd.DataFrame(
        {"小区名称": ["甲"], "编号": ["A"], "lng_bd09": [108.92], "lat_bd09": [34.27]}, index=[7]
    )
    with pytest.warns(DataWarning):
        compounds = read_compounds(table)
    assert compounds.index.tolist() == [7] and "source_row" not in compounds.columns
    assert isinstance(compounds, gpd.GeoDataFrame)


def test_data_on_the_second_sheet_and_a_title_merged_over_it(tmp_path, ledgers):
    workbook = load_workbook(ledgers / "按社区分表.xlsx")
    for name in ("劳动路社区", "团结村社区"):
        del workbook[name]
    workbook.move_sheet("说明", offset=-1)  # instructions first, the table second
    path = tmp_path / "second.xlsx"
    workbook.save(path)
    compounds = read_compounds(path)
    assert compounds["source_sheet"].tolist() == ["桃园路社区"] * 2


def test_columns_option_can_name_the_coordinate_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "编号,小区名称,街道,社区,户数,管理状态,东经度,北纬度\nA,甲院,北关街道,北关社区,10,失管,108.94,34.29\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no location columns"):
        read_compounds(path)
    compounds = read_compounds(path, columns={"东经度": "lon", "北纬度": "lat"}, coords="gcj02")
    expected = convert_coords(np.array([Point(108.94, 34.29)]), "gcj02", "wgs84")[0]
    assert compounds.geometry[0].distance(expected) < 1e-9


def test_header_problems_name_the_header_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "街道小区台账\n编号,小区编号,小区名称,经度,纬度\nA,A,甲院,108.94,34.29\n", encoding="utf-8"
    )
    for lang, text in (
        ("en", r"t.csv, sheet t, row 2 \(the header\): two headers name the same column"),
        ("zh", r"t.csv，工作表 t, 第 2 行（表头）：两个表头指向同一列"),
    ):
        with pytest.raises(InputError, match=text):
            read_compounds(path, lang=lang)
    path.write_text("小区名称,户数\n甲院,10\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t.csv，工作表 t, 第 1 行（表头）：没有位置列"):
        read_compounds(path, lang="zh")
