import numpy as np
import pytest
from lianhu_geo.quality import POINT_HULL_BUFFER_M, dissolve_footprints, polsby_popper, span_m
from shapely.geometry import MultiPolygon, Point, box


def test_polsby_popper_of_square_circle_and_empty():
    pp = polsby_popper([box(0, 0, 1, 1), Point(0, 0).buffer(1, quad_segs=64), Point(0, 0)])
    assert pp[0] == pytest.approx(np.pi / 4)
    assert pp[1] == pytest.approx(1, abs=1e-3)
    assert np.isnan(pp[2])


def test_span_uses_the_farthest_pair():
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 100, (50, 2))
    brute = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)).max()
    assert span_m(xy) == pytest.approx(brute)
    assert span_m([[1, 1]]) == 0.0


def test_dissolve_closes_lanes_keeps_groups_apart_and_handles_points():
    geoms = [
        box(0, 0, 10, 10),
        MultiPolygon([box(14, 0, 24, 10), box(28, 0, 38, 10)]),
        box(100, 0, 110, 10),
        Point(500, 500),
        Point(600, 500),
    ]
    out = dissolve_footprints(geoms, [0, 0, 1, 2, 2], 3, close_m=3)
    assert out[0].geom_type == "Polygon" and out[0].area == pytest.approx(380)
    assert out[1].equals(box(100, 0, 110, 10))
    assert out[2].area > 100 * 2 * POINT_HULL_BUFFER_M
    assert out[2].contains(Point(550, 500))
