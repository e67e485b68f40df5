"""Shared fixtures: the hand-built shapes in ``fixtures/`` and the shared data."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
# beside the checkout; LIANHU_SHARED_DATA points elsewhere (a worktree in a subfolder)
SHARED_DATA = Path(os.environ.get("LIANHU_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared reference data is not beside this checkout ({SHARED_DATA})")
    return SHARED_DATA


@pytest.fixture
def grid3x3() -> gpd.GeoDataFrame:
    """Nine 100 m courtyards with 10 m lanes, EPSG:32649; G22 is professional."""
    return gpd.read_file(FIXTURES / "grid3x3.geojson")


@pytest.fixture
def islands() -> gpd.GeoDataFrame:
    """Two groups of three courtyards 3 km apart and a lone one; string ids."""
    return gpd.read_file(FIXTURES / "islands.geojson")


@pytest.fixture(scope="session")
def filegdb(tmp_path_factory) -> Path:
    """A FileGDB with two layers, written by ``fixtures/make_ledgers.py``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_ledgers", FIXTURES / "make_ledgers.py")
    make_ledgers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_ledgers)
    return make_ledgers.filegdb(tmp_path_factory.mktemp("gdb"))
