"""Party-masses service stations (党群服务站): who is within reach, and where the next go.

:func:`station_coverage` gives every compound its nearest station and says
whether it lies within ``max_walk_m``; :func:`site_stations` chooses new
sites among candidate compounds so that every compound (or every unmanaged
one) has a station within reach with as few new stations as possible (set
cover), or so that a given number of new stations reaches as many
households as possible, unmanaged ones weighted first (maximal coverage).
Both are solved by HiGHS where the size allows, else by greedy + local
improvement (:mod:`lianhu_geo.decisions._solve`); the status says which.
"""

from __future__ import annotations

import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from ..errors import DataWarning, format_rows
from ..labels import label
from ..options import Option, check_options
from ._common import DISTANCE_OPTIONS, checked_compounds, select, write_workbook
from ._distance import Distances, metric_points
from ._solve import SolveStatus, max_coverage, set_cover
from .tables import validate_stations

__all__ = [
    "DEFAULT_MAX_WALK_M",
    "StationCoverage",
    "StationSites",
    "station_coverage",
    "site_stations",
]

#: Default walk to a station: about a 10-minute walk (15-minute life circle's inner ring).
DEFAULT_MAX_WALK_M = 500.0

_WALK = Option("max_walk_m", "distance", minimum=0, exclusive_minimum=True)
_SPEC = (_WALK, *DISTANCE_OPTIONS)


def _distances(crs: Any, detour_factor: float, roads: Any) -> Distances:
    return Distances(crs, detour_factor=detour_factor, roads=roads)


