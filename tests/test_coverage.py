import json
import math
import sys

import numpy as np
import pandas as pd
import pytest
from plan_fixtures import (
    FAKE_REASONS,
    check_plan,
    grid_compounds,
    install_fake_bundling,
    random_compounds,
)

import lianhu_geo
from lianhu_geo.coverage import SUMMARY_COLUMNS, CoveragePlan, plan_coverage
from lianhu_geo.errors import DataWarning, InputError


def test_no_bundling_on_grid():
    data = grid_compounds()
    before = data.copy()
    plan = plan_coverage(data, bundle=False)
    check_plan(plan, data)
    pd.testing.assert_frame_equal(data, before)  # caller's data untouched
    assert isinstance(plan, CoveragePlan)
    assert len(plan.bundles) == 0
    assert plan.version == lianhu_geo.__version__
    modes = plan.compounds.set_index("compound_id")["service_mode"]
    assert modes["C00"] == "professional"
    assert modes["C03"] == "extended"  # willing
    assert modes["C01"] == "self_governed"  # not willing, committee
    assert modes["C02"] == "on_demand"  # neither
    reasons = plan.compounds.set_index("compound_id")["mode_reason"]
    assert reasons["C00"] == "已有专业物业"
    assert reasons["C01"] == "不愿付费但有业委会，自治管理"


def test_plan_columns_and_types():
    plan = plan_coverage(grid_compounds(), bundle=False)
    for column in ("service_mode", "bundle_id", "mode_reason", "unbundled_reason"):
        assert str(plan.compounds[column].dtype) == "string"
    assert plan.compounds.columns[-1] == plan.compounds.geometry.name
    unmanaged = plan.compounds["management"] == "unmanaged"
    assert plan.compounds.loc[unmanaged, "unbundled_reason"].notna().all()
    assert plan.compounds.loc[~unmanaged, "unbundled_reason"].isna().all()


@pytest.mark.parametrize("seed", range(6))
def test_random_data(seed):
    data = random_compounds(seed)
    willing, committee = data["willing_to_pay"], data["owners_committee"]
    unknown = willing.isna() | (willing.eq(False) & committee.isna())
    if (unknown & data["management"].eq("unmanaged")).fillna(False).any():
        with pytest.warns(DataWarning, match="default mode"):
            plan = plan_coverage(data, bundle=False)
    else:
        plan = plan_coverage(data, bundle=False)
    check_plan(plan, data)
    assert plan.compounds["note"].tolist() == data["note"].tolist()


def test_fake_bundling_wiring(monkeypatch):
    install_fake_bundling(monkeypatch)
    data = grid_compounds(4, 4)
    plan = plan_coverage(data, min_households=150, seed=3)
    check_plan(plan, data)
    out = plan.compounds
    bundled = out[out["service_mode"] == "bundle"]
    assert len(bundled) == 6 and len(plan.bundles) == 2
    assert all(
        r == f"纳入片区大物业 {b}"
        for r, b in zip(bundled["mode_reason"], bundled["bundle_id"], strict=True)
    )
    assert set(out["unbundled_reason"].dropna()) <= set(FAKE_REASONS.values())
    assert plan.bundles.index.name == "bundle_id"
    ids = plan.bundles.loc["B001", "compound_ids"]
    assert isinstance(ids, str) and len(ids.split(",")) == 3
    assert plan.bundles.loc["B001", "compound_names"].count("、") == 2
    assert plan.options["min_households"] == 150 and plan.options["seed"] == 3
    assert plan.options["bundle"] is True


def test_professional_stays_professional_even_if_bundling_labels_it(monkeypatch):
    install_fake_bundling(monkeypatch)
    fake = sys.modules["lianhu_geo.bundling"]
    real = fake.propose_bundles

    def labels_everything(compounds, **options):
        result = real(compounds, **options)
        result.labels[:] = "B001"
        return result

    monkeypatch.setattr(fake, "propose_bundles", labels_everything)
    data = grid_compounds()
    plan = plan_coverage(data)
    check_plan(plan, data)
    professional = plan.compounds["management"] == "professional"
    assert (plan.compounds.loc[professional, "service_mode"] == "professional").all()


