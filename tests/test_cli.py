import hashlib
import subprocess
import sys

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
    assert names == ["map.html", "plan.gpkg", "plan.xlsx", "summary.txt"]
    summary = (sample_plan_folder / "summary.txt").read_text(encoding="utf-8")
    assert "合计" in summary and "488" in summary
    assert "2026-11-28" in (sample_plan_folder / "map.html").read_text(encoding="utf-8")


def test_plan_twice_gives_identical_files(sample_plan_folder, tmp_path):
    assert main(["--quiet", "plan", "--out", str(tmp_path), "--date", "2026-11-28"]) == EXIT_OK
    assert _digests(tmp_path) == _digests(sample_plan_folder)


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
    assert "planning bundles" in captured.err  # progress goes to stderr
    assert "合计" in captured.out
    assert (tmp_path / "map.html").exists()


def test_validate_good_file(fixtures_dir, capsys):
    code = main(["validate", str(fixtures_dir / "points_bd09_gbk.csv"), "--coords", "bd09"])
    assert code == EXIT_OK
    assert "OK: every compound can be planned" in capsys.readouterr().out


def test_validate_partial_file_names_the_rows(tmp_path, capsys):
    path = tmp_path / "names.csv"
    path.write_text("小区名称,经度,纬度\n甲院,108.95,34.27\n乙院,108.96,34.27\n", encoding="utf-8")
    assert main(["validate", str(path), "--coords", "bd09"]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert "subdistrict: unknown for 2 compounds" in captured.out
    assert "error: `subdistrict` is unknown for rows R1, R2" in captured.err
    assert "warning: the input lacks" in captured.err
    assert "Traceback" not in captured.err


def test_bad_input_is_a_message_and_exit_code_3_not_a_traceback(fixtures_dir, capsys):
    assert main(["plan", str(fixtures_dir / "broken.geojson"), "--out", "x"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "error: cannot read" in err and "Traceback" not in err


def test_column_option_maps_unknown_headers(tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text(
        "编号,小区名称,街道,社区,居住户数合计,管理状态,经度,纬度\n"
        "A1,甲院,北院门街道,大麦市社区,120,失管,108.95,34.27\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path), "--column", "居住户数合计=households"]) == EXIT_OK
    assert main(["validate", str(path), "--column", "居住户数合计"]) == EXIT_BAD_INPUT
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