def _nearest(
    dist: Distances, source: np.ndarray, target: np.ndarray, search_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest target of each source (-1 if none within ``search_m``) and metres."""
    n = len(source)
    best = np.full(n, -1)
    metres = np.full(n, np.nan)
    if len(target) == 0:
        return best, metres
    if dist.graph is None:
        k = min(4, len(target))
        d, j = cKDTree(target).query(source, k=k)
        d, j = np.asarray(d, dtype=float).reshape(n, k), np.asarray(j, dtype=int).reshape(n, k)
        tied = d <= d[:, :1] + 1e-6  # equally near: the station first by id
        best = np.where(tied, j, np.iinfo(int).max).min(axis=1)
        return best, d[:, 0] * dist.detour_factor
    for i, j, d in dist.within(source, target, search_m):
        if best[i] < 0 or d < metres[i] - 1e-9:
            best[i], metres[i] = j, d
    return best, metres


class StationCoverage:
    """Which compounds have a service station within reach.

    Attributes
    ----------
    compounds : geopandas.GeoDataFrame
        The input compounds, same index, with ``station_id`` (nearest
        station), ``station_distance_m`` and ``covered`` (within
        ``max_walk_m``).
    stations : geopandas.GeoDataFrame
        The stations with ``compounds_served`` and ``households_served``
        (compounds whose nearest station it is, within reach).
    options : dict
        ``max_walk_m``, ``detour_factor`` and whether roads were used.
    """

    def __init__(self, compounds, stations, options) -> None:
        self.compounds = compounds
        self.stations = stations
        self.options = options

    def summary(self, *, lang: str = "en") -> pd.DataFrame:
        """Compounds and households within reach, by subdistrict, with a total row."""
        return _summary(self.compounds, self.compounds["within_reach"], lang)

    def to_excel(self, path) -> Any:
        """Write the coverage report (summary, compounds, stations) as one workbook."""
        compounds = _compound_sheet(
            self.compounds, ["station_id", "station_distance_m", "within_reach"]
        )
        stations = pd.DataFrame(self.stations.drop(columns=self.stations.geometry.name))
        stations = stations.sort_values("station_id", kind="stable")
        stations = stations.rename(columns={"name": "station_name"})
        return write_workbook(
            path,
            {
                label("summary"): self.summary(lang="zh").reset_index(),
                label("compound"): compounds,
                label("service_station"): _headers(stations),
            },
            title=label("station_coverage"),
        )

    def __repr__(self) -> str:
        covered = int(self.compounds["within_reach"].sum())
        return (
            f"StationCoverage({len(self.stations)} stations, {covered} of "
            f"{len(self.compounds)} compounds within {self.options['max_walk_m']:.0f} m)"
        )


class StationSites:
    """New station sites chosen by :func:`site_stations`.

    Attributes
    ----------
    sites : geopandas.GeoDataFrame
        The chosen candidate compounds (index from the compounds), with
        ``new_compounds`` and ``new_households``: compounds and households
        that have a station within reach only thanks to this site.
    compounds : geopandas.GeoDataFrame
        Every input compound, same index, with ``station_status``
        (``"existing"``: an existing station within reach; ``"new"``: a new
        site within reach; ``"uncovered"``: the budget ran out; ``"uncoverable"``:
        no candidate within reach; ``"not_a_target"``), ``station_id`` (the
        nearest station within reach, new sites as ``"NEW-<compound_id>"``),
        ``station_distance_m`` and ``uncoverable_reason`` (text, else NA).
    status : SolveStatus
        Method, solver status, objective, bound and gap.
    options : dict
    """

    def __init__(self, sites, compounds, status: SolveStatus, options) -> None:
        self.sites = sites
        self.compounds = compounds
        self.status = status
        self.options = options

    def summary(self, *, lang: str = "en") -> pd.DataFrame:
        """Compounds and households within reach after the new sites, by subdistrict."""
        reached = self.compounds["station_status"].isin(["existing", "new"])
        return _summary(self.compounds, reached, lang)

    def to_excel(self, path) -> Any:
        """Write the sites, the compounds' status and the solver's report as one workbook."""
        sites = _compound_sheet(self.sites, ["new_compounds", "new_households"])
        compounds = _compound_sheet(
            self.compounds,
            ["station_status", "station_id", "station_distance_m", "uncoverable_reason"],
        )
        compounds[label("station_status")] = compounds[label("station_status")].map(
            lambda v: label(f"station_{v}")
        )
        status = self.status.sheet()
        return write_workbook(
            path,
            {
                label("summary"): self.summary(lang="zh").reset_index(),
                label("new_sites"): sites,
                label("compound"): compounds,
                label("solver"): status,
            },
            title=label("new_sites"),
        )

    def __repr__(self) -> str:
        counts = self.compounds["station_status"].value_counts()
        return (
            f"StationSites({len(self.sites)} new sites; {int(counts.get('new', 0))} compounds "
            f"newly within reach, {int(counts.get('uncovered', 0))} uncovered, "
            f"{int(counts.get('uncoverable', 0))} uncoverable; {self.status.method} "
            f"{self.status.status})"
        )


def _headers(frame: pd.DataFrame) -> pd.DataFrame:
    from ..labels import LABELS

    return frame.rename(columns={c: label(c) for c in frame.columns if c in LABELS})


def _compound_sheet(frame: gpd.GeoDataFrame, extra: list[str]) -> pd.DataFrame:
    base = ["compound_id", "name", "subdistrict", "community", "households", "management"]
    table = pd.DataFrame(frame[[*base, *extra]]).sort_values("compound_id", kind="stable")
    table["management"] = table["management"].map(lambda v: label(str(v)))
    return _headers(table)


def _summary(compounds: pd.DataFrame, reached: pd.Series, lang: str) -> pd.DataFrame:
    unmanaged = compounds["management"] == "unmanaged"
    hh = compounds["households"].astype(float)
    frame = pd.DataFrame(
        {
            "subdistrict": compounds["subdistrict"].astype(str),
            "compounds": 1,
            "compounds_reached": reached.astype(int),
            "unmanaged": unmanaged.astype(int),
            "unmanaged_reached": (reached & unmanaged).astype(int),
            "households": hh,
            "households_reached": hh.where(reached, 0.0),
        }
    )
    table = frame.groupby("subdistrict", sort=True).sum()
    table.loc["total"] = table.sum()
    table = table.astype(int)
    table["reach_rate"] = (table["compounds_reached"] / table["compounds"]).round(3)
    table["unmanaged_reach_rate"] = (
        table["unmanaged_reached"] / table["unmanaged"].where(table["unmanaged"] > 0)
    ).round(3)
    table.index.name = "subdistrict"
    if lang == "zh":
        table = table.rename(index={"total": label("total")})
        table.index.name = label("subdistrict")
        table = table.rename(columns={c: label(c) for c in table.columns})
    return table


def station_coverage(
    compounds: gpd.GeoDataFrame,
    stations: pd.DataFrame,
    *,
    max_walk_m: float = DEFAULT_MAX_WALK_M,
    detour_factor: float = 1.0,
    roads: gpd.GeoDataFrame | None = None,
) -> StationCoverage:
    """Give every compound its nearest service station and say whether it is within reach.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by :func:`~lianhu_geo.validate_compounds`.
    stations : pandas.DataFrame or geopandas.GeoDataFrame
        Stations as accepted by
        :func:`~lianhu_geo.decisions.tables.validate_stations` (by
        ``compound_id`` or by location).
    max_walk_m : float, default 500
        Walk (metres) within which a station serves a compound.
    detour_factor : float, default 1.0
        Straight-line distances times this (1.3 is a common walking detour);
        ignored when ``roads`` is given.
    roads : GeoDataFrame of lines, optional
        Walk along these lines instead (networkx shortest paths); a place
        joins its nearest road vertex in a straight line.

    Returns
    -------
    StationCoverage

    Raises
    ------
    InputError
        Bad compounds, stations or options.

    Examples
    --------
    >>> import lianhu_geo as lg
    >>> report = lg.station_coverage(lg.load_sample(), lg.load_sample_stations())
    >>> len(report.stations), int(report.compounds["within_reach"].sum()) > 1000
    (504, True)
    """
    opts = check_options(
        {"max_walk_m": max_walk_m, "detour_factor": detour_factor}, _SPEC, where="station_coverage"
    )
    valid, order, crs = checked_compounds(compounds)
    stations = validate_stations(stations, valid)
    dist = _distances(crs, opts["detour_factor"], roads)
    xy = metric_points(valid, crs)
    sxy = metric_points(stations, crs)
    search = max(4 * opts["max_walk_m"], 3000.0)
    sorder = np.argsort(stations["station_id"].to_numpy(dtype=str), kind="stable")
    nearest, metres = _nearest(dist, xy, sxy[sorder], search)
    out = compounds.copy()
    ids = stations["station_id"].to_numpy(dtype=object)[sorder]
    out["station_id"] = pd.array([ids[j] if j >= 0 else pd.NA for j in nearest], dtype="string")
    out["station_distance_m"] = np.round(metres, 1)
    out["within_reach"] = (nearest >= 0) & (metres <= opts["max_walk_m"] + 1e-9)
    served = out[out["within_reach"]].groupby("station_id")
    result = stations.copy()
    result["compounds_served"] = result["station_id"].map(served.size()).fillna(0).astype(int)
    result["households_served"] = (
        result["station_id"].map(served["households"].sum()).fillna(0).astype(int)
    )
    options = {
        "max_walk_m": opts["max_walk_m"],
        "detour_factor": opts["detour_factor"],
        "roads": roads is not None,
    }
    return StationCoverage(out, result, options)


def site_stations(
    compounds: gpd.GeoDataFrame,
    *,
    existing: pd.DataFrame | None = None,
    max_walk_m: float = DEFAULT_MAX_WALK_M,
    candidates: Any = None,
    budget: int | None = None,
    cover: str = "all",
    unmanaged_weight: float = 10.0,
    detour_factor: float = 1.0,
    roads: gpd.GeoDataFrame | None = None,
    exact: bool = True,
    time_limit_s: float = 20.0,
) -> StationSites:
    """Choose compounds for new service stations.

    Without ``budget``: the fewest new stations such that every target
    compound has a station (existing or new) within ``max_walk_m`` — a set
    cover. With ``budget``: at most that many new stations reaching the most
    target households, an unmanaged household counting ``unmanaged_weight``
    times — maximal coverage. Targets already within reach of an existing
    station need nothing; a target no candidate reaches is named
    uncoverable (a warning, and ``uncoverable_reason``).

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by :func:`~lianhu_geo.validate_compounds`.
    existing : table of stations, optional
        Stations already open (see :func:`station_coverage`).
    max_walk_m : float, default 500
        Walk within which a station serves a compound.
    candidates : list of compound ids or yes/no Series, optional
        Compounds that could host a new station; default every compound
        without one.
    budget : int, optional
        Most new stations; ``None`` covers every target with as few as possible.
    cover : {"all", "unmanaged"}, default "all"
        Which compounds are targets.
    unmanaged_weight : float, default 10
        Weight of an unmanaged household against a managed one, with ``budget``.
    detour_factor, roads
        As in :func:`station_coverage`.
    exact : bool, default True
        Use HiGHS where the size allows; ``False`` runs the heuristic only.
    time_limit_s : float, default 20
        HiGHS's time limit (a safety net; it first stops at a node limit).
        When HiGHS stops at it (``status.status == "limit"``, with the gap it
        proved) the sites found can depend on the machine's speed;
        ``exact=False`` gives the same sites on every machine.

    Returns
    -------
    StationSites

    Warns
    -----
    DataWarning
        Naming target compounds no candidate can reach.

    Examples
    --------
    >>> import lianhu_geo as lg
    >>> compounds = lg.load_sample()
    >>> sites = lg.site_stations(compounds, existing=lg.load_sample_stations(),
    ...                          cover="unmanaged")
    >>> sites.status.status, sorted(set(sites.compounds["station_status"]) - {"not_a_target"})
    ('optimal', ['existing', 'new'])
    """
    opts = check_options(
        {
            "max_walk_m": max_walk_m,
            "budget": budget,
            "cover": cover,
            "unmanaged_weight": unmanaged_weight,
            "detour_factor": detour_factor,
            "exact": exact,
            "time_limit_s": time_limit_s,
        },
        (
            *_SPEC,
            Option("budget", "count", minimum=0, allow_none=True),
            Option("cover", "choice", choices=("all", "unmanaged")),
            Option("unmanaged_weight", "number", minimum=1.0),
        ),
        where="site_stations",
    )
    valid, order, crs = checked_compounds(compounds)
    n = len(valid)
    dist = _distances(crs, opts["detour_factor"], roads)
    xy = metric_points(valid, crs)
    walk = opts["max_walk_m"]
    ids = valid["compound_id"].to_numpy(dtype=str)
    unmanaged = (valid["management"] == "unmanaged").to_numpy()
    target = unmanaged.copy() if opts["cover"] == "unmanaged" else np.ones(n, dtype=bool)

    reached_by = np.full(n, -1)
    reached_m = np.full(n, np.nan)
    station_ids = np.array([], dtype=object)
    hosting = np.zeros(n, dtype=bool)
    if existing is not None:
        stations = validate_stations(existing, valid)
        sorder = np.argsort(stations["station_id"].to_numpy(dtype=str), kind="stable")
        station_ids = stations["station_id"].to_numpy(dtype=object)[sorder]
        sxy = metric_points(stations, crs)[sorder]
        for i, j, d in dist.within(xy, sxy, walk):
            if reached_by[i] < 0 or d < reached_m[i] - 1e-9:
                reached_by[i], reached_m[i] = j, d
        hosting = valid["compound_id"].isin(stations["compound_id"].dropna()).to_numpy()
    default = pd.Series(~hosting, index=valid.index)
    can_host = select(valid, candidates, name="candidates", default=default).to_numpy()

    # positions by sorted id, so that row order never changes the result
    need = [int(i) for i in order if target[i] and reached_by[i] < 0]
    sites = [int(i) for i in order if can_host[i]]
    need_pos = {i: k for k, i in enumerate(need)}
    pairs = (
        [(need_pos[need[a]], b, d) for a, b, d in dist.within(xy[need], xy[sites], walk)]
        if need and sites
        else []
    )
    pair_array = np.array([(a, b) for a, b, _ in pairs], dtype=int).reshape(-1, 2)
    coverable = set(pair_array[:, 0].tolist())
    if opts["budget"] is None:
        chosen, status = set_cover(
            pair_array,
            len(need),
            len(sites),
            exact=opts["exact"],
            time_limit_s=opts["time_limit_s"],
        )
    else:
        hh = valid["households"].to_numpy(dtype=float)
        weight = np.array(
            [hh[i] * (opts["unmanaged_weight"] if unmanaged[i] else 1.0) for i in need]
        )
        chosen, status = max_coverage(
            pair_array,
            weight,
            len(sites),
            opts["budget"],
            exact=opts["exact"],
            time_limit_s=opts["time_limit_s"],
        )
    chosen_rows = [sites[b] for b in chosen]

    # every compound: nearest station within reach, existing or new
    new_by = np.full(n, -1)
    new_m = np.full(n, np.nan)
    if chosen_rows:
        for i, b, d in dist.within(xy, xy[chosen_rows], walk):
            if new_by[i] < 0 or d < new_m[i] - 1e-9:
                new_by[i], new_m[i] = b, d
    status_col = np.full(n, "not_a_target", dtype=object)
    station_col = np.full(n, None, dtype=object)
    metres_col = np.full(n, np.nan)
    reason = np.full(n, None, dtype=object)
    for i in range(n):
        old_ok = reached_by[i] >= 0
        new_ok = new_by[i] >= 0
        if old_ok and (not new_ok or reached_m[i] <= new_m[i]):
            station_col[i], metres_col[i] = station_ids[reached_by[i]], reached_m[i]
        elif new_ok:
            station_col[i] = f"NEW-{ids[chosen_rows[new_by[i]]]}"
            metres_col[i] = new_m[i]
        if not target[i]:
            continue
        if old_ok:
            status_col[i] = "existing"
        elif new_ok:
            status_col[i] = "new"
        elif need_pos.get(i) in coverable:
            status_col[i] = "uncovered"
            reason[i] = label("reason_budget")
        else:
            status_col[i] = "uncoverable"
            reason[i] = label("reason_no_candidate").format(walk=f"{walk:.0f}")
    lost = status_col == "uncoverable"
    if lost.any():
        warnings.warn(
            f"no candidate site lies within {walk:.0f} m of compounds "
            f"{format_rows(ids[lost])}; they stay without a station. Add candidates near "
            "them or allow a longer walk.",
            DataWarning,
            stacklevel=2,
        )
    out = compounds.copy()
    out["station_status"] = pd.array(status_col, dtype="string")
    out["station_id"] = pd.array(station_col, dtype="string")
    out["station_distance_m"] = np.round(metres_col, 1)
    out["uncoverable_reason"] = pd.array(reason, dtype="string")

    hh_int = valid["households"].to_numpy(dtype=int)
    only = {b: [] for b in range(len(chosen_rows))}
    for i in range(n):
        if status_col[i] == "new":
            only[new_by[i]].append(i)
    sites_frame = compounds.iloc[chosen_rows].copy()
    sites_frame["new_compounds"] = [len(only[b]) for b in range(len(chosen_rows))]
    sites_frame["new_households"] = [int(hh_int[only[b]].sum()) for b in range(len(chosen_rows))]
    options = {
        **opts,
        "roads": roads is not None,
        "existing": 0 if existing is None else len(station_ids),
    }
    return StationSites(sites_frame, out, status, options)
