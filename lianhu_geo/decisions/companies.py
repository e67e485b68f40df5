"""Which company for which bundle (引进物业企业): ranked shortlists with their reasons.

:func:`match_companies` looks, for each bundle of a coverage plan, for the
property companies that already manage compounds nearby and have capacity
left, and for each compound in the extended mode (延伸式) for a cleaning or
security firm near it. Candidates are ranked by whether their spare capacity
is known to fit, then (for bundles) whether they already manage a compound
nearby rather than only having an office there, then by distance, then by
spare capacity; each row says why.
A bundle or compound without any candidate is listed with the reason (none
within reach, none with room, none qualified), so none is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..coords import metric_crs
from ..errors import InputError
from ..labels import label
from ..options import Option, check_options
from ._common import DISTANCE_OPTIONS, write_workbook
from ._distance import Distances, metric_points
from .tables import SERVICE_TYPES, validate_companies

__all__ = ["CompanyShortlist", "match_companies", "SHORTLIST_COLUMNS"]

#: Columns of :attr:`CompanyShortlist.shortlist`.
SHORTLIST_COLUMNS: tuple[str, ...] = (
    "target_type",
    "target_id",
    "subdistrict",
    "households",
    "rank",
    "company_id",
    "company_name",
    "distance_m",
    "nearest_compound_id",
    "managed_households",
    "spare_households",
    "qualification",
    "reason",
)


class CompanyShortlist:
    """Candidate companies per bundle and per extended-mode compound.

    Attributes
    ----------
    shortlist : pandas.DataFrame
        :data:`SHORTLIST_COLUMNS`, one row per target and candidate, ranked
        from 1; ``target_type`` is ``"bundle"`` or ``"extended"``.
    unmatched : pandas.DataFrame
        ``target_type``, ``target_id``, ``subdistrict``, ``households``,
        ``reason``: targets without any candidate.
    companies : geopandas.GeoDataFrame
        The companies with ``managed_compounds``, ``managed_households``,
        ``spare_households``, ``first_choice_of`` (targets they rank first for),
        ``first_choice_households`` and ``over_committed`` (first choice for more
        households, all targets together, than they have room for: award one
        of those targets to the next candidate).
    compounds : geopandas.GeoDataFrame
        The plan's compounds with ``target_id`` (bundle or extended compound,
        else NA) and ``first_choice`` (the rank-1 company's name, else NA).
    options : dict
    """

    def __init__(self, shortlist, unmatched, companies, targets, options, compounds=None) -> None:
        self.compounds = compounds
        self.shortlist = shortlist
        self.unmatched = unmatched
        self.companies = companies
        self.targets = targets
        self.options = options

    def overview(self, *, lang: str = "en") -> pd.DataFrame:
        """Give the subdistricts' overview: targets with and without a shortlist."""
        t = self.targets.copy()
        t["matched"] = ~t["target_id"].isin(self.unmatched["target_id"])
        rows = {}
        for sub, group in t.groupby("subdistrict", sort=True):
            rows[sub] = _counts(group, self.shortlist)
        rows["total"] = _counts(t, self.shortlist)
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "subdistrict"
        if lang == "zh":
            table = table.rename(index={"total": label("total")})
            table.index.name = label("subdistrict")
            table = table.rename(columns={c: label(c) for c in table.columns})
        return table

    def to_excel(self, path) -> Any:
        """Write the overview, the shortlists, the unmatched targets and the companies."""
        shortlist = self.shortlist.copy()
        shortlist["target_type"] = shortlist["target_type"].map(label)
        unmatched = self.unmatched.copy()
        unmatched["target_type"] = unmatched["target_type"].map(label)
        companies = pd.DataFrame(self.companies.drop(columns=self.companies.geometry.name))
        companies = companies.sort_values("company_id", kind="stable")
        companies = companies.rename(columns={"name": "company_name"})
        return write_workbook(
            path,
            {
                label("overview"): self.overview(lang="zh").reset_index(),
                label("shortlist"): _headers(shortlist),
                label("unmatched"): _headers(unmatched),
                label("property_company"): _headers(companies),
            },
            title=label("shortlist"),
        )

    def __repr__(self) -> str:
        return (
            f"CompanyShortlist({len(self.targets)} targets, "
            f"{self.shortlist['target_id'].nunique()} with candidates, "
            f"{len(self.unmatched)} without)"
        )


def _counts(group: pd.DataFrame, shortlist: pd.DataFrame) -> dict:
    bundles = group[group["target_type"] == "bundle"]
    extended = group[group["target_type"] == "extended"]
    chosen = shortlist[shortlist["target_id"].isin(group["target_id"]) & (shortlist["rank"] == 1)]
    return {
        "bundles": len(bundles),
        "bundles_matched": int(bundles["matched"].sum()),
        "extended": len(extended),
        "extended_matched": int(extended["matched"].sum()),
        "first_choices": int(chosen["company_id"].nunique()),
        "over_committed": int(
            chosen.groupby("company_id")["households"]
            .sum()
            .gt(chosen.groupby("company_id")["spare_households"].first().fillna(np.inf))
            .sum()
        ),
    }


def _headers(frame: pd.DataFrame) -> pd.DataFrame:
    from ..labels import LABELS

    return frame.rename(columns={c: label(c) for c in frame.columns if c in LABELS})


def _targets(plan: Any) -> pd.DataFrame:
    compounds = plan.compounds
    rows = []
    bundled = compounds[compounds["bundle_id"].notna()]
    for bundle_id, members in bundled.groupby(bundled["bundle_id"].astype(str), sort=True):
        rows.append(
            {
                "target_type": "bundle",
                "target_id": bundle_id,
                "subdistrict": str(members["subdistrict"].mode().sort_values().iloc[0]),
                "households": int(members["households"].sum()),
                "members": sorted(
                    members.index.tolist(), key=lambda r: str(compounds.at[r, "compound_id"])
                ),
            }
        )
    extended = compounds[compounds["service_mode"] == "extended"]
    for row in sorted(extended.index, key=lambda r: str(compounds.at[r, "compound_id"])):
        rows.append(
            {
                "target_type": "extended",
                "target_id": str(compounds.at[row, "compound_id"]),
                "subdistrict": str(compounds.at[row, "subdistrict"]),
                "households": int(compounds.at[row, "households"]),
                "members": [row],
            }
        )
    return pd.DataFrame(
        rows, columns=["target_type", "target_id", "subdistrict", "households", "members"]
    )


def match_companies(
    plan: Any,
    companies: pd.DataFrame,
    *,
    max_distance_m: float = 3000.0,
    top: int = 5,
    qualifications: Iterable[str] | None = None,
    extended_types: Iterable[str] = ("cleaning", "security"),
    detour_factor: float = 1.0,
    roads: gpd.GeoDataFrame | None = None,
) -> CompanyShortlist:
    """Rank candidate companies for each bundle and each extended-mode compound.

    A property company (``service_types`` has ``property``) is a candidate
    for a bundle when one of the compounds it already manages (``plan``'s
    compounds whose ``property_company`` is its ``name``) or its office lies
    within ``max_distance_m`` of a compound of the bundle, its qualification
    is accepted, and its spare capacity (``capacity_households`` minus the
    households it manages) is at least the bundle's households or unknown.
    For an extended-mode compound the candidates are firms offering one of
    ``extended_types``, by the same rules.

    Parameters
    ----------
    plan : CoveragePlan
        From :func:`~lianhu_geo.plan_coverage`; its compounds hold the managed ones.
    companies : table of companies
        As accepted by :func:`~lianhu_geo.decisions.tables.validate_companies`.
    max_distance_m : float, default 3000
        Farthest a company's nearest managed compound (or office) may be.
    top : int, default 5
        Candidates kept per target.
    qualifications : list of str, optional
        Accepted ``qualification`` values (e.g. ``["一级", "二级"]``); default any.
    extended_types : list of str, default ("cleaning", "security")
        Service types that qualify a firm for the extended mode.
    detour_factor, roads
        As in :func:`~lianhu_geo.station_coverage`.

    Returns
    -------
    CompanyShortlist

    Examples
    --------
    >>> import lianhu_geo as lg
    >>> plan = lg.plan_coverage(lg.load_sample())
    >>> short = lg.match_companies(plan, lg.load_sample_companies())
    >>> n_targets = len(short.targets)
    >>> short.shortlist["target_id"].nunique() + len(short.unmatched) == n_targets
    True
    """
    opts = check_options(
        {"max_distance_m": max_distance_m, "top": top, "detour_factor": detour_factor},
        (
            Option("max_distance_m", "distance", minimum=0, exclusive_minimum=True),
            Option("top", "count", minimum=1),
            *DISTANCE_OPTIONS,
        ),
        where="match_companies",
    )
    if not (hasattr(plan, "compounds") and hasattr(plan, "bundles")):
        raise InputError(
            f"`plan` must be a CoveragePlan (from lianhu_geo.plan_coverage), got "
            f"{type(plan).__name__}."
        )
    extended_types = tuple(extended_types)
    unknown = [t for t in extended_types if t not in SERVICE_TYPES]
    if unknown or not extended_types:
        raise InputError(
            f"`extended_types` must list service types among {', '.join(SERVICE_TYPES)}; "
            f"got {list(extended_types)!r}."
        )
    accepted = None if qualifications is None else {str(q) for q in qualifications}
    firms = validate_companies(companies)
    compounds = plan.compounds
    crs = metric_crs(compounds)
    dist = Distances(crs, detour_factor=opts["detour_factor"], roads=roads)
    forder = np.argsort(firms["company_id"].to_numpy(dtype=str), kind="stable")
    firms = firms.iloc[forder]

    managed = compounds[compounds["management"] == "professional"]
    managed = managed[managed["property_company"].notna()]
    by_name = {name: k for k, name in enumerate(firms["name"].astype(str))}
    places_firm, places_id, places_geom = [], [], []
    for row in sorted(managed.index, key=lambda r: str(managed.at[r, "compound_id"])):
        k = by_name.get(str(managed.at[row, "property_company"]))
        if k is not None:
            places_firm.append(k)
            places_id.append(str(managed.at[row, "compound_id"]))
            places_geom.append(managed.geometry[row])
    place_xy = [metric_points(gpd.GeoSeries(places_geom, crs=compounds.crs), crs)]
    office = firms.geometry.notna() & ~firms.geometry.is_empty
    offices = np.flatnonzero(office.to_numpy())
    for k in offices:
        places_firm.append(int(k))
        places_id.append(None)
    place_xy.append(metric_points(firms.geometry.iloc[offices], crs))
    pxy = np.vstack([xy.reshape(-1, 2) for xy in place_xy])
    managed_hh = np.zeros(len(firms))
    managed_n = np.zeros(len(firms), dtype=int)
    for row in managed.index:
        k = by_name.get(str(managed.at[row, "property_company"]))
        if k is not None:
            managed_hh[k] += float(managed.at[row, "households"])
            managed_n[k] += 1
    capacity = firms["capacity_households"].to_numpy(dtype=float, na_value=np.nan)
    spare = capacity - managed_hh
    types = [set(str(t).split(",")) for t in firms["service_types"]]
    qualified = np.array(
        [accepted is None or (pd.notna(q) and str(q) in accepted) for q in firms["qualification"]]
    )

    targets = _targets(plan)
    member_rows = sorted({r for ms in targets["members"] for r in ms}, key=str)
    position = {r: p for p, r in enumerate(member_rows)}
    if member_rows and len(pxy):
        sxy = metric_points(compounds.loc[member_rows], crs)
        pairs = dist.within(sxy, pxy, opts["max_distance_m"])
    else:
        pairs = []
    near: dict[int, dict[int, tuple[float, int]]] = {}
    for i, p, d in pairs:
        best = near.setdefault(i, {})
        k = places_firm[p]
        if k not in best or d < best[k][0] - 1e-9:
            best[k] = (d, p)

    records, lost = [], []
    for t in targets.itertuples(index=False):
        kind_ok = (
            (lambda s: "property" in s)
            if t.target_type == "bundle"
            else (lambda s: bool(s & set(extended_types)))
        )
        found: dict[int, tuple[float, int]] = {}
        for r in t.members:
            for k, (d, p) in near.get(position[r], {}).items():
                if k not in found or d < found[k][0] - 1e-9:
                    found[k] = (d, p)
        kinds = {k: v for k, v in found.items() if kind_ok(types[k])}
        quals = {k: v for k, v in kinds.items() if qualified[k]}
        roomy = {k: v for k, v in quals.items() if not (spare[k] < t.households)}
        if not roomy:
            if not kinds:
                reason = label("reason_no_company_near").format(
                    kind=label(t.target_type), distance=f"{opts['max_distance_m']:.0f}"
                )
            elif not quals:
                reason = label("reason_none_qualified").format(n=len(kinds))
            else:
                reason = label("reason_no_capacity").format(n=len(quals), households=t.households)
            lost.append((t.target_type, t.target_id, t.subdistrict, t.households, reason))
            continue
        ranked = sorted(
            roomy.items(),
            key=lambda kv: (
                np.isnan(spare[kv[0]]),
                t.target_type == "bundle" and places_id[kv[1][1]] is None,  # office only
                round(kv[1][0], 3),
                -(0 if np.isnan(spare[kv[0]]) else spare[kv[0]]),
                str(firms["company_id"].iloc[kv[0]]),
            ),
        )[: opts["top"]]
        for rank, (k, (d, p)) in enumerate(ranked, start=1):
            nearest = places_id[p]
            q = firms["qualification"].iloc[k]
            parts = [
                label("reason_nearest_managed").format(id=nearest, distance=f"{d:.0f}")
                if nearest is not None
                else label("reason_office").format(distance=f"{d:.0f}"),
                label("reason_spare").format(households=f"{spare[k]:,.0f}")
                if not np.isnan(spare[k])
                else label("reason_spare_unknown"),
            ]
            if pd.notna(q):
                parts.append(label("reason_qualification").format(q=q))
            records.append(
                (
                    t.target_type,
                    t.target_id,
                    t.subdistrict,
                    t.households,
                    rank,
                    str(firms["company_id"].iloc[k]),
                    str(firms["name"].iloc[k]),
                    round(d, 1),
                    nearest,
                    int(managed_hh[k]),
                    None if np.isnan(spare[k]) else int(spare[k]),
                    None if pd.isna(q) else str(q),
                    "；".join(parts),
                )
            )
    shortlist = pd.DataFrame(records, columns=list(SHORTLIST_COLUMNS))
    shortlist["spare_households"] = shortlist["spare_households"].astype("Int64")
    unmatched = pd.DataFrame(
        lost, columns=["target_type", "target_id", "subdistrict", "households", "reason"]
    )
    out = firms.copy()
    out["managed_compounds"] = managed_n
    out["managed_households"] = managed_hh.astype(int)
    out["spare_households"] = pd.array(
        [None if np.isnan(s) else int(s) for s in spare], dtype="Int64"
    )
    first = (
        shortlist[shortlist["rank"] == 1]
        .groupby("company_id")["target_id"]
        .agg(lambda s: ",".join(s))
    )
    out["first_choice_of"] = out["company_id"].map(first).astype("string")
    load = shortlist[shortlist["rank"] == 1].groupby("company_id")["households"].sum()
    out["first_choice_households"] = out["company_id"].map(load).fillna(0).astype(int)
    # rank 1 for several targets whose households together exceed the room left
    out["over_committed"] = (
        out["spare_households"].notna()
        & (out["first_choice_households"] > out["spare_households"].fillna(0))
    ).astype(bool)
    out = out.loc[companies.index]  # the input's row order again
    options = {
        **opts,
        "qualifications": None if accepted is None else sorted(accepted),
        "extended_types": list(extended_types),
        "roads": roads is not None,
    }
    mapped = plan.compounds.copy()
    target_of = pd.Series(pd.NA, index=mapped.index, dtype="string")
    for t in targets.itertuples(index=False):
        target_of[t.members] = t.target_id
    top1 = shortlist[shortlist["rank"] == 1].set_index("target_id")["company_name"]
    mapped["target_id"] = target_of
    mapped["first_choice"] = target_of.map(top1).astype("string")
    return CompanyShortlist(
        shortlist, unmatched, out, targets.drop(columns="members"), options, mapped
    )
