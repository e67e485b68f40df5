"""Bundling split into independent groups of subdistricts, and merged back.

Bundles never cross a subdistrict, so each subdistrict is its own problem.
A locked bundle (already contracted) whose members lie in several
subdistricts joins them into one group, so that it is built once. Every
group is solved by :func:`~lianhu_geo.bundling.propose_bundles` with

- its own seed, a stable hash of the group's key and the caller's ``seed``
  (:func:`group_seed`): never the order in which groups happen to run;
- its share of ``time_limit_s`` for the exact stages, in proportion to its
  free eligible compounds (their work is counted in steps, not timed, see
  :mod:`lianhu_geo.bundling._polish`), so the whole plan spends the same
  budget as one solve would, and the shares depend on the data alone.

The merge names new bundles ``B001``, ``B002`` ... over all groups in the
order :func:`~lianhu_geo.bundling.propose_bundles` names them (subdistrict,
then first member's ``compound_id``), so the plan is the same whichever
engine ran the groups and in whatever order they finished.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._prepared import Prepared
from ..bundling import DEFAULT_TIME_LIMIT_S, BundleResult, propose_bundles
from ..bundling._table import _new_ids
from ..bundling.neighbors import neighbor_graph
from ..coords import to_metric
from ..errors import InputError
from ..footprints import estimate_footprints
from ..options import bundle_of, compound_mask

__all__ = ["Group", "Groups", "group_seed", "make_groups", "solve_group", "merge_results"]

#: Options given per compound: split with the compounds of each group.
_PER_COMPOUND = ("eligible", "locked", "exclude")


def group_seed(key: str, seed: int) -> int:
    """Give one group its seed: sha256 of the caller's seed and the group's key.

    Independent of ``PYTHONHASHSEED`` and of the order groups run in.

    Examples
    --------
    >>> group_seed("青年路街道", 0) == group_seed("青年路街道", 0)
    True
    >>> group_seed("青年路街道", 0) != group_seed("北院门街道", 0)
    True
    """
    digest = hashlib.sha256(f"{int(seed)}\x1f{key}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1  # 63 bits: any numpy seed


@dataclass(frozen=True)
class Group:
    """One independent bundling problem: its key, seed and (checked) compounds."""

    key: str
    seed: int
    compounds: Prepared
    options: dict[str, Any]


def _per_compound(value: object, data: gpd.GeoDataFrame, name: str) -> pd.Series | None:
    """Give a per-compound option as a Series on ``data``'s index (or None)."""
    if value is None:
        return None
    if name == "locked":  # each compound's bundle, None = free (a list, mapping or Series)
        return pd.Series(bundle_of(value, data, name=name), index=data.index, dtype=object)
    return pd.Series(compound_mask(value, data, name=name), index=data.index)


def _keys(data: gpd.GeoDataFrame, locked: pd.Series | None) -> pd.Series:
    """Group key of each compound: its subdistrict, or subdistricts a locked bundle joins."""
    sub = data["subdistrict"].astype(str)
    if locked is None:
        return sub
    names = sorted(set(sub))
    parent = {s: s for s in names}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    held = locked.notna().to_numpy()
    spans = pd.DataFrame({"bundle": locked[held].astype(str), "sub": sub[held]})
    for subs in spans.groupby("bundle", sort=True)["sub"].unique():
        first = root(sorted(subs)[0])
        for s in subs:
            r = root(s)
            if r != first:
                parent[max(r, first)] = min(r, first)
                first = min(r, first)
    members: dict[str, list[str]] = {}
    for s in names:
        members.setdefault(root(s), []).append(s)
    key_of = {s: "、".join(members[root(s)]) for s in names}
    return sub.map(key_of)


def _free(data: gpd.GeoDataFrame, options: dict[str, Any]) -> pd.Series:
    """Which compounds the search places: eligible, not excluded, not locked."""
    eligible = options.get("eligible")
    free = data["management"].eq("unmanaged") if eligible is None else eligible.astype(bool)
    if options.get("exclude") is not None:
        free &= ~options["exclude"].astype(bool)
    if isinstance(options.get("locked"), pd.Series):
        free &= options["locked"].isna()
    return free


