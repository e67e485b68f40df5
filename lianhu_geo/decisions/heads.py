"""Compound heads (小区院长): which cadre heads which compound, and when they visit.

:func:`assign_heads` gives every eligible compound exactly one cadre as its
head, so that no cadre's monthly visits exceed the cap and their travel is
small. Travel is measured as a cadre makes it: each visit round leaves the
office, goes to each of the cadre's compounds and comes back (the shortest
such tour), ``visits_per_month`` rounds a month.

How it is solved: the rounds' travel is first approximated by the distance
from the office to each compound (there and back), and HiGHS solves that
assignment exactly (a transportation problem: every compound one head, a
cadre at most ``max_visits // visits_per_month`` compounds; its LP is
integral). Local improvement then moves single compounds to another cadre
with room, or swaps two, while the true tours get shorter. The status says
what HiGHS proved for the first stage.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import itertools
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from ..errors import InputError, format_rows
from ..labels import label
from ..options import Option, check_options
from ._common import DISTANCE_OPTIONS, checked_compounds, select, write_workbook
from ._distance import Distances, metric_points
from ._solve import SolveStatus, transport
from .tables import validate_cadres

__all__ = ["HeadRoster", "assign_heads", "DEFAULT_MAX_VISITS_PER_CADRE", "tour_length"]

#: Visits a month one cadre can make besides their own job: two half-days a week.
DEFAULT_MAX_VISITS_PER_CADRE = 8
_CANDIDATES = 25


def tour_length(
    office: int, stops: list[int], d_office: np.ndarray, d_stop: np.ndarray
) -> tuple[float, list[int]]:
    """Shortest round ``office -> stops -> office`` (exact up to 5 stops, else 2-opt).

    ``d_office[s]`` is the office-to-stop distance, ``d_stop`` stop to stop.
    Returns the length and the stops in visiting order.
    """
    del office
    if not stops:
        return 0.0, []

    def length(route: tuple[int, ...] | list[int]) -> float:
        total = d_office[route[0]] + d_office[route[-1]]
        for a, b in itertools.pairwise(route):
            total += d_stop[a, b]
        return float(total)

    stops = sorted(stops)
    if len(stops) <= 5:
        best = min(itertools.permutations(stops), key=lambda r: (length(r), r))
        return length(best), list(best)
    route = [min(stops, key=lambda s: (d_office[s], s))]
    left = set(stops) - set(route)
    while left:
        route.append(min(left, key=lambda s: (d_stop[route[-1], s], s)))
        left.remove(route[-1])
    improved = True
    while improved:
        improved = False
        for a in range(len(route) - 1):
            for b in range(a + 1, len(route)):
                trial = route[:a] + route[a : b + 1][::-1] + route[b + 1 :]
                if length(trial) < length(route) - 1e-9:
                    route, improved = trial, True
    return length(route), route


class HeadRoster:
    """Compound heads and their monthly visits, made by :func:`assign_heads`.

    Attributes
    ----------
    compounds : geopandas.GeoDataFrame
        The input compounds, same index, with ``eligible``, ``cadre_id`` and
        ``cadre_name`` (NA where not eligible) and ``visits_per_month``.
    cadres : geopandas.GeoDataFrame
        The input cadres, same index, with ``compounds`` (count),
        ``compound_ids`` (in visiting order), ``visits`` (a month),
        ``max_visits``, ``tour_m`` (one round from the office and back) and
        ``monthly_travel_m``.
    calendar : pandas.DataFrame
        One row per cadre and visit round: ``cadre_id``, ``cadre_name``,
        ``visit``, ``date`` (ISO date with ``month``, else week and weekday),
        ``compound_ids``, ``compound_names`` (in visiting order), ``tour_m``.
    status : SolveStatus
        How the first stage was solved; ``objective`` is then the final
        monthly travel in metres.
    options : dict
    """

    def __init__(self, compounds, cadres, calendar, status, options) -> None:
        self.compounds = compounds
        self.cadres = cadres
        self.calendar = calendar
        self.status = status
        self.options = options

    @property
    def monthly_travel_m(self) -> float:
        """Total travel of all cadres in a month, metres."""
        return float(self.cadres["monthly_travel_m"].sum())

    def summary(self, *, lang: str = "en") -> pd.DataFrame:
        """Eligible compounds, heads and travel by subdistrict, with a total row."""
        eligible = self.compounds[self.compounds["eligible"]]
        heads = self.cadres.set_index("cadre_id")
        frame = pd.DataFrame(
            {
                "subdistrict": eligible["subdistrict"].astype(str),
                "compounds": 1,
                "households": eligible["households"].astype(int),
                "cadre_id": eligible["cadre_id"].astype(str),
            }
        )
        table = frame.groupby("subdistrict").agg(
            compounds=("compounds", "sum"),
            households=("households", "sum"),
            heads=("cadre_id", "nunique"),
        )
        total = pd.DataFrame(
            {
                "compounds": [int(table["compounds"].sum())],
                "households": [int(table["households"].sum())],
                "heads": [int((heads["compounds"] > 0).sum())],
            },
            index=["total"],
        )
        table = pd.concat([table, total])
        table["monthly_travel_km"] = np.nan
        table.loc["total", "monthly_travel_km"] = round(self.monthly_travel_m / 1000, 1)
        table.index.name = "subdistrict"
        if lang == "zh":
            table = table.rename(index={"total": label("total")})
            table.index.name = label("subdistrict")
            table = table.rename(columns={c: label(c) for c in table.columns})
        return table

    def to_excel(self, path) -> Any:
        """Write the roster, each cadre's monthly visit calendar and the compounds."""
        cadres = pd.DataFrame(self.cadres.drop(columns=self.cadres.geometry.name))
        cadres["level"] = cadres["level"].map(lambda v: label(f"level_{v}"))
        cadres = cadres.sort_values("cadre_id", kind="stable")
        cadres = cadres.rename(columns={"name": "cadre_name"})
        compounds = pd.DataFrame(
            self.compounds.loc[
                self.compounds["eligible"],
                [
                    "compound_id",
                    "name",
                    "subdistrict",
                    "community",
                    "households",
                    "cadre_id",
                    "cadre_name",
                    "visits_per_month",
                ],
            ]
        ).sort_values("compound_id", kind="stable")
        status = self.status.sheet()
        return write_workbook(
            path,
            {
                label("summary"): self.summary(lang="zh").reset_index(),
                label("roster"): _headers(cadres),
                label("visit_calendar"): _headers(self.calendar),
                label("compound"): _headers(compounds),
                label("solver"): status,
            },
            title=label("visit_calendar"),
        )

    def __repr__(self) -> str:
        n = int(self.compounds["eligible"].sum())
        used = int((self.cadres["compounds"] > 0).sum())
        return (
            f"HeadRoster({n} compounds, {used} of {len(self.cadres)} cadres as heads, "
            f"{self.monthly_travel_m / 1000:.1f} km a month)"
        )


