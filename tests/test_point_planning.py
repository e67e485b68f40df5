"""Planning on points: one linking distance, bundles of at least two, standalone compounds."""

import numpy as np
import pytest
import shapely
from bundle_fixtures import X0, Y0, grid, make_compounds
from point_fixtures import shuffled_renamed, stacked_points
from shapely.geometry import Point

import lianhu_geo as lg
from lianhu_geo.errors import InputError


def _check_areas(points, labels, bundles):
    """No two bundle areas overlap; members inside their area; no non-member inside any."""
    geoms = bundles.to_crs(points.crs).geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    assert (overlap < 0.01).all(), "bundle areas overlap"
    pts = points.geometry.to_numpy()
    # to within a micrometre: shapes come back from the metric CRS in the input's CRS
    for bid, area in zip(bundles.index, geoms, strict=True):
        member = (labels == bid).fillna(False).to_numpy(dtype=bool)
        assert shapely.dwithin(area, pts[member], 1e-6).all(), f"{bid} misses a member"
        # a stack split between bundles shares one point, on the edge: never inside
        inside = shapely.within(pts[~member], area)
        deep = shapely.distance(pts[~member], shapely.boundary(area)) > 1e-6
        assert not (inside & deep).any(), f"{bid} covers a non-member"


def test_point_bundles_are_areas_that_never_overlap_or_cover_others():
    points = stacked_points(n=150)
    result = lg.propose_bundles(points, min_households=500)
    assert len(result.bundles) > 10
    assert result.bundles["footprint_estimated"].all()
    assert result.bundles.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    _check_areas(points, result.labels, result.bundles)
    counted = result.bundles["compound_ids"].str.split(",").explode()
    assert counted.is_unique and set(counted) <= set(points["compound_id"])


