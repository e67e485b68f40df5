import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from bundle_fixtures import X0, Y0, grid, tessellation
from lianhu_geo.viability import ViabilityModel
from shapely.geometry import LineString

from lianhu_geo.bundling import REASONS, BundleResult, propose_bundles
from lianhu_geo.coords import to_metric
from lianhu_geo.errors import InputError


def check(
    result: BundleResult,
    gdf,
    *,
    threshold,
    cap=40,
    span=None,
    eligible=None,
    exclude=None,
    locked=None,
):
    """Assert every constraint and every outcome of a proposal."""
    labels, reasons, table = result.labels, result.reasons, result.bundles
    assert labels.index.equals(gdf.index) and reasons.index.equals(gdf.index)
    assert labels.name == "bundle_id" and reasons.name == "reason"
    assert result.min_households == threshold
    eligible = (gdf["management"] == "unmanaged") if eligible is None else eligible
    exclude = pd.Series(False, index=gdf.index) if exclude is None else exclude
    locked = pd.Series(pd.NA, index=gdf.index, dtype="string") if locked is None else locked
    free = eligible & ~exclude & locked.isna()
    # every eligible compound is bundled or has a reason, never both
    assert (labels.notna() ^ reasons.notna())[eligible].all()
    assert reasons[~eligible & ~exclude].isna().all()
    assert labels[~eligible & locked.isna()].isna().all()
    assert set(reasons.dropna()) <= set(REASONS)
    assert (reasons[exclude] == "excluded").all() and labels[exclude].isna().all()
    assert (labels[locked.notna()] == locked[locked.notna()]).all()
    metric = to_metric(gdf)
    reps = shapely.get_coordinates(metric.representative_point().to_numpy())
    pos = {cid: k for k, cid in enumerate(gdf["compound_id"])}
    assert table.index.is_unique and table.index.name == "bundle_id"
    assert set(table.index) == set(labels.dropna())
    assert table.crs == gdf.crs
    for bid, row in table.iterrows():
        members = gdf.loc[labels == bid, "compound_id"].tolist()
        assert row["compound_ids"] == ",".join(sorted(members))
        assert row["compounds"] == len(members)
        assert row["households"] == gdf.loc[labels == bid, "households"].sum()
        if row["locked"]:
            continue
        assert free[labels == bid].all()
        assert nx.is_connected(result.graph.subgraph(members)), bid
        assert row["households"] >= threshold
        if cap is not None:
            assert row["compounds"] <= cap
        assert gdf.loc[labels == bid, "subdistrict"].nunique() == 1
        xy = reps[[pos[m] for m in members]]
        far = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)).max()
        assert row["span_m"] == pytest.approx(far, abs=0.1)
        if span is not None:
            assert far <= span + 1e-6
        assert 0 < row["polsby_popper"] <= 1
    q = result.quality()
    assert q["bundles"] == len(table) <= q["upper_bound"]
    assert 0 <= q["household_coverage"] <= 1
    return q


def test_grid_makes_viable_bundles():
    gdf = grid(households=[100] * 9)
    result = propose_bundles(gdf, min_households=300)
    q = check(result, gdf, threshold=300)
    assert q["bundles"] == 3 and q["household_coverage"] == 1.0
    assert list(result.bundles.index) == ["B001", "B002", "B003"]
    assert result.bundles.index.dtype == "string"
    assert result.labels.dtype == "string"


def test_square_grid_gives_square_bundles():
    # 6 x 6 squares with lanes, four per bundle: the roundest bundles are 2 x 2 blocks
    gdf = grid(6, 6)
    result = propose_bundles(gdf, min_households=400, max_compounds=None)
    q = check(result, gdf, threshold=400)
    assert q["bundles"] == 9 and q["household_coverage"] == 1.0
    assert np.allclose(result.bundles["polsby_popper"], np.pi / 4, atol=1e-3)


def test_shared_boundary_lengths():
    from scipy.sparse import csr_matrix
    from shapely.geometry import Point, box

    from lianhu_geo.bundling._outline import shape_data

    # a; b across a 10 m lane; c on a's top edge, with other vertices than a's
    geoms = np.array([box(0, 0, 100, 100), box(110, 0, 210, 100), box(0, 100, 50, 200)])
    i, j = np.array([0, 0]), np.array([1, 2])
    adj = csr_matrix((np.ones(4), (np.r_[i, j], np.r_[j, i])), shape=(3, 3))
    area, perim, shared = shape_data(geoms, i, j, adj, reach_m=0.0)
    assert area.tolist() == [10_000.0, 10_000.0, 5_000.0]
    assert perim.tolist() == [400.0, 400.0, 300.0]
    # adj.indices row by row: 0 -> (1, 2), 1 -> (0,), 2 -> (0,)
    assert np.allclose(shared, [0.0, 50.0, 0.0, 50.0], atol=0.01)
    # within 10 m: a's whole side facing b; with c, also 10 m of a's left and top edges
    _, _, shared = shape_data(geoms, i, j, adj, reach_m=10.0)
    assert np.allclose(shared, [100.0, 70.0, 100.0, 70.0], atol=0.01)
    points = np.array([Point(0, 0), Point(1, 0), Point(2, 0)])
    assert shape_data(points, i, j, adj, reach_m=10.0) is None


