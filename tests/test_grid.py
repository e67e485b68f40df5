import json
import types
import warnings

import geopandas as gpd
import networkx as nx
import pandas as pd
import pytest
from _grid_fixtures import compounds, tables
from hypothesis import given, settings
from hypothesis import strategies as st

from lianhu_geo.errors import DataWarning, InputError
from lianhu_geo.grid import LEVELS, GridError, NeighborhoodGrid, build_grid


@pytest.fixture(scope="module")
def grid() -> NeighborhoodGrid:
    return build_grid(compounds())


def _level(graph, node):
    return LEVELS.index(graph.nodes[node]["level"])


def assert_tree(grid: NeighborhoodGrid) -> None:
    graph = grid.graph
    assert nx.is_arborescence(graph)
    assert graph.nodes[grid.root]["level"] == "district"
    for parent, child in graph.edges:
        assert _level(graph, child) == _level(graph, parent) + 1
    for node, attrs in graph.nodes(data=True):
        assert attrs["level"] in LEVELS
        assert node.startswith(attrs["level"] + ":")
        assert "name" in attrs and "estimated" in attrs and "subdistrict" in attrs
        assert "households" in attrs
        children = list(graph.successors(node))
        if children:
            assert attrs["households"] == sum(graph.nodes[c]["households"] for c in children)
    grid.validate()


def test_tree_from_counts(grid):
    assert_tree(grid)
    assert grid.root == "district:莲湖区"
    data = compounds()
    per_compound = grid.aggregate("households", level="compound")
    pairs = zip(data["compound_id"], data["households"], strict=True)
    expected = {f"compound:{c}": h for c, h in pairs}
    assert per_compound.to_dict() == expected
    assert grid.graph.nodes[grid.root]["households"] == data["households"].sum()
    for cid, b, u in zip(data["compound_id"], data["buildings"], data["units"], strict=True):
        node = grid.graph.nodes[f"compound:{cid}"]
        assert (node["buildings"], node["units"]) == (b, u)
    generated = [d for _, d in grid.graph.nodes(data=True) if d["level"] in LEVELS[3:]]
    assert generated and all(d["estimated"] for d in generated)


def test_households_spread_evenly(grid):
    units = grid.node_frame("unit")
    for _, group in units.groupby(units.index.str.rsplit("-", n=2).str[0]):
        assert group["households"].max() - group["households"].min() <= 1


def test_zero_household_compound_is_a_leaf(grid):
    assert list(grid.graph.successors("compound:LH0010")) == []


def test_same_grid_whatever_the_row_order(grid):
    shuffled = build_grid(compounds().sample(frac=1, random_state=3))
    assert list(shuffled.graph.nodes(data=True)) == list(grid.graph.nodes(data=True))
    assert list(shuffled.graph.edges) == list(grid.graph.edges)
    assert shuffled.to_json() == grid.to_json()


def test_input_not_modified():
    data = compounds(complete=False)
    before = data.copy()
    with pytest.warns(DataWarning):
        build_grid(data)
    pd.testing.assert_frame_equal(data, before)


def test_missing_counts_use_defaults_and_warn():
    with pytest.warns(DataWarning, match="LH0006, LH0007") as record:
        grid = build_grid(compounds(complete=False))
    assert "LH0002" in str(record[0].message)
    assert_tree(grid)
    node = grid.graph.nodes["compound:LH0006"]  # 640 households, nothing else known
    assert node["units"] == 54 and node["buildings"] == 18
    assert grid.graph.nodes["compound:LH0002"]["units"] == 30  # 10 buildings x 3


def test_stop_at_unit_keeps_counts_only(grid):
    coarse = build_grid(compounds(), stop_at="unit")
    assert_tree(coarse)
    assert "household" not in coarse.counts()
    full = grid.aggregate("households", level="unit")
    assert coarse.aggregate("households", level="unit").equals(full)
    assert coarse.counts()["unit"] == grid.counts()["unit"]
    with pytest.raises(InputError, match="stop_at"):
        build_grid(compounds(), stop_at="street")


@pytest.mark.parametrize("stop_at", ["compound", "building"])
def test_stop_at_upper_levels(stop_at):
    coarse = build_grid(compounds(), stop_at=stop_at)
    assert_tree(coarse)
    assert list(coarse.counts().index)[-1] == stop_at
    assert coarse.graph.nodes["compound:LH0002"]["units"] == 40


