import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from lianhu_geo import coords
from lianhu_geo.errors import InputError

# Known points: (BD-09, GCJ-02, WGS84) triples of Lianhu compounds as published
# by the map providers' own converters (six decimals, about 0.1 m).
KNOWN = [
    ((108.909824, 34.25942), (108.903216, 34.25374), (108.898632, 34.255365)),
    ((108.92004, 34.274797), (108.91347, 34.269048), (108.908877, 34.270666)),
]
METRE_DEG = 1 / 111_000  # a metre in degrees of latitude, roughly


def test_forward_conversions_match_known_points():
    for bd, gcj, wgs in KNOWN:
        np.testing.assert_allclose(coords.wgs84_to_gcj02(*wgs), gcj, atol=0.5 * METRE_DEG)
        np.testing.assert_allclose(coords.gcj02_to_bd09(*gcj), bd, atol=0.5 * METRE_DEG)


def test_inverse_conversions_within_half_a_metre():
    for bd, gcj, wgs in KNOWN:
        np.testing.assert_allclose(coords.bd09_to_wgs84(*bd), wgs, atol=0.5 * METRE_DEG)
        np.testing.assert_allclose(coords.gcj02_to_wgs84(*gcj), wgs, atol=0.5 * METRE_DEG)
        np.testing.assert_allclose(coords.bd09_to_gcj02(*bd), gcj, atol=0.5 * METRE_DEG)


def test_round_trip_is_exact_over_xian_vectorised():
    rng = np.random.default_rng(0)
    lon = rng.uniform(108.8, 109.1, 10_000)
    lat = rng.uniform(34.1, 34.4, 10_000)
    back = coords.bd09_to_wgs84(*coords.wgs84_to_bd09(lon, lat))
    np.testing.assert_allclose(back, (lon, lat), atol=1e-6 * METRE_DEG * 1e3)


def test_outside_china_gcj02_is_wgs84():
    lon, lat = coords.wgs84_to_gcj02(2.35, 48.85)  # Paris
    assert (float(lon), float(lat)) == (2.35, 48.85)


def test_scraped_points_agree_with_their_own_columns(shared_data):
    data = pd.read_csv(shared_data / "lianhu_compound_points_scraped.csv")
    lon, lat = coords.bd09_to_wgs84(data.lon_bd09, data.lat_bd09)
    metres = np.hypot((lon - data.lon_wgs84) * 92_000, (lat - data.lat_wgs84) * 111_000)
    assert metres.max() < 0.5


def test_convert_coords_moves_every_vertex():
    square = Polygon([(108.94, 34.26), (108.95, 34.26), (108.95, 34.27), (108.94, 34.27)])
    [moved] = coords.convert_coords([square], "wgs84", "gcj02")
    shift = np.asarray(moved.exterior.coords) - np.asarray(square.exterior.coords)
    assert np.all(np.abs(shift) > 1e-3)  # GCJ-02 moves Xi'an by hundreds of metres
    [back] = coords.convert_coords([moved], "gcj02", "wgs84")
    assert back.equals_exact(square, 1e-8)


def test_convert_coords_rejects_unknown_system():
    with pytest.raises(
        InputError, match="`source` must be one of 'wgs84', 'gcj02', 'bd09'; got 'baidu'"
    ):
        coords.convert_coords([Point(108.9, 34.2)], "baidu")


def test_metric_crs_is_utm_49n_for_xian_and_by_location_elsewhere():
    xian = gpd.GeoSeries([Point(108.94, 34.26)], crs=4326)
    assert coords.metric_crs(xian).to_epsg() == 32649
    shanghai = gpd.GeoSeries([Point(121.47, 31.23)], crs=4326)
    assert coords.metric_crs(shanghai).to_epsg() == 32651


def test_metric_crs_remembered_by_zone_is_what_geopandas_estimates():
    # metric_crs asks PROJ once per UTM zone; any extent must still get geopandas' answer
    rng = np.random.default_rng(5)
    for _ in range(120):
        lon, lat = rng.uniform(-179, 177), rng.uniform(-79, 82)
        box = Polygon.from_bounds(lon, lat, lon + rng.uniform(0, 2), lat + rng.uniform(0, 1))
        data = gpd.GeoSeries([box], crs=4326)
        assert coords.metric_crs(data) == data.estimate_utm_crs(), (lon, lat)
    edge = gpd.GeoSeries([Point(108.0, 34.0), Point(108.0, 34.5)], crs=4326)  # a zone's edge
    assert coords.metric_crs(edge) == edge.estimate_utm_crs()


def test_to_metric_keeps_projected_data_and_index():
    data = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(428_000, 3_790_000)], crs=32649)
    data.index = ["x"]
    assert coords.to_metric(data).crs.to_epsg() == 32649
    lonlat = data.to_crs(4326)
    out = coords.to_metric(lonlat)
    assert out.crs.to_epsg() == 32649 and list(out.index) == ["x"]
    assert lonlat.crs.to_epsg() == 4326  # the caller's frame is untouched
