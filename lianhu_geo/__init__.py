"""lianhu_geo: property-management planning for residential compounds.

Bundle neighbouring unmanaged compounds into 片区大物业 bundles, give every
other unmanaged compound a fallback service mode, build the five-level 邻里格
grid, and export meeting maps.

Each public name lives in the module named after its concept (bundling,
coverage, grid, maps ...) and is re-exported here.
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
from .coverage import CoveragePlan, plan_coverage
from .errors import DataWarning, InputError
from .grid import GridError, NeighborhoodGrid, build_grid
from .grid_workers import GridWorkers, assign_workers
from .hotspots import find_clusters
from .maps import MapSizeWarning, compare_map, export_html, plan_map
from .neighbors import neighbor_graph
from .plan_io import read_plan
from .quality import polsby_popper
from .readers import read_compounds
from .sample import load_boundary, load_sample, load_sample_areas
from .scenarios import compare_plans, plan_diff
from .triage import MODE_LABELS, SERVICE_MODES
from .viability import ViabilityModel

try:
    __version__ = version("lianhu_geo")
except PackageNotFoundError:  # running from a source checkout
    __version__ = "0.1.0"

__all__ = [
    "ALIASES",
    "assign_workers",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "build_grid",
    "BundleResult",
    "compare_map",
    "compare_plans",
    "convert_coords",
    "CoveragePlan",
    "DataWarning",
    "export_html",
    "find_clusters",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "GridError",
    "GridWorkers",
    "InputError",
    "load_boundary",
    "load_sample",
    "load_sample_areas",
    "MapSizeWarning",
    "metric_crs",
    "MODE_LABELS",
    "neighbor_graph",
    "NeighborhoodGrid",
    "OPTIONAL_COLUMNS",
    "plan_coverage",
    "plan_diff",
    "plan_map",
    "polsby_popper",
    "propose_bundles",
    "read_compounds",
    "read_plan",
    "REASONS",
    "REQUIRED_COLUMNS",
    "SERVICE_MODES",
    "standardize_columns",
    "to_metric",
    "validate_compounds",
    "ViabilityModel",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]
