"""estimate_footprints: non-overlapping estimated areas for point-only compounds."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from bundle_fixtures import X0, Y0, make_compounds
from point_fixtures import shuffled_renamed, stacked_points
from shapely.geometry import LineString, Point, box

import lianhu_geo as lg
from lianhu_geo.errors import InputError
from lianhu_geo.footprints import DEFAULT_MAX_RADIUS_M, MIN_RADIUS_M, footprint_reason_label


def _overlap_pairs(geoms) -> list:
    geoms = np.asarray(geoms, dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    areas = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    return [(a, b) for a, b, x in zip(left[keep], right[keep], areas, strict=True) if x > 0.01]


def test_areas_do_not_overlap_and_hold_their_points():
    points = stacked_points()
    areas = lg.estimate_footprints(points)
    assert areas.index.equals(points.index)
    assert areas["footprint_estimated"].all() and areas["footprint_reason"].isna().all()
    geoms = areas.geometry.to_numpy()
    assert shapely.get_type_id(geoms).tolist() == [3] * len(points) or all(
        g.geom_type in ("Polygon", "MultiPolygon") for g in geoms
    )
    assert _overlap_pairs(geoms) == []
    pts = points.geometry.to_numpy()
    assert shapely.covers(geoms, pts).all()  # every compound's point is in its own area
    # and in no other compound's area, except on the shared point of a stack
    inside, holder = shapely.STRtree(geoms).query(pts, predicate="within")
    assert (inside == holder).all()


def test_stacked_points_share_their_cell_by_households():
    pts = [Point(X0, Y0)] * 3 + [Point(X0 + 500, Y0)]
    frame = make_compounds(pts, [100, 200, 100, 400])
    areas = lg.estimate_footprints(frame)
    a = areas.area.to_numpy()
    assert a[1] == pytest.approx(2 * a[0], rel=1e-3)
    assert a[0] == pytest.approx(a[2], rel=1e-3)
    # the spot pools its households: 400 households, as much as the lone compound
    assert a[:3].sum() == pytest.approx(a[3], rel=0.01)
    # the same wedges whatever the row order and ids
    other = lg.estimate_footprints(shuffled_renamed(frame))
    by_id = dict(zip(other["compound_id"], other.geometry, strict=True))
    for cid, geom in zip(areas["compound_id"], areas.geometry, strict=True):
        assert geom.symmetric_difference(by_id["id-" + cid]).area < 1e-3


def test_same_areas_under_shuffled_rows_and_renamed_ids():
    points = stacked_points(seed=4)
    a = lg.estimate_footprints(points)
    b = lg.estimate_footprints(shuffled_renamed(points))
    by_id = dict(zip(b["compound_id"], b.geometry, strict=True))
    for cid, geom in zip(a["compound_id"], a.geometry, strict=True):
        assert geom.symmetric_difference(by_id["id-" + cid]).area < 1e-3


def test_radius_from_households_and_given():
    far = [Point(X0 + 2000 * k, Y0) for k in range(3)]
    frame = make_compounds(far, [1, 400, 100_000])
    a = lg.estimate_footprints(frame).area.to_numpy()
    circle = np.pi * np.array([MIN_RADIUS_M, np.sqrt(400 * 60 / np.pi), DEFAULT_MAX_RADIUS_M]) ** 2
    assert a == pytest.approx(circle, rel=0.01)
    a = lg.estimate_footprints(frame, max_radius_m=30).area.to_numpy()
    assert a == pytest.approx(np.full(3, np.pi * 900), rel=0.01)
    with pytest.raises(InputError, match="max_radius_m"):
        lg.estimate_footprints(frame, max_radius_m=-5)


def test_boundary_barriers_and_surveyed_footprints():
    pts = [Point(X0, Y0), Point(X0 + 300, Y0), Point(X0 + 5000, Y0), Point(X0, Y0 + 300)]
    pts.append(box(X0 + 120, Y0 - 40, X0 + 200, Y0 + 40))  # a surveyed courtyard
    pts.append(Point(X0 + 150, Y0))  # a point inside it
    frame = make_compounds(pts, [300] * 6)
    boundary = gpd.GeoSeries([box(X0 - 1000, Y0 - 1000, X0 + 1000, Y0 + 1000)], crs=32649)
    road = gpd.GeoSeries([LineString([(X0 - 500, Y0 + 40), (X0 + 500, Y0 + 40)])], crs=32649)
    lake = gpd.GeoSeries([Point(X0, Y0 + 300).buffer(80)], crs=32649).to_crs(4326)
    areas = lg.estimate_footprints(
        frame, boundary=boundary, barriers=gpd.GeoSeries(list(road) + list(lake.to_crs(32649)),
                                                         crs=32649),
    )  # fmt: skip
    reason = areas["footprint_reason"].tolist()
    assert reason == [pd.NA, pd.NA, "outside_boundary", "inside_barrier", pd.NA, "inside_footprint"]
    assert areas["footprint_estimated"].tolist() == [True, True, False, False, False, False]
    first = areas.geometry.iloc[0]
    assert first.bounds[3] <= Y0 + 40 + 1e-6  # the road cuts it: nothing north of it
    assert first.intersection(areas.geometry.iloc[4]).area < 1e-6  # keeps off the survey
    assert areas.geometry.iloc[2].equals(pts[2]) and areas.geometry.iloc[4].equals(pts[4])
    assert footprint_reason_label("outside_boundary", "en").startswith("outside")
    assert _overlap_pairs(areas.geometry.to_numpy()) == []


def test_lonlat_input_comes_back_in_lonlat():
    points = stacked_points().to_crs(4326)
    areas = lg.estimate_footprints(points)
    assert areas.crs.to_epsg() == 4326
    assert areas.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()


def test_unknown_households_need_a_radius():
    frame = make_compounds([Point(X0, Y0), Point(X0 + 100, Y0)], [100, 100])
    frame["households"] = frame["households"].astype("Int64")
    frame.loc[1, "households"] = None
    with pytest.raises(InputError, match="C001"):
        lg.estimate_footprints(frame)


def test_a_scraped_list_without_planning_fields_gets_areas():
    frame = make_compounds([Point(X0, Y0), Point(X0 + 100, Y0)], [100, 100])
    frame = frame.drop(columns=["subdistrict", "management"])
    with pytest.warns(lg.DataWarning, match="subdistrict"):
        areas = lg.estimate_footprints(frame, max_radius_m=40)
    assert areas["footprint_estimated"].all() and areas["subdistrict"].isna().all()


def test_boundary_must_be_an_area():
    frame = make_compounds([Point(X0, Y0), Point(X0 + 100, Y0)], [100, 100])
    line = gpd.GeoSeries([LineString([(X0 - 50, Y0), (X0 + 50, Y0)])], crs=32649)
    with pytest.raises(InputError, match="boundary.*polygons.*LineString"):
        lg.estimate_footprints(frame, boundary=line)