def test_size_cap_and_no_cap():
    gdf = grid(households=[100] * 9)
    capped = propose_bundles(gdf, min_households=200, max_compounds=2)
    check(capped, gdf, threshold=200, cap=2)
    assert (capped.bundles["compounds"] == 2).all()
    assert (capped.reasons.dropna() == "unused").all()
    whole = propose_bundles(gdf, min_households=900, max_compounds=None)
    check(whole, gdf, threshold=900, cap=None)
    assert len(whole.bundles) == 1


def test_span_limit():
    gdf = grid(rows=2, cols=5, households=[100] * 10)
    result = propose_bundles(gdf, min_households=200, max_span_m=160, max_compounds=None)
    check(result, gdf, threshold=200, cap=None, span=160)
    assert len(result.bundles) == 5


def test_islands_and_small_components_get_reasons():
    gdf = tessellation(2, n=30, islands=2)
    result = propose_bundles(gdf, min_households=600)
    check(result, gdf, threshold=600)
    assert (result.reasons.loc[gdf.index[-2:]] == "isolated").all()
    small = propose_bundles(grid(households=[10] * 9), min_households=1000)
    assert (small.reasons == "below_threshold").all()
    assert len(small.bundles) == 0 and small.bundles.crs == gdf.crs


@pytest.mark.parametrize("seed", range(30))
def test_random_tessellations_hold_every_constraint(seed):
    rng = np.random.default_rng(seed)
    gdf = tessellation(seed, n=int(rng.integers(40, 400)), points=seed % 4 == 3)
    threshold = int(rng.integers(300, 1500))
    cap = [None, 5, 12, 40][seed % 4]
    span = [None, 600.0][seed % 2]
    result = propose_bundles(
        gdf,
        min_households=threshold,
        max_compounds=cap,
        max_span_m=span,
        within=["subdistrict", "community"][seed % 3 == 0],
        seed=seed,
    )
    check(result, gdf, threshold=threshold, cap=cap, span=span)
    if seed % 3 == 0:
        for bid in result.bundles.index:
            assert gdf.loc[result.labels == bid, "community"].nunique() == 1


@pytest.mark.parametrize("seed", [0, 1])
def test_same_result_whatever_row_order_or_index(seed):
    gdf = tessellation(seed + 20, n=150)
    base = propose_bundles(gdf, min_households=800, seed=seed)
    by_id = base.labels.set_axis(gdf["compound_id"])
    shuffled = gdf.sample(frac=1, random_state=seed)
    shuffled.index = [f"row-{k}" for k in range(len(gdf))]
    again = propose_bundles(shuffled, min_households=800, seed=seed)
    assert again.labels.set_axis(shuffled["compound_id"]).reindex(by_id.index).equals(by_id)
    assert again.reasons.index.equals(shuffled.index)
    pd.testing.assert_frame_equal(
        again.bundles.drop(columns="geometry"), base.bundles.drop(columns="geometry")
    )
    lonlat = propose_bundles(gdf.to_crs(4326), min_households=800, seed=seed)
    assert lonlat.labels.equals(base.labels)


def test_locked_and_excluded():
    gdf = tessellation(5, n=120, professional=0.0)
    locked = pd.Series(pd.NA, index=gdf.index, dtype="string")
    locked.iloc[[0, 1, 2]] = "青年路一期"
    exclude = pd.Series(False, index=gdf.index)
    exclude.iloc[[10, 11]] = True
    result = propose_bundles(gdf, min_households=700, locked=locked, exclude=exclude)
    check(result, gdf, threshold=700, locked=locked, exclude=exclude)
    assert result.bundles.loc["青年路一期", "locked"]
    assert result.bundles.loc["青年路一期", "compounds"] == 3
    assert result.quality()["locked_bundles"] == 1
    by_ids = propose_bundles(
        gdf, min_households=700, locked=locked, exclude=gdf["compound_id"].iloc[[10, 11]].tolist()
    )
    assert by_ids.labels.equals(result.labels)
    by_mask = propose_bundles(
        gdf, min_households=700, locked=locked, exclude=gdf.index.isin(gdf.index[[10, 11]])
    )
    assert by_mask.labels.equals(result.labels)
    with pytest.raises(InputError, match=f"has 2 flags for {len(gdf)} compounds"):
        propose_bundles(gdf, min_households=700, exclude=[True, False])
    with pytest.raises(InputError, match="both locked and excluded"):
        propose_bundles(gdf, min_households=700, locked=locked, exclude=["C0000"])
    with pytest.raises(InputError, match="unknown compound ids"):
        propose_bundles(gdf, min_households=700, exclude=["nope"])


