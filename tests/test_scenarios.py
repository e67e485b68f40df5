import pandas as pd
import pytest
from lianhu_geo.scenarios import bundle_diff, compare_plans, match_bundles, plan_diff
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
    # move one compound from B001 to B002, and renumber: only that compound moved
    moved = a.compounds.copy()
    first = moved.index[moved["bundle_id"] == "B001"][0]
    moved.loc[first, "bundle_id"] = "B002"
    b = CoveragePlan(
        moved, a.bundles, options=a.options, fingerprint=a.fingerprint, version=a.version
    )
    b = _relabel(b, {"B001": "B007", "B002": "B001"})
    diff = plan_diff(a, b)
    assert diff.index.tolist() == [a.compounds.loc[first, "compound_id"]]
    assert diff["bundle_changed"].all() and not diff["mode_changed"].any()
    assert diff["change"].tolist() == ["片区大物业 B001 → 片区大物业 B002"]
    changes = bundle_diff(a, b)
    assert changes["change"].tolist() == ["B001：减少 1 个", "B002：增加 1 个院落"]
    assert changes.loc["B002", "gained"] == diff.index[0]
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


def test_match_bundles_keeps_ids_of_the_same_members(monkeypatch):
    install_fake_bundling(monkeypatch)
    a = plan_coverage(grid_compounds(4, 4))
    assert len(a.bundles) >= 2
    ids = sorted(a.bundles.index)
    shuffled = _relabel(a, dict(zip(ids, ["B050", *ids[:0:-1]][: len(ids)], strict=True)))
    back = match_bundles(shuffled, a)
    assert back.compounds["bundle_id"].equals(a.compounds["bundle_id"])
    assert list(back.bundles.index) == ids
    # a bundle the reference does not have gets a new number after both plans' ids
    c = a.compounds.copy()
    c.loc[c["bundle_id"] == ids[0], "bundle_id"] = pd.NA
    c.loc[c["bundle_id"] == ids[0], "service_mode"] = "on_demand"
    fewer = CoveragePlan(
        c, a.bundles.drop(ids[0]), options=a.options, fingerprint=a.fingerprint, version="t"
    )
    grown = match_bundles(a, fewer)
    assert sorted(grown.bundles.index) == sorted([*ids[1:], f"B{len(ids) + 1:03d}"])
    assert (
        bundle_diff(fewer, a)
        .loc[f"B{len(ids) + 1:03d}", "change"]
        .endswith("新片区，" + (f"{int((a.compounds['bundle_id'] == ids[0]).sum())} 个院落"))
    )


def test_one_option_moves_a_few_compounds_and_the_diff_names_exactly_those():
    from lianhu_geo import load_sample

    sample = load_sample()
    data = sample[sample["subdistrict"].isin(["北关街道", "青年路街道"])]
    a = plan_coverage(data, created="2026-11-28")
    b = plan_coverage(data, created="2026-11-28", max_compounds=25)

    def members(plan):
        c = plan.compounds
        groups = c.groupby(c["bundle_id"].astype("string"))["compound_id"].agg(frozenset)
        return dict(groups)

    # the oracle: each bundle against the other plan's bundle it shares most with
    ma, mb = members(a), members(b)
    moved = set()
    for mine, theirs in ((ma, mb), (mb, ma)):
        for group in mine.values():
            best = max(theirs.values(), key=lambda t: (len(t & group), sorted(t)))
            moved |= group - best
    mode_a = a.compounds.set_index("compound_id")["service_mode"]
    mode_b = b.compounds.set_index("compound_id")["service_mode"].reindex(mode_a.index)
    moved |= set(mode_a.index[mode_a != mode_b])
    diff = plan_diff(a, b)
    assert 0 < len(diff) <= 10
    assert set(diff.index) == moved
    # bundles whose members did not change keep their ids
    same = {bid: group for bid, group in ma.items() if group in set(mb.values())}
    assert same and len(same) < len(ma)
    relabelled = members(match_bundles(b, a))
    for bid, group in same.items():
        assert relabelled[bid] == group
    assert not set(bundle_diff(a, b).index) & set(same)
    assert set(diff["bundle_before"].dropna()) | set(diff["bundle_after"].dropna()) <= set(ma)