def test_given_tables():
    buildings, units, households = tables()
    grid = build_grid(compounds(), buildings=buildings, units=units, households=households)
    assert_tree(grid)
    graph = grid.graph
    assert sorted(graph.successors("compound:LH0001")) == ["building:B1-1", "building:B1-2"]
    assert not graph.nodes["building:B1-1"]["estimated"]
    assert graph.nodes["building:B1-1"]["units"] == 17  # generated: 200 / 12 per unit
    assert all(graph.nodes[u]["estimated"] for u in graph.successors("building:B1-1"))
    assert list(graph.successors("building:B1-2")) == ["unit:B1-2-a", "unit:B1-2-b"]
    listed = list(graph.successors("unit:B3-1-1"))
    assert listed == [f"household:B3-1-1-{k:02d}" for k in range(12)]
    assert not any(graph.nodes[h]["estimated"] for h in listed)
    assert graph.nodes["compound:LH0003"]["households"] == 36
    # compounds without rows in the tables are generated
    assert graph.nodes["building:LH0002-01"]["estimated"]


def test_tables_that_disagree_warn():
    buildings, _, _ = tables()
    buildings.loc[0, "households"] = 40
    with pytest.warns(DataWarning, match=r"LH0003 \(36 reported, 40"):
        grid = build_grid(compounds(), buildings=buildings)
    assert grid.graph.nodes["compound:LH0003"]["households"] == 40
    assert grid.graph.nodes["compound:LH0003"]["households_reported"] == 36
    grid.validate()


def test_households_keep_no_personal_data():
    buildings, units, households = tables()
    households["phone"] = "13800000000"
    with pytest.warns(DataWarning, match="phone"):
        grid = build_grid(compounds(), buildings=buildings, units=units, households=households)
    values = [str(v) for _, d in grid.graph.nodes(data=True) for v in d.values()]
    assert "13800000000" not in values


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda b, u, h: (b.assign(compound_id="LH9999"), u, h), "LH9999"),
        (lambda b, u, h: (b.assign(building_id="X"), None, None), "must be unique.*X"),
        (lambda b, u, h: (None, u, None), "needs a `buildings` table"),
        (lambda b, u, h: (b, u.assign(building_id="nope"), h), "nope"),
        (lambda b, u, h: (b.assign(units=-1), u, h), "whole number >= 0"),
        (lambda b, u, h: (b.drop(columns="building_id"), u, h), "`building_id`"),
    ],
)
def test_bad_tables_name_rows(change, match):
    b, u, h = change(*tables())
    with pytest.raises(InputError, match=match):
        build_grid(compounds(), buildings=b, units=u, households=h)


def test_zones_from_planner():
    data = compounds()
    zones = pd.Series("Z1", index=data.index)
    zones[data["compound_id"] == "LH0004"] = pd.NA
    grid = build_grid(data, zones=zones, stop_at="compound")
    assert sorted(grid.graph.successors(grid.root)) == ["zone:Z1", "zone:社区丙"]
    assert grid.graph.nodes["zone:Z1"]["compounds"] == 7
    assert grid.graph.nodes["zone:Z1"]["subdistrict"] == "北院门街道"  # most households
    by_column = build_grid(data.assign(zone=zones), zones="zone", stop_at="compound")
    assert list(by_column.graph.edges) == list(grid.graph.edges)
    with pytest.raises(InputError, match="no column"):
        build_grid(data, zones="nope")


def _plan():
    data = compounds()
    bundled = data["compound_id"].isin(["LH0001", "LH0003", "LH0006"])
    data["bundle_id"] = pd.Series(pd.NA, index=data.index, dtype="string")
    data.loc[bundled, "bundle_id"] = "B001"
    data["service_mode"] = "bundle"
    data.loc[~bundled, "service_mode"] = "on_demand"
    data.loc[data["management"] == "professional", "service_mode"] = "professional"
    bundles = pd.DataFrame(
        {"name": ["北院门一片区"], "property_company": ["甲物业"]},
        index=pd.Index(["B001"], name="bundle_id"),
    )
    return types.SimpleNamespace(compounds=data, bundles=bundles)


def test_zones_from_a_plan():
    grid = build_grid(_plan())
    assert_tree(grid)
    zone = grid.graph.nodes["zone:B001"]
    assert (zone["name"], zone["zone_kind"], zone["compounds"]) == ("北院门一片区", "bundle", 3)
    assert grid.graph.nodes["compound:LH0006"]["bundle_company"] == "甲物业"
    assert grid.path("compound:LH0001")[1] == "zone:B001"
    assert grid.graph.nodes["zone:社区乙"]["zone_kind"] == "community"


