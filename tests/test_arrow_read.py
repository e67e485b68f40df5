"""Reading that scales (issue 15): GIS layers through Arrow, validation without per-row Python.

The Arrow path must give the frame ``geopandas.read_file`` gives (dtypes,
values, order), fall back to it where it would differ, and name a cell that
is not UTF-8; the vectorised checks must say what the per-row ones said.
"""

from __future__ import annotations

import io
import re
import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scale_fixtures import province_compounds
from shapely.geometry import Point

import lianhu_geo
import lianhu_geo.cli as cli
import lianhu_geo.ledgers._arrow as arrow
import lianhu_geo.ledgers._tables as tables
from lianhu_geo import DataWarning, InputError, read_compounds, validate_compounds
from lianhu_geo.compounds import _BREAKS, _UNWRITABLE, _representative_lonlat
from lianhu_geo.ledgers._read import _name_keys

needs_arrow = pytest.mark.skipif(not arrow.has_arrow(), reason="pyarrow is not installed")
SAMPLE = Path(lianhu_geo.__file__).parent / "data" / "lianhu_sample.geojson"


def _odd_fields() -> gpd.GeoDataFrame:
    """Text with empty cells, integers with and without empty cells, reals, yes/no."""
    return gpd.GeoDataFrame(
        {
            "compound_id": ["A1", "A2", "A3"],
            "name": ["甲院", None, " 丙院 "],
            "households": [120, 80, 300],
            "buildings": pd.array([3, None, 5], dtype="Int64"),
            "fee_yuan_per_m2": [0.5, np.nan, 1.2],
            "sanwu": [True, False, True],
            "备注": ["同上", None, "同上"],  # few values: read once each, the empty cell kept
        },
        geometry=[Point(108.94 + i / 1000, 34.26) for i in range(3)],
        crs=4326,
    )


def _layer_files(tmp_path: Path, fixtures_dir: Path) -> list[Path]:
    files = [SAMPLE, *(fixtures_dir / f for f in ("grid3x3.geojson", "islands.geojson"))]
    _odd_fields().to_file(tmp_path / "odd.gpkg", layer="compounds")
    province_compounds(300, subdistricts=3).to_file(tmp_path / "province.gpkg")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL cuts the field names to 10 letters, and says so
        _odd_fields().to_file(tmp_path / "gbk.shp", encoding="gbk")  # .cpg says GBK
    return [*files, tmp_path / "odd.gpkg", tmp_path / "province.gpkg", tmp_path / "gbk.shp"]


@needs_arrow
@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_arrow_layer_is_the_frame_geopandas_reads(tmp_path, fixtures_dir, storage):
    # pyarrow: pandas' default text storage where pyarrow is installed; the text read must
    # still be the Python strings geopandas gives without pyarrow
    for path in _layer_files(tmp_path, fixtures_dir):
        layer = str(pyogrio.list_layers(path)[0, 0])
        with pd.option_context("mode.string_storage", storage):
            got = arrow.read_layer_arrow(path, layer)
        assert got is not None, path.name
        want = gpd.read_file(path, layer=layer)
        assert got.columns.tolist() == want.columns.tolist()
        got.columns = want.columns  # the labels: pandas' own storage
        assert_geodataframe_equal(got, want, check_dtype=True)


@needs_arrow
def test_read_compounds_gives_the_same_frame_through_arrow_or_not(tmp_path, monkeypatch):
    province_compounds(300, subdistricts=3).to_crs(4326).to_file(tmp_path / "p.gpkg")
    sources = [tmp_path / "p.gpkg", SAMPLE]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        through = [read_compounds(p) for p in sources]
        with pd.option_context("mode.string_storage", "pyarrow"):  # a user with pyarrow
            arrow_text = [read_compounds(p) for p in sources]
        monkeypatch.setattr(arrow, "has_arrow", lambda: False)
        feature_by_feature = [read_compounds(p) for p in sources]
    for a, b, c in zip(through, arrow_text, feature_by_feature, strict=True):
        assert_geodataframe_equal(a, c, check_dtype=True)
        assert b.columns.tolist() == c.columns.tolist()  # labels: pandas' own text storage
        b.columns = c.columns
        assert_geodataframe_equal(b, c, check_dtype=True)  # the data: Python strings