def _headers(frame: pd.DataFrame) -> pd.DataFrame:
    from ..labels import LABELS

    return frame.rename(columns={c: label(c) for c in frame.columns if c in LABELS})


def _month_days(month: str | None, n_slots: int) -> list[str]:
    """Working days of ``month`` (``YYYY-MM``) or, without, week/weekday slots of a 4-week month."""
    if month is None:
        return [
            f"{label('week_n').format(n=w + 1)} {label(f'weekday_{d}')}"
            for w in range(4)
            for d in range(5)
        ]
    year, mon = (int(p) for p in month.split("-"))
    days = _calendar.monthrange(year, mon)[1]
    return [
        _dt.date(year, mon, d).isoformat()
        for d in range(1, days + 1)
        if _dt.date(year, mon, d).weekday() < 5
    ]


def _check_month(month: Any) -> str | None:
    if month is None:
        return None
    try:
        year, mon = (int(p) for p in str(month).split("-"))
        _dt.date(year, mon, 1)
    except ValueError:
        raise InputError(
            f"`month` must be written YYYY-MM, e.g. '2026-03'; got {month!r}."
        ) from None
    return f"{year:04d}-{mon:02d}"


def assign_heads(
    compounds: gpd.GeoDataFrame,
    cadres: pd.DataFrame,
    *,
    visits_per_month: int = 4,
    max_visits_per_cadre: int = DEFAULT_MAX_VISITS_PER_CADRE,
    eligible: Any = None,
    same_subdistrict: bool = True,
    month: str | None = None,
    detour_factor: float = 1.0,
    roads: gpd.GeoDataFrame | None = None,
    exact: bool = True,
    time_limit_s: float = 20.0,
) -> HeadRoster:
    """Give every eligible compound one cadre as its head (小区院长), travel kept small.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by :func:`~lianhu_geo.validate_compounds`.
    cadres : table of cadres
        As accepted by :func:`~lianhu_geo.decisions.tables.validate_cadres`:
        id, name, level, subdistrict, office location, optional ``max_visits``.
    visits_per_month : int, default 4
        Visits each compound gets from its head a month.
    max_visits_per_cadre : int, default 8
        Most visits a month of one cadre (a cadre's own ``max_visits`` wins).
    eligible : list of compound ids or yes/no Series, optional
        Compounds that get a head; default the unmanaged compounds that are
        old or three-without (the old compounds with poor conditions).
    same_subdistrict : bool, default True
        A subdistrict cadre heads compounds of their own subdistrict only;
        district cadres head any.
    month : str, optional
        ``YYYY-MM``: the calendar gives dates; without, week and weekday.
    detour_factor, roads
        As in :func:`~lianhu_geo.station_coverage`.
    exact : bool, default True
        Solve the assignment with HiGHS; ``False`` runs the heuristic only.
    time_limit_s : float, default 20
        HiGHS's time limit.

    Returns
    -------
    HeadRoster

    Raises
    ------
    InputError
        Bad input, or too few cadres: the message says how many compounds
        (and visits) are short, where, and how many cadres would close the gap.

    Examples
    --------
    >>> import lianhu_geo as lg
    >>> roster = lg.assign_heads(lg.load_sample(), lg.load_sample_cadres())
    >>> bool(roster.compounds["cadre_id"].notna().sum() == roster.compounds["eligible"].sum())
    True
    >>> bool((roster.cadres["visits"] <= roster.cadres["max_visits"]).all())
    True
    """
    opts = check_options(
        {
            "visits_per_month": visits_per_month,
            "max_visits_per_cadre": max_visits_per_cadre,
            "same_subdistrict": same_subdistrict,
            "detour_factor": detour_factor,
            "exact": exact,
            "time_limit_s": time_limit_s,
        },
        (
            *DISTANCE_OPTIONS,
            Option("visits_per_month", "count", minimum=1),
            Option("max_visits_per_cadre", "count", minimum=1),
            Option("same_subdistrict", "bool"),
        ),
        where="assign_heads",
    )
    month = _check_month(month)
    valid, order, crs = checked_compounds(compounds)
    cadres_v = validate_cadres(cadres)
    if "old" in valid.columns or "sanwu" in valid.columns:
        poor = pd.Series(False, index=valid.index)
        for c in ("old", "sanwu"):
            if c in valid.columns:
                poor |= valid[c].fillna(False).astype(bool)
    else:
        poor = pd.Series(True, index=valid.index)
    default = (valid["management"] == "unmanaged") & poor
    mask = select(valid, eligible, name="eligible", default=default).to_numpy()
    rows = [int(i) for i in order if mask[i]]  # compounds by sorted id
    n = len(rows)
    corder = np.argsort(cadres_v["cadre_id"].to_numpy(dtype=str), kind="stable")
    m = len(cadres_v)
    visits = opts["visits_per_month"]
    caps = cadres_v["max_visits"].to_numpy(dtype=float, na_value=np.nan)[corder]
    caps = np.where(np.isnan(caps), opts["max_visits_per_cadre"], caps).astype(int)
    slots = caps // visits

    sub_c = valid["subdistrict"].astype(str).to_numpy()[rows]
    level = cadres_v["level"].astype(str).to_numpy()[corder]
    sub_k = cadres_v["subdistrict"].astype(str).to_numpy()[corder]
    allowed = np.ones((n, m), dtype=bool)
    if opts["same_subdistrict"]:
        allowed = (level[None, :] == "district") | (sub_k[None, :] == sub_c[:, None])

    dist = Distances(crs, detour_factor=opts["detour_factor"], roads=roads)
    cxy = metric_points(valid, crs)[rows] if n else np.zeros((0, 2))
    oxy = metric_points(cadres_v, crs)[corder]
    d_office = dist.matrix(oxy, cxy) if n else np.zeros((m, 0))  # (m, n)
    d_stop = dist.matrix(cxy, cxy) if n else np.zeros((0, 0))
    reachable = np.isfinite(d_office.T)
    allowed &= reachable
    _check_feasible(allowed, slots, sub_c, visits, caps, valid["compound_id"].to_numpy()[rows])
    big = np.where(np.isfinite(d_office.T), 2.0 * d_office.T, 1e12)
    cost = big * visits

    # stage 1: exact transportation on the nearest allowed cadres, all of them if need be
    near = np.zeros_like(allowed)
    for i in range(n):
        options_i = np.flatnonzero(allowed[i])
        keep = options_i[np.lexsort((options_i, cost[i, options_i]))][:_CANDIDATES]
        near[i, keep] = True
    if n == 0:
        choice = np.zeros(0, dtype=int)
        status = SolveStatus("highs", "optimal", 0.0, 0.0, 0.0, 0.0)
    else:
        choice, status = transport(
            cost, slots, near, exact=opts["exact"], time_limit_s=opts["time_limit_s"]
        )
        if (choice < 0).any():
            choice, status = transport(
                cost, slots, allowed, exact=opts["exact"], time_limit_s=opts["time_limit_s"]
            )
    # stage 2: local improvement on the true tours
    choice = _improve(choice, slots, allowed, d_office, d_stop)
    members: list[list[int]] = [[] for _ in range(m)]
    for i, j in enumerate(choice):
        members[j].append(i)
    tours = [tour_length(j, members[j], d_office[j], d_stop) for j in range(m)]
    total = float(sum(t for t, _ in tours) * visits)
    status = SolveStatus(
        status.method, status.status, round(total, 1), status.bound, status.gap, status.seconds
    )
    return _roster(
        compounds,
        cadres,
        valid,
        cadres_v,
        rows,
        corder,
        mask,
        choice,
        tours,
        caps,
        visits,
        month,
        status,
        {**opts, "month": month, "roads": roads is not None},
    )