def test_real_coverage_plan():
    from lianhu_geo import coverage

    plan_type = getattr(coverage, "CoveragePlan", None)
    if plan_type is None:
        pytest.skip("lianhu_geo.coverage has no CoveragePlan yet")
    plan_func = getattr(coverage, "plan_coverage", None)
    if plan_func is None:
        pytest.skip("no plan_coverage function to make a plan with")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        plan = plan_func(compounds())
        grid = build_grid(plan)
    assert all(issubclass(w.category, UserWarning) for w in record)
    assert_tree(grid)
    bundled = plan.compounds["bundle_id"].dropna()
    for idx, bundle in bundled.items():
        cid = plan.compounds.at[idx, "compound_id"]
        assert grid.path(f"compound:{cid}")[1] == f"zone:{bundle}"


def test_path_subtree_subdistrict(grid):
    path = grid.path("household:LH0001-02-1-003")
    assert [grid.graph.nodes[n]["level"] for n in path] == list(reversed(LEVELS))
    assert path[-2] == "zone:社区甲"
    sub = grid.subtree("LH0005")
    assert nx.is_arborescence(sub) and sub.nodes["compound:LH0005"]["households"] == 48
    assert sum(1 for _, lvl in sub.nodes(data="level") if lvl == "household") == 48
    part = grid.subdistrict("青年路街道")
    assert_tree(part)
    assert part.graph.nodes[part.root]["households"] == 95 + 7
    assert set(part.compounds["compound_id"]) == {"LH0004", "LH0007", "LH0010"}
    assert grid.graph.nodes[grid.root]["households"] == 2326  # the original is untouched
    with pytest.raises(InputError, match="北院门街道"):
        grid.subdistrict("土门街道")
    with pytest.raises(GridError, match="nope"):
        grid.path("household:nope")


def test_aggregate_any_attribute(grid):
    copy = build_grid(compounds(), stop_at="building")
    for node, level in copy.graph.nodes(data="level"):
        if level == "building":
            copy.graph.nodes[node]["staff"] = 2
    staff = copy.aggregate("staff")
    assert staff["district:莲湖区"] == 2 * copy.counts()["building"]
    assert staff["compound:LH0002"] == 20
    zones = grid.aggregate("households", level="zone")
    assert zones.sum() == grid.graph.nodes[grid.root]["households"]
    with pytest.raises(InputError, match="numeric"):
        grid.aggregate("nothing")


def _fresh():
    return build_grid(compounds(), stop_at="unit")


def test_validate_names_what_is_wrong():
    bad = _fresh()
    bad.graph.nodes["unit:LH0001-01-1"]["households"] += 5
    with pytest.raises(GridError, match="building:LH0001-01"):
        bad.validate()
    bad = _fresh()
    bad.graph.add_edge("zone:社区甲", "building:LH0002-01")
    with pytest.raises(GridError, match="more than one parent.*LH0002-01"):
        bad.validate()
    bad = _fresh()
    bad.graph.remove_edge("building:LH0002-01", "unit:LH0002-01-1")
    bad.graph.add_edge("compound:LH0002", "unit:LH0002-01-1")
    with pytest.raises(GridError, match="one level down: compound:LH0002 -> unit:LH0002-01-1"):
        bad.validate()
    bad = _fresh()
    bad.graph.nodes["compound:LH0004"]["level"] = "courtyard"
    with pytest.raises(GridError, match="compound:LH0004"):
        bad.validate()


def test_to_json_nested_and_deterministic(grid):
    tree = json.loads(grid.to_json())
    assert tree["id"] == grid.root and tree["households"] == 2326
    zone = tree["children"][0]
    compound = zone["children"][0]
    building = compound["children"][0]
    assert [zone["level"], compound["level"], building["level"]] == ["zone", "compound", "building"]
    assert all("children" not in u for u in building["children"])  # stops at units
    ids = [c["id"] for c in zone["children"]]
    assert ids == sorted(ids)
    assert sum(z["households"] for z in tree["children"]) == tree["households"]
    assert grid.to_json() == build_grid(compounds()).to_json()