@needs_arrow
def test_arrow_path_is_taken_for_a_geopackage(tmp_path, monkeypatch):
    _odd_fields().to_file(tmp_path / "odd.gpkg")

    def refuse(*args, **kwargs):
        raise AssertionError("read feature by feature")

    monkeypatch.setattr(tables.gpd, "read_file", refuse)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        assert read_compounds(tmp_path / "odd.gpkg")["name"].tolist()[::2] == ["甲院", "丙院"]


@needs_arrow
def test_fields_arrow_would_convert_differently_are_read_feature_by_feature(tmp_path):
    dated = _odd_fields()
    dated["surveyed"] = pd.to_datetime(["2024-01-02", None, "2024-03-04"])
    dated.to_file(tmp_path / "dated.gpkg")
    maybe = _odd_fields()
    maybe["sanwu"] = pd.array([True, None, False], dtype="boolean")
    maybe.to_file(tmp_path / "maybe.gpkg")
    latin = _odd_fields()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        latin.to_file(tmp_path / "latin.shp", encoding="gbk")
    (tmp_path / "latin.cpg").unlink()  # GDAL then reads the bytes as Latin-1
    for name in ("dated.gpkg", "maybe.gpkg", "latin.shp"):
        path = tmp_path / name
        assert arrow.read_layer_arrow(path, path.stem) is None, name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        assert read_compounds(tmp_path / "dated.gpkg")["surveyed"].notna().sum() == 2
        assert read_compounds(tmp_path / "latin.shp")["name"].iloc[0] == "¼×Ôº"  # as before


def _broken_geopackage(folder: Path) -> Path:
    """A GeoPackage whose second feature's name holds a byte that is not UTF-8."""
    path = folder / "broken_text.gpkg"
    pyogrio.write_dataframe(
        _odd_fields(), path, layer="ledger", layer_options={"SPATIAL_INDEX": "NO"}
    )
    with sqlite3.connect(path) as db:
        db.execute("UPDATE ledger SET name = CAST(X'E4B999FF' AS TEXT) WHERE compound_id = 'A2'")
    return path


@needs_arrow
def test_a_cell_that_is_not_utf8_is_named_by_feature_and_column(tmp_path, monkeypatch):
    path = _broken_geopackage(tmp_path)
    want = r"broken_text\.gpkg, layer ledger, feature 2, column name: the text is not valid UTF-8"
    with pytest.raises(InputError, match=want + r" \('乙\\\\xff'\)"):
        read_compounds(path)
    with pytest.raises(InputError, match=r"第 2 个要素, 列 name：文字不是有效的 UTF-8"):
        read_compounds(path, lang="zh")
    monkeypatch.setattr(arrow, "has_arrow", lambda: False)  # without pyarrow: as before
    with pytest.raises(InputError, match=r"cannot read .*broken_text\.gpkg.*UnicodeDecodeError"):
        read_compounds(path)


