import hashlib
import subprocess
import sys

import numpy as np
import pytest

from lianhu_geo.cli import EXIT_BAD_INPUT, EXIT_OK, main


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def sample_plan_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan") / "out"
    assert main(["--quiet", "plan", "--out", str(out), "--date", "2026-11-28"]) == EXIT_OK
    return out


def test_plan_on_the_sample_writes_map_tables_and_summary(sample_plan_folder, capsys):
    names = sorted(p.name for p in sample_plan_folder.iterdir())
    assert names == ["map.html", "map.png", "plan.gpkg", "plan.xlsx", "summary.txt", "汇报材料.pdf"]
    summary = (sample_plan_folder / "summary.txt").read_text(encoding="utf-8")
    assert "合计" in summary and "488" in summary
    assert "2026-11-28" in (sample_plan_folder / "map.html").read_text(encoding="utf-8")


def test_plan_writes_the_briefing_pack_of_the_sample(sample_plan_folder):
    from PIL import Image
    from test_briefing import expected_cells, page_texts, subtitle

    from lianhu_geo import read_plan

    plan = read_plan(sample_plan_folder)
    summary = plan.summary()
    texts = page_texts(sample_plan_folder / "汇报材料.pdf")
    heads = [subtitle(t).split("\u3000")[0] for t in texts]
    bundle_pages = sum(h.startswith("片区清单：") for h in heads)
    assert len(summary) - 1 == 9 and set(summary.index[:-1]) <= set(heads)  # a page each
    continued = sum(h.endswith("（续）") for h in heads)
    assert len(texts) == 1 + 1 + bundle_pages + 9 + continued + 1
    lines = texts[1].splitlines()
    for name in summary.index:
        row = next(
            line for line in lines if line.startswith(("合计" if name == "total" else name) + " ")
        )
        assert row.split()[1:] == expected_cells(summary, name), name
    assert f"{summary.loc['total', 'provider_rate']:.1%}" in texts[0]
    with Image.open(sample_plan_folder / "map.png") as picture:
        assert picture.size == (2480, 1753)  # A3 at 150 dpi
        assert (np.asarray(picture.convert("L")) < 240).mean() > 0.15


def test_plan_twice_gives_identical_files(sample_plan_folder, tmp_path, monkeypatch):
    """Again, with --workers 2: subdistricts in two processes, the same file bytes."""
    import lianhu_geo.scale as scale

    engines, real = [], scale.run_groups
    monkeypatch.setattr(
        scale,
        "run_groups",
        lambda *a, **k: engines.append((k["name"], k["workers"])) or real(*a, **k),
    )
    argv = ["--quiet", "plan", "--out", str(tmp_path), "--date", "2026-11-28", "--workers", "2"]
    assert main(argv) == EXIT_OK
    assert engines == [("processes", 2)]
    assert _digests(tmp_path) == _digests(sample_plan_folder)


def test_plan_of_a_province_writes_files_by_subdistrict(tmp_path, monkeypatch, capsys):
    """Above MAP_MAX_COMPOUNDS the command writes by subdistrict, and says what it left out."""
    import lianhu_geo.scale
    from lianhu_geo import load_sample
    from lianhu_geo.coverage.files import read_plan

    monkeypatch.setattr(lianhu_geo.scale, "MAP_MAX_COMPOUNDS", 1_000)  # the sample: 1,514
    assert main(["plan", "--out", str(tmp_path), "--date", "2026-11-28"]) == EXIT_OK
    said = capsys.readouterr().out
    assert "未写汇报材料" in said
    subdistricts = sorted(load_sample()["subdistrict"].astype(str).unique())
    assert len(list((tmp_path / "workbooks").glob("*.xlsx"))) == len(subdistricts)
    assert len(list((tmp_path / "maps").glob("*.html"))) == len(subdistricts)
    assert "覆盖方案总览" in (tmp_path / "map.html").read_text(encoding="utf-8")
    assert not (tmp_path / "汇报材料.pdf").exists()
    plan = read_plan(tmp_path)
    assert sorted(plan.compounds["compound_id"]) == sorted(load_sample()["compound_id"])
    assert (tmp_path / "summary.txt").read_text(encoding="utf-8") in said


