import types
import warnings

import pandas as pd
import pytest
from _grid_fixtures import compounds
from hypothesis import given
from hypothesis import strategies as st
from lianhu_geo.grid_workers import (
    DISTRICT_GRID_WORKERS,
    DISTRICT_GRIDS,
    SOURCES,
    _pack,
    assign_workers,
    grid_report,
)

from lianhu_geo.errors import DataWarning, InputError
from lianhu_geo.grid import build_grid


@pytest.fixture(scope="module")
def grid():
    return build_grid(compounds(), stop_at="unit")


def _plan():
    data = compounds()
    bundled = data["compound_id"].isin(["LH0001", "LH0003", "LH0006"])
    data["bundle_id"] = pd.Series(pd.NA, index=data.index, dtype="string")
    data.loc[bundled, "bundle_id"] = "B001"
    data["service_mode"] = "self_governed"
    data.loc[bundled, "service_mode"] = "bundle"
    data.loc[data["compound_id"].isin(["LH0004", "LH0007"]), "service_mode"] = "on_demand"
    data.loc[data["management"] == "professional", "service_mode"] = "professional"
    bundles = pd.DataFrame({"property_company": ["甲物业"]}, index=pd.Index(["B001"]))
    return types.SimpleNamespace(compounds=data, bundles=bundles)


def assert_staffed(grid, workers, levels, cap):
    table = workers.assignments
    for level in levels:
        grids = set(grid.nodes(level))
        assert set(table.loc[table["level"] == level, "grid"]) == grids  # none without a worker
    assert (workers.workers["households"] <= cap).all()  # none over the cap
    per_worker = table.groupby("worker_id")["households"].sum()
    assert per_worker.reindex(workers.workers.index).equals(workers.workers["households"])
    shares = table.groupby("grid")["households"].sum()
    for node, households in shares.items():
        assert households == grid.graph.nodes[node]["households"]
    assert set(workers.workers["source"]) <= set(SOURCES)
    assert workers.workers.index.is_unique


@pytest.mark.parametrize("cap", [1, 50, 300, 10_000])
@pytest.mark.parametrize("levels", [("compound", "building"), ("zone", "unit")])
def test_every_grid_has_a_worker_within_the_cap(grid, cap, levels):
    workers = assign_workers(grid, levels=levels, max_households_per_worker=cap)
    assert_staffed(grid, workers, levels, cap)


def test_big_grid_gets_several_workers(grid):
    workers = assign_workers(grid, levels=["compound"], max_households_per_worker=300)
    table = workers.assignments
    big = table[table["grid"] == "compound:LH0002"]
    assert len(big) == 4 and big["households"].tolist() == [300, 300, 300, 300]
    assert (workers.workers.loc[big["worker_id"], "grids"] == 1).all()


def test_small_grids_share_a_worker(grid):
    workers = assign_workers(grid, levels=["building"], max_households_per_worker=300)
    table = workers.assignments.set_index("grid")
    assert (
        table.loc["building:LH0005-01", "worker_id"] == table.loc["building:LH0005-03", "worker_id"]
    )
    # workers never span two compounds
    owners = workers.assignments["grid"].str.extract(r"building:(LH\d+)")[0]
    assert (owners.groupby(workers.assignments["worker_id"]).nunique() == 1).all()


def test_sources_from_a_plan():
    grid = build_grid(_plan(), stop_at="building")
    workers = assign_workers(grid, levels=("compound", "building"))
    assert_staffed(grid, workers, ("compound", "building"), 300)
    source = workers.assignments.groupby("grid")["source"].first()
    assert source["compound:LH0006"] == "property_company"  # bundled
    assert source["compound:LH0002"] == "property_company"  # professional, own company
    assert source["compound:LH0004"] == "volunteer"  # on demand
    assert source["compound:LH0005"] == "community"
    pools = workers.workers.loc[workers.workers["source"] == "property_company", "pool"]
    assert set(pools) == {"甲物业", "莲湖物业"}


def test_property_staff_fill_first_then_community():
    grid = build_grid(_plan(), stop_at="building")
    workers = assign_workers(
        grid, levels=("compound", "building"), property_staff={"甲物业": 2, "莲湖物业": 0}
    )
    assert_staffed(grid, workers, ("compound", "building"), 300)
    staff = workers.workers[workers.workers["source"] == "property_company"]
    assert len(staff) == 2 and set(staff["pool"]) == {"甲物业"}
    assert set(staff["level"]) == {"compound"}  # the first grids are filled first
    rest = workers.assignments[workers.assignments["grid"] == "compound:LH0002"]
    assert set(rest["source"]) == {"community"}


