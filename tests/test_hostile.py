"""Hostile and broken input is data, never code (issue 10).

The corpus in ``hostile.py`` goes through the command (read a CSV -> plan ->
plan.gpkg, plan.xlsx, map.html, summary.txt) and the library; the text must
come out literally everywhere, the workbook must hold no formula, the old
files must survive a failed write, and every bad value gets its named error.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import os
import re
import unicodedata
import warnings
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from hostile import BAD_INDEXES, BAD_VALUES, TEXT_COLUMNS, TEXTS, flat_polygon, line_breaks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from plan_fixtures import grid_compounds
from shapely.geometry import Point

import lianhu_geo.coverage.files as files
from lianhu_geo import validate_compounds
from lianhu_geo.cli import (
    EXIT_BAD_INPUT,
    EXIT_BAD_OUTPUT,
    EXIT_DISK_FULL,
    EXIT_INTERRUPTED,
    EXIT_NO_PERMISSION,
    EXIT_OK,
    main,
)
from lianhu_geo.coverage import plan_coverage, plan_day
from lianhu_geo.coverage.files import read_plan, write_plan
from lianhu_geo.errors import DataWarning, InputError, OutputError
from lianhu_geo.maps import compare_map, export_html, plan_map
from lianhu_geo.readers import read_compounds

_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]+")
_MODEL_TEXT = {"compound_id", "name", "subdistrict", "community", "property_company"}


def expected(column: str, text: str) -> str:
    """What validation makes of ``text``: model text is stripped, its breaks become spaces."""
    return _BREAKS.sub(" ", text.strip()).strip() if column in _MODEL_TEXT else text


def _unwritable(text: str) -> bool:
    """Controls (but tab and line breaks), surrogates and non-characters: no file holds them."""
    return any(
        (unicodedata.category(c) == "Cc" and c not in "\t\n\r\x85")
        or unicodedata.category(c) == "Cs"
        or c in "\ufffe\uffff"
        for c in text
    )


def refused(column: str, text: str, others: set[str]) -> bool:
    """Whether validation must refuse ``text`` in ``column`` (our own model of the rules)."""
    want = expected(column, text)
    return (
        (column in _MODEL_TEXT and want == "")
        or _unwritable(want)
        or (column == "compound_id" and want in others)
    )


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def hostile_table() -> pd.DataFrame:
    """One row per hostile text, the text in every text column; points 60 m apart."""
    n = len(TEXTS)
    xy = gpd.GeoSeries(
        [Point(350000 + 60 * (i % 5), 3792000 + 60 * (i // 5)) for i in range(n)], crs=32649
    ).to_crs(4326)
    return pd.DataFrame(
        {
            "compound_id": list(TEXTS),
            "name": list(TEXTS),
            "subdistrict": [TEXTS[i // 7] for i in range(n)],
            "community": list(TEXTS),
            "households": [120 + i for i in range(n)],
            "management": ["unmanaged"] * (n - 2) + ["professional"] * 2,
            "willing_to_pay": ["是", "否"] * (n // 2) + ["是"] * (n % 2),
            "property_company": list(TEXTS),
            "备注": list(TEXTS),
            "lon": xy.x.round(7),
            "lat": xy.y.round(7),
        }
    )


_OPTIONS = ["--date", "2026-11-28", "--min-households", "300", "--max-link-m", "100"]


def _as_layer(table: pd.DataFrame) -> gpd.GeoDataFrame:
    points = gpd.points_from_xy(table.pop("lon"), table.pop("lat"))
    return gpd.GeoDataFrame(table, geometry=points, crs=4326)


def map_features(page: str) -> list[dict]:
    """The properties of every GeoJSON feature embedded in a map page."""
    decoder = json.JSONDecoder()
    out = []
    for match in re.finditer(r"geo_json_\w+_add\(", page):
        data, _ = decoder.raw_decode(page, match.end())
        out += [f["properties"] for f in data["features"]]
    return out


def info_box(page: str) -> str:
    """The HTML of the map's info box (title, date, options), as the page sets it."""
    start = re.search(r'"lianhu-box lianhu-info"\);\s*div.innerHTML = ', page).end()
    return json.JSONDecoder().raw_decode(page, start)[0]


