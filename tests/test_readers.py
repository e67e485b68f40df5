import warnings

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from lianhu_geo import DataWarning, InputError, read_compounds
from lianhu_geo.compounds import REQUIRED_COLUMNS


def _table(**overrides):
    data = {
        "compound_id": ["A1", "A2"],
        "name": ["甲院", "乙院"],
        "subdistrict": ["北院门街道", "北院门街道"],
        "community": ["大麦市社区", "大麦市社区"],
        "households": ["120", "80"],
        "management": ["unmanaged", "professional"],
        "lon": ["108.940", "108.942"],
        "lat": ["34.262", "34.263"],
    }
    data.update(overrides)
    return pd.DataFrame(data)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_excel_writes(tmp_path, encoding):
    path = tmp_path / "compounds.csv"
    table = _table().rename(columns={"name": "小区名称", "households": "户数", "lon": "经度"})
    table.to_csv(path, index=False, encoding=encoding)
    compounds = read_compounds(path)
    assert list(compounds["name"]) == ["甲院", "乙院"]
    assert list(compounds["households"]) == [120, 80]
    assert compounds.crs.to_epsg() == 4326


def test_excel_with_chinese_headers(tmp_path):
    path = tmp_path / "compounds.xlsx"
    _table().rename(columns={"subdistrict": "街道", "community": "社区", "lat": "纬度"}).to_excel(
        path, index=False
    )
    compounds = read_compounds(path)
    assert list(compounds["subdistrict"]) == ["北院门街道"] * 2
    assert compounds.geometry.geom_type.tolist() == ["Point", "Point"]


def test_wkt_column(tmp_path):
    path = tmp_path / "compounds.csv"
    wkt = [
        "POLYGON ((108.940 34.262, 108.941 34.262, 108.941 34.263, 108.940 34.262))",
        "POINT (108.942 34.263)",
    ]
    _table(wkt=wkt).drop(columns=["lon", "lat"]).to_csv(path, index=False)
    compounds = read_compounds(path)
    assert compounds.geom_type.tolist() == ["Polygon", "Point"]


def test_bd09_gbk_spreadsheet_fixture(fixtures_dir):
    compounds = read_compounds(fixtures_dir / "points_bd09_gbk.csv", coords="bd09")
    assert list(compounds["compound_id"]) == ["P01", "P02", "P03", "P04"]
    assert compounds.loc[0, "build_year"] == 1982
    assert compounds["old"].tolist() == [True, False, True, True]  # derived from 建成年代
    assert compounds["management"].tolist() == ["unmanaged", "professional"] + ["unmanaged"] * 2
    # 劳动村小区: the map providers' own WGS84 for this BD-09 point
    assert compounds.geometry[0].distance(Point(108.908877, 34.270666)) < 0.5 / 111_000


@pytest.mark.parametrize("coords", ["gcj02", "bd09"])
def test_gis_layers_are_converted_vertex_by_vertex(tmp_path, grid3x3, coords):
    from lianhu_geo.coords import convert_coords

    lonlat = grid3x3.to_crs(4326)
    shifted = lonlat.set_geometry(convert_coords(lonlat.geometry, "wgs84", coords))
    path = tmp_path / "shifted.geojson"
    shifted.to_file(path)
    back = read_compounds(path, coords=coords)
    distances = back.to_crs(32649).geometry.hausdorff_distance(grid3x3.geometry)
    assert distances.max() < 0.5


def test_geopackage_and_shapefile_in_a_projected_crs_come_back_in_4326(tmp_path, grid3x3):
    grid3x3.to_file(tmp_path / "grid.gpkg")
    with warnings.catch_warnings():  # GDAL says it cuts compound_id to compound_i, ...
        warnings.simplefilter("ignore")
        grid3x3.to_file(tmp_path / "grid.shp")
    for name in ("grid.gpkg", "grid.shp"):
        compounds = read_compounds(tmp_path / name)
        assert compounds.crs.to_epsg() == 4326
        assert len(compounds) == 9
        assert compounds["willing_to_pay"].sum() == 3 and compounds["subdistrict"].notna().all()
        assert compounds.to_crs(32649).area.round().tolist() == [10_000.0] * 9


def test_projected_layer_refuses_chinese_coords(tmp_path, grid3x3):
    grid3x3.to_file(tmp_path / "grid.gpkg")
    with pytest.raises(InputError, match="projected CRS.*only applies to lon/lat"):
        read_compounds(tmp_path / "grid.gpkg", coords="bd09")


def test_every_row_is_kept_and_extra_columns_survive(tmp_path):
    path = tmp_path / "compounds.csv"
    _table(备注=["东门", "西门"]).to_csv(path, index=False)
    compounds = read_compounds(path)
    assert len(compounds) == 2 and list(compounds["备注"]) == ["东门", "西门"]
    assert list(compounds.columns[: len(REQUIRED_COLUMNS)]) == list(REQUIRED_COLUMNS)


def test_scraped_lianhu_points_all_inside_the_district(shared_data):
    with pytest.warns(DataWarning) as record:
        compounds = read_compounds(
            shared_data / "lianhu_compound_points_scraped.csv", coords="bd09"
        )
    messages = " ".join(str(w.message) for w in record)
    # the file has no ids, subdistricts, communities or management: said, not invented
    assert "compound id" in messages and "`subdistrict`" in messages
    assert "顺泽·自在城" in messages and "row 19" in messages  # a near duplicate, both rows named
    assert "`management`" in messages
    assert len(compounds) == 766
    assert compounds.geom_type.eq("Point").all()
    assert compounds["compound_id"].is_unique
    assert compounds["management"].isna().all() and compounds["subdistrict"].isna().all()
    boundary = gpd.read_file(shared_data / "lianhu_boundary.geojson")
    wgs84 = boundary[boundary["crs"].str.startswith("WGS84")].to_crs(32649).union_all()
    assert compounds.to_crs(32649).distance(wgs84).max() < 1.0


def test_unreadable_file_says_which(fixtures_dir):
    with pytest.raises(InputError, match=r"cannot read .*broken\.geojson.*complete"):
        read_compounds(fixtures_dir / "broken.geojson")


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_compounds(tmp_path / "nothing.csv")
    (tmp_path / "notes.docx").write_bytes(b"x")
    with pytest.raises(InputError, match="unknown file type '.docx'"):
        read_compounds(tmp_path / "notes.docx")


def test_table_without_location_lists_accepted_headers():
    with pytest.raises(InputError, match="no location.*经度.*纬度.*wkt"):
        read_compounds(_table().drop(columns=["lon", "lat"]))


def test_non_numeric_coordinates_name_rows():
    with pytest.raises(InputError, match=r"row 1, column lat: must be a number, found '北纬34'"):
        read_compounds(_table(lat=["34.262", "北纬34"]))


def test_bad_wkt_names_rows():
    table = _table(wkt=["POINT (108.94 34.26)", "POLYGON ((1 2"]).drop(columns=["lon", "lat"])
    with pytest.raises(InputError, match=r"row 1, column wkt: not valid WKT"):
        read_compounds(table)


def test_unknown_coordinate_system():
    with pytest.raises(InputError, match="coords='baidu'.*bd09"):
        read_compounds(_table(), coords="baidu")


def test_reading_does_not_touch_the_callers_table():
    table = _table()
    before = table.copy()
    read_compounds(table)
    pd.testing.assert_frame_equal(table, before)
