"""Stations, cadres and companies tables: Chinese headers, readers, named errors, the sample."""

from __future__ import annotations

import pandas as pd
import pytest

from lianhu_geo import (
    InputError,
    load_sample,
    load_sample_cadres,
    load_sample_companies,
    load_sample_stations,
    read_cadres,
    read_companies,
    read_stations,
    validate_cadres,
    validate_companies,
    validate_stations,
)


def test_cadres_from_a_chinese_csv_in_bd09(tmp_path):
    path = tmp_path / "院长.csv"
    pd.DataFrame(
        {
            "干部编号": ["K1", "K2"],
            "姓名": ["王芳", "李强"],
            "级别": ["区级", "街道"],
            "所属街道": [None, "北院门街道"],
            "每月最多走访次数": ["", "12"],
            "经度": [108.9509, 108.94],
            "纬度": [34.2662, 34.26],
        }
    ).to_csv(path, index=False, encoding="gb18030")
    cadres = read_cadres(path, coords="bd09")
    assert cadres["level"].tolist() == ["district", "subdistrict"]
    assert cadres["max_visits"].tolist()[1] == 12 and pd.isna(cadres["max_visits"].iloc[0])
    assert round(cadres.geometry.x.iloc[0], 3) == 108.940  # BD-09 -> WGS84


def test_cadre_errors_name_rows_and_fix():
    base = {
        "cadre_id": ["K1", "K1"],
        "name": ["a", "b"],
        "level": ["district"] * 2,
        "lon": [108.9, 108.9],
        "lat": [34.2, 34.2],
    }
    with pytest.raises(InputError, match="unique.*K1"):
        validate_cadres(pd.DataFrame(base))
    with pytest.raises(InputError, match="level.*K2.*'boss'"):
        validate_cadres(
            pd.DataFrame({**base, "cadre_id": ["K1", "K2"], "level": ["district", "boss"]})
        )
    with pytest.raises(InputError, match="K2 have no `subdistrict`"):
        validate_cadres(
            pd.DataFrame({**base, "cadre_id": ["K1", "K2"], "level": ["district", "subdistrict"]})
        )
    with pytest.raises(InputError, match="max_visits.*K2"):
        validate_cadres(pd.DataFrame({**base, "cadre_id": ["K1", "K2"], "max_visits": ["4", "-1"]}))
    with pytest.raises(InputError, match="no location"):
        validate_cadres(pd.DataFrame({k: v for k, v in base.items() if k not in ("lon", "lat")}))
    with pytest.raises(InputError, match="outside China"):
        validate_cadres(pd.DataFrame({**base, "cadre_id": ["K1", "K2"], "lon": [2.3, 108.9]}))


def test_stations_by_compound_or_place(tmp_path):
    compounds = load_sample()
    stations = validate_stations(
        pd.DataFrame(
            {
                "站点编号": ["S1", "S2"],
                "小区编号": ["LH0002", None],
                "经度": [None, 108.93],
                "纬度": [None, 34.27],
            }
        ),
        compounds,
    )
    expected = compounds.representative_point()[1]
    assert stations.geometry.iloc[0].equals_exact(expected, 1e-9)
    with pytest.raises(InputError, match="S2 have no location"):
        validate_stations(
            pd.DataFrame({"station_id": ["S1", "S2"], "compound_id": ["LH0002", None]}), compounds
        )
    path = tmp_path / "stations.xlsx"
    pd.DataFrame({"服务站编号": ["S9"], "所在小区编号": ["LH0010"]}).to_excel(path, index=False)
    assert read_stations(path, compounds)["compound_id"].tolist() == ["LH0010"]


def test_company_service_types_and_capacity():
    firms = validate_companies(
        pd.DataFrame(
            {
                "企业编号": ["P1", "P2"],
                "企业名称": ["甲", "乙"],
                "服务类型": ["保安，物业", "绿化"],
                "承接能力(户)": ["1,200", None],
                "资质": ["一级", None],
            }
        )
    )
    assert firms["service_types"].tolist() == ["property,security", "greening"]
    assert firms["capacity_households"].tolist()[0] == 1200
    with pytest.raises(InputError, match="service_types.*P2"):
        validate_companies(
            pd.DataFrame(
                {
                    "company_id": ["P1", "P2"],
                    "name": ["甲", "乙"],
                    "service_types": ["property", "plumbing"],
                }
            )
        )
    assert len(read_companies(firms.drop(columns="geometry"))) == 2


def test_sample_tables_in_lianhu_proportions():
    compounds = load_sample()
    stations, cadres, firms = load_sample_stations(), load_sample_cadres(), load_sample_companies()
    assert len(stations) == 504 and stations["compound_id"].is_unique
    assert set(stations["compound_id"]) <= set(compounds["compound_id"])
    assert 400 <= len(cadres) <= 450
    assert len(firms) == 168
    managers = set(compounds["property_company"].dropna())
    assert managers <= set(firms["name"])
    assert firms["service_types"].str.contains("cleaning").sum() >= 5
    assert firms["service_types"].str.contains("security").sum() >= 5
    for table in (stations, cadres, firms):
        assert table["synthetic"].all()
        assert table.attrs["source"].startswith("SYNTHETIC")
