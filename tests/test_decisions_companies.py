"""Company shortlists: each bundle and extended compound gets candidates or a reason."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from decision_fixtures import CRS, compounds_at, lonlat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianhu_geo import CoveragePlan, InputError, match_companies


def plan_of(compounds: gpd.GeoDataFrame, bundle_id, service_mode) -> CoveragePlan:
    c = compounds.copy()
    c["bundle_id"] = pd.array(bundle_id, dtype="string")
    c["service_mode"] = service_mode
    bundles = gpd.GeoDataFrame(geometry=[], crs=CRS)
    return CoveragePlan(c, bundles, options={}, fingerprint="test", version="test")


def companies(rows) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            "company_id",
            "name",
            "service_types",
            "capacity_households",
            "qualification",
            "xy",
        ],
    )
    geometry = [None if xy is None else lonlat([xy])[0] for xy in frame.pop("xy")]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


@pytest.fixture
def case():
    # bundle B1: two compounds at x = 0, 100 (300 households); extended E at x = 5000;
    # far extended F at x = 40 km. Managed: M1 (A) at 600, M2 (B) at 300, M3 (C) at 400.
    xy = [(0, 0), (100, 0), (5000, 0), (40000, 0), (600, 0), (300, 0), (400, 0)]
    compounds = compounds_at(
        xy,
        ids=["U1", "U2", "E", "F", "M1", "M2", "M3"],
        households=[100, 200, 80, 80, 1000, 1000, 1000],
        management=["unmanaged"] * 4 + ["professional"] * 3,
        company=[None] * 4 + ["甲物业", "乙物业", "丙物业"],
    )
    plan = plan_of(
        compounds,
        ["B1", "B1", None, None, None, None, None],
        ["bundle", "bundle", "extended", "extended"] + ["professional"] * 3,
    )
    firms = companies(
        [
            ("P1", "甲物业", "property", 2000, "二级", None),  # spare 1000
            ("P2", "乙物业", "property", 1100, "一级", None),  # spare 100 < 300
            ("P3", "丙物业", "property", None, "三级", None),  # spare unknown
            ("P4", "丁保洁", "保洁", 5000, None, (5200, 0)),
            ("P5", "戊物业", "property", 9000, "一级", (50, 0)),  # an office only
        ]
    )
    return plan, firms


def test_ranked_by_room_then_managed_nearby_then_distance(case):
    plan, firms = case
    short = match_companies(plan, firms)
    b1 = short.shortlist[short.shortlist["target_id"] == "B1"]
    assert b1["company_id"].tolist() == ["P1", "P5", "P3"]
    assert b1["rank"].tolist() == [1, 2, 3]
    first = b1.iloc[0]
    assert first["nearest_compound_id"] == "M1" and first["distance_m"] == pytest.approx(500)
    assert "M1" in first["reason"] and "1,000" in first["reason"] and "二级" in first["reason"]
    e = short.shortlist[short.shortlist["target_id"] == "E"]
    assert e["company_id"].tolist() == ["P4"]
    lost = short.unmatched.set_index("target_id")
    assert list(lost.index) == ["F"] and "3000" in lost.loc["F", "reason"]
    overview = short.overview()
    assert overview.loc["total"].to_dict() == {
        "bundles": 1,
        "bundles_matched": 1,
        "extended": 2,
        "extended_matched": 1,
        "first_choices": 2,
        "over_committed": 0,
    }
    p1 = short.companies.set_index("company_id").loc["P1"]
    assert p1["first_choice_households"] == 300 and not p1["over_committed"]


def test_reasons_when_no_candidate(case):
    plan, firms = case
    picky = match_companies(plan, firms, qualifications=["特级"])
    assert "资质" in picky.unmatched.set_index("target_id").loc["B1", "reason"]
    tight = firms.assign(capacity_households=pd.array([1100, 1100, 1100, 5000, 100], dtype="Int64"))
    full = match_companies(plan, tight)
    assert "300" in full.unmatched.set_index("target_id").loc["B1", "reason"]


def test_bad_input_is_named(case):
    plan, firms = case
    with pytest.raises(InputError, match="CoveragePlan"):
        match_companies(plan.compounds, firms)
    with pytest.raises(InputError, match="extended_types"):
        match_companies(plan, firms, extended_types=["plumbing"])
    with pytest.raises(InputError, match="unique.*甲物业"):
        match_companies(plan, firms.assign(name=["甲物业"] * 5))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 6000), st.integers(0, 6000)), min_size=3, max_size=16),
    st.integers(0, 2**16),
)
def test_every_target_has_a_shortlist_or_a_reason(points, seed):
    rng = np.random.default_rng(seed)
    n = len(points)
    names = [f"企业{k}" for k in range(4)]
    role = rng.choice(["bundle", "extended", "professional"], size=n)
    households = [int(h) for h in rng.integers(20, 600, size=n)]
    compounds = compounds_at(
        points,
        households=households,
        management=["professional" if r == "professional" else "unmanaged" for r in role],
        company=[str(rng.choice(names)) if r == "professional" else None for r in role],
    )
    bundle_id = [f"B{int(rng.integers(2))}" if r == "bundle" else None for r in role]
    plan = plan_of(compounds, bundle_id, list(role))
    firms = companies(
        [
            (
                f"P{k}",
                names[k],
                str(rng.choice(["property", "cleaning", "property,security"])),
                int(rng.integers(0, 3000)),
                None,
                (int(rng.integers(0, 6000)), 0),
            )
            for k in range(4)
        ]
    )
    short = match_companies(plan, firms, max_distance_m=2000)
    targets = set(short.targets["target_id"])
    listed, lost = set(short.shortlist["target_id"]), set(short.unmatched["target_id"])
    assert listed | lost == targets and not listed & lost
    assert (short.unmatched["reason"].str.len() > 0).all()
    fits = short.shortlist["spare_households"].isna() | (
        short.shortlist["spare_households"] >= short.shortlist["households"]
    )
    assert fits.all()
    assert (short.shortlist["distance_m"] <= 2000).all()
    for _, rows in short.shortlist.groupby("target_id"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
