"""Bad options: an InputError naming the option, the value and what is accepted.

One table per public entry point, checked where the user called; the same
values at the command line give exit code 2 (argparse) or 3 (bad input) and
one line of error, never a traceback.
"""

from __future__ import annotations

import math

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from bundle_fixtures import grid

import lianhu_geo as lg
from lianhu_geo import _prepared
from lianhu_geo.cli import EXIT_BAD_INPUT, EXIT_USAGE, main
from lianhu_geo.coverage.triage import triage
from lianhu_geo.errors import InputError
from lianhu_geo.grid import build_grid
from lianhu_geo.grid.workers import grid_report
from lianhu_geo.options import Option, bundle_of, compound_mask

NAN, INF = float("nan"), float("inf")


@pytest.fixture(scope="module")
def compounds() -> gpd.GeoDataFrame:
    return grid(households=[100] * 9)


@pytest.fixture(scope="module")
def built_grid(compounds):
    with pytest.warns(lg.DataWarning, match="were estimated"):  # no counts in the fixture
        return build_grid(compounds, stop_at="building")


# (entry point, bad options, words the message must hold besides the option's name)
BUNDLE_CASES = [
    ({"max_gap_m": -1}, [">= 0", "-1"]),
    ({"max_gap_m": NAN}, [">= 0", "nan"]),
    ({"max_gap_m": INF}, [">= 0", "inf"]),
    ({"max_gap_m": "40"}, ["distance in metres", "'40'"]),
    ({"max_link_m": -5}, [">= 0", "-5"]),
    ({"min_households": True}, ["whole number >= 1", "True"]),
    ({"min_households": 0}, ["whole number >= 1", "0"]),
    ({"min_households": 2.5}, ["whole number", "2.5"]),
    ({"max_compounds": 0}, [">= 1", "0"]),
    ({"max_compounds": "40"}, ["whole number", "'40'"]),
    ({"min_compounds": 0}, [">= 1", "0"]),
    ({"max_span_m": 0}, ["> 0", "0"]),
    ({"max_span_m": NAN}, ["> 0", "nan"]),
    ({"seed": -1}, ["whole number >= 0", "-1"]),
    ({"seed": 1.5}, ["whole number >= 0", "1.5"]),
    ({"seed": None}, ["whole number >= 0", "None"]),
    ({"time_limit_s": -1}, [">= 0", "-1"]),
    ({"time_limit_s": NAN}, [">= 0", "nan"]),
    ({"within": 3}, ["text", "3"]),
    ({"graph": {"A": "B"}}, ["networkx Graph"]),
    ({"viability": 300}, ["ViabilityModel", "300"]),
    ({"barriers": "roads.geojson"}, ["GeoDataFrame or GeoSeries", "'roads.geojson'"]),
    ({"boundary": 1}, ["GeoDataFrame or GeoSeries", "1"]),
    ({"locked": 5}, ["list of compound ids", "mapping from bundle name", "Series", "5"]),
    ({"locked": "C0"}, ["list of compound ids", "'C0'"]),
    ({"locked": ["nope"]}, ["unknown compound ids", "nope"]),
    ({"locked": {"B1": ["C000"], "B2": ["C000"]}}, ["two bundles", "C000"]),
    ({"locked": {"B1": "C000"}}, ["must list compound ids"]),
    ({"exclude": "C000"}, ["list, set, pandas Index or Series of compound ids", "'C000'"]),
    ({"exclude": 3}, ["compound ids", "3"]),
    ({"exclude": {"C000": 1}}, ["compound ids"]),
    ({"exclude": ["C000", None]}, ["compound ids", "None"]),
    ({"exclude": np.array([True, False])}, ["2 flags for 9 compounds"]),
    ({"eligible": ["nope"]}, ["unknown compound ids", "nope"]),
]


def _option_name(options: dict) -> str:
    return next(iter(options))


@pytest.mark.parametrize(("options", "words"), BUNDLE_CASES, ids=repr)
def test_propose_bundles_refuses(compounds, options, words):
    with pytest.raises(InputError) as caught:
        lg.propose_bundles(compounds, **options)
    text = str(caught.value)
    assert f"`{_option_name(options)}`" in text
    for word in words:
        assert word in text, text


