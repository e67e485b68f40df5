import pandas as pd
import pytest
from lianhu_geo.scenarios import compare_plans, plan_diff
from plan_fixtures import grid_compounds, install_fake_bundling

from lianhu_geo.coverage import SUMMARY_COLUMNS, SUMMARY_LABELS, CoveragePlan, plan_coverage
from lianhu_geo.errors import DataWarning, InputError


@pytest.fixture
def plans():
    data = grid_compounds()
    a = plan_coverage(data, bundle=False)
    b = plan_coverage(data, bundle=False, rule={(False, False): "self_governed"})
    return a, b


def test_compare_totals_side_by_side(plans):
    a, b = plans
    table = compare_plans({"A": a, "B": b})
    assert list(table.columns) == ["A", "B"]
    assert list(table.index) == list(SUMMARY_COLUMNS)
    for name, plan in (("A", a), ("B", b)):
        total = plan.summary().loc["total"]
        assert table[name].astype(float).tolist() == total.astype(float).tolist()
    assert table.loc["self_governed", "B"] > table.loc["self_governed", "A"]
    zh = compare_plans({"A": a, "B": b}, lang="zh")
    assert SUMMARY_LABELS["on_demand"] in zh.index


def test_compare_by_subdistrict(plans):
    a, b = plans
    table = compare_plans({"A": a, "B": b}, by_subdistrict=True)
    assert table.index[-1] == "total"
    assert ("compounds", "A") in table.columns and ("on_demand", "B") in table.columns
    assert table[("on_demand", "A")].iloc[:-1].sum() == table.loc["total", ("on_demand", "A")]


def test_compare_warns_on_different_data_and_rejects_non_plans(plans):
    a, _ = plans
    other = grid_compounds()
    other["households"] += 1
    c = plan_coverage(other, bundle=False)
    with pytest.warns(DataWarning, match="different input data"):
        compare_plans({"A": a, "C": c})
    with pytest.raises(InputError, match="CoveragePlan"):
        compare_plans({"A": a, "X": "plan"})
    with pytest.raises(InputError, match="non-empty"):
        compare_plans({})


def test_diff_lists_mode_changes(plans):
    a, b = plans
    assert plan_diff(a, a).empty
    diff = plan_diff(a, b)
    assert diff.index.name == "compound_id"
    assert (diff["mode_before"] == "on_demand").all()
    assert (diff["mode_after"] == "self_governed").all()
    assert diff["mode_changed"].all() and not diff["bundle_changed"].any()
    assert (diff["change"] == "订单式 → 自治式").all()
    expected = a.compounds.loc[a.compounds["service_mode"] != b.compounds["service_mode"]]
    assert sorted(diff.index) == sorted(expected["compound_id"])


def _relabel(plan, mapping):
    compounds = plan.compounds.copy()
    compounds["bundle_id"] = compounds["bundle_id"].replace(mapping)
    bundles = plan.bundles.rename(index=mapping)
    return CoveragePlan(
        compounds,
        bundles,
        options=plan.options,
        fingerprint=plan.fingerprint,
        version=plan.version,
    )


def test_diff_bundle_moves_not_renumbering(monkeypatch):
    install_fake_bundling(monkeypatch)
    data = grid_compounds(4, 4)
    a = plan_coverage(data)
    renumbered = _relabel(a, {"B001": "B009"})
    assert plan_diff(a, renumbered).empty
    # move one compound from B001 to B002: all members of both bundles changed
    moved = a.compounds.copy()
    first = moved.index[moved["bundle_id"] == "B001"][0]
    moved.loc[first, "bundle_id"] = "B002"
    b = CoveragePlan(
        moved, a.bundles, options=a.options, fingerprint=a.fingerprint, version=a.version
    )
    diff = plan_diff(a, b)
    members = a.compounds.loc[a.compounds["bundle_id"].isin(["B001", "B002"]), "compound_id"]
    assert sorted(diff.index) == sorted(members)
    assert diff["bundle_changed"].all() and not diff["mode_changed"].any()
    c = plan_coverage(data, bundle=False)
    diff = plan_diff(a, c)
    assert set(diff["mode_before"]) >= {"bundle"}
    assert diff.loc[diff["mode_before"] == "bundle", "bundle_after"].isna().all()
    assert diff["change"].str.contains("片区大物业 B00").any()


def test_diff_compounds_only_in_one_plan(plans):
    a, _ = plans
    smaller = grid_compounds().iloc[:-2]
    b = plan_coverage(smaller, bundle=False)
    with pytest.warns(DataWarning):
        diff = plan_diff(a, b)
    assert len(diff) == 2 and diff["mode_after"].isna().all()
    assert diff["change"].str.endswith("（无）").all()
    assert isinstance(diff, pd.DataFrame)