class Groups(Sequence):
    """The groups of one input, each one's compounds copied out only when asked for.

    Iterating gives one :class:`Group` at a time, so a serial run or a
    bounded window of processes holds one group's copy, not all of them.
    """

    def __init__(self, data, parts, options, graph, seed, limit, free_total, areas=None) -> None:
        self._data, self._parts, self._options, self._areas = data, parts, options, areas
        self._graph, self._seed, self._limit, self._total = graph, seed, limit, free_total

    def __len__(self) -> int:
        return len(self._parts)

    @property
    def sizes(self) -> list[tuple[int, int]]:
        """The work of each group: its free eligible compounds, then all its compounds."""
        return [(free, len(index)) for _, index, free in self._parts]

    def __getitem__(self, k: int) -> Group:  # type: ignore[override]
        key, index, free = self._parts[k]
        part = self._data.loc[index]  # rows of checked compounds: checked, not again
        own = {name: (v.loc[index] if name in _PER_COMPOUND and v is not None else v)
               for name, v in self._options.items()}  # fmt: skip
        share = free / self._total if self._total else 0.0
        limit = self._limit
        own["time_limit_s"] = float(limit) * share if np.isfinite(limit) else limit
        if self._graph is not None:
            ids = part["compound_id"].astype(str).tolist()
            own["graph"] = self._graph.subgraph(ids).copy()
        areas = None if self._areas is None else self._areas.loc[index]
        return Group(key, group_seed(key, self._seed), Prepared(part, areas=areas), own)