def test_options_fingerprint_version():
    data = grid_compounds()
    plan = plan_coverage(data, bundle=False, rule={(False, False): "self_governed"})
    json.dumps(plan.options)
    assert plan.options["bundle"] is False
    assert plan.options["rule"] == [[False, False, "self_governed"]]
    assert plan.options["created"] is None
    assert len(plan.fingerprint) == 64
    shuffled = data.sample(frac=1, random_state=np.random.RandomState(1)).reset_index(drop=True)
    shuffled = shuffled[list(reversed(shuffled.columns[:-1])) + ["geometry"]]
    again = plan_coverage(shuffled, bundle=False, rule={(False, False): "self_governed"})
    assert again.fingerprint == plan.fingerprint
    a = plan.compounds.set_index("compound_id")[["service_mode", "mode_reason"]]
    b = again.compounds.set_index("compound_id")[["service_mode", "mode_reason"]]
    pd.testing.assert_frame_equal(a.sort_index(), b.sort_index())
    changed = data.copy()
    changed.loc[0, "households"] += 1
    assert plan_coverage(changed, bundle=False).fingerprint != plan.fingerprint


def test_created_is_explicit_option():
    plan = plan_coverage(grid_compounds(), bundle=False, created="2026-11-28")
    assert plan.created == "2026-11-28T00:00:00"
    assert plan.options["created"] == "2026-11-28T00:00:00"
    assert plan_coverage(grid_compounds(), bundle=False).created is not None
    with pytest.raises(InputError, match="created"):
        plan_coverage(grid_compounds(), bundle=False, created="yesterday")


def test_summary_and_chinese_summary():
    plan = plan_coverage(grid_compounds(), bundle=False)
    summary = plan.summary()
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert list(summary.index) == ["北院门街道", "青年路街道", "total"]
    zh = plan.summary(lang="zh")
    assert zh.index[-1] == "合计" and zh.index.name == "街道"
    assert {"小区数", "失管小区", "专业物业", "片区大物业", "延伸式", "自治式", "订单式"} <= set(
        zh.columns
    )
    assert (zh.to_numpy() == summary.to_numpy()).all()
    with pytest.raises(InputError, match="lang"):
        plan.summary(lang="fr")


def test_repr_html_and_repr():
    plan = plan_coverage(grid_compounds(), bundle=False)
    page = plan._repr_html_()
    assert "合计" in page and plan.fingerprint[:12] in page and "<table" in page
    assert "12 compounds" in repr(plan)


def test_bad_input():
    data = grid_compounds()
    with pytest.raises(InputError, match="index must be unique"):
        plan_coverage(data.set_axis([0] * len(data)), bundle=False)
    with pytest.raises(InputError, match="bundle=False"):
        plan_coverage(data, bundle=False, min_households=100)
    with pytest.raises(InputError, match="GeoDataFrame"):
        plan_coverage(pd.DataFrame(data), bundle=False)
    bad = data.copy()
    bad.loc[2, "households"] = -5
    with pytest.raises(InputError, match="C02"):
        plan_coverage(bad, bundle=False)


def test_real_bundling_on_grid_and_random():
    data = grid_compounds(5, 6)
    plan = plan_coverage(data, min_households=300)
    check_plan(plan, data)
    for seed in range(3):
        data = random_compounds(seed, n=60, unknown=0.0)
        check_plan(plan_coverage(data, min_households=500), data)


@pytest.fixture(scope="module")
def sample():
    return lianhu_geo.load_sample()


@pytest.fixture(scope="module")
def sample_plan(sample):
    return plan_coverage(sample)


def test_sample_without_bundling(sample):
    plan = plan_coverage(sample, bundle=False)
    check_plan(plan, sample)


def test_default_plan_on_sample_covers_every_unmanaged_compound(sample, sample_plan):
    check_plan(sample_plan, sample)
    summary = sample_plan.summary()
    total = summary.loc["total"]
    assert total["compounds"] == len(sample) == 1514
    assert total["unmanaged"] == 488
    assert total["covered"] == 488 and math.isclose(total["coverage_rate"], 1.0)
    assert len(summary) == sample["subdistrict"].nunique() + 1
    assert total["bundle"] > 0 and total["bundles"] == len(sample_plan.bundles) > 0


def test_bundle_options_pass_through_and_are_recorded():
    data = grid_compounds(5, 6)
    exclude = data["compound_id"].isin(["C01", "C02"])
    plan = plan_coverage(data, min_households=300, max_compounds=4, exclude=exclude, seed=7)
    check_plan(plan, data)
    json.dumps(plan.options)
    assert plan.options["exclude"] == ["C01", "C02"]
    assert plan.options["max_compounds"] == 4 and plan.options["seed"] == 7
    assert plan.options["min_households"] == 300
    assert (plan.bundles["compounds"] <= 4).all()
    out = plan.compounds.set_index("compound_id")
    assert (out.loc[["C01", "C02"], "service_mode"] != "bundle").all()
    assert (out.loc[["C01", "C02"], "unbundled_reason"] == "规划人员排除").all()


