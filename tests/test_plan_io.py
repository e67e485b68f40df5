import hashlib

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geoseries_equal
from lianhu_geo.plan_io import read_plan, write_plan
from openpyxl import load_workbook
from plan_fixtures import grid_compounds, install_fake_bundling, random_compounds
from shapely.geometry import Point

from lianhu_geo.coverage import CoveragePlan, plan_coverage, plan_day
from lianhu_geo.errors import DataWarning, InputError


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_same_plan(a, b):
    pd.testing.assert_frame_equal(pd.DataFrame(a.compounds), pd.DataFrame(b.compounds))
    pd.testing.assert_frame_equal(pd.DataFrame(a.bundles), pd.DataFrame(b.bundles))
    assert a.compounds.crs == b.compounds.crs
    assert (a.options, a.fingerprint, a.version) == (b.options, b.fingerprint, b.version)
    assert a.equals(b)


def test_round_trip_with_bundles(tmp_path, monkeypatch):
    install_fake_bundling(monkeypatch)
    plan = plan_coverage(grid_compounds(4, 4), min_households=150)
    paths = plan.to_file(tmp_path)
    assert paths["gpkg"].name == "plan.gpkg" and paths["xlsx"].name == "plan.xlsx"
    again = CoveragePlan.read_file(tmp_path)
    assert_same_plan(plan, again)
    assert again.created == plan.created == plan_day()  # the day, in China (issue 10)
    assert len(again.bundles) == 2
    assert_geoseries_equal(
        plan.bundles.geometry, again.bundles.geometry, normalize=True, check_less_precise=True
    )


def test_round_trip_random_string_index_points_and_extra_columns(tmp_path):
    data = random_compounds(4).rename_geometry("footprint")
    data["willing_to_pay"] = data["willing_to_pay"].fillna(True)
    data["owners_committee"] = data["owners_committee"].fillna(False)
    plan = plan_coverage(data, bundle=False, created="2026-11-28T09:30:00")
    write_plan(plan, tmp_path / "nested" / "out")
    again = read_plan(tmp_path / "nested" / "out" / "plan.gpkg")
    assert_same_plan(plan, again)
    assert again.compounds.geometry.name == "footprint"
    assert again.created == "2026-11-28T09:30:00"
    assert not again.equals("plan")


def test_round_trip_geographic_crs(tmp_path):
    data = grid_compounds().to_crs(4326)
    plan = plan_coverage(data, bundle=False)
    plan.to_file(tmp_path)
    assert_same_plan(plan, read_plan(tmp_path))


def test_byte_identical_outputs(tmp_path, monkeypatch):
    install_fake_bundling(monkeypatch)
    data = grid_compounds(4, 4)
    first = plan_coverage(data).to_file(tmp_path / "one")
    second = plan_coverage(data).to_file(tmp_path / "two")
    for key in ("gpkg", "xlsx"):
        assert digest(first[key]) == digest(second[key])
    # rewriting into the same folder replaces the files and gives the same bytes
    third = plan_coverage(data).to_file(tmp_path / "one")
    assert digest(third["gpkg"]) == digest(second["gpkg"])


def test_byte_identical_with_explicit_date(tmp_path):
    data = grid_compounds()
    a = plan_coverage(data, bundle=False, created="2026-11-28").to_file(tmp_path / "a")
    b = plan_coverage(data, bundle=False, created="2026-11-28").to_file(tmp_path / "b")
    assert digest(a["xlsx"]) == digest(b["xlsx"]) and digest(a["gpkg"]) == digest(b["gpkg"])
    book = load_workbook(a["xlsx"])
    assert book.properties.created.date().isoformat() == "2026-11-28"