def page_structure(page: str) -> tuple[int, int, int]:
    low = page.lower()
    return low.count("<script"), low.count("</script"), low.count("<!--")


@pytest.fixture(scope="module", params=["csv", "geojson"])
def command_run(tmp_path_factory, request):
    """The corpus through `lianhu-geo plan` from a CSV file (quoted breaks) and a GeoJSON."""
    tmp = tmp_path_factory.mktemp("hostile")
    source = tmp / f"ledger.{request.param}"
    if request.param == "csv":
        hostile_table().to_csv(source, index=False, encoding="utf-8")
    else:
        _as_layer(hostile_table()).to_file(source, driver="GeoJSON")
    out = tmp / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the line-break repair is announced
        code = main(["--quiet", "plan", str(source), "--out", str(out), *_OPTIONS])
    assert code == EXIT_OK
    return out


def test_text_comes_back_literally_from_the_geopackage(command_run):
    plan = read_plan(command_run)
    got = plan.compounds.set_index(plan.compounds.index)
    for column in TEXT_COLUMNS:
        want = [expected(column, t) for t in (TEXTS if column != "subdistrict" else [])]
        if want:
            assert got[column].tolist() == want, column
    assert len(plan.bundles) > 0  # the members' names went through the bundle table too
    names = ",".join(plan.bundles["compound_names"].astype(str))
    assert "{{ 7*7 }}" in names and "49" not in names