def test_bad_options(grid):
    with pytest.raises(InputError, match="household"):
        assign_workers(grid, levels=["household"])
    with pytest.raises(InputError, match=">= 1"):
        assign_workers(grid, max_households_per_worker=0)
    coarse = build_grid(compounds(), stop_at="compound")
    with pytest.raises(InputError, match="stop_at"):
        assign_workers(coarse, levels=["building"])


def test_deterministic(grid):
    a = assign_workers(grid, max_households_per_worker=100)
    c = assign_workers(grid, max_households_per_worker=100)
    pd.testing.assert_frame_equal(a.assignments, c.assignments)
    pd.testing.assert_frame_equal(a.workers, c.workers)
    # the same workers, grids and shares whatever the row order of the compounds
    shuffled = compounds().sample(frac=1, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # estimated buildings, as for `grid`
        b = assign_workers(build_grid(shuffled, stop_at="unit"), max_households_per_worker=100)
    pd.testing.assert_frame_equal(b.assignments, a.assignments)
    pd.testing.assert_frame_equal(b.workers, a.workers)
    # and a larger cap needs fewer workers
    wider = assign_workers(grid, max_households_per_worker=300)
    assert len(wider.workers) < len(a.workers)


def test_report_per_subdistrict_and_level(grid):
    workers = grid.assign_workers(max_households_per_worker=100)
    report = grid.report(workers)
    body = report[report["subdistrict"] != "total"]
    assert set(body["subdistrict"]) == {"北院门街道", "青年路街道"}
    totals = report[(report["subdistrict"] == "total") & (report["level"] != "all")]
    summed = body.drop(columns="subdistrict").groupby("level").sum()
    assert summed.loc[totals["level"]].to_numpy().tolist() == totals.iloc[:, 2:].to_numpy().tolist()
    overall = report.iloc[-1]
    assert overall["grids"] == sum(
        grid.counts()[lvl] for lvl in ("zone", "compound", "building", "unit")
    )
    assert overall["grid_workers"] == len(workers.workers)
    assert overall["households"] == 2326
    assert overall[list(SOURCES)].sum() == overall["grid_workers"]
    chinese = grid.report(workers, lang="zh")
    assert list(chinese.columns[:4]) == ["街道", "层级", "网格数", "户数"]
    assert "网格员数" in chinese.columns and "楼栋" in set(chinese["层级"])
    assert chinese.iloc[-1]["街道"] == "合计"
    assert grid_report(grid).columns.tolist() == ["subdistrict", "level", "grids", "households"]


def test_summary_next_to_district_figures(grid):
    summary = assign_workers(grid).summary()
    assert summary["district_grids"] == DISTRICT_GRIDS == 15_749
    assert summary["district_grid_workers"] == DISTRICT_GRID_WORKERS == 12_076
    assert summary[list(SOURCES)].sum() == summary["grid_workers"]


@given(
    loads=st.lists(st.integers(min_value=0, max_value=2_000), max_size=30),
    cap=st.integers(min_value=1, max_value=600),
)
def test_pack_properties(loads, cap):
    teams = _pack(loads, cap)
    covered = sorted({i for team in teams for i, _ in team})
    assert covered == list(range(len(loads)))
    for team in teams:
        assert sum(h for _, h in team) <= cap
    for i, load in enumerate(loads):
        assert sum(h for team in teams for j, h in team if j == i) == load


def test_sample_workers():
    from lianhu_geo import load_sample

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        grid = build_grid(load_sample(), stop_at="building")
    assert all(issubclass(w.category, DataWarning) for w in record)
    workers = assign_workers(grid, levels=("compound", "building"))
    assert_staffed(grid, workers, ("compound", "building"), 300)
    report = grid.report(workers, lang="zh")
    assert report.iloc[-1]["网格员数"] == len(workers.workers)


def test_report_on_the_staffed_levels(grid):
    workers = assign_workers(grid, levels=("compound", "building"))
    with pytest.warns(DeprecationWarning, match=r"grid\.report\(workers\)"):
        report = workers.report(grid, levels=("compound", "building"))
    # one report: the method, the function and the deprecated alias give the same table
    pd.testing.assert_frame_equal(report, grid.report(workers, levels=("compound", "building")))
    pd.testing.assert_frame_equal(
        report, grid_report(grid, workers, levels=["building", "compound"])
    )
    assert set(report["level"]) == {"compound", "building", "all"}
    overall = report.iloc[-1]
    assert overall["grids"] == grid.counts()["compound"] + grid.counts()["building"]
    assert overall["grids"] == workers.summary()["staffed_grids"]
    with pytest.raises(InputError, match="household"):
        grid.report(levels=["household"])
