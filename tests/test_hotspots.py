import numpy as np
import pandas as pd
import pytest
from bundle_fixtures import X0, Y0, make_compounds
from lianhu_geo.hotspots import CLUSTER_COLUMNS, find_clusters
from shapely.geometry import Point, box

from lianhu_geo.errors import InputError


def two_clusters():
    """A big cluster of 12 old courtyards, a small one of 6 sanwu, noise and managed ones."""
    big = [
        box(X0 + 90 * i, Y0 + 90 * j, X0 + 90 * i + 80, Y0 + 90 * j + 80)
        for i in range(4)
        for j in range(3)
    ]
    small = [Point(X0 + 3000 + 70 * i, Y0 + 70 * j) for i in range(3) for j in range(2)]
    noise = [Point(X0 + 1500, Y0 + 1500), Point(X0 - 1500, Y0)]
    managed = [Point(X0 + 6000 + 50 * i, Y0) for i in range(8)]
    geoms = big + small + noise + managed
    n = len(geoms)
    return make_compounds(
        geoms,
        [100] * 12 + [150] * 6 + [500, 500] + [900] * 8,
        subdistrict=["北院门街道"] * 12 + ["西关街道"] * 6 + ["北关街道"] * 2 + ["土门街道"] * 8,
        management=["unmanaged"] * 20 + ["professional"] * 8,
        old=pd.array([True] * 12 + [False] * 6 + [True] * 2 + [True] * 8, dtype="boolean"),
        sanwu=pd.array([False] * 12 + [True] * 6 + [False] * 10, dtype="boolean"),
        compound_id=[f"K{k:02d}" for k in range(n)],
    )


def test_clusters_are_ranked_by_unmanaged_households():
    gdf = two_clusters()
    clusters = find_clusters(gdf)
    assert list(clusters.columns) == [*CLUSTER_COLUMNS, "geometry"]
    assert clusters["cluster_id"].tolist() == ["H01", "H02"]
    assert clusters["rank"].tolist() == [1, 2]
    assert clusters["unmanaged_households"].tolist() == [1200, 900]
    assert clusters["compounds"].tolist() == [12, 6]
    assert clusters["old_compounds"].tolist() == [12, 0]
    assert clusters["sanwu_compounds"].tolist() == [0, 6]
    assert clusters["subdistrict"].tolist() == ["北院门街道", "西关街道"]
    assert clusters.crs == gdf.crs
    # each polygon covers its members
    for _, row in clusters.iterrows():
        members = gdf[gdf["compound_id"].isin(row["compound_ids"].split(","))]
        assert members.geometry.within(row.geometry).all()


def test_selection_options():
    gdf = two_clusters()
    assert len(find_clusters(gdf, which="unmanaged")) == 2
    mine = pd.Series(np.arange(len(gdf)) < 12, index=gdf.index)
    assert find_clusters(gdf, which=mine)["compounds"].tolist() == [12]
    assert len(find_clusters(gdf, min_compounds=30)) == 0
    with pytest.raises(InputError, match="which"):
        find_clusters(gdf, which="all")
    with pytest.raises(InputError, match="needs an `old`"):
        find_clusters(gdf.drop(columns=["old", "sanwu"]))


def test_hdbscan_finds_the_same_groups():
    gdf = two_clusters()
    clusters = find_clusters(gdf, method="hdbscan", eps_m=100)
    assert len(clusters) == 2
    groups = [set(ids.split(",")) for ids in clusters["compound_ids"]]
    big, small = set(gdf["compound_id"][:12]), set(gdf["compound_id"][12:18])
    assert any(big <= g for g in groups) and any(small <= g for g in groups)
    assert not any(big <= g and small <= g for g in groups)


def test_independent_of_row_order_and_crs():
    gdf = two_clusters()
    base = find_clusters(gdf).drop(columns="geometry")
    shuffled = gdf.sample(frac=1, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(find_clusters(shuffled).drop(columns="geometry"), base)
    lonlat = find_clusters(gdf.to_crs(4326))
    assert lonlat["compound_ids"].tolist() == base["compound_ids"].tolist()


def test_bad_options():
    with pytest.raises(InputError, match="eps_m"):
        find_clusters(two_clusters(), eps_m=0)
    with pytest.raises(InputError, match="method"):
        find_clusters(two_clusters(), method="kmeans")
