"""Names every doctest of lianhu_geo can use (pytest's ``doctest_namespace``).

Doctests show the public API on small, hand-built data; the data come from
here rather than from private helpers of the package.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

import lianhu_geo

# pyarrow is installed for the tests (lianhu_geo[arrow] reads GIS layers through Arrow), and
# pandas would then keep every new text column in Arrow storage, which cannot hold the lone
# surrogates that the hostile-input tests build. The suite runs with the text storage pandas
# has without pyarrow; tests/test_arrow_read.py reads under Arrow storage on purpose.
pd.set_option("mode.string_storage", "python")


def three_compounds() -> gpd.GeoDataFrame:
    """Three compounds in Xi'an (EPSG:32649): two unmanaged, one professional, survey known."""
    x0, y0 = 350_000, 3_792_000
    return gpd.GeoDataFrame(
        {
            "compound_id": ["C1", "C2", "C3"],
            "name": ["甲院", "乙院", "丙院"],
            "subdistrict": ["青年路街道"] * 3,
            "community": ["社区一"] * 3,
            "households": [120, 80, 300],
            "management": ["unmanaged", "unmanaged", "professional"],
            "willing_to_pay": [True, False, True],
            "owners_committee": [False, True, True],
        },
        geometry=[box(x0 + x, y0, x0 + x + 50, y0 + 50) for x in (0, 60, 120)],
        crs=32649,
    )


def two_compounds() -> gpd.GeoDataFrame:
    """Two compounds of one community with buildings and units counted (for the grid)."""
    return gpd.GeoDataFrame(
        {
            "compound_id": ["C2", "C1"],
            "name": ["乙院", "甲院"],
            "subdistrict": ["北院门街道", "北院门街道"],
            "community": ["社区A", "社区A"],
            "households": [18, 12],
            "management": ["unmanaged", "unmanaged"],
            "buildings": [2, 1],
            "units": [3, 2],
        },
        geometry=[box(300000, 3790000, 300080, 3790060), box(300100, 3790000, 300150, 3790050)],
        crs="EPSG:32649",
    )


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict) -> None:
    doctest_namespace["lg"] = lianhu_geo
    doctest_namespace["three_compounds"] = three_compounds
    doctest_namespace["two_compounds"] = two_compounds
