"""lianhu_geo: property-management planning for residential compounds.

Bundle neighbouring unmanaged compounds into 片区大物业 bundles, give every
other unmanaged compound a fallback service mode, build the five-level 邻里格
grid, and export meeting maps.
"""

from importlib.metadata import PackageNotFoundError, version

from .bundling import REASONS, BundleResult, propose_bundles
from .compounds import (
    ALIASES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    standardize_columns,
    validate_compounds,
)
from .coords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert_coords,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    metric_crs,
    to_metric,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from .errors import DataWarning, InputError
from .hotspots import find_clusters
from .neighbors import neighbor_graph
from .quality import polsby_popper
from .viability import ViabilityModel

try:
    __version__ = version("lianhu_geo")
except PackageNotFoundError:  # running from a source checkout
    __version__ = "0.1.0"

__all__ = [
    "ALIASES",
    "OPTIONAL_COLUMNS",
    "REASONS",
    "REQUIRED_COLUMNS",
    "BundleResult",
    "DataWarning",
    "InputError",
    "ViabilityModel",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert_coords",
    "find_clusters",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "metric_crs",
    "neighbor_graph",
    "polsby_popper",
    "propose_bundles",
    "standardize_columns",
    "to_metric",
    "validate_compounds",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]