def test_plan_does_not_depend_on_row_order():
    data = grid_compounds(5, 6)
    rng = np.random.default_rng(5)
    shuffled = data.iloc[rng.permutation(len(data))]
    shuffled.index = [f"s{i}" for i in shuffled.index]
    a = plan_coverage(data, min_households=300)
    b = plan_coverage(shuffled, min_households=300)
    check_plan(b, shuffled)
    assert a.fingerprint == b.fingerprint
    columns = ["compound_id", "service_mode", "bundle_id", "mode_reason"]
    left = pd.DataFrame(a.compounds[columns]).set_index("compound_id").sort_index()
    right = pd.DataFrame(b.compounds[columns]).set_index("compound_id").sort_index()
    pd.testing.assert_frame_equal(left, right)


def test_warning_points_at_caller_and_not_eligible_reason():
    data = grid_compounds()
    data["owners_committee"] = pd.array([pd.NA] * len(data), dtype="boolean")
    eligible = pd.Series(False, index=data.index)
    with pytest.warns(DataWarning, match="C01") as record:
        plan = plan_coverage(data, eligible=eligible)
    assert record[0].filename == __file__
    check_plan(plan, data)
    unmanaged = plan.compounds["management"] == "unmanaged"
    assert (plan.compounds.loc[unmanaged, "unbundled_reason"] == "未列入片区候选").all()


def test_locked_bundle_is_kept_and_recorded():
    data = grid_compounds(5, 6)
    locked = pd.Series(pd.NA, index=data.index, dtype="string")
    locked[data["compound_id"].isin(["C05", "C06"]).to_numpy()] = "L01"
    plan = plan_coverage(data, min_households=300, locked=locked)
    check_plan(plan, data)
    assert plan.options["locked"] == {"C05": "L01", "C06": "L01"}
    out = plan.compounds.set_index("compound_id")
    assert (out.loc[["C05", "C06"], "bundle_id"] == "L01").all()
    assert (out.loc[["C05", "C06"], "service_mode"] == "bundle").all()
    assert bool(plan.bundles.loc["L01", "locked"])
    summary = plan.summary()  # L01 spans both subdistricts: counted in each, once in total
    assert summary.loc["total", "bundles"] == len(plan.bundles)
    assert summary["bundles"].drop("total").sum() == len(plan.bundles) + 1


def test_replanning_a_plans_compounds():
    data = grid_compounds()
    plan = plan_coverage(data, bundle=False)
    again = plan_coverage(plan.compounds, bundle=False, rule=lambda row: "on_demand")
    assert again.fingerprint == plan.fingerprint
    check_plan(again, data)
    assert list(again.compounds.columns) == list(plan.compounds.columns)
    assert (again.compounds["service_mode"].isin(["professional", "on_demand"])).all()


def test_fingerprint_is_the_json_of_every_cell_in_id_order():
    """Worked out a column at a time, the fingerprint is still each cell's, row by row."""
    import hashlib

    from lianhu_geo.coverage._fingerprint import _cell, _geometry_text, fingerprint_compounds

    data = grid_compounds().iloc[::-1]
    n = len(data)
    data["ratio"] = np.linspace(-1, 1, n) / 3
    data.loc[data.index[1], "ratio"] = np.nan
    data["small"] = np.arange(n, dtype=np.uint8)
    data["maybe"] = pd.array([True, None, False] * (n // 3) + [True] * (n % 3), dtype="boolean")
    data["count"] = pd.array([None, *range(1, n)], dtype="Int64")
    data["mixed"] = [None, "x", np.int64(3), 2.5, pd.NA, np.bool_(True), *["y"] * (n - 6)]
    data["when"] = pd.date_range("2026-01-01", periods=n)
    data["note"] = pd.array([None, *(f"注{k}" for k in range(1, n))], dtype="string")
    got = fingerprint_compounds(data)
    # the definition, row by row (as it was first written)
    from lianhu_geo.compounds import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

    model = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in data.columns]
    rest = sorted(c for c in data.columns if c not in model and c != "geometry")
    rows = data.iloc[np.argsort(data["compound_id"].astype(str).to_numpy(), kind="stable")]
    payload = {
        "crs": data.crs.to_string(),
        "columns": [*model, *rest],
        "rows": [
            [*(_cell(v) for v in row), wkt]
            for row, wkt in zip(
                rows[[*model, *rest]].itertuples(index=False, name=None),
                _geometry_text(rows.geometry),
                strict=True,
            )
        ],
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    assert got == hashlib.sha256(text.encode("utf-8")).hexdigest()