def _check_feasible(
    allowed: np.ndarray,
    slots: np.ndarray,
    sub_c: np.ndarray,
    visits: int,
    caps: np.ndarray,
    ids: np.ndarray,
) -> None:
    n, m = allowed.shape
    if n == 0:
        return
    # source 0, cadres 1..m, compounds m+1..m+n, sink m+n+1
    src, sink = 0, m + n + 1
    a, b = np.nonzero(allowed)
    heads = np.concatenate([np.zeros(m, int), 1 + b, m + 1 + np.arange(n)])
    tails = np.concatenate([1 + np.arange(m), m + 1 + a, np.full(n, sink)])
    cap = np.concatenate([slots, np.ones(len(a), int), np.ones(n, int)]).astype(np.int32)
    graph = csr_matrix((cap, (heads, tails)), shape=(m + n + 2, m + n + 2))
    flow = maximum_flow(graph, src, sink)
    if flow.flow_value >= n:
        return
    short = n - int(flow.flow_value)
    into = flow.flow.tocsr()
    done = np.array([into[m + 1 + i, sink] > 0 for i in range(n)])
    where = pd.Series(sub_c[~done]).value_counts().sort_index()
    per = int(np.median(slots)) if (slots > 0).any() else 1
    per = max(per, 1)
    raise InputError(
        f"too few cadres: {n} compounds need a head ({n * visits} visits a month), but the "
        f"cadres can take at most {int(flow.flow_value)} of them (caps "
        f"{int(caps.min())}-{int(caps.max())} visits a month, {visits} per compound). "
        f"{short} compounds ({short * visits} visits) are short, in "
        + ", ".join(f"{s} ({c})" for s, c in where.items())
        + f"; e.g. {format_rows(ids[~done])}. Add at least {math.ceil(short / per)} cadres "
        "there (district cadres can serve anywhere), raise `max_visits_per_cadre`, or pass "
        "`same_subdistrict=False`."
    )


