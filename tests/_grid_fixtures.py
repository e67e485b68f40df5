"""Hand-made compounds for the grid tests (EPSG:32649, unsorted rows)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Point, box

X0, Y0 = 300_000, 3_790_000  # central Xi'an in UTM 49N


def square(i: int, j: int, size: float = 120.0) -> object:
    x, y = X0 + i * 200, Y0 + j * 200
    return box(x, y, x + size, y + size)


def compounds(*, complete: bool = True) -> gpd.GeoDataFrame:
    """Eight compounds in two subdistricts and three communities."""
    rows = [
        # id, name, subdistrict, community, households, management, buildings, units
        ("LH0007", "七院", "青年路街道", "社区丙", 95, "unmanaged", 2, 5),
        ("LH0001", "一院", "北院门街道", "社区甲", 300, "unmanaged", 6, 17),
        ("LH0003", "三院", "北院门街道", "社区甲", 36, "unmanaged", 1, 3),
        ("LH0010", "十院", "青年路街道", "社区丙", 0, "unmanaged", 0, 0),
        ("LH0002", "二院", "北院门街道", "社区乙", 1200, "professional", 10, 40),
        ("LH0005", "五院", "北院门街道", "社区乙", 48, "unmanaged", 3, 4),
        ("LH0004", "四院", "青年路街道", "社区丙", 7, "unmanaged", 1, 1),
        ("LH0006", "六院", "北院门街道", "社区甲", 640, "unmanaged", 4, 12),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "compound_id",
            "name",
            "subdistrict",
            "community",
            "households",
            "management",
            "buildings",
            "units",
        ],
        index=[70, 10, 30, 100, 20, 50, 40, 60],
    )
    frame["property_company"] = [None, None, None, None, "莲湖物业", None, None, None]
    geometry = [
        square(6, 0),
        square(0, 0),
        square(2, 0),
        Point(X0 + 2000, Y0 + 2000),
        MultiPolygon([square(1, 0, 60), square(1, 1, 60)]),
        square(4, 0),
        square(3, 0),
        square(5, 0),
    ]
    if not complete:
        frame["buildings"] = frame["buildings"].astype("Int64")
        frame["units"] = frame["units"].astype("Int64")
        frame.loc[[60, 20], "units"] = pd.NA
        frame.loc[[60, 70], "buildings"] = pd.NA
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:32649")


def tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Buildings of LH0001 and LH0003 (footprints for two), units of two buildings."""
    buildings = gpd.GeoDataFrame(
        {
            "compound_id": ["LH0003", "LH0001", "LH0001"],
            "building_id": ["B3-1", "B1-2", "B1-1"],
            "households": [36, 100, 200],
            "units": [3, 2, None],
        },
        geometry=[square(2, 0, 30), None, box(X0 + 10, Y0 + 10, X0 + 40, Y0 + 50)],
        crs="EPSG:32649",
    )
    units = pd.DataFrame(
        {
            "building_id": ["B1-2", "B1-2", "B3-1", "B3-1", "B3-1"],
            "unit_id": ["B1-2-a", "B1-2-b", "B3-1-1", "B3-1-2", "B3-1-3"],
            "households": [50, 50, 12, 12, 12],
        }
    )
    households = pd.DataFrame(
        {
            "unit_id": ["B3-1-1"] * 12,
            "household_id": [f"B3-1-1-{k:02d}" for k in range(12)],
        }
    )
    return buildings, units, households