def make_groups(data: gpd.GeoDataFrame, options: dict[str, Any]) -> Groups:
    """Split validated compounds and their bundling options into groups, by key."""
    options = dict(options)
    seed = options.pop("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise InputError(f"`seed` must be a whole number; got {seed!r}.")
    within = options.get("within", "subdistrict")
    if within is not None and (not isinstance(within, str) or within not in data.columns):
        # let propose_bundles say what is wrong, on the whole input
        propose_bundles(data.iloc[:0], **options)
    for name in _PER_COMPOUND:
        options[name] = _per_compound(options.get(name), data, name)
    graph = options.pop("graph", None)
    areas = None
    if (shapely.get_type_id(data.geometry.to_numpy()) == 0).any():
        # points: their links (Delaunay) and estimated areas (Voronoi) depend on all the
        # points around them, so both are made once over the whole input, then split
        if graph is None:
            graph = neighbor_graph(
                data,
                max_gap_m=options.pop("max_gap_m", None),
                max_link_m=options.pop("max_link_m", None),
                barriers=options.get("barriers"),
                within=within,
            )
        areas = estimate_footprints(
            to_metric(data), barriers=options.get("barriers"), boundary=options.get("boundary")
        )
    keys = _keys(data, options.get("locked"))
    free = _free(data, options)
    limit = options.pop("time_limit_s", DEFAULT_TIME_LIMIT_S)
    if isinstance(limit, bool) or not isinstance(limit, int | float | np.integer | np.floating):
        limit = float("nan")  # refused by propose_bundles with its own message
    parts = [
        (str(key), index, int(free.loc[index].sum()))
        for key, index in keys.groupby(keys, sort=True).groups.items()
    ]
    return Groups(data, parts, options, graph, int(seed), limit, int(free.sum()), areas)


def solve_group(group: Group) -> tuple[BundleResult, list[tuple[type, str]]]:
    """Bundle one group; return the result and the warnings it raised (to re-raise)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = propose_bundles(group.compounds, seed=group.seed, **group.options)
    return result, [(w.category, str(w.message)) for w in caught]


def merge_results(
    data: gpd.GeoDataFrame, results: list[BundleResult], *, seed: int, options: dict[str, Any]
) -> BundleResult:
    """One :class:`BundleResult` from the groups', with bundle ids over all groups."""
    locked_names: set[str] = set()
    tables, firsts = [], []
    for result in results:
        table = result.bundles
        locked_names.update(table.index[table["locked"].to_numpy(dtype=bool)].astype(str))
        tables.append(table)
    bundles = pd.concat(tables) if tables else results[0].bundles
    first_id = [str(v).split(",")[0] for v in bundles["compound_ids"]]
    sub_of = data.set_index("compound_id")["subdistrict"].astype(str)
    firsts = sub_of.reindex(first_id).to_numpy(dtype=str)
    is_new = ~bundles["locked"].to_numpy(dtype=bool)
    # new bundles named as propose_bundles names them: by subdistrict, then first member
    new = np.flatnonzero(is_new)
    order = new[np.lexsort((np.asarray(first_id, dtype=str)[new], firsts[new]))]
    names = np.asarray(bundles.index.astype(str), dtype=object)
    rename: list[dict[str, str]] = [{} for _ in results]
    owner = np.repeat(np.arange(len(results)), [len(t) for t in tables])
    for k, new_name in zip(order, _new_ids(len(new), locked_names), strict=True):
        rename[owner[k]][names[k]] = new_name
        names[k] = new_name
    bundles = bundles.set_axis(pd.Index(pd.array(names.tolist(), dtype="string"), name="bundle_id"))
    sort = np.lexsort((np.asarray(first_id, dtype=str), firsts))
    bundles = bundles.iloc[sort]

    labels = pd.concat(
        [_renamed(r.labels, m) for r, m in zip(results, rename, strict=True)]
    ).astype("string")
    reasons = pd.concat([r.reasons for r in results]).astype("string")
    labels = labels.reindex(data.index).rename("bundle_id")
    reasons = reasons.reindex(data.index).rename("reason")
    return BundleResult(
        labels=labels,
        reasons=reasons,
        bundles=bundles,
        min_households=results[0].min_households,
        options={
            **results[0].options,
            "seed": seed,
            "time_limit_s": options.get("time_limit_s", DEFAULT_TIME_LIMIT_S),
        },
        _summary=_merge_summaries([r._summary for r in results]),
        _edges=_merge_edges([r._edges for r in results]),
    )


def _renamed(labels: pd.Series, names: dict[str, str]) -> pd.Series:
    """``labels`` with the bundle ids in ``names`` replaced (a string Series, NA kept)."""
    values = labels.to_numpy(dtype=object, na_value=None)
    renamed = [names.get(v, v) if v is not None else None for v in values]
    return pd.Series(pd.array(renamed, dtype="string"), index=labels.index, name=labels.name)


def _merge_summaries(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("eligible_compounds", "eligible_households", "bundled_compounds",
                "bundled_households", "locked_bundles", "upper_bound"):  # fmt: skip
        out[key] = int(sum(s[key] for s in summaries))
    out["optimal"] = all(s["optimal"] for s in summaries)
    out["time_limited"] = any(s["time_limited"] for s in summaries)
    bound: dict[str, int] = {}
    for s in summaries:
        for name, value in s["free_upper_bound_by_subdistrict"].items():
            bound[name] = bound.get(name, 0) + int(value)
    out["free_upper_bound_by_subdistrict"] = dict(sorted(bound.items()))
    return out


def _merge_edges(edges: list[tuple]) -> tuple:
    ids, ei, ej, gap, offset = [], [], [], [], 0
    for g_ids, g_i, g_j, g_gap in edges:
        ids.append(np.asarray(g_ids))
        ei.append(np.asarray(g_i) + offset)
        ej.append(np.asarray(g_j) + offset)
        gap.append(np.asarray(g_gap, dtype=float))
        offset += len(g_ids)
    if not ids:
        return (np.empty(0, dtype=str), np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0))
    return (np.concatenate(ids), np.concatenate(ei), np.concatenate(ej), np.concatenate(gap))
