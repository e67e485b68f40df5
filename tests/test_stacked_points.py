"""Stacked and near-duplicate points: never a crash, never a result that depends on ids."""

import geopandas as gpd
import numpy as np
import pytest
from bundle_fixtures import X0, Y0, make_compounds
from point_fixtures import shuffled_renamed, stacked_points
from shapely.geometry import Point

import lianhu_geo as lg
from lianhu_geo.bundling.neighbors import stacked_sites


def _edges(graph, rename=lambda s: s):
    return {tuple(sorted((rename(a), rename(b)))) for a, b in graph.edges}


@pytest.mark.parametrize("k", [2, 3, 4, 5, 9])
def test_any_number_of_compounds_on_one_point(k):
    """k compounds on one spot (plus none or three others) triangulate and are all linked."""
    alone = make_compounds([Point(X0, Y0)] * k, [100] * k)
    graph = lg.neighbor_graph(alone)
    assert graph.number_of_edges() == k * (k - 1) // 2
    others = [Point(X0 + 100, Y0), Point(X0, Y0 + 100), Point(X0 + 90, Y0 + 90)]
    mixed = make_compounds([Point(X0, Y0)] * k + others, [100] * (k + 3))
    graph = lg.neighbor_graph(mixed)
    stack = [f"C{i:03d}" for i in range(k)]
    # every compound of the stack has the same neighbours outside it
    outside = {frozenset(set(graph[c]) - set(stack)) for c in stack}
    assert len(outside) == 1 and len(next(iter(outside))) >= 2


def test_stacked_points_link_symmetrically_whatever_the_ids():
    """A pair on one point: both get the same edges, under any ids (the old bug: one of
    the pair got a single edge to its twin, depending on how the ids sorted)."""
    pts = [Point(X0, Y0), Point(X0, Y0), Point(X0 + 100, Y0), Point(X0, Y0 + 100)]
    pts.append(Point(X0 + 150, Y0 + 150))
    for ids in (["A", "B", "C", "D", "E"], ["Z", "A", "C", "D", "E"]):
        graph = lg.neighbor_graph(make_compounds(pts, [100] * 5, compound_id=ids))
        twin_a, twin_b = ids[0], ids[1]
        assert set(graph[twin_a]) - {twin_b} == set(graph[twin_b]) - {twin_a} == {"C", "D"}


def test_near_duplicates_within_a_metre_are_one_site():
    xy = np.array([[0.0, 0.0], [0.6, 0.0], [1.2, 0.0], [50.0, 0.0], [50.0, 0.0]])
    assert stacked_sites(xy).tolist() == [0, 0, 0, 1, 1]
    assert stacked_sites(xy[::-1]).tolist() == [1, 1, 0, 0, 0]


def test_graph_and_bundles_ignore_row_order_and_ids():
    points = stacked_points()
    other = shuffled_renamed(points)

    def rename(s):
        return "id-" + s

    assert _edges(lg.neighbor_graph(points), rename) == _edges(lg.neighbor_graph(other))
    a = lg.propose_bundles(points, min_households=400)
    b = lg.propose_bundles(other, min_households=400)
    assert a.bundles["compounds"].sum() > 10
    members_a = {frozenset("id-" + i for i in ids.split(",")) for ids in a.bundles["compound_ids"]}
    members_b = {frozenset(ids.split(",")) for ids in b.bundles["compound_ids"]}
    assert members_a == members_b
    assert b.labels.index.equals(other.index)


def test_plan_of_stacked_points_has_every_compound_once():
    points = stacked_points(seed=3)
    plan = lg.plan_coverage(points.assign(willing_to_pay=True, owners_committee=False))
    assert plan.compounds.index.equals(points.index)
    assert plan.compounds["service_mode"].notna().all()
    counted = plan.bundles["compound_ids"].str.split(",").explode()
    assert counted.is_unique
    assert isinstance(plan.compounds, gpd.GeoDataFrame)


def test_neighbor_graph_refuses_a_distance_that_changes_nothing():
    points = stacked_points(n=20)
    with pytest.raises(lg.InputError, match="max_gap_m.*points"):
        lg.neighbor_graph(points, max_gap_m=100)
    squares = make_compounds([Point(X0, Y0).buffer(20), Point(X0 + 50, Y0).buffer(20)], [1, 1])
    with pytest.raises(lg.InputError, match="max_link_m.*footprints"):
        lg.neighbor_graph(squares, max_link_m=100)
    assert lg.neighbor_graph(squares, max_gap_m=20).number_of_edges() == 1
