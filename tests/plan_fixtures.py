"""Shared builders for the coverage-plan tests (not collected by pytest)."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from lianhu_geo.triage import SERVICE_MODES
from shapely.geometry import MultiPolygon, box

from lianhu_geo.coverage import COMMUNITY_MODES, PROVIDER_MODES, RATE_COLUMNS

X0, Y0 = 350_000.0, 3_792_000.0
SUBDISTRICTS = ("青年路街道", "北院门街道")


def grid_compounds(rows: int = 3, cols: int = 4, *, index=None) -> gpd.GeoDataFrame:
    """A rows x cols grid of 50 m squares 10 m apart; left half one subdistrict."""
    n = rows * cols
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    geoms = [box(X0 + 60 * c, Y0 + 60 * r, X0 + 60 * c + 50, Y0 + 60 * r + 50) for r, c in cells]
    geoms[-1] = MultiPolygon([geoms[-1], box(X0 - 200, Y0 - 200, X0 - 180, Y0 - 180)])
    management = ["professional" if i % 4 == 0 else "unmanaged" for i in range(n)]
    willing = [[True, False, False][i % 3] for i in range(n)]
    committee = [[False, True, False, True][i % 4] for i in range(n)]
    return gpd.GeoDataFrame(
        {
            "compound_id": [f"C{i:02d}" for i in range(n)],
            "name": [f"院{i}" for i in range(n)],
            "subdistrict": [SUBDISTRICTS[int(c >= cols / 2)] for _, c in cells],
            "community": ["社区" + str(c // 2) for _, c in cells],
            "households": [100 + 10 * i for i in range(n)],
            "management": management,
            "old": [True] * n,
            "willing_to_pay": willing,
            "owners_committee": committee,
        },
        geometry=geoms,
        crs=32649,
        index=index,
    )


def random_compounds(seed: int, n: int = 40, *, unknown: float = 0.15) -> gpd.GeoDataFrame:
    """Seeded random compounds: points and boxes, string index, some unknown fields."""
    rng = np.random.default_rng(seed)
    x = X0 + rng.uniform(0, 2000, n)
    y = Y0 + rng.uniform(0, 2000, n)
    sizes = rng.uniform(10, 60, n)
    geoms = [
        shapely.Point(a, b) if rng.random() < 0.2 else box(a, b, a + s, b + s)
        for a, b, s in zip(x, y, sizes, strict=True)
    ]

    def flags() -> pd.Series:
        values = pd.array(rng.random(n) < 0.5, dtype="boolean")
        values[rng.random(n) < unknown] = pd.NA
        return values

    frame = gpd.GeoDataFrame(
        {
            "compound_id": [f"R{seed}-{i}" for i in range(n)],
            "name": [f"随机院{i}" for i in range(n)],
            "subdistrict": rng.choice(SUBDISTRICTS, n),
            "community": rng.choice(["甲社区", "乙社区"], n),
            "households": rng.integers(20, 800, n),
            "management": rng.choice(["professional", "unmanaged"], n, p=[0.6, 0.4]),
            "willing_to_pay": flags(),
            "owners_committee": flags(),
            "note": [f"备注{i}" for i in range(n)],
        },
        geometry=geoms,
        crs=32649,
        index=pd.Index([f"row{i}" for i in rng.permutation(n)]),
    )
    return frame


@dataclass
class FakeBundleResult:
    labels: pd.Series
    reasons: pd.Series
    bundles: gpd.GeoDataFrame
    min_households: int = 200
    options: dict = field(default_factory=dict)


FAKE_REASONS = {"too_small": "户数不足，无法成片", "isolated": "周边无相邻失管小区"}


def fake_propose_bundles(compounds, *, min_households=200, seed=0, **options):
    """Bundle the first three unmanaged compounds of each subdistrict (by id).

    plan_coverage hands over its checked compounds (a ``Prepared``); take the table.
    """
    compounds = getattr(compounds, "data", compounds)
    data = compounds.sort_values("compound_id")
    unmanaged = data[data["management"] == "unmanaged"]
    labels = pd.Series(pd.NA, index=compounds.index, dtype="string", name="bundle_id")
    reasons = pd.Series(pd.NA, index=compounds.index, dtype="string", name="reason")
    rows = []
    number = 0
    for sub in sorted(unmanaged["subdistrict"].unique()):
        members = unmanaged[unmanaged["subdistrict"] == sub]
        chosen = members.index[:3]
        rest = members.index[3:]
        if len(chosen) == 3:
            number += 1
            bid = f"B{number:03d}"
            labels[chosen] = bid
            part = compounds.loc[chosen]
            rows.append(
                {
                    "bundle_id": bid,
                    "subdistrict": sub,
                    "compounds": 3,
                    "households": int(part["households"].sum()),
                    "area_m2": float(part.area.sum()),
                    "span_m": 100.0,
                    "polsby_popper": 0.5,
                    "margin_yuan_month": 1234.5,
                    "compound_ids": list(part["compound_id"]),
                    "locked": False,
                    "geometry": part.geometry.union_all(),
                }
            )
        else:
            rest = members.index
        reasons[rest] = ["too_small", "isolated"] * (len(rest) // 2) + ["too_small"] * (
            len(rest) % 2
        )
    bundles = gpd.GeoDataFrame(rows, geometry="geometry", crs=compounds.crs)
    if len(rows):
        bundles = bundles.set_index("bundle_id")
    result_options = {"min_households": min_households, "seed": seed, **options}
    return FakeBundleResult(labels, reasons, bundles, min_households, result_options)


def install_fake_bundling(monkeypatch) -> None:
    """Replace lianhu_geo.bundling by the fake for one test."""
    module = types.ModuleType("lianhu_geo.bundling")
    module.propose_bundles = fake_propose_bundles
    module.REASONS = FAKE_REASONS
    monkeypatch.setitem(sys.modules, "lianhu_geo.bundling", module)
    # plan_coverage bundles through lianhu_geo.scale: route it to the fake, looked up
    # at call time so that a test may replace the fake's propose_bundles
    scale = types.ModuleType("lianhu_geo.scale")
    scale._bundle_validated = lambda data, *, workers=None, engine=None, **options: sys.modules[
        "lianhu_geo.bundling"
    ].propose_bundles(data, **options)
    monkeypatch.setitem(sys.modules, "lianhu_geo.scale", scale)


def check_plan(plan, compounds: gpd.GeoDataFrame) -> None:
    """Invariants every coverage plan must hold."""
    out = plan.compounds
    # every input row exactly once, same index and order, input columns unchanged
    assert out.index.equals(compounds.index)
    assert out.index.is_unique
    assert out["compound_id"].astype(str).tolist() == compounds["compound_id"].astype(str).tolist()
    for column in compounds.columns:
        assert column in out.columns
    # one mode, one reason each
    assert out["service_mode"].notna().all()
    assert set(out["service_mode"]) <= set(SERVICE_MODES)
    assert out["mode_reason"].notna().all()
    assert (out["mode_reason"].str.len() > 0).all()
    professional = out["management"] == "professional"
    assert (out.loc[professional, "service_mode"] == "professional").all()
    assert (out.loc[~professional, "service_mode"] != "professional").all()
    # bundle ids only on bundled compounds, all known bundles
    bundled = out["service_mode"] == "bundle"
    assert out.loc[bundled, "bundle_id"].notna().all()
    assert out.loc[~bundled & ~professional, "bundle_id"].isna().all()
    assert set(out.loc[bundled, "bundle_id"]) <= set(plan.bundles.index)
    # summary adds up
    summary = plan.summary()
    parts, total = summary.drop(index="total"), summary.loc["total"]
    counts = [c for c in summary.columns if c not in (*RATE_COLUMNS, "bundles", "upper_bound")]
    assert (parts[counts].sum() == total[counts]).all()
    assert parts["bundles"].sum() >= total["bundles"]  # a locked bundle may span two
    if summary["upper_bound"].notna().all():  # NA: bundling that reports no bound (a fake)
        assert parts["upper_bound"].sum() >= total["upper_bound"]
        assert (summary["upper_bound"] >= summary["bundles"]).all()  # a bound, in every row
    assert (summary["compounds"] == summary[list(SERVICE_MODES)].sum(axis=1)).all()
    modes = [m for m in SERVICE_MODES if m != "professional"]
    assert (summary["unmanaged"] == summary[modes].sum(axis=1)).all()
    assert (summary["covered"] == summary["unmanaged"]).all()
    # the honest split: a provider delivers, or the community carries it; never both
    provider = summary[list(PROVIDER_MODES)].sum(axis=1)
    assert (summary["provider_delivered"] == provider).all()
    assert (summary["community_carried"] == summary[list(COMMUNITY_MODES)].sum(axis=1)).all()
    assert (
        summary["provider_delivered"] + summary["community_carried"] == summary["unmanaged"]
    ).all()
    for count, rate in (
        ("provider_delivered", "provider_rate"),
        ("community_carried", "community_rate"),
    ):
        known = summary["unmanaged"] > 0
        expected_rate = summary.loc[known, count] / summary.loc[known, "unmanaged"]
        assert (summary.loc[known, rate] == expected_rate).all()
        assert summary.loc[~known, rate].isna().all()
    assert total["compounds"] == len(compounds)
    assert total["unmanaged"] == int((out["management"] == "unmanaged").sum())
    assert total["bundles"] == out["bundle_id"].nunique() <= len(plan.bundles)
    has_unmanaged = summary["unmanaged"] > 0
    assert (summary.loc[has_unmanaged, "coverage_rate"] == 1.0).all()