def test_plan_a_bd09_spreadsheet_with_options(fixtures_dir, tmp_path, capsys):
    code = main(
        [
            "plan",
            str(fixtures_dir / "points_bd09_gbk.csv"),
            "--coords",
            "bd09",
            "--min-households",
            "400",
            "--max-compounds",
            "none",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == EXIT_OK
    captured = capsys.readouterr()
    assert "组建片区、确定服务模式" in captured.err  # progress goes to stderr, in Chinese
    assert "合计" in captured.out
    assert (tmp_path / "map.html").exists()


def test_validate_good_file(fixtures_dir, capsys):
    code = main(
        ["validate", str(fixtures_dir / "points_bd09_gbk.csv"), "--coords", "bd09", "--lang", "en"]
    )
    assert code == EXIT_OK
    assert "OK: every compound can be planned" in capsys.readouterr().out


def test_validate_partial_file_names_the_rows(tmp_path, capsys):
    path = tmp_path / "names.csv"
    path.write_text("小区名称,经度,纬度\n甲院,108.95,34.27\n乙院,108.96,34.27\n", encoding="utf-8")
    assert main(["validate", str(path), "--coords", "bd09", "--lang", "en"]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert "subdistrict: unknown for 2 compounds" in captured.out
    assert (
        "error: cannot be planned yet; these cells need filling: names.csv, sheet names, rows "
        in (captured.err)
    )
    assert "rows 2, 3, column subdistrict" in captured.err
    assert "warning: the input lacks" in captured.err
    assert "Traceback" not in captured.err


def test_bad_input_is_a_message_and_exit_code_3_not_a_traceback(fixtures_dir, capsys):
    assert main(["plan", str(fixtures_dir / "broken.geojson"), "--out", "x"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "错误：无法读取" in err and "Traceback" not in err
    assert main(["plan", str(fixtures_dir / "broken.geojson"), "--out", "x", "--lang", "en"]) == 3
    assert "error: cannot read" in capsys.readouterr().err


def test_column_option_maps_unknown_headers(tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text(
        "编号,小区名称,街道,社区,居住户数合计,管理状态,经度,纬度\n"
        "A1,甲院,北院门街道,大麦市社区,120,失管,108.95,34.27\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path), "--column", "居住户数合计=households"]) == EXIT_OK
    assert main(["validate", str(path), "--column", "居住户数合计", "--lang", "en"]) == 3
    assert "must look like 'their header=column'" in capsys.readouterr().err


def test_grid_report_and_files(tmp_path, capsys):
    assert main(["--quiet", "grid", "--out", str(tmp_path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "网格" in out and "合计" in out
    assert (tmp_path / "grid_report.csv").exists() and (tmp_path / "grid.json").exists()


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as exit_info:
        main(["plan"])  # --out is required
    assert exit_info.value.code == 2


def test_console_entry_point_help():
    result = subprocess.run(
        [sys.executable, "-m", "lianhu_geo", "plan", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--coords", "--min-households", "--max-compounds", "--basemap", "--out"):
        assert option in result.stdout


def test_point_data_honours_max_link_m_and_refuses_max_gap_m(fixtures_dir, tmp_path, capsys):
    """For points the linking distance is --max-link-m; --max-gap-m would change nothing."""
    args = ["--quiet", "plan", str(fixtures_dir / "points_bd09_gbk.csv"), "--coords", "bd09"]
    args += ["--min-households", "140", "--date", "2026-11-28"]
    near = main([*args, "--max-link-m", "50", "--out", str(tmp_path / "near")])
    far = main([*args, "--max-link-m", "3000", "--out", str(tmp_path / "far")])
    assert near == far == EXIT_OK
    bundles = [(tmp_path / d / "summary.txt").read_text(encoding="utf-8") for d in ("near", "far")]
    assert bundles[0] != bundles[1]
    capsys.readouterr()
    code = main([*args, "--max-gap-m", "300", "--out", str(tmp_path / "gap")])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "max_link_m" in err and "Traceback" not in err


def test_help_is_chinese_by_default_and_english_on_request(capsys):
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    chinese = capsys.readouterr().out
    assert "已签约片区表" in chinese and "--locked" in chinese and "--header-row" in chinese
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    english = capsys.readouterr().out
    assert "Plan property management" in english and "template" in english


def test_reader_options_on_the_command_line(fixtures_dir, filegdb, capsys):
    ledgers = fixtures_dir / "ledgers"
    gk = str(ledgers / "高斯投影_4545.xlsx")
    assert main(["validate", gk]) == EXIT_BAD_INPUT
    assert "第 3、4 行, 列 X坐标/Y坐标：坐标" in capsys.readouterr().err
    assert main(["validate", gk, "--crs", "EPSG:4545", "--header-row", "2"]) == EXIT_OK
    assert "通过" in capsys.readouterr().out
    book = str(ledgers / "按社区分表.xlsx")
    assert main(["validate", book, "--sheet", "劳动路社区", "--lang", "en"]) == EXIT_OK
    assert "1 compounds read" in capsys.readouterr().out
    gdb = str(filegdb)
    assert main(["validate", gdb]) == EXIT_BAD_INPUT
    assert "--layer" in capsys.readouterr().err
    assert main(["validate", gdb, "--layer", "compounds"]) == EXIT_OK
    both = [str(ledgers / "分号分隔.csv"), str(ledgers / "台账_gbk.csv")]
    assert main(["validate", *both, "--dedupe", "error"]) == EXIT_OK


def test_plan_with_locked_excluded_barriers_and_boundary(fixtures_dir, tmp_path, capsys):
    from lianhu_geo import read_plan

    book = str(fixtures_dir / "ledgers" / "按社区分表.xlsx")
    locked = tmp_path / "已签约片区.csv"
    locked.write_text("片区,小区编号\n桃园一片,TY04、TY05\n", encoding="utf-8")
    barrier = tmp_path / "roads.geojson"
    barrier.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "LineString", "coordinates": [[108.90, 34.30], [108.92, 34.30]]}}]}',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["plan", book, "--out", str(out), "--locked", str(locked), "--exclude", "TY01"]
    args += ["--barriers", str(barrier), "--boundary", str(barrier), "--min-households", "100"]
    assert main(["--quiet", *args]) == EXIT_OK
    plan = read_plan(out).compounds.set_index("compound_id")
    assert plan.loc["TY04", "bundle_id"] == plan.loc["TY05", "bundle_id"] == "桃园一片"
    assert plan.loc["TY01", "unbundled_reason"] in ("excluded", "规划人员排除")
    locked.write_text("片区,小区编号\n桃园一片,TY04、XX9\n", encoding="utf-8")
    assert main(["--quiet", *args]) == EXIT_BAD_INPUT
    assert "已签约片区.csv：这些小区编号不在小区表中：XX9" in capsys.readouterr().err
    ids = tmp_path / "不参与.txt"
    ids.write_text("TY01\nTY03\n", encoding="utf-8")
    args[args.index("--locked") + 1] = str(tmp_path / "none.csv")
    assert main(["--quiet", *args]) == EXIT_BAD_INPUT
    assert "none.csv：文件不存在" in capsys.readouterr().err
    args[args.index("--exclude") + 1] = str(tmp_path / "不在.txt")
    assert main(["--quiet", *args[: args.index("--locked")], *args[args.index("--exclude") :]]) == 3
    assert "不在.txt：文件不存在" in capsys.readouterr().err
    assert main(["--quiet", "plan", book, "--out", str(out), "--exclude", str(ids)]) == EXIT_OK
    plan = read_plan(out).compounds.set_index("compound_id")
    assert plan.loc[["TY01", "TY03"], "unbundled_reason"].isin(["excluded", "规划人员排除"]).all()


def test_template_command(tmp_path, fixtures_dir, capsys):
    out = tmp_path / "台账模板.xlsx"
    amap = str(fixtures_dir / "ledgers" / "高德导出.csv")
    assert main(["template", amap, "--out", str(out)]) == EXIT_OK
    assert "3 行预填" in capsys.readouterr().out
    assert main(["validate", str(out)]) == EXIT_BAD_INPUT  # still to fill: said cell by cell
    err = capsys.readouterr().err
    assert (
        "还未填写，填好之前无法规划：台账模板.xlsx, 工作表 小区台账, 第 2、3、4 行, 列 街道" in err
    )
    assert main(["template", "--out", str(tmp_path / "empty.xlsx"), "--lang", "en"]) == EXIT_OK


def test_point_data_areas_stay_inside_the_boundary(fixtures_dir, tmp_path):
    """--boundary (polygons) also keeps the estimated areas of point compounds inside it."""
    import geopandas as gpd
    from shapely.geometry import box

    from lianhu_geo import bd09_to_wgs84, read_plan

    outline = tmp_path / "outline.geojson"
    lon, _ = bd09_to_wgs84(108.950112, 34.269871)  # P04, the east end of the P03-P04 pair
    area = box(108.90, 34.25, float(lon) + 0.0002, 34.28)  # cuts P04's area 18 m east of it
    gpd.GeoDataFrame(geometry=[area], crs=4326).to_file(outline)
    args = ["--quiet", "plan", str(fixtures_dir / "points_bd09_gbk.csv"), "--coords", "bd09"]
    args += ["--min-households", "140", "--max-link-m", "3000", "--boundary", str(outline)]
    assert main([*args, "--out", str(tmp_path / "out")]) == EXIT_OK
    plan = read_plan(tmp_path / "out")
    assert plan.options["boundary"] is not None and len(plan.bundles)
    outside = plan.bundles.to_crs(32649).difference(
        gpd.GeoSeries([area], crs=4326).to_crs(32649).iloc[0]
    )
    assert outside.area.max() < 1.0  # m2: edges straight in UTM bow by millimetres in lon/lat