def test_excel_sheets_have_chinese_headers(tmp_path, monkeypatch):
    install_fake_bundling(monkeypatch)
    plan = plan_coverage(grid_compounds(4, 4))
    paths = plan.to_file(tmp_path)
    book = load_workbook(paths["xlsx"])
    assert book.sheetnames == ["汇总", "片区", "小区", "说明"]
    summary = [c.value for c in book["汇总"][1]]
    assert summary[:3] == ["街道", "小区数", "失管小区"]
    assert book["汇总"].cell(row=book["汇总"].max_row, column=1).value == "合计"
    compounds = [c.value for c in book["小区"][1]]
    assert {"小区编号", "小区名称", "服务模式", "片区编号", "原因"} <= set(compounds)
    assert book["小区"].max_row == len(plan.compounds) + 1
    modes = {
        row[compounds.index("服务模式")] for row in book["小区"].iter_rows(2, values_only=True)
    }
    assert modes <= {"专业物业", "片区大物业", "延伸式", "自治式", "订单式"}
    assert [c.value for c in book["片区"][1]][:2] == ["片区编号", "街道"]
    assert book["片区"].max_row == len(plan.bundles) + 1
    assert "覆盖率" not in summary  # a plan proposes: nothing reads as achieved
    rate = summary.index("拟安排率(含社区兜底)") + 1
    assert book["汇总"].cell(row=2, column=rate).number_format == "0.0%"
    assert book["汇总"].cell(row=2, column=rate).value == 1
    # the honest split, as plan.summary() has it, per subdistrict and in total
    expected = plan.summary()
    rows = list(book["汇总"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [*expected.index[:-1], "合计"]
    for header, column in (("拟企业服务率", "provider_rate"), ("拟社区兜底率", "community_rate")):
        j = summary.index(header)
        assert book["汇总"].cell(row=2, column=j + 1).number_format == "0.0%"
        assert [r[j] for r in rows] == pytest.approx(expected[column].tolist())
    j = summary.index("拟由企业服务")
    assert [r[j] for r in rows] == expected["provider_delivered"].tolist()
    assert 0 < expected.loc["total", "provider_rate"] < 1  # the grid has both kinds
    flags = {
        row[compounds.index("老旧小区")] for row in book["小区"].iter_rows(2, values_only=True)
    }
    assert flags <= {"是", "否", None}


def test_read_errors(tmp_path):
    with pytest.raises(InputError, match="no plan"):
        read_plan(tmp_path)
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(108.9, 34.2)], crs=4326).to_file(
        tmp_path / "plan.gpkg", layer="other"
    )
    with pytest.raises(InputError, match="not a coverage plan"):
        read_plan(tmp_path)
    with pytest.raises(InputError, match="CoveragePlan"):
        write_plan("plan", tmp_path)


def test_warning_free_round_trip_of_unknown_fields(tmp_path):
    data = grid_compounds()
    data["owners_committee"] = pd.array([pd.NA] * len(data), dtype="boolean")
    with pytest.warns(DataWarning):
        plan = plan_coverage(data, bundle=False)
    plan.to_file(tmp_path)
    assert_same_plan(plan, read_plan(tmp_path))


def test_real_bundling_round_trip_and_bytes(tmp_path):
    data = grid_compounds(5, 6)
    plan = plan_coverage(data, min_households=300)
    assert len(plan.bundles) > 0
    first = plan.to_file(tmp_path / "a")
    second = plan_coverage(data, min_households=300).to_file(tmp_path / "b")
    assert digest(first["gpkg"]) == digest(second["gpkg"])
    assert digest(first["xlsx"]) == digest(second["xlsx"])
    assert_same_plan(plan, read_plan(tmp_path / "a"))


@pytest.mark.parametrize(
    ("text", "why"),
    [("院\x01落", "control character U\\+0001"), ("长" * 40_000, "40,000 characters")],
)
def test_text_a_workbook_cannot_hold_is_named_before_writing(tmp_path, text, why):
    plan = plan_coverage(grid_compounds(3, 3), bundle=False)
    plan.compounds["name"] = plan.compounds["name"].astype(object)
    plan.compounds.loc[plan.compounds.index[4], "name"] = text  # past the readers' checks
    with pytest.raises(InputError, match=rf"sheet 小区, row 6, column '小区名称'.*{why}"):
        write_plan(plan, tmp_path)
    assert list(tmp_path.iterdir()) == []
