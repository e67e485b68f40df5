import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from lianhu_geo import DataWarning, InputError, read_compounds, validate_compounds
from lianhu_geo.compounds import ALIASES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS


def _compounds(n=3, **overrides):
    data = {
        "compound_id": [f"C{i:04d}" for i in range(n)],
        "name": [f"院{i}" for i in range(n)],
        "subdistrict": ["北院门街道"] * n,
        "community": ["大麦市社区"] * n,
        "households": [100 + i for i in range(n)],
        "management": ["unmanaged"] * n,
    }
    geometry = overrides.pop("geometry", [Point(108.94 + i / 1000, 34.26) for i in range(n)])
    data.update(overrides)
    return gpd.GeoDataFrame(data, geometry=geometry, crs=4326)


def test_valid_input_keeps_index_rows_and_types():
    data = _compounds()
    data.index = [30, 10, 20]
    out = validate_compounds(data)
    assert list(out.index) == [30, 10, 20]
    assert out["households"].dtype == "Int64"
    assert str(out["management"].dtype) == "string"
    assert data["households"].dtype == "int64"  # the caller's frame is untouched


def test_chinese_headers_and_management_spellings():
    data = _compounds(management=["失管", "专业物业", "无物业"]).rename(
        columns={"name": "小区名称", "subdistrict": "街道", "households": "户数"}
    )
    out = validate_compounds(data)
    assert list(out["management"]) == ["unmanaged", "professional", "unmanaged"]
    assert set(REQUIRED_COLUMNS) <= set(out.columns)


def test_empty_input():
    with pytest.raises(InputError, match="no compounds"):
        validate_compounds(_compounds().iloc[:0])


def test_missing_required_columns_list_aliases():
    data = _compounds().drop(columns=["households", "community"])
    with pytest.raises(
        InputError, match=r"`community` \(headers accepted: community, 社区.*`households`.*户数"
    ):
        validate_compounds(data)


def test_missing_columns_are_unknown_not_invented_when_reading():
    data = _compounds().drop(columns=["households"])
    with pytest.warns(DataWarning, match="lacks `households`"):
        out = validate_compounds(data, planning=False)
    assert out["households"].isna().all()
    with pytest.raises(InputError, match=r"`households` is unknown for rows C0000, C0001, C0002"):
        validate_compounds(out)


def test_duplicate_ids():
    with pytest.raises(InputError, match=r"unique; C0001 appear"):
        validate_compounds(_compounds(compound_id=["C0000", "C0001", "C0001"]))


@pytest.mark.parametrize(
    ("households", "match"),
    [
        (["100", "many", "3"], r"whole number; rows C0001 have 'many'"),
        ([100, -5, 3], r">= 0; rows C0001 have negative"),
        ([100, 5, 2.5], r"whole number; rows C0002 have fractions"),
    ],
)
def test_bad_households(households, match):
    with pytest.raises(InputError, match=match):
        validate_compounds(_compounds(households=households))


def test_unknown_management_values():
    with pytest.raises(InputError, match=r"rows C0002 have '物业代管'.*Accepted spellings"):
        validate_compounds(_compounds(management=["失管", "unmanaged", "物业代管"]))


def test_empty_geometries():
    geometry = [Point(108.94, 34.26), Point(), None]
    with pytest.raises(InputError, match=r"rows C0001, C0002 have no geometry"):
        validate_compounds(_compounds(geometry=geometry))


def test_wrong_geometry_type():
    geometry = [
        Point(108.94, 34.26),
        LineString([(108.94, 34.26), (108.95, 34.27)]),
        Point(108.9, 34.2),
    ]
    with pytest.raises(InputError, match=r"rows C0001 are LineString"):
        validate_compounds(_compounds(geometry=geometry))


def test_swapped_lon_lat():
    geometry = [Point(108.94, 34.26), Point(34.26, 108.94), Point(34.27, 108.95)]
    with pytest.raises(InputError, match=r"rows C0001, C0002 look like latitude/longitude swapped"):
        validate_compounds(_compounds(geometry=geometry))


def test_outside_china():
    geometry = [Point(108.94, 34.26), Point(2.35, 48.85), Point(108.9, 34.2)]
    with pytest.raises(InputError, match=r"rows C0001 lie outside China"):
        validate_compounds(_compounds(geometry=geometry))


def test_no_crs():
    with pytest.raises(InputError, match="no CRS"):
        validate_compounds(_compounds().set_crs(None, allow_override=True))


def test_invalid_polygons_are_repaired_named_and_kept(fixtures_dir):
    with pytest.warns(DataWarning, match=r"repaired invalid footprints of rows BT1"):
        out = read_compounds(fixtures_dir / "bowtie.geojson")
    assert len(out) == 2
    assert out.is_valid.all()
    assert out.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert out.to_crs(32649).area.iloc[0] == pytest.approx(5_000, rel=1e-3)


def test_booleans_in_chinese_and_bad_flags():
    out = validate_compounds(
        _compounds(sanwu=["是", "否", None], owners_committee=["有", "无", "1"])
    )
    assert out["sanwu"].tolist()[:2] == [True, False] and pd.isna(out["sanwu"].iloc[2])
    assert out["owners_committee"].tolist() == [True, False, True]
    with pytest.raises(InputError, match=r"`sanwu` must be yes/no; rows C0002 have '也许'"):
        validate_compounds(_compounds(sanwu=["是", "否", "也许"]))


def test_two_headers_for_one_column():
    data = _compounds().assign(户数=[1, 2, 3])
    with pytest.raises(InputError, match=r"`households` from headers 'households', '户数'"):
        validate_compounds(data)


def test_columns_mapping_wins():
    data = _compounds().rename(columns={"households": "居住户数合计"})
    out = validate_compounds(data, columns={"居住户数合计": "households"})
    assert out["households"].tolist() == [100, 101, 102]


def test_old_is_derived_from_build_year_only_when_absent():
    out = validate_compounds(_compounds(build_year=["1985年", "2003", None]))
    assert out["old"].tolist()[:2] == [True, False] and pd.isna(out["old"].iloc[2])
    kept = validate_compounds(_compounds(build_year=[1985, 2003, 1990], old=[False, False, False]))
    assert not kept["old"].any()


def test_documented_columns_all_have_aliases():
    assert set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS) <= set(ALIASES)


def test_polygons_in_a_projected_crs_are_checked_in_lon_lat():
    square = Polygon([(428_000, 3_790_000), (428_100, 3_790_000), (428_100, 3_790_100)])
    out = validate_compounds(_compounds(1, geometry=[square]).set_crs(32649, allow_override=True))
    assert out.crs.to_epsg() == 32649
