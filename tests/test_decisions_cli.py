"""The stations, heads and companies commands: files written, bad input exit code 3."""

from __future__ import annotations

import openpyxl

from lianhu_geo.cli import EXIT_BAD_INPUT, EXIT_OK, main


def test_stations_writes_workbooks_and_maps(tmp_path, capsys):
    assert main(["-q", "stations", "--out", str(tmp_path), "--max-walk-m", "300"]) == EXIT_OK
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "new_sites.xlsx",
        "sites_map.html",
        "station_coverage.xlsx",
        "stations_map.html",
    ]
    book = openpyxl.load_workbook(tmp_path / "new_sites.xlsx")
    assert book.sheetnames[:2] == ["汇总", "新建服务站选址"]
    assert "合计" in capsys.readouterr().out


def test_heads_too_few_cadres_is_bad_input(tmp_path, capsys):
    code = main(["-q", "heads", "--out", str(tmp_path), "--max-visits-per-cadre", "3"])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "too few cadres" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())