def test_to_frames(grid):
    frames = grid.to_frames()
    assert list(frames) == ["zone", "compound", "building", "unit"]
    for frame in frames.values():
        assert frame.crs.to_epsg() == 4326
        assert frame.geometry.notna().all() and frame.index.is_unique
    assert len(frames["zone"]) == 3 and len(frames["compound"]) == 8
    assert frames["zone"]["households"].sum() == 2326
    metric = frames["building"].to_crs(32649)
    outline = compounds().set_index("compound_id").geometry
    polygonal = metric[metric["compound_id"] != "LH0010"]
    for node, row in polygonal.iterrows():
        shape = outline[row["compound_id"]]
        if shape.geom_type != "Point":
            assert shape.contains(row.geometry), node
    assert metric.geometry.is_valid.all()
    assert not metric.geometry.duplicated().any()


def test_to_frames_keeps_footprints():
    buildings, units, households = tables()
    grid = build_grid(compounds(), buildings=buildings, units=units, households=households)
    frame = grid.to_frames(levels=["building"])["building"]
    assert frame.loc["building:B1-1"].geometry.geom_type == "Polygon"
    assert frame.loc["building:B1-2"].geometry.geom_type == "Point"


def test_sample_grid():
    from lianhu_geo import load_sample

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        sample = load_sample()
        grid = build_grid(sample, stop_at="unit")
    assert all(issubclass(w.category, DataWarning) for w in record)
    assert isinstance(sample, gpd.GeoDataFrame)
    assert_tree(grid)
    assert grid.counts()["compound"] == len(sample)
    per_compound = grid.aggregate("households", level="compound")
    assert per_compound.sum() == sample["households"].sum()
    report = grid.report()
    assert set(sample["subdistrict"]) <= set(report["subdistrict"])


def test_numeric_ids_and_index():
    data = compounds()
    data["compound_id"] = [int(c[2:]) for c in data["compound_id"]]
    grid = build_grid(data.reset_index(drop=True))
    assert_tree(grid)
    ids = list(grid.graph.successors("zone:社区甲"))
    assert ids == ["compound:1", "compound:3", "compound:6"]
    assert "building:10-01" not in grid.graph  # LH0010 has no buildings
    assert grid.graph.nodes["building:2-10"]["households"] == 120
    with pytest.raises(InputError, match="index must be unique.*1"):
        build_grid(data.set_axis([1] * len(data)))


def test_subdistrict_zone_is_labelled_with_it():
    zones = pd.Series("Z1", index=compounds().index)
    part = build_grid(compounds(), zones=zones, stop_at="compound").subdistrict("青年路街道")
    assert part.graph.nodes["zone:Z1"]["subdistrict"] == "青年路街道"
    assert part.graph.nodes["zone:Z1"]["households"] == 102


def test_graph_is_a_plain_networkx_digraph(grid):
    # the builder writes networkx's dicts directly; it must equal the public-API graph
    graph = grid.graph
    public = nx.DiGraph(**graph.graph)
    public.add_nodes_from(graph.nodes(data=True))
    public.add_edges_from(graph.edges(data=True))
    assert nx.utils.graphs_equal(graph, public)
    assert list(public.nodes) == list(graph.nodes)
    assert dict(graph.in_degree(["unit:LH0001-01-1", grid.root])) == {
        "unit:LH0001-01-1": 1,
        grid.root: 0,
    }
    copy = graph.copy()
    copy.remove_node("compound:LH0004")
    assert "unit:LH0004-01-1" in copy and not nx.is_arborescence(copy)
    assert nx.is_arborescence(graph)


def test_counts_that_do_not_fit_together_warn():
    data = compounds()
    data.loc[data["compound_id"] == "LH0004", "buildings"] = 0  # 7 households, 1 unit
    data.loc[data["compound_id"] == "LH0005", "units"] = 2  # 3 buildings
    with pytest.warns(DataWarning, match="LH0004, LH0005"):
        grid = build_grid(data, stop_at="unit")
    assert_tree(grid)
    assert grid.graph.nodes["compound:LH0004"]["buildings"] == 1
    assert grid.graph.nodes["compound:LH0005"]["units"] == 3


_count = st.one_of(st.none(), st.integers(min_value=0, max_value=12))


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=250), _count, _count), min_size=1, max_size=5
    )
)
def test_any_counts_give_a_valid_tree(rows):
    data = compounds().iloc[: len(rows)].copy()
    data["households"] = [h for h, _, _ in rows]
    data["buildings"] = pd.array([b for _, b, _ in rows], dtype="Int64")
    data["units"] = pd.array([u for _, _, u in rows], dtype="Int64")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        grid = build_grid(data)
    assert all(issubclass(w.category, DataWarning) for w in record)
    assert_tree(grid)
    households = grid.aggregate("households", level="compound")
    assert households.sum() == sum(h for h, _, _ in rows)
