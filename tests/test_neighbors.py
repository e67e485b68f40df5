import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from bundle_fixtures import X0, Y0, grid, make_compounds, tessellation
from lianhu_geo.neighbors import neighbor_graph
from shapely.geometry import LineString, Point, box

from lianhu_geo.errors import InputError


def edge_set(graph):
    return {tuple(sorted(e)) for e in graph.edges}


def test_grid_with_lanes_links_rook_and_diagonal_neighbors():
    g = neighbor_graph(grid())
    assert sorted(g.nodes) == [f"C00{k}" for k in range(9)]
    assert g.number_of_edges() == 12 + 8  # lanes 10 m, diagonals 14.1 m
    assert all(d["gap_m"] in (10.0, round(10 * np.sqrt(2), 3)) for *_, d in g.edges(data=True))


def test_max_gap_m_drops_diagonals_and_wide_lanes():
    assert neighbor_graph(grid(), max_gap_m=12).number_of_edges() == 12
    assert neighbor_graph(grid(lane=45.0)).number_of_edges() == 0


def test_islands_have_no_edges():
    gdf = tessellation(1, n=40, islands=2)
    g = neighbor_graph(gdf)
    assert g.degree["C0040"] == 0 and g.degree["C0041"] == 0


def test_within_cuts_edges_across_subdistricts():
    subs = ["甲", "甲", "乙"] * 3  # third column in another subdistrict
    g = neighbor_graph(grid(subdistrict=subs))
    sub = dict(zip(grid()["compound_id"], subs, strict=True))
    assert all(sub[a] == sub[b] for a, b in g.edges)
    assert neighbor_graph(grid(subdistrict=subs), within=None).number_of_edges() == 20
    with pytest.raises(InputError, match="names no column"):
        neighbor_graph(grid(), within="街区")


def test_barriers_cut_edges():
    road = LineString([(X0 + 105, Y0 - 50), (X0 + 105, Y0 + 400)])  # between columns 0 and 1
    g = neighbor_graph(grid(), barriers=gpd.GeoSeries([road], crs=32649))
    col = {f"C00{k}": k % 3 for k in range(9)}
    assert all({col[a], col[b]} != {0, 1} for a, b in g.edges)
    assert g.number_of_edges() == 20 - 7  # 3 rook + 4 diagonal edges cross the road
    with pytest.raises(InputError, match="no CRS"):
        neighbor_graph(grid(), barriers=gpd.GeoSeries([road]))


def test_polygon_barrier_in_another_crs():
    park = gpd.GeoSeries([box(X0 + 100, Y0 - 10, X0 + 110, Y0 + 400)], crs=32649).to_crs(4326)
    g = neighbor_graph(grid(), barriers=park)
    col = {f"C00{k}": k % 3 for k in range(9)}
    assert all({col[a], col[b]} != {0, 1} for a, b in g.edges)


def test_multipolygon_parts_each_find_their_neighbors():
    from shapely.geometry import MultiPolygon

    two = MultiPolygon([box(X0, Y0, X0 + 50, Y0 + 50), box(X0 + 500, Y0, X0 + 550, Y0 + 50)])
    gdf = make_compounds(
        [two, box(X0 + 60, Y0, X0 + 100, Y0 + 50), box(X0 + 560, Y0, X0 + 600, Y0 + 50)],
        [10, 10, 10],
    )
    assert edge_set(neighbor_graph(gdf)) == {("C000", "C001"), ("C000", "C002")}


def test_points_use_delaunay_cut_at_max_link_m():
    xy = [(0, 0), (100, 0), (0, 100), (100, 100), (1000, 1000), (100, 100)]
    gdf = make_compounds([Point(X0 + x, Y0 + y) for x, y in xy], [10] * 6)
    g = neighbor_graph(gdf)
    assert g.degree["C004"] == 0  # 1.3 km away
    assert g.has_edge("C003", "C005")  # same spot: linked, not lost by the triangulation
    assert nx.is_connected(g.subgraph(["C000", "C001", "C002", "C003", "C005"]))
    assert all(d["gap_m"] <= 250 for *_, d in g.edges(data=True))
    assert neighbor_graph(gdf, max_link_m=50).number_of_edges() == 1


def test_collinear_points():
    gdf = make_compounds([Point(X0 + 50 * k, Y0) for k in range(6)], [10] * 6)
    g = neighbor_graph(gdf)
    assert nx.is_connected(g)


def test_independent_of_row_order_index_and_crs():
    gdf = tessellation(3, n=60)
    base = edge_set(neighbor_graph(gdf))
    shuffled = gdf.sample(frac=1, random_state=5)
    shuffled.index = [f"r{k}" for k in range(len(shuffled))]
    assert edge_set(neighbor_graph(shuffled)) == base
    assert edge_set(neighbor_graph(gdf.to_crs(4326))) == base
    assert list(neighbor_graph(shuffled).nodes) == sorted(gdf["compound_id"])


def test_does_not_modify_input():
    gdf = grid()
    before = gdf.copy()
    neighbor_graph(gdf)
    assert gdf.equals(before)


@pytest.mark.parametrize("seed", range(4))
def test_edges_match_brute_force_on_small_tessellations(seed):
    gdf = tessellation(seed + 40, n=50)
    gap = [0.0, 10.0, 40.0, 120.0][seed]
    g = neighbor_graph(gdf, max_gap_m=gap, within=None)
    geoms = gdf.geometry.to_numpy()
    ids = gdf["compound_id"].tolist()
    brute = {
        (ids[a], ids[b])
        for a in range(len(ids))
        for b in range(a + 1, len(ids))
        if geoms[a].distance(geoms[b]) <= gap
    }
    assert edge_set(g) == brute
