"""The district's other spatial decisions: service stations, compound heads, companies.

- :func:`station_coverage` and :func:`site_stations` (:mod:`.stations`):
  which compounds have a party-masses service station (党群服务站) within
  walking distance, and where new stations should go.
- :func:`assign_heads` (:mod:`.heads`): which cadre heads (小区院长) which
  old compound, with a monthly visit calendar.
- :func:`match_companies` (:mod:`.companies`): a ranked shortlist of
  companies for each bundle and each extended-mode compound.

The tables they take (stations, cadres, companies) are documented,
validated and read in :mod:`.tables`; the optimisation is in ``_solve``
(HiGHS via :func:`scipy.optimize.milp` where the size allows, a stated
heuristic beyond) and distances in ``_distance``.
"""

from ._solve import SolveStatus
from .companies import CompanyShortlist, match_companies
from .heads import HeadRoster, assign_heads
from .stations import StationCoverage, StationSites, site_stations, station_coverage
from .tables import (
    SERVICE_TYPES,
    read_cadres,
    read_companies,
    read_stations,
    validate_cadres,
    validate_companies,
    validate_stations,
)

__all__ = [
    "CompanyShortlist",
    "HeadRoster",
    "SERVICE_TYPES",
    "SolveStatus",
    "StationCoverage",
    "StationSites",
    "assign_heads",
    "match_companies",
    "read_cadres",
    "read_companies",
    "read_stations",
    "site_stations",
    "station_coverage",
    "validate_cadres",
    "validate_companies",
    "validate_stations",
]
