"""lianhu_geo: property-management planning for residential compounds.

Bundle neighbouring unmanaged compounds into 片区大物业 bundles, give every
other unmanaged compound a fallback service mode, build the five-level 邻里格
grid, and export meeting maps.

Each job has its own subpackage (:mod:`~lianhu_geo.bundling`,
:mod:`~lianhu_geo.coverage`, :mod:`~lianhu_geo.grid`, :mod:`~lianhu_geo.maps`,
:mod:`~lianhu_geo.decisions` for service stations, compound heads and companies);
the data model and the ways data come in (compounds, readers, coords, sample)
sit at the top. Every public name is re-exported here.
"""

import sys
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .briefing import export_pdf, export_png
from .bundling import REASONS, BundleResult, propose_bundles
from .bundling.hotspots import find_clusters
from .bundling.neighbors import neighbor_graph
from .bundling.quality import polsby_popper
from .bundling.viability import ViabilityModel
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
from .coverage.files import read_plan
from .coverage.scenarios import bundle_diff, compare_plans, match_bundles, plan_diff
from .coverage.triage import MODE_LABELS, SERVICE_MODES
from .decisions import (
    CompanyShortlist,
    HeadRoster,
    StationCoverage,
    StationSites,
    assign_heads,
    match_companies,
    read_cadres,
    read_companies,
    read_stations,
    site_stations,
    station_coverage,
    validate_cadres,
    validate_companies,
    validate_stations,
)
from .errors import DataWarning, InputError
from .explorer import explore
from .footprints import estimate_footprints
from .grid import GridError, NeighborhoodGrid, build_grid
from .grid.workers import GridWorkers, assign_workers
from .ledgers import write_template
from .maps import MapSizeWarning, compare_map, export_html, plan_map, side_by_side_map
from .maps._decisions import decision_map, write_decision_map
from .readers import read_compounds
from .sample import (
    load_boundary,
    load_sample,
    load_sample_areas,
    load_sample_cadres,
    load_sample_companies,
    load_sample_stations,
)

# Public module paths from before the subpackages (``lianhu_geo.neighbors`` and
# friends) stay importable: each is the module in its job's subpackage.
_MOVED = {
    "neighbors": "bundling.neighbors",
    "viability": "bundling.viability",
    "quality": "bundling.quality",
    "hotspots": "bundling.hotspots",
    "triage": "coverage.triage",
    "scenarios": "coverage.scenarios",
    "plan_io": "coverage.files",
    "grid_workers": "grid.workers",
    "basemaps": "maps.basemaps",
}
for _old, _new in _MOVED.items():
    _module = import_module(f"{__name__}.{_new}")
    sys.modules[f"{__name__}.{_old}"] = _module
    globals()[_old] = _module
del _old, _new, _module

try:
    __version__ = version("lianhu_geo")
except PackageNotFoundError:  # running from a source checkout
    __version__ = "0.1.0"

__all__ = [
    "ALIASES",
    "assign_heads",
    "assign_workers",
    "CompanyShortlist",
    "decision_map",
    "HeadRoster",
    "write_decision_map",
    "load_sample_cadres",
    "load_sample_companies",
    "load_sample_stations",
    "match_companies",
    "read_cadres",
    "read_companies",
    "read_stations",
    "site_stations",
    "station_coverage",
    "StationCoverage",
    "StationSites",
    "validate_cadres",
    "validate_companies",
    "validate_stations",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "build_grid",
    "bundle_diff",
    "BundleResult",
    "compare_map",
    "compare_plans",
    "convert_coords",
    "CoveragePlan",
    "DataWarning",
    "estimate_footprints",
    "explore",
    "export_html",
    "export_pdf",
    "export_png",
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
    "match_bundles",
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
    "side_by_side_map",
    "standardize_columns",
    "to_metric",
    "validate_compounds",
    "ViabilityModel",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
    "write_template",
]