def test_number_fields_are_refused_in_the_words_of_their_text(tmp_path):
    table = _odd_fields()
    table["households"] = [120.0, -2.0, 300.0]
    table.to_file(tmp_path / "neg.gpkg")
    with pytest.raises(
        InputError, match=r"neg\.gpkg, layer neg, feature 2, column households.*'-2'"
    ):
        read_compounds(tmp_path / "neg.gpkg")
    g = _odd_fields().to_crs(32649)
    for value, words in ((1.5, "have fractions"), (250_000.0, "have '250000.0'")):
        g["households"] = [120.0, value, 300.0]
        with (
            pytest.raises(InputError, match=rf"`households` must .* rows A2 {words}"),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore", DataWarning)  # no subdistrict, community
            validate_compounds(g, planning=False)


def test_printable_text_holds_nothing_the_text_checks_look_for():
    # validation skips its two searches when the joined text is printable: exact only if
    # every character they look for is unprintable, which this checks for all of Unicode
    found = [c for c in map(chr, range(0x110000)) if _UNWRITABLE.match(c) or _BREAKS.match(c)]
    assert len(found) > 2000 and not any(c.isprintable() for c in found)


_NOISE = re.compile(r"[\s\-_·.,，。()（）\[\]【】]+")
_SUFFIX = re.compile(r"(小区|家属院|家属区|院落|院|社区)$")
_NAMES = st.text(st.sampled_from(list(" \t\u3000\xa0\n-_·.,，。()（）[]【】小区家属院落社区甲Aİ")))


@settings(max_examples=300, deadline=None)
@given(names=st.lists(_NAMES | st.text(max_size=10), max_size=6))
@example(names=["甲 家属区", "乙（东）家属院", "丙院落院", "小区小区", "Ab 社区\u3000"])
@example(names=["ΑΣ", "Σ b", "σ"])  # a final sigma is lower-cased by what follows it
@example(names=["甲\x00院", "乙院"])  # NUL joins the names: these are keyed one by one
def test_name_keys_of_joined_names_are_the_rule_the_dedupe_states(names):
    # the rule, name by name, as the duplicate-name check states it
    want = [_SUFFIX.sub("", _NOISE.sub("", n).lower()) or None for n in names]
    assert _name_keys(np.array(names, dtype=object)) == want


@needs_arrow
def test_progress_is_told_per_batch_then_per_check(tmp_path, monkeypatch):
    province_compounds(250, subdistricts=2).to_crs(4326).to_file(tmp_path / "p.gpkg")
    monkeypatch.setattr(arrow, "BATCH_FEATURES", 100)
    told = []
    read_compounds(tmp_path / "p.gpkg", progress=lambda *a: told.append(a))
    reads = [(100, 250), (200, 250), (250, 250), (250, 250)]
    assert told == [("read", *r) for r in reads] + [("check", k, 4) for k in range(1, 5)]
    with pytest.raises(InputError, match=r"`progress` must be a function.*got str"):
        read_compounds(tmp_path / "p.gpkg", progress="yes")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@needs_arrow
@pytest.mark.parametrize("terminal", [True, False])
def test_command_shows_the_count_on_a_terminal_only(tmp_path, monkeypatch, terminal):
    province_compounds(250, subdistricts=2).to_crs(4326).to_file(tmp_path / "p.gpkg")
    monkeypatch.setattr(arrow, "BATCH_FEATURES", 100)
    clock = iter(range(10_000))  # a second passes at every look at the clock
    monkeypatch.setattr(cli.time, "perf_counter", lambda: float(next(clock)))
    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", err)
    assert cli.main(["--lang", "en", "validate", str(tmp_path / "p.gpkg")]) == cli.EXIT_OK
    text = err.getvalue()
    if terminal:
        assert f"\r… reading {tmp_path / 'p.gpkg'}: 200 of 250 rows read\x1b[K" in text
        assert "checks 3 of 4 done" in text
        assert re.search(r"\r… reading \S+p\.gpkg \(\d+\.\d s\)\x1b\[K\n", text)
    else:
        assert "\r" not in text and "rows read" not in text
        assert re.search(r"^… reading \S+p\.gpkg \(\d+\.\d s\)$", text, re.MULTILINE)


def test_bounds_stand_for_representative_points_in_the_china_test():
    rng = np.random.default_rng(0)
    x, y, size = rng.uniform(60, 150, 500), rng.uniform(-5, 60, 500), rng.uniform(0.01, 20, 500)
    shapes = shapely.box(x, y, x + size, y + size / 2)  # many across the box's edges
    lon, lat = _representative_lonlat(shapes)
    reps = shapely.get_coordinates(shapely.point_on_surface(shapes))

    def china(lo, la):
        return (lo >= 73) & (lo <= 136) & (la >= 3) & (la <= 54)

    inside = china(lon, lat)
    assert 50 < inside.sum() < 450 and (inside == china(reps[:, 0], reps[:, 1])).all()
    assert (lon[~inside] == reps[~inside, 0]).all() and (lat[~inside] == reps[~inside, 1]).all()