def _improve(
    choice: np.ndarray,
    slots: np.ndarray,
    allowed: np.ndarray,
    d_office: np.ndarray,
    d_stop: np.ndarray,
) -> np.ndarray:
    """Move or swap compounds between cadres while the true round tours get shorter."""
    n, m = allowed.shape
    if n == 0:
        return choice
    choice = choice.copy()
    members: list[list[int]] = [[] for _ in range(m)]
    for i, j in enumerate(choice):
        members[j].append(i)
    tour = {j: tour_length(j, members[j], d_office[j], d_stop)[0] for j in range(m)}

    def length(j: int, stops: list[int]) -> float:
        return tour_length(j, stops, d_office[j], d_stop)[0]

    near = [
        [
            int(j)
            for j in np.flatnonzero(allowed[i])[np.argsort(d_office[allowed[i], i], kind="stable")][
                :12
            ]
        ]
        for i in range(n)
    ]
    for _ in range(10):
        improved = False
        for i in range(n):
            a = int(choice[i])
            without = [s for s in members[a] if s != i]
            base_a = length(a, without)
            for b in near[i]:
                if b == a:
                    continue
                if len(members[b]) < slots[b]:
                    gain = tour[a] + tour[b] - base_a - length(b, [*members[b], i])
                    if gain > 1e-6:
                        members[a].remove(i)
                        members[b].append(i)
                        choice[i] = b
                        tour[a], tour[b] = base_a, length(b, members[b])
                        improved = True
                        break
                for k in sorted(members[b]):
                    if not allowed[k, a]:
                        continue
                    new_a = length(a, [*without, k])
                    new_b = length(b, [s for s in members[b] if s != k] + [i])
                    if tour[a] + tour[b] - new_a - new_b > 1e-6:
                        members[a] = [*without, k]
                        members[b] = [s for s in members[b] if s != k] + [i]
                        choice[i], choice[k] = b, a
                        tour[a], tour[b] = new_a, new_b
                        improved = True
                        break
                if choice[i] != a:
                    break
        if not improved:
            break
    return choice


