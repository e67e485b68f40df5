"""The 766 real Lianhu compounds (points only) planned end to end.

Names and points are real (../shared/data, BD-09); the fields the scrape lacks
or has wrong are filled with deterministic estimates, labelled as such in
the ``estimated_fields`` column: households (from a hash of the name,
60-460), management (two in three unmanaged), subdistrict and community (the
scrape's market area, 商圈, as a stand-in).
"""

import zlib

import numpy as np
import pandas as pd
import pytest
import shapely
from point_fixtures import shuffled_renamed
from test_point_planning import _check_areas

import lianhu_geo as lg
from lianhu_geo.errors import DataWarning


def _estimate(compounds):
    out = compounds.copy()
    seed = np.array([zlib.crc32(str(n).encode("utf-8")) for n in out["name"]], dtype=np.int64)
    out["households"] = pd.array(60 + seed % 400, dtype="Int64")
    out["management"] = np.where(seed % 3 == 0, "professional", "unmanaged")
    area = out["bizcircle"].fillna("莲湖").astype(str)
    out["subdistrict"] = "估算:" + area
    out["community"] = "估算:" + area
    out["willing_to_pay"] = (seed // 7) % 2 == 0
    out["owners_committee"] = (seed // 11) % 2 == 0
    out["estimated_fields"] = "households,management,subdistrict,community (test estimates)"
    return out


@pytest.fixture(scope="module")
def real_points(shared_data):
    with pytest.warns(DataWarning):
        raw = lg.read_compounds(shared_data / "lianhu_compound_points_scraped.csv", coords="bd09")
    return _estimate(raw)


@pytest.fixture(scope="module")
def real_plan(real_points):
    return lg.plan_coverage(real_points, min_households=500)


def test_real_points_have_stacks(real_points):
    xy = shapely.get_coordinates(real_points.to_crs(32649).geometry.to_numpy()).round(2)
    _, counts = np.unique(xy, axis=0, return_counts=True)
    assert (counts > 1).sum() >= 20  # geocoded to one address


def test_real_point_bundles_are_disjoint_areas_of_their_members(real_points, real_plan):
    bundles = real_plan.bundles
    assert len(bundles) > 20 and bundles["footprint_estimated"].all()
    assert (bundles["compounds"] >= 2).all()
    _check_areas(real_points.to_crs(32649), real_plan.compounds["bundle_id"], bundles)


def test_real_points_every_compound_once(real_points, real_plan):
    c = real_plan.compounds
    assert c.index.equals(real_points.index) and c["service_mode"].notna().all()
    members = bundles_members(real_plan)
    assert members.is_unique
    assert set(members) == set(c.loc[c["service_mode"] == "bundle", "compound_id"])
    summary = real_plan.summary().loc["total"]
    assert summary["compounds"] == 766


def bundles_members(plan):
    return plan.bundles["compound_ids"].str.split(",").explode()


def test_real_points_same_plan_shuffled_and_renamed(real_points, real_plan):
    other = lg.plan_coverage(shuffled_renamed(real_points), min_households=500)
    a = {frozenset("id-" + i for i in s.split(",")) for s in real_plan.bundles["compound_ids"]}
    b = {frozenset(s.split(",")) for s in other.bundles["compound_ids"]}
    assert a == b


def test_real_points_footprints(real_points, shared_data):
    boundary = lg.load_boundary()
    areas = lg.estimate_footprints(real_points, boundary=boundary)
    assert areas.index.equals(real_points.index)
    inside = areas["footprint_estimated"].to_numpy(dtype=bool)
    assert inside.mean() > 0.98  # a few scraped points sit on or just over the line
    assert set(areas.loc[~inside, "footprint_reason"]) <= {"outside_boundary"}
    geoms = areas.to_crs(32649).geometry.to_numpy()[inside]
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    assert (shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]])) < 0.01).all()
