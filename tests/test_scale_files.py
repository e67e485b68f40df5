"""A large plan's files: GeoPackage, summary workbook, a workbook and a map per subdistrict."""

from __future__ import annotations

import hashlib

import pytest
from openpyxl import load_workbook
from scale_fixtures import province_compounds

import lianhu_geo as lg
from lianhu_geo.errors import InputError
from lianhu_geo.scale import _files, part_name, write_plan_parts


@pytest.fixture(scope="module")
def plan():
    data = province_compounds(900, subdistricts=3, seed=2)
    data.loc[data.index[0], "name"] = "=HYPERLINK(1)"
    data.loc[data.index[1], "name"] = "#N/A"
    data["subdistrict"] = data["subdistrict"].replace(
        {"省002街道": "<img src=x onerror=alert(1)>/../街道"}
    )
    return lg.plan_coverage(data, created="2026-12-06", time_limit_s=0)


@pytest.fixture(scope="module")
def written(plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("parts")
    steps = []
    out = write_plan_parts(plan, folder, map_max_compounds=400, progress=lambda *a: steps.append(a))
    return folder, out, steps


def test_geopackage_reads_back_as_the_plan(plan, written):
    folder, out, _ = written
    assert out["gpkg"] == folder / "plan.gpkg"
    assert lg.CoveragePlan.read_file(folder).equals(plan)


def test_summary_workbook_has_figures_not_compounds(plan, written):
    book = load_workbook(written[1]["xlsx"])
    assert book.sheetnames == ["汇总", "片区", "说明"]
    assert book["片区"].max_row == len(plan.bundles) + 1
    assert book["汇总"].max_row == plan.summary().shape[0] + 1


def test_one_workbook_per_subdistrict_with_text_never_formulas(plan, written):
    paths = written[1]["workbooks"]
    names = sorted(plan.compounds["subdistrict"].unique())
    assert [p.name for p in paths] == [
        f"{part_name(k, n)}.xlsx" for k, n in enumerate(names, start=1)
    ]
    rows, texts = 0, set()
    for path in paths:
        book = load_workbook(path)
        sheet = book["小区"]
        rows += sheet.max_row - 1
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=#":
                    assert cell.data_type == "s", (path.name, cell.coordinate)
                    texts.add(cell.value)
    assert rows == len(plan.compounds)  # every compound once
    assert texts == {"=HYPERLINK(1)", "#N/A"}
    sheet = load_workbook(paths[0])["小区"]
    header = [c.value for c in sheet[1]]
    got = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(2)]
    mine = plan.compounds[plan.compounds["subdistrict"] == sorted(names)[0]]
    assert [r["小区编号"] for r in got] == mine["compound_id"].tolist()
    assert [r["户数"] for r in got] == mine["households"].tolist()  # numbers stay numbers


def test_names_never_make_paths(written):
    folder = written[0]
    made = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert all(p.count("/") <= 1 for p in made)
    assert "workbooks/001_img_src_x_onerror_alert_1_街道.xlsx" in made
    assert part_name(7, "///") == "007"


def test_large_plan_gets_maps_per_subdistrict_and_an_overview(plan, written):
    folder, out, steps = written
    assert [p.parent.name for p in out["maps"]] == ["maps"] * 3
    overview = out["map"].read_text(encoding="utf-8")
    assert "<script src=" not in overview  # offline
    assert "<img src=x" not in overview  # a name is text, never markup
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;/../街道" in overview  # escaped
    assert "失管小区纳入片区比例" in overview
    assert ("maps", 3, 3) in steps and ("workbooks", 3, 3) in steps


def test_small_plan_gets_one_map(plan, tmp_path):
    out = write_plan_parts(plan, tmp_path, map_max_compounds=10_000)
    assert out["maps"] == [] and "lianhuMap" in out["map"].read_text(encoding="utf-8")


def _digests(out):
    def digest(paths):
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]

    return (
        digest([out[k] for k in ("gpkg", "xlsx", "map")]),
        digest(out["workbooks"]),
        digest(out["maps"]),
    )


def test_same_plan_same_bytes_written_in_processes(plan, written, tmp_path):
    again = write_plan_parts(plan, tmp_path, map_max_compounds=400, workers=2)
    assert _digests(written[1]) == _digests(again)


def test_same_plan_same_bytes_written_on_dask_in_batches(plan, written, tmp_path, monkeypatch):
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is the optional extra lianhu_geo[scale]"
    )
    monkeypatch.setattr(_files, "_PARTS_AT_ONCE", 2)  # two batches for three subdistricts
    steps = []
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        again = write_plan_parts(
            plan,
            tmp_path,
            map_max_compounds=400,
            engine=client,
            progress=lambda *a: steps.append(a),
        )
    assert _digests(written[1]) == _digests(again)
    assert [s for s in steps if s[0] == "maps"] == [("maps", 2, 3), ("maps", 3, 3)]


def test_each_task_gets_its_subdistrict_only(plan, tmp_path):
    subdistrict = plan.compounds["subdistrict"]
    rows = subdistrict.groupby(subdistrict).indices
    stems = {"省000街道": "001", "省001街道": "002"}
    jobs = _files._Parts(plan, tmp_path, stems, rows, maps=True)
    assert len(jobs) == 2
    part, workbook, drawn = jobs[1]
    mine = plan.compounds[plan.compounds["subdistrict"] == "省001街道"]
    assert part.compounds.index.equals(mine.index)  # the plan's order, no other compound
    assert set(part.bundles.index) == set(mine["bundle_id"].dropna())
    assert (workbook.name, drawn.name) == ("002.xlsx", "002.html")


def test_sheet_over_the_row_limit_is_refused_before_writing(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(_files, "MAX_SHEET_ROWS", 200)
    with pytest.raises(
        InputError, match=r"subdistrict .*/\.\./街道: sheet 小区 would have 301 rows"
    ):
        write_plan_parts(plan, tmp_path / "out", maps=False)
    assert not (tmp_path / "out" / "workbooks").exists() or not any(
        (tmp_path / "out" / "workbooks").iterdir()
    )