def test_eligible_option():
    gdf = grid(households=[100] * 9)
    eligible = pd.Series([True] * 6 + [False] * 3, index=gdf.index)
    result = propose_bundles(gdf, min_households=300, eligible=eligible)
    check(result, gdf, threshold=300, eligible=eligible)
    assert result.labels.iloc[6:].isna().all() and result.reasons.iloc[6:].isna().all()


def test_barriers_keep_bundles_on_one_side():
    gdf = grid(rows=3, cols=4, households=[100] * 12)
    road = gpd.GeoSeries([LineString([(X0 + 215, Y0 - 50), (X0 + 215, Y0 + 400)])], crs=32649)
    result = propose_bundles(gdf, min_households=300, barriers=road)
    check(result, gdf, threshold=300)
    col = dict(zip(gdf["compound_id"], np.arange(12) % 4, strict=True))
    for ids in result.bundles["compound_ids"]:
        sides = {col[c] < 2 for c in ids.split(",")}
        assert len(sides) == 1


def test_prebuilt_graph_and_subdistrict_always_enforced():
    subs = ["甲", "甲", "乙"] * 3
    gdf = grid(subdistrict=subs, households=[100] * 9)
    from lianhu_geo.neighbors import neighbor_graph

    graph = neighbor_graph(gdf, within=None)
    graph.add_node("elsewhere")
    result = propose_bundles(gdf, min_households=200, graph=graph, within=None)
    check(result, gdf, threshold=200)
    assert not any(
        gdf["subdistrict"].iloc[a] != gdf["subdistrict"].iloc[b]
        for a, b in [(0, 2)]
        if result.labels.iloc[a] == result.labels.iloc[b]
    )
    graph.remove_node("C000")
    with pytest.raises(InputError, match="graph lacks"):
        propose_bundles(gdf, min_households=200, graph=graph)


def test_default_threshold_from_viability_and_margin():
    gdf = grid(households=[900] * 9)
    result = propose_bundles(gdf)
    assert result.min_households == ViabilityModel().min_households()
    check(result, gdf, threshold=result.min_households)
    expected = ViabilityModel().margin_yuan_month(result.bundles["households"])
    assert np.allclose(result.bundles["margin_yuan_month"], np.round(expected))
    cheap = propose_bundles(gdf, viability=ViabilityModel(fixed_cost_yuan_month=0.0))
    assert cheap.min_households == 1


def test_footprint_closes_lanes():
    gdf = grid(rows=1, cols=3, households=[100] * 3)
    result = propose_bundles(gdf, min_households=300)
    shape = to_metric(result.bundles).geometry.iloc[0]
    assert shape.geom_type == "Polygon"
    assert shape.area == pytest.approx(320 * 100)
    assert result.bundles["polsby_popper"].iloc[0] == pytest.approx(
        4 * np.pi * 32000 / (2 * 420) ** 2, rel=1e-3
    )


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"min_households": 0}, "min_households"),
        ({"min_households": 2500.5}, "min_households"),
        ({"max_compounds": 0}, "max_compounds"),
        ({"max_span_m": -5.0}, "max_span_m"),
        ({"eligible": "yes"}, "eligible"),
    ],
)
def test_bad_options(options, match):
    with pytest.raises(InputError, match=match):
        propose_bundles(grid(), **options)


def test_a_whole_float_threshold_is_a_threshold():
    gdf = grid()
    assert propose_bundles(gdf, min_households=300.0).labels.equals(
        propose_bundles(gdf, min_households=300).labels
    )


def test_does_not_modify_input():
    gdf = grid()
    before = gdf.copy()
    propose_bundles(gdf, min_households=300)
    assert gdf.equals(before)


def test_embedded_sample_bundles_old_courtyards_in_20_to_40():
    from lianhu_geo.sample import load_sample

    gdf = load_sample()
    result = propose_bundles(gdf)
    check(result, gdf, threshold=result.min_households)
    sizes = result.bundles["compounds"]
    assert len(sizes) > 0
    assert sizes.between(15, 40).mean() >= 0.8  # typically 20-40 courtyards
    assert 18 <= sizes.median() <= 40
    old = (gdf["management"] == "unmanaged") & gdf["old"].fillna(False).astype(bool)
    assert result.labels[old].notna().mean() > 0.6  # most unmanaged old courtyards