@pytest.mark.parametrize(("options", "words"), BUNDLE_CASES, ids=repr)
def test_plan_coverage_refuses_the_same_before_any_work(compounds, options, words, monkeypatch):
    calls = []
    real = _prepared.validate_compounds
    monkeypatch.setattr(
        _prepared, "validate_compounds", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    with pytest.raises(InputError) as caught:
        lg.plan_coverage(compounds, **options)
    text = str(caught.value)
    assert f"`{_option_name(options)}`" in text
    for word in words:
        assert word in text, text
    # refused at the top, before the compounds are read; a selection of compounds
    # (locked, exclude, eligible) can only be checked against them
    selection = any(key in options for key in ("locked", "exclude", "eligible"))
    assert calls == ([1] if selection else [])


@pytest.mark.parametrize(
    ("call", "option", "words"),
    [
        (lambda c: lg.plan_coverage(c, max_gap=40), "max_gap", ["plan_coverage", "max_gap_m"]),
        (lambda c: lg.plan_coverage(c, seeds=1), "seeds", ["did you mean `seed`"]),
        (lambda c: lg.plan_coverage(c, bundle="yes"), "bundle", ["True or False", "'yes'"]),
        (lambda c: lg.plan_coverage(c, missing_mode="x"), "missing_mode", ["'on_demand'"]),
        (lambda c: lg.plan_coverage(c, rule=3), "rule", ["a function of a row", "3"]),
        (lambda c: lg.plan_coverage(c, created=20261128), "created", ["ISO 8601"]),
        (lambda c: lg.neighbor_graph(c, max_gap_m=-1), "max_gap_m", [">= 0", "-1"]),
        (lambda c: lg.neighbor_graph(c, max_gap_m=NAN), "max_gap_m", [">= 0", "nan"]),
        (lambda c: lg.neighbor_graph(c, within=["x"]), "within", ["text"]),
        (lambda c: lg.neighbor_graph(c, barriers=[1]), "barriers", ["GeoDataFrame"]),
        (lambda c: lg.find_clusters(c, eps_m=0), "eps_m", ["> 0", "0"]),
        (lambda c: lg.find_clusters(c, eps_m=INF), "eps_m", ["> 0", "inf"]),
        (lambda c: lg.find_clusters(c, min_compounds=1), "min_compounds", [">= 2", "1"]),
        (lambda c: lg.find_clusters(c, method="kmeans"), "method", ["'dbscan'", "'kmeans'"]),
        (lambda c: lg.find_clusters(c, which=1), "which", ["'old_or_sanwu'", "1"]),
        (lambda c: lg.estimate_footprints(c, max_radius_m=0), "max_radius_m", ["> 0"]),
        (lambda c: lg.estimate_footprints(c, boundary="x"), "boundary", ["GeoDataFrame"]),
        (lambda c: lg.build_grid(c, stop_at="zone"), "stop_at", ["'household'", "'zone'"]),
        (lambda c: lg.build_grid(c, district=None), "district", ["text", "None"]),
        (lambda c: lg.build_grid(c, zones=3), "zones", ["column name", "3"]),
        (lambda c: lg.build_grid(c, buildings=[1]), "buildings", ["DataFrame"]),
        (lambda c: triage(c, missing_mode="bundle"), "missing_mode", ["'extended'"]),
        (lambda c: lg.read_compounds("x.csv", dedupe="maybe"), "dedupe", ["'warn'", "'maybe'"]),
        (lambda c: lg.read_compounds("x.csv", header_row=0), "header_row", [">= 1", "0"]),
        (lambda c: lg.read_compounds("x.csv", lang="fr"), "lang", ["'zh'", "'fr'"]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_entry_point_refuses(compounds, call, option, words):
    with pytest.raises(InputError) as caught:
        call(compounds)
    text = str(caught.value)
    assert f"`{option}`" in text, text
    for word in words:
        assert word in text, text


@pytest.mark.parametrize(
    ("options", "option", "words"),
    [
        ({"max_households_per_worker": 0}, "max_households_per_worker", [">= 1", "0"]),
        ({"max_households_per_worker": True}, "max_households_per_worker", ["True"]),
        ({"max_households_per_worker": "300"}, "max_households_per_worker", ["'300'"]),
        ({"levels": "building"}, "levels", ["non-empty list", "'building'"]),
        ({"levels": []}, "levels", ["non-empty list"]),
        ({"levels": ["household"]}, "levels", ["'unit'", "['household']"]),
        ({"property_staff": 3}, "property_staff", ["mapping", "3"]),
        ({"property_staff": {"甲物业": -1}}, "property_staff['甲物业']", [">= 0", "-1"]),
        ({"max_households": 3}, "max_households", ["did you mean", "max_households_per_worker"]),
    ],
)
def test_assign_workers_refuses(built_grid, options, option, words):
    with pytest.raises(InputError) as caught:
        built_grid.assign_workers(**options)
    text = str(caught.value)
    assert f"`{option}`" in text
    for word in words:
        assert word in text, text


@pytest.mark.parametrize(
    ("options", "option"),
    [({"lang": "fr"}, "lang"), ({"levels": ["household"]}, "levels"), ({"levels": "x"}, "levels")],
)
def test_the_grid_report_refuses(built_grid, options, option):
    with pytest.raises(InputError, match=f"`{option}`"):
        built_grid.report(**options)
    with pytest.raises(InputError, match=f"`{option}`"):
        grid_report(built_grid, **options)


# ---------------------------------------------------------------- natural shapes
def test_locked_in_three_shapes_gives_one_plan(compounds):
    ids = ["C000", "C001", "C003"]
    as_series = pd.Series(pd.NA, index=compounds.index, dtype="string")
    as_series[compounds["compound_id"].isin(ids).to_numpy()] = "北1"
    plans = [
        lg.propose_bundles(compounds, min_households=300, locked=shape)
        for shape in (as_series, {"北1": ids}, {"北1": tuple(ids)})
    ]
    for plan in plans[1:]:
        assert plan.labels.equals(plans[0].labels)
    assert plans[0].bundles.loc["北1", "compound_ids"] == "C000,C001,C003"
    as_list = lg.propose_bundles(compounds, min_households=300, locked=ids)
    assert as_list.bundles.loc["L01", "compound_ids"] == "C000,C001,C003"
    assert as_list.bundles.loc["L01", "locked"]
    assert as_list.labels.replace("L01", "北1").equals(plans[0].labels)


def test_exclude_in_every_shape_gives_one_plan(compounds):
    ids = ["C004", "C008"]
    shapes = [
        ids,
        tuple(ids),
        set(ids),
        pd.Index(ids),
        pd.Series(ids),
        np.array(ids),
        compounds["compound_id"].isin(ids),
        compounds["compound_id"].isin(ids).to_numpy(),
        compounds["compound_id"].isin(ids).tolist(),
    ]
    plans = [lg.propose_bundles(compounds, min_households=300, exclude=s) for s in shapes]
    for plan in plans:
        assert plan.reasons[compounds["compound_id"].isin(ids)].eq("excluded").all()
        assert plan.labels.equals(plans[0].labels)
        assert plan.reasons.equals(plans[0].reasons)


def test_selection_helpers_refuse_with_the_option_name():
    frame = pd.DataFrame({"compound_id": ["A", "B"]})
    with pytest.raises(InputError, match="`skip` must be a list"):
        compound_mask(frame, frame, name="skip")
    with pytest.raises(InputError, match="`skip` is missing for compounds B"):
        compound_mask(pd.Series([True, None], dtype="boolean"), frame, name="skip")
    with pytest.raises(InputError, match="`locked` has a bundle named None"):
        bundle_of({None: ["A"]}, frame)
    with pytest.raises(InputError, match="`locked` must be a list of compound ids"):
        bundle_of(pd.Series([True, False]), frame)


def test_option_kinds():
    assert Option("x", "count", minimum=1).check(3.0) == 3
    assert Option("x", "distance", minimum=0).check(np.float32(2)) == 2.0
    assert Option("x", "choices", choices=("a", "b")).check(["b", "a"]) == ("b", "a")
    assert Option("x", "instance", types=(nx.Graph,)).check(nx.Graph()) is not None
    for bad in (True, math.nan, -math.inf, "1", None, [1]):
        with pytest.raises(InputError, match="`x` must be a whole number >= 1"):
            Option("x", "count", minimum=1).check(bad)
    long = pd.DataFrame({"a": range(100)})
    with pytest.raises(InputError, match="got a DataFrame"):
        Option("x", "text").check(long)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"workers": 0}, ["whole number >= 1", "0"]),
        ({"workers": 1.5}, ["whole number", "1.5"]),
        ({"workers": "2"}, ["whole number", "'2'"]),
        ({"engine": "spark"}, ["serial, processes, dask", "scheduler address", "'spark'"]),
        ({"engine": 2}, ["serial, processes, dask", "2"]),
    ],
    ids=repr,
)
def test_workers_and_engine_are_refused_before_the_compounds_are_read(
    compounds, options, words, monkeypatch
):
    from lianhu_geo.scale import bundle_by_group

    calls = []
    real = _prepared.validate_compounds
    monkeypatch.setattr(
        _prepared, "validate_compounds", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    for call in (lg.plan_coverage, bundle_by_group):
        with pytest.raises(InputError) as caught:
            call(compounds, **options)
        text = str(caught.value)
        assert f"`{_option_name(options)}`" in text
        for word in words:
            assert word in text, text
    assert calls == []


def test_the_command_refuses_workers_before_reading(tmp_path, capfd, monkeypatch):
    from lianhu_geo import cli

    monkeypatch.setattr(cli, "_load", lambda *a: pytest.fail("read before --workers was checked"))
    assert main(["--quiet", "plan", "--out", str(tmp_path / "out"), "--workers", "0"]) == 3
    assert (
        capfd.readouterr()
        .err.strip()
        .endswith("`workers` must be a whole number >= 1 (or None); got 0.")
    )


# ---------------------------------------------------------------- checked once
def test_plan_coverage_validates_the_compounds_once(compounds, monkeypatch):
    calls = []
    real = _prepared.validate_compounds

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(_prepared, "validate_compounds", counting)
    plan = lg.plan_coverage(compounds, min_households=300)
    assert calls == [1]
    assert plan.compounds["bundle_id"].notna().sum() == 9
    lg.propose_bundles(compounds, min_households=300)  # a public call checks its input
    assert calls == [1, 1]


# ---------------------------------------------------------------- command line
@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--max-gap-m", "-1"], EXIT_BAD_INPUT),
        (["--max-gap-m", "nan"], EXIT_BAD_INPUT),
        (["--max-gap-m", "inf"], EXIT_BAD_INPUT),
        (["--max-gap-m", "forty"], EXIT_USAGE),
        (["--min-households", "0"], EXIT_BAD_INPUT),
        (["--min-households", "1.5"], EXIT_USAGE),
        (["--max-span-m", "0"], EXIT_BAD_INPUT),
        (["--seed", "-1"], EXIT_BAD_INPUT),
        (["--max-compounds", "-3"], EXIT_USAGE),
        (["--max-compounds", "many"], EXIT_USAGE),
        (["--max-gap"], EXIT_USAGE),
        (["--workers", "0"], EXIT_BAD_INPUT),
        (["--workers", "two"], EXIT_USAGE),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_the_command_refuses_bad_options_in_one_line(argv, code, tmp_path, capfd):
    with pytest.raises(SystemExit) if code == EXIT_USAGE else _no_exit() as exit_info:
        result = main(["--quiet", "plan", "--out", str(tmp_path / "out"), *argv])
    err = capfd.readouterr().err
    if code == EXIT_USAGE:
        assert exit_info.value.code == EXIT_USAGE
    else:
        assert result == code
        name = argv[0].removeprefix("--").replace("-", "_")
        assert f"`{name}`" in err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) <= 2, err  # argparse: usage line + error; ours: the error alone
    assert not (tmp_path / "out").exists()


class _no_exit:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
