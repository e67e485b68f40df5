"""Service stations: coverage of the compounds and new sites (set cover, maximal coverage)."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from decision_fixtures import CRS, X0, Y0, compounds_at
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from lianhu_geo import DataWarning, InputError, site_stations, station_coverage


def line(n: int = 10, step: float = 100.0, **kw) -> gpd.GeoDataFrame:
    return compounds_at([(i * step, 0) for i in range(n)], **kw)


def test_line_needs_a_third_of_its_compounds():
    # a site reaches its two neighbours at 150 m: ten in a row need ceil(10 / 3) = 4
    sites = site_stations(line(10), max_walk_m=150)
    assert len(sites.sites) == 4
    assert sites.status.method == "highs" and sites.status.status == "optimal"
    assert (sites.compounds["station_status"] == "new").all()
    assert sites.compounds["station_distance_m"].max() <= 150


def test_grid_needs_its_domination_number():
    # 5 x 5 grid, a site reaches its four neighbours: the domination number of P5 x P5 is 7
    grid = compounds_at([(100 * c, 100 * r) for r in range(5) for c in range(5)])
    assert len(site_stations(grid, max_walk_m=100).sites) == 7
    heuristic = site_stations(grid, max_walk_m=100, exact=False)
    assert heuristic.status.method == "greedy+local"
    assert (heuristic.compounds["station_status"] == "new").all()
    assert len(heuristic.sites) >= 7


def test_budget_reaches_the_most_households_unmanaged_first():
    households = [100] * 10
    households[7] = 5000  # one big compound at x = 700
    sites = site_stations(line(10, households=households), max_walk_m=150, budget=1)
    assert len(sites.sites) == 1
    assert sites.sites["compound_id"].iloc[0] in {"C006", "C007", "C008"}
    counts = sites.compounds["station_status"].value_counts()
    assert counts["new"] == 3 and counts["uncovered"] == 7
    assert (
        sites.compounds.loc[
            sites.compounds["station_status"] == "uncovered", "uncoverable_reason"
        ].notna()
    ).all()
    # an unmanaged household counts ten times a managed one
    management = ["professional"] * 10
    management[1] = "unmanaged"
    households = [300] * 10
    pick = site_stations(
        line(10, management=management, households=households), max_walk_m=150, budget=1
    )
    assert pick.sites["compound_id"].iloc[0] in {"C000", "C001", "C002"}


def test_existing_stations_cover_first_and_only_unmanaged_targets():
    compounds = line(10, management=["professional", "unmanaged"] * 5)
    existing = pd.DataFrame({"station_id": ["S1"], "compound_id": ["C000"]})
    sites = site_stations(compounds, existing=existing, max_walk_m=150, cover="unmanaged")
    status = sites.compounds["station_status"]
    assert status[sites.compounds["compound_id"] == "C001"].item() == "existing"
    assert set(status[compounds["management"] == "professional"]) == {"not_a_target"}
    assert (status[compounds["management"] == "unmanaged"].isin(["existing", "new"])).all()
    # unmanaged C003, C005, C007, C009 remain: C004 and C008 reach them all
    assert sorted(sites.sites["compound_id"]) == ["C004", "C008"]


def test_far_compound_is_named_uncoverable():
    compounds = line(4)
    with pytest.warns(DataWarning, match="C003"):
        sites = site_stations(compounds, max_walk_m=150, candidates=["C000", "C001"])
    row = sites.compounds.set_index("compound_id").loc["C003"]
    assert row["station_status"] == "uncoverable"
    assert "150" in row["uncoverable_reason"]


def test_row_order_and_index_do_not_change_sites():
    grid = compounds_at([(100 * c, 100 * r) for r in range(4) for c in range(4)])
    base = site_stations(grid, max_walk_m=100)
    shuffled = grid.sample(frac=1, random_state=3)
    shuffled.index = [f"r{i}" for i in range(len(grid))]
    again = site_stations(shuffled, max_walk_m=100)
    assert sorted(again.sites["compound_id"]) == sorted(base.sites["compound_id"])
    assert again.compounds.index.equals(shuffled.index)


def test_coverage_names_nearest_station_and_keeps_index():
    compounds = line(5, index=[40, 30, 20, 10, 0])
    stations = pd.DataFrame({"station_id": ["S2", "S1"], "compound_id": ["C004", "C000"]})
    report = station_coverage(compounds, stations, max_walk_m=150)
    assert report.compounds.index.equals(compounds.index)
    assert report.compounds["station_id"].tolist() == ["S1", "S1", "S1", "S2", "S2"]
    assert report.compounds["station_distance_m"].tolist() == [0, 100, 200, 100, 0]
    assert report.compounds["within_reach"].tolist() == [True, True, False, True, True]
    served = report.stations.set_index("station_id")["compounds_served"]
    assert served.to_dict() == {"S2": 2, "S1": 2}
    assert report.summary().loc["total", "compounds_reached"] == 4


def test_detour_factor_and_roads_lengthen_the_walk():
    compounds = line(2)  # 100 m apart
    stations = pd.DataFrame({"station_id": ["S"], "compound_id": ["C000"]})
    assert station_coverage(compounds, stations, max_walk_m=150).compounds["within_reach"].all()
    slow = station_coverage(compounds, stations, max_walk_m=150, detour_factor=2.0)
    assert slow.compounds["station_distance_m"].tolist() == [0, 200]
    # the only road goes 200 m south and back: 500 m along it
    road = LineString([(X0, Y0), (X0, Y0 - 200), (X0 + 100, Y0 - 200), (X0 + 100, Y0)])
    roads = gpd.GeoDataFrame(geometry=[road], crs=CRS)
    walked = station_coverage(compounds, stations, max_walk_m=450, roads=roads)
    assert walked.compounds["within_reach"].tolist() == [True, False]
    assert walked.compounds["station_distance_m"].iloc[1] == pytest.approx(500, abs=1)
    sites = site_stations(compounds, max_walk_m=450, roads=roads)
    assert len(sites.sites) == 2


def test_bad_options_are_named():
    with pytest.raises(InputError, match="max_walk_m"):
        site_stations(line(3), max_walk_m=-5)
    with pytest.raises(InputError, match="cover"):
        site_stations(line(3), cover="everything")
    with pytest.raises(InputError, match="candidates.*C999"):
        site_stations(line(3), candidates=["C999"])
    with pytest.raises(InputError, match="not in the compounds table"):
        station_coverage(line(3), pd.DataFrame({"station_id": ["S"], "compound_id": ["X"]}))


def test_workbook_is_text_never_formula_and_same_bytes(tmp_path):
    compounds = line(4)
    compounds.loc[0, "name"] = '=HYPERLINK("http://x","y")'
    sites = site_stations(compounds, max_walk_m=150)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    sites.to_excel(a)
    site_stations(compounds.iloc[::-1], max_walk_m=150).to_excel(b)
    assert a.read_bytes() == b.read_bytes()
    book = openpyxl.load_workbook(a)
    cells = [
        c
        for ws in book
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 800), st.integers(0, 800)), min_size=1, max_size=18, unique=True
    ),
    st.integers(0, 2**16),
    st.one_of(st.none(), st.integers(0, 4)),
)
def test_every_target_reached_or_named(points, seed, budget):
    rng = np.random.default_rng(seed)
    n = len(points)
    management = list(rng.choice(["professional", "unmanaged"], size=n))
    hosts = rng.random(n) < 0.5
    compounds = compounds_at(points, management=management)
    walk = 200.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        sites = site_stations(
            compounds,
            max_walk_m=walk,
            budget=budget,
            candidates=pd.Series(hosts, index=compounds.index),
        )
    status = sites.compounds["station_status"]
    xy = np.array(points, dtype=float)
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    reachable = (d[:, hosts] <= walk).any(axis=1) if hosts.any() else np.zeros(n, bool)
    assert set(status[~reachable]) <= {"uncoverable"}
    assert set(sites.sites["compound_id"]) <= set(compounds["compound_id"][hosts])
    if budget is None:
        assert set(status[reachable]) == ({"new"} if reachable.any() else set())
    else:
        assert len(sites.sites) <= budget
        assert set(status[reachable]) <= {"new", "uncovered"}
    for i in np.flatnonzero(status == "new"):
        assert sites.compounds["station_distance_m"].iloc[i] <= walk + 1e-6