def _roster(
    compounds,
    cadres,
    valid,
    cadres_v,
    rows,
    corder,
    mask,
    choice,
    tours,
    caps,
    visits,
    month,
    status,
    options,
) -> HeadRoster:
    m = len(cadres_v)
    cids = cadres_v["cadre_id"].to_numpy(dtype=object)[corder]
    cnames = cadres_v["name"].to_numpy(dtype=object)[corder]
    comp_ids = valid["compound_id"].to_numpy(dtype=object)
    comp_names = valid["name"].to_numpy(dtype=object)
    head_id = np.full(len(valid), None, dtype=object)
    head_name = np.full(len(valid), None, dtype=object)
    for i, j in enumerate(choice):
        head_id[rows[i]], head_name[rows[i]] = cids[j], cnames[j]
    out = compounds.copy()
    out["eligible"] = mask
    out["cadre_id"] = pd.array(head_id, dtype="string")
    out["cadre_name"] = pd.array(head_name, dtype="string")
    out["visits_per_month"] = pd.array(np.where(mask, visits, 0), dtype="Int64")

    order_ids = [[comp_ids[rows[s]] for s in route] for _, route in tours]
    by_position = np.empty(m, dtype=int)
    by_position[corder] = np.arange(m)  # input row -> position in sorted order
    per_row = [by_position[r] for r in range(m)]
    result = cadres.copy()
    result["compounds"] = [len(order_ids[p]) for p in per_row]
    result["compound_ids"] = [",".join(order_ids[p]) for p in per_row]
    result["visits"] = [len(order_ids[p]) * visits for p in per_row]
    result["max_visits"] = [int(caps[p]) for p in per_row]
    result["tour_m"] = [round(tours[p][0], 1) for p in per_row]
    result["monthly_travel_m"] = [round(tours[p][0] * visits, 1) for p in per_row]

    days = _month_days(month, visits)
    step = max(1, len(days) // visits)
    records = []
    rank = 0
    for p in range(m):
        _, route = tours[p]
        if not route:
            continue
        offset = rank % step
        rank += 1
        for v in range(visits):
            day = days[min(v * step + offset, len(days) - 1)]
            records.append(
                {
                    "cadre_id": cids[p],
                    "cadre_name": cnames[p],
                    "visit": v + 1,
                    "date": day,
                    "compound_ids": " → ".join(comp_ids[rows[s]] for s in route),
                    "compound_names": " → ".join(comp_names[rows[s]] for s in route),
                    "tour_m": round(tours[p][0], 1),
                }
            )
    columns = [
        "cadre_id",
        "cadre_name",
        "visit",
        "date",
        "compound_ids",
        "compound_names",
        "tour_m",
    ]
    calendar = pd.DataFrame(records, columns=columns)
    return HeadRoster(out, result, calendar, status, options)