def test_workbook_holds_text_never_formulas(command_run):
    book = load_workbook(command_run / "plan.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert not any(c.data_type == "e" for c in cells)  # "#N/A" is text, not an error
    sheet = book["小区"]
    header = [c.value for c in sheet[1]]
    names = [row[header.index("小区名称")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(expected("name", t) for t in TEXTS)
    note = [row[header.index("备注")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(note) == sorted(TEXTS)


def test_map_shows_text_literally_and_keeps_its_structure(command_run, tmp_path):
    page = (command_run / "map.html").read_text(encoding="utf-8")
    plain = hostile_table().assign(
        **{c: [f"T{i}" for i in range(len(TEXTS))] for c in TEXT_COLUMNS if c != "subdistrict"},
        subdistrict=[f"S{i // 7}" for i in range(len(TEXTS))],
    )
    _as_layer(plain).to_file(tmp_path / "plain.geojson", driver="GeoJSON")
    plain_source = str(tmp_path / "plain.geojson")
    assert main(["-q", "plan", plain_source, "--out", str(tmp_path / "o"), *_OPTIONS]) == 0
    baseline = (tmp_path / "o" / "map.html").read_text(encoding="utf-8")
    assert page_structure(page) == page_structure(baseline)
    assert "window.pwned" not in page.replace("window.pwned=1", "")  # only inside JSON text
    props = [p for p in map_features(page) if "search" in p]
    assert sorted(p["search"] for p in props) == sorted(expected("name", t) for t in TEXTS)
    assert sorted(html.unescape(p["name"]) for p in props) == sorted(
        expected("name", t) for t in TEXTS
    )
    for raw in ("<script>", "<img", "<!--<"):  # no markup from the data in popups
        assert not any(raw in p["name"] or raw in p["place"] for p in props)


def test_summary_names_subdistricts_literally(command_run):
    summary = (command_run / "summary.txt").read_text(encoding="utf-8")
    for text in {TEXTS[i // 7] for i in range(len(TEXTS))}:
        assert expected("subdistrict", text) in summary


def test_briefing_pack_prints_text_literally(command_run):
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(command_run / "汇报材料.pdf").pages]
    rows = pages[1].splitlines()  # the summary: one row per subdistrict, named as written
    for text in {TEXTS[i // 7] for i in range(len(TEXTS))}:
        assert any(r.startswith(expected("subdistrict", text) + " ") for r in rows), text
    names = "\n".join(pages)
    for text in ("${7*7}", "=1+1", "#N/A", "@SUM(A1)", "{{"):
        assert text in names, text


def test_template_syntax_in_options_is_text():
    plan = plan_coverage(grid_compounds(2, 2), bundle=False, created="2026-11-28")
    m = plan_map(plan, title="{{ 6*7 }} {% if 1 %}", date="{{ 9*9 }}")
    text = html.unescape(info_box(m.get_root().render()))
    assert "<b>{{ 6*7 }} {% if 1 %}</b>" in text and "{{ 9*9 }}" in text
    assert "42" not in text and "81" not in text
    pair = compare_map(plan, plan, labels=("{{ 1+1 }}", "</script><!--"), date="2026-11-28")
    page = pair.get_root().render()
    assert page_structure(page) == page_structure(m.get_root().render())
    assert "<b>{{ 1+1 }} → </script><!--" in html.unescape(info_box(page))


def test_map_with_template_names_is_not_evaluated(tmp_path):
    g = grid_compounds(2, 2)
    g["name"] = ["{{ 7*7 }}", "{{", "{% for x in range(10**12) %}{% endfor %}", "{#"]
    page = export_html(plan_coverage(g, bundle=False), tmp_path / "m.html").read_text()
    names = {html.unescape(p["name"]) for p in map_features(page) if "search" in p}
    assert names == set(g["name"])


@pytest.mark.parametrize(("column", "value", "message"), BAD_VALUES)
def test_bad_values_get_named_errors(column, value, message):
    g = grid_compounds(2, 2)
    g["property_company"] = "甲物业"
    g["备注"] = "—"
    g["buildings"] = 3
    g[column] = g[column].astype(object)
    g.loc[g.index[1], column] = value
    with pytest.raises(InputError, match=re.escape(message)) as err:
        plan_coverage(g, bundle=False)
    assert "C01" in str(err.value) and column in str(err.value)


@pytest.mark.parametrize(("kind", "index", "message"), BAD_INDEXES, ids=[b[0] for b in BAD_INDEXES])
def test_indexes_files_cannot_give_back_are_refused(kind, index, message):
    g = grid_compounds(2, 2)
    g.index = index
    with pytest.raises(InputError, match=message):
        plan_coverage(g, bundle=False)


def test_a_string_index_and_a_big_int_index_round_trip(tmp_path):
    for index in (pd.Index(["1", "2", "x", "{{"]), pd.Index([2**62, 1, -5, 0], dtype="int64")):
        g = grid_compounds(2, 2)
        g.index = index
        plan = plan_coverage(g, bundle=False, created="2026-11-28")
        write_plan(plan, tmp_path / str(index.dtype))
        assert read_plan(tmp_path / str(index.dtype)).equals(plan)


def test_line_breaks_in_names_are_cleaned_and_named():
    g = grid_compounds(2, 2)
    breaks = line_breaks()
    g["name"] = [*breaks, "甲", "乙"]
    with pytest.warns(DataWarning, match="line breaks.*`name` of rows C00, C01"):
        out = validate_compounds(g)
    assert out["name"].tolist() == [*breaks.values(), "甲", "乙"]


def test_zero_area_footprint_becomes_a_point_named_in_a_warning():
    g = grid_compounds(2, 2)
    g.loc[g.index[2], "geometry"] = flat_polygon(350000, 3792000)
    with pytest.warns(DataWarning, match="rows C02 have no area"):
        plan = plan_coverage(g, bundle=False)
    types = plan.compounds.geometry.geom_type.tolist()
    assert types[2] == "Point" and "LineString" not in types
    assert len(plan.compounds) == 4


def test_fifo_device_and_folder_inputs_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "ledger.csv"
    os.mkfifo(fifo)
    cases = ((fifo, "named pipe"), ("/dev/zero", "device"), (tmp_path, "named pipe"))
    for path, words in cases:  # a folder is read file by file: the FIFO in it is refused
        with pytest.raises(InputError, match=words):
            read_compounds(path)


def _write_good_plan(folder):
    plan = plan_coverage(grid_compounds(3, 4), min_households=150, created="2026-11-28")
    write_plan(plan, folder)
    return plan


def test_a_failed_write_leaves_the_old_plan_intact(tmp_path, monkeypatch):
    _write_good_plan(tmp_path)
    before = _digests(tmp_path)
    plan = plan_coverage(grid_compounds(3, 4), bundle=False, created="2026-11-29")

    def half_written(plan, path, date, frames):
        path.write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(files, "_write_xlsx", half_written)
    with pytest.raises(OSError, match="No space") as err:
        write_plan(plan, tmp_path)
    assert err.value.filename == str(tmp_path / "plan.xlsx")  # the user's name, not the temp
    assert _digests(tmp_path) == before  # gpkg and xlsx as they were, no temporary left


def test_a_write_interrupted_in_the_geopackage_leaves_the_old_plan(tmp_path, monkeypatch):
    _write_good_plan(tmp_path)
    before = _digests(tmp_path)
    calls = []
    real = files._write_layer

    def interrupted(frame, path, layer, date):
        calls.append(layer)
        real(frame, path, layer, date)
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_write_layer", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_plan(plan_coverage(grid_compounds(3, 4), bundle=False), tmp_path)
    assert calls == ["compounds"] and _digests(tmp_path) == before


def test_unwritable_workbook_text_is_refused_before_the_first_byte(tmp_path):
    _write_good_plan(tmp_path)
    before = _digests(tmp_path)
    plan = plan_coverage(grid_compounds(3, 4), bundle=False)
    plan.options["note"] = "x" * 40_000  # only the 说明 sheet holds options
    with pytest.raises(InputError, match="sheet 说明, row .*40,002 characters"):
        write_plan(plan, tmp_path)
    assert _digests(tmp_path) == before


def test_symlinked_outputs_are_refused_and_their_targets_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.xlsx").symlink_to(victim)
    plan = plan_coverage(grid_compounds(2, 2), bundle=False)
    with pytest.raises(OutputError, match="symbolic link"):
        write_plan(plan, out)
    (out / "map.html").symlink_to(victim)
    with pytest.raises(OutputError, match="symbolic link"):
        export_html(plan, out / "map.html")
    assert victim.read_text() == "keep me" and not (out / "plan.gpkg").exists()


def _run(argv, capsys):
    code = main(["--lang", "en", *argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip().splitlines()[-1]


def test_command_output_is_a_file(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    code, line = _run(["-q", "plan", "--out", str(tmp_path / "out"), "--no-bundles"], capsys)
    assert code == EXIT_BAD_OUTPUT and "is a file, not a folder" in line


def test_command_read_only_folder(tmp_path, capsys, monkeypatch):
    # root writes anywhere, so the refusal of a read-only folder is simulated where files open
    import lianhu_geo._write as write

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "out"))

    monkeypatch.setattr(write.tempfile, "mkstemp", refuse)
    code, line = _run(["-q", "plan", "--out", str(tmp_path / "out"), "--no-bundles"], capsys)
    assert code == EXIT_NO_PERMISSION and "Permission denied" in line


def test_command_full_disk(tmp_path, capsys, monkeypatch):
    real = zipfile.ZipFile.writestr

    def full(self, *args, **kwargs):
        if str(self.filename or "").endswith(".xlsx"):  # the workbook file, not a buffer
            raise OSError(errno.ENOSPC, "No space left on device", self.filename)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    code, line = _run(["-q", "plan", "--out", str(tmp_path / "out"), "--no-bundles"], capsys)
    assert code == EXIT_DISK_FULL and "the disk is full" in line
    assert list((tmp_path / "out").iterdir()) == []  # no half file, no temporary


def test_command_bad_value_is_one_line(tmp_path, capsys):
    table = hostile_table()
    table["households"] = table["households"].astype(str)
    table.loc[3, "households"] = "1e400"
    table.to_csv(tmp_path / "in.csv", index=False)
    code, line = _run(["-q", "plan", str(tmp_path / "in.csv"), "--out", str(tmp_path)], capsys)
    assert code == EXIT_BAD_INPUT and "at most 100,000" in line


def _small_ledger(folder) -> str:
    """Sixteen courtyards as a GeoJSON ledger: the command's whole path, in seconds.

    (test_cli runs the command on the 1,514-compound sample.)
    """
    path = folder / "ledger.geojson"
    grid_compounds(4, 4).to_crs(4326).to_file(path, driver="GeoJSON")
    return str(path)


def test_two_runs_without_a_date_write_identical_folders(tmp_path):
    ledger = _small_ledger(tmp_path)
    for _ in range(2):  # a run across midnight in China gets another date: try again
        day = plan_day()
        assert main(["-q", "plan", ledger, "--out", str(tmp_path / "a")]) == EXIT_OK
        assert main(["-q", "plan", ledger, "--out", str(tmp_path / "b")]) == EXIT_OK
        if plan_day() == day:
            break
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert day in (tmp_path / "a" / "map.html").read_text(encoding="utf-8")
    assert read_plan(tmp_path / "a").created == day


# ---- property test: any text, in any text column -------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12) | st.sampled_from(TEXTS)


@settings(
    max_examples=int(os.environ.get("LIANHU_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(column=st.sampled_from(TEXT_COLUMNS), text=_TEXT)
def test_any_text_in_any_column_is_refused_by_name_or_written_literally(tmp_path, column, text):
    g = grid_compounds(2, 2)
    g["property_company"] = "甲物业"
    g["备注"] = "—"
    g.loc[g.index[0], column] = text
    want = expected(column, text)
    must_refuse = refused(column, text, set(g["compound_id"].iloc[1:]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            plan = plan_coverage(g, bundle=False, created="2026-11-28")
    except InputError as exc:  # refused: for a reason the text really has, naming the column
        assert must_refuse, str(exc)
        assert f"`{column}`" in str(exc)
        return
    assert not must_refuse
    folder = tmp_path / f"p{abs(hash((column, text)))}"
    write_plan(plan, folder)
    again = read_plan(folder)
    assert again.equals(plan)
    row = 0 if column != "compound_id" else again.compounds.index[0]
    assert again.compounds.loc[row, column] == want
    book = load_workbook(folder / "plan.xlsx")
    cells = [c for s in book.worksheets for r in s.iter_rows() for c in r]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == want for c in cells)
    if _unwritable(text):  # a title no page can show is refused by name
        with pytest.raises(InputError, match="`title`"):
            export_html(plan, folder / "map.html", title=text)
        text = "plain title"
    page = export_html(plan, folder / "map.html", offline=False, title=text)
    page = page.read_text(encoding="utf-8")
    assert f"<b>{text}</b>" in html.unescape(info_box(page))
    assert page_structure(page) == page_structure(_plain_page(tmp_path))
    props = [p for p in map_features(page) if "search" in p]
    if column == "name":
        assert want in {p["search"] for p in props}
        assert want in {html.unescape(p["name"]) for p in props}
    if column == "compound_id":
        assert want in {html.unescape(p["cid"]) for p in props}
    summary = plan.summary(lang="zh").to_string()
    assert column != "subdistrict" or want in summary


_PLAIN: dict[str, str] = {}


def _plain_page(tmp_path) -> str:
    if "page" not in _PLAIN:
        plan = plan_coverage(grid_compounds(2, 2), bundle=False, created="2026-11-28")
        page = export_html(plan, tmp_path / "plain.html", offline=False)
        _PLAIN["page"] = page.read_text(encoding="utf-8")
    return _PLAIN["page"]


def test_expected_matches_library_cleaning():
    # guards the property test's own model of the cleaning
    assert expected("name", " a\nb ") == "a b" and expected("备注", " a\nb ") == " a\nb "
    assert refused("name", " \x1f ", set()) and refused("备注", "\x00", set())
    assert not refused("备注", " ", set()) and refused("compound_id", "C01", {"C01"})


def test_stacked_points_give_the_same_bundles_whatever_the_ids():
    # four compounds on one point, a pair on another, one alone (the fix for stacked points
    # inside neighbor_graph is issue 12's; this guards the plan and its files end to end)
    spots = [Point(108.94, 34.26)] * 4 + [Point(108.9405, 34.26)] * 2 + [Point(108.95, 34.27)]

    def partition(ids):
        g = gpd.GeoDataFrame(
            {
                "compound_id": ids,
                # names stay with the rows: only the ids change (stacked compounds that
                # differ in nothing else split by their data, name included, never by id)
                "name": [f"院落{k}" for k in range(7)],
                "subdistrict": "甲",
                "community": "乙",
                "households": 150,
                "management": "unmanaged",
                "willing_to_pay": True,
            },
            geometry=spots,
            crs=4326,
        )
        plan = plan_coverage(g, min_households=300, created="2026-11-28")
        assert plan.compounds.index.tolist() == list(range(7))  # each compound once
        groups = plan.compounds.groupby(plan.compounds["bundle_id"].astype(str)).groups
        return sorted(sorted(int(i) for i in rows) for key, rows in groups.items())

    assert partition(list("ABCDEFG")) == partition(list("ZYXWVUT")) == partition(list("GAFBECD"))


def test_grid_report_csv_never_starts_a_formula():
    from lianhu_geo.cli import _csv_text

    frame = pd.DataFrame({"街道": ["=1+1", "-2", "甲"], "n": [1, -2, 3]}, index=["@x", "+y", "z"])
    lines = _csv_text(frame).splitlines()
    assert lines[1:] == ["'@x,'=1+1,1", "'+y,'-2,-2", "z,甲,3"]  # numbers stay numbers


def test_command_stopped_by_kill_leaves_whole_files(tmp_path, capsys, monkeypatch):
    import signal

    import lianhu_geo.maps as maps

    out = tmp_path / "out"
    ledger = _small_ledger(tmp_path)
    command = ["-q", "plan", ledger, "--out", str(out), "--no-bundles"]
    assert main([*command, "--date", "2026-11-28"]) == 0
    before = _digests(out)

    def killed(*args, **kwargs):  # a plain `kill` arrives while the map is being made
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(maps, "plan_map", killed)
    handler = signal.getsignal(signal.SIGTERM)
    code, line = _run(command, capsys)
    assert code == EXIT_INTERRUPTED and "interrupted" in line
    after = _digests(out)  # gpkg and xlsx are the new ones, the map still the old one
    assert after.keys() == before.keys() and after["map.html"] == before["map.html"]
    assert signal.getsignal(signal.SIGTERM) == handler  # the command leaves signals as found


@settings(
    max_examples=int(os.environ.get("LIANHU_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    column=st.sampled_from(["households", "buildings", "build_year", "management", "sanwu"]),
    text=_TEXT | st.sampled_from(["1e400", "-0", "１２", "12户", "1,200", "0x10", "NaN", "是"]),
)
def test_any_text_in_a_value_column_is_read_or_refused_by_name(tmp_path, column, text):
    g = grid_compounds(2, 2)
    g["buildings"], g["build_year"], g["sanwu"] = 3, "1990", "否"
    g[column] = g[column].astype(object)
    g.loc[g.index[0], column] = text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            plan = plan_coverage(g, bundle=False, created="2026-11-28")
    except InputError as exc:
        assert f"`{column}`" in str(exc) and ("C00" in str(exc) or "U+" in str(exc))
        return
    value = plan.compounds.loc[0, column]
    if column in ("households", "buildings") and not pd.isna(value):  # "," reads as empty
        assert 0 <= int(value) <= {"households": 100_000, "buildings": 5_000}[column]
    folder = tmp_path / f"v{abs(hash((column, text)))}"
    write_plan(plan, folder)
    assert read_plan(folder).equals(plan)