def test_interleaved_subdistricts_of_points_plan_as_one_map():
    """Subdistricts are bundled one by one, but points' areas and links are the whole map's."""
    points = stacked_points(n=150)
    x = shapely.get_coordinates(points.to_crs(32649).geometry.to_numpy())[:, 0]
    east = (x // 150).astype(int) % 2 == 0  # strips 150 m wide, alternating
    points = points.assign(
        subdistrict=np.where(east, "东", "西"), willing_to_pay=True, owners_committee=True
    )
    plan = lg.plan_coverage(points, min_households=500)
    assert set(plan.bundles["subdistrict"]) == {"东", "西"}
    _check_areas(points, plan.compounds["bundle_id"], plan.bundles)


def test_point_plans_ignore_row_order_and_ids():
    points = stacked_points(n=120, seed=7).assign(willing_to_pay=True, owners_committee=True)
    a = lg.plan_coverage(points, min_households=450)
    b = lg.plan_coverage(shuffled_renamed(points), min_households=450)
    members_a = {frozenset("id-" + i for i in s.split(",")) for s in a.bundles["compound_ids"]}
    members_b = {frozenset(s.split(",")) for s in b.bundles["compound_ids"]}
    assert members_a == members_b
    mode_a = dict(zip("id-" + a.compounds["compound_id"], a.compounds["service_mode"], strict=True))
    mode_b = dict(zip(b.compounds["compound_id"], b.compounds["service_mode"], strict=True))
    assert mode_a == mode_b
    area_a = sorted(a.bundles["area_m2"].tolist())
    assert area_a == sorted(b.bundles["area_m2"].tolist())


def test_a_bundle_is_a_group_and_a_big_compound_stands_alone():
    # a lone 900-household compound far away, and five 150-household ones in a row
    pts = [Point(X0 + 100 * k, Y0) for k in range(5)] + [Point(X0 + 5000, Y0)]
    frame = make_compounds(pts, [150] * 5 + [900])
    result = lg.propose_bundles(frame, min_households=300)
    assert (result.bundles["compounds"] >= 2).all()
    assert result.reasons.iloc[5] == "standalone"
    assert pd_na(result.labels.iloc[5])
    single = lg.propose_bundles(frame, min_households=300, min_compounds=1)
    assert not pd_na(single.labels.iloc[5]) and single.bundles["compounds"].min() == 1
    three = lg.propose_bundles(frame, min_households=300, min_compounds=3)
    assert (three.bundles["compounds"] >= 3).all()
    with pytest.raises(InputError, match="min_compounds"):
        lg.propose_bundles(frame, min_compounds=0)


def pd_na(value) -> bool:
    import pandas as pd

    return value is pd.NA


def test_standalone_is_a_service_mode_in_plan_summary_and_workbook(tmp_path):
    pts = [Point(X0 + 100 * k, Y0) for k in range(4)] + [Point(X0 + 5000, Y0)]
    frame = make_compounds(pts, [150] * 4 + [900], willing_to_pay=[False] * 5)
    frame["owners_committee"] = False
    plan = lg.plan_coverage(frame, min_households=300)
    row = plan.compounds.iloc[4]
    assert row["service_mode"] == "standalone"
    assert "900" in row["mode_reason"] and "单独选聘物业" in row["mode_reason"]
    assert "standalone" in lg.SERVICE_MODES and lg.MODE_LABELS["standalone"] == "单独选聘物业"
    total = plan.summary().loc["total"]
    assert total["standalone"] == 1 and total["covered"] == 5
    assert "单独选聘物业" in plan.summary(lang="zh").columns
    plan.to_file(tmp_path)
    back = lg.read_plan(tmp_path)
    assert back.compounds["service_mode"].tolist() == plan.compounds["service_mode"].tolist()
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "plan.xlsx", read_only=True)
    text = {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert "单独选聘物业" in text


def test_one_linking_distance_for_points_and_it_matters():
    points = stacked_points(n=100, seed=2)
    runs = {m: lg.propose_bundles(points, min_households=400, max_link_m=m) for m in (60, 250)}
    edges = {m: len(r._edges[1]) for m, r in runs.items()}
    assert edges[60] < edges[250]
    with pytest.raises(InputError, match="max_gap_m.*points.*max_link_m"):
        lg.propose_bundles(points, max_gap_m=300)
    with pytest.raises(InputError, match="max_gap_m.*points"):
        lg.plan_coverage(points, max_gap_m=40)
    with pytest.raises(InputError, match="max_link_m.*footprints"):
        lg.propose_bundles(grid(), max_link_m=100)
    with pytest.raises(InputError, match="max_link_m"):
        lg.propose_bundles(points, max_link_m=-1)


def test_areas_spans_and_compactness_come_from_estimated_areas():
    points = stacked_points(n=80, seed=5)
    result = lg.propose_bundles(points, min_households=400)
    areas = lg.estimate_footprints(points)
    by_id = dict(zip(areas["compound_id"], areas.area, strict=True))
    for ids, area in zip(result.bundles["compound_ids"], result.bundles["area_m2"], strict=True):
        assert area == pytest.approx(sum(by_id[i] for i in ids.split(",")), rel=1e-3)
    assert np.isfinite(result.bundles["polsby_popper"]).all()


def test_boundary_keeps_estimated_areas_inside_and_a_point_outside_adds_nothing():
    import geopandas as gpd
    from shapely.geometry import box

    pts = [Point(X0 + 100 * k, Y0) for k in range(4)] + [Point(X0 + 350, Y0 + 60)]
    frame = make_compounds(pts, [150] * 5)
    inside = box(X0 - 500, Y0 - 500, X0 + 320, Y0 + 40)
    boundary = gpd.GeoSeries([inside], crs=32649)
    result = lg.propose_bundles(frame, min_households=300, boundary=boundary)
    assert result.options["boundary"] is True
    shapes = result.bundles.geometry
    assert len(shapes) >= 2 and shapes.within(inside.buffer(1e-6)).all()
    member = result.labels.iloc[4]
    assert not pd_na(member)  # the point outside is still planned, its area adds nothing
    _check_areas(frame.iloc[:4], result.labels.iloc[:4], result.bundles)
