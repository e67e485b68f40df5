"""Build the five-level grid hierarchy: zones, and buildings/units/households.

Private helpers of :mod:`lianhu_geo.grid`. The planner's own tables are
used where given; everything else is generated deterministically from the
compound's counts and marked ``estimated``.
"""

from __future__ import annotations

import gc
import math
import re
import warnings
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import DataWarning, InputError, format_rows

if TYPE_CHECKING:
    import geopandas as gpd

    from ._inputs import Tables

__all__ = [
    "LEVELS",
    "DEFAULT_UNITS_PER_BUILDING",
    "DEFAULT_HOUSEHOLDS_PER_UNIT",
    "natural_key",
    "spread",
    "build_graph",
    "recount",
    "gc_paused",
    "level_codes",
]

#: The six node levels, root first.
LEVELS: tuple[str, ...] = ("district", "zone", "compound", "building", "unit", "household")

#: Used when a compound's ``units`` is unknown and its buildings must be split.
DEFAULT_UNITS_PER_BUILDING = 3
#: Used to size buildings when ``buildings`` and ``units`` are unknown: a
#: six-storey walk-up with two flats per landing has 12 households per unit.
DEFAULT_HOUSEHOLDS_PER_UNIT = 12


def natural_key(text: str) -> tuple:
    """Sort key that orders ``"b-9"`` before ``"b-10"``.

    Examples
    --------
    >>> sorted(["b-10", "b-9"], key=natural_key)
    ['b-9', 'b-10']
    """
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p
    )


def spread(total: int, n: int) -> list[int]:
    """Split ``total`` into ``n`` near-equal whole parts, larger ones first.

    Examples
    --------
    >>> spread(10, 3)
    [4, 3, 3]
    """
    if n <= 0:
        return []
    q, r = divmod(int(total), n)
    return [q + 1] * r + [q] * (n - r)


def _fill(known: list, total: int) -> tuple[list[int], list[bool]]:
    """Known counts stay; the rest of ``total`` is spread over unknown ones."""
    unknown = [i for i, v in enumerate(known) if pd.isna(v)]
    rest = max(int(total) - sum(int(v) for v in known if pd.notna(v)), 0)
    parts = iter(spread(rest, len(unknown)))
    values = [next(parts) if pd.isna(v) else int(v) for v in known]
    return values, [pd.isna(v) for v in known]


def _compound_plan(households: int, buildings: object, units: object) -> tuple[int, int, bool]:
    """Count the buildings and units to generate for a compound.

    Unknown ``units``: :data:`DEFAULT_UNITS_PER_BUILDING` per known building,
    else one unit per :data:`DEFAULT_HOUSEHOLDS_PER_UNIT` households. Unknown
    ``buildings``: one per :data:`DEFAULT_UNITS_PER_BUILDING` units.
    """
    defaulted = pd.isna(buildings) or pd.isna(units)
    if pd.isna(units):
        if pd.isna(buildings):
            units = math.ceil(households / DEFAULT_HOUSEHOLDS_PER_UNIT)
        else:
            units = int(buildings) * DEFAULT_UNITS_PER_BUILDING
    if pd.isna(buildings):
        buildings = math.ceil(int(units) / DEFAULT_UNITS_PER_BUILDING)
    buildings, units = int(buildings), int(units)
    if buildings and units < buildings:
        units, defaulted = buildings, True  # every building has at least one unit
    if units and not buildings:
        buildings, defaulted = 1, True
    if households and not buildings:
        buildings, units, defaulted = 1, max(units, 1), True
    return buildings, units, defaulted


def _unit_rows(building_id: str, n: int) -> list[tuple]:
    return [(f"{building_id}-{k}", f"{k}单元", pd.NA) for k in range(1, n + 1)]


def _building_rows(compound_id: str, n: int, units: list[int]) -> list[tuple]:
    width = max(2, len(str(n)))
    return [
        (f"{compound_id}-{k:0{width}d}", f"{k}号楼", pd.NA, u)
        for k, u in zip(range(1, n + 1), units, strict=True)
    ]


class _Writer:
    """Add tree nodes straight into a DiGraph's adjacency dicts.

    Equivalent to ``add_node(node, **attrs); add_edge(parent, node)`` for a
    new leaf, without networkx's per-call dict copies: about twice as fast
    and leaner for the hundreds of thousands of household nodes.
    """

    def __init__(self, graph: nx.DiGraph) -> None:
        self.node, self.succ, self.pred = graph._node, graph._succ, graph._pred
        self.duplicates: list[str] = []

    def add(self, node: str, attrs: dict, parent: str | None) -> dict:
        if node in self.node:
            self.duplicates.append(node)
            return self.succ[node]
        self.node[node] = attrs
        children: dict = {}
        self.succ[node] = children
        if parent is None:
            self.pred[node] = {}
        else:
            edge: dict = {}
            self.pred[node] = {parent: edge}
            self.succ[parent][node] = edge
        return children


def _layout(row: dict, tables: Tables, defaulted: list[str]) -> tuple[bool, list[tuple]]:
    """Lay out one compound's buildings, units and household counts.

    Returns whether the buildings were generated, and per building: id, name,
    households spread?, units generated?, unit rows, unit households, unit
    households spread?
    """
    cid, reported = row["compound_id"], row["households"]
    given = tables.buildings.get(cid)
    if given is None:
        n_b, n_u, was_default = _compound_plan(reported, row["buildings"], row["units"])
        if was_default:
            defaulted.append(cid)
        per_building = spread(n_u, n_b)
        per_unit = iter(spread(reported, n_u))
        given = _building_rows(cid, n_b, per_building)
        b_house = [sum(next(per_unit) for _ in range(u)) for u in per_building]
        b_spread = [True] * n_b
    else:
        b_house, b_spread = _fill([b[2] for b in given], reported)
    buildings = []
    for (bid, bname, _, bunits), bh, bs in zip(given, b_house, b_spread, strict=True):
        u_rows = tables.units.get(bid)
        u_estimated = u_rows is None
        if u_rows is None:
            n_units = (
                int(bunits)
                if pd.notna(bunits)
                else max(1, math.ceil(bh / DEFAULT_HOUSEHOLDS_PER_UNIT))
            )
            u_rows = _unit_rows(bid, n_units)
        known = [len(tables.households[u]) if u in tables.households else h for u, _, h in u_rows]
        if bs and all(pd.notna(k) for k in known) and not u_estimated:
            bh, bs = sum(int(k) for k in known), False
        u_house, u_spread = _fill(known, bh)
        buildings.append((bid, bname, bs, u_estimated, u_rows, u_house, u_spread))
    return cid not in tables.buildings, buildings


def build_graph(
    compounds: gpd.GeoDataFrame,
    zone_table: pd.DataFrame,
    tables: Tables,
    *,
    district: str,
    stop_at: str,
) -> nx.DiGraph:
    """Assemble the arborescence, district to ``stop_at``."""
    depth = LEVELS.index(stop_at)
    graph = nx.DiGraph()
    root = f"district:{district}"
    write = _Writer(graph)
    write.add(
        root, {"level": "district", "name": district, "subdistrict": None, "estimated": False}, None
    )
    zones = zone_table.assign(node="zone:" + zone_table["zone_id"])
    first = zones.drop_duplicates("node").set_index("node")
    for zid in sorted(first.index, key=natural_key):
        attrs = {
            "level": "zone",
            "name": first.at[zid, "zone_name"],
            "zone_kind": first.at[zid, "zone_kind"],
            "subdistrict": None,
            "estimated": False,
        }
        if pd.notna(first.at[zid, "company"]):
            attrs["bundle_company"] = first.at[zid, "company"]
        write.add(zid, attrs, root)
    columns = ["compound_id", "name", "subdistrict", "community", "households", "management"]
    extras = [c for c in ("property_company", "service_mode", "bundle_id") if c in compounds]
    records = (
        compounds[columns + extras]
        .assign(
            zone=zones["node"],
            company=zones["company"],
            buildings=compounds.get("buildings", pd.NA),
            units=compounds.get("units", pd.NA),
        )
        .to_dict("records")
    )
    for row in records:
        row["compound_id"] = str(row["compound_id"])
        row["households"] = int(row["households"])
    records.sort(key=lambda r: natural_key(r["compound_id"]))
    defaulted: list[str] = []
    disagree: list[str] = []
    zone_subs: dict[str, dict[str, int]] = {}
    names: list[str] = []
    for row in records:
        cid, sub, zid = row["compound_id"], str(row["subdistrict"]), row["zone"]
        generated, buildings = _layout(row, tables, defaulted)
        total = sum(sum(b[5]) for b in buildings)
        if total != row["households"]:
            disagree.append(f"{cid} ({row['households']} reported, {total} in its buildings)")
        subs = zone_subs.setdefault(zid, {})
        subs[sub] = subs.get(sub, 0) + total
        attrs = {
            "level": "compound",
            "name": str(row["name"]),
            "compound_id": cid,
            "subdistrict": sub,
            "community": str(row["community"]),
            "zone": zid,
            "management": str(row["management"]),
            "households": total,
            "households_reported": row["households"],
            "buildings": len(buildings),
            "units": sum(len(b[4]) for b in buildings),
            "estimated": False,
        }
        for extra in extras:
            if pd.notna(row[extra]):
                attrs[extra] = str(row[extra])
        if pd.notna(row["company"]):
            attrs["bundle_company"] = row["company"]
        cnode = "compound:" + cid
        write.add(cnode, attrs, zid)
        if depth < 3:
            continue
        for bid, bname, bs, u_est, u_rows, u_house, u_spread in buildings:
            bnode = "building:" + bid
            battrs = {
                "level": "building",
                "name": bname,
                "compound_id": cid,
                "subdistrict": sub,
                "households": sum(u_house),
                "units": len(u_rows),
                "estimated": generated,
                "households_estimated": bs,
            }
            write.add(bnode, battrs, cnode)
            if depth < 4:
                continue
            for (uid, uname, _), uh, us in zip(u_rows, u_house, u_spread, strict=True):
                unode = "unit:" + uid
                uattrs = {
                    "level": "unit",
                    "name": uname,
                    "subdistrict": sub,
                    "households": uh,
                    "estimated": u_est,
                    "households_estimated": us,
                }
                write.add(unode, uattrs, bnode)
                if depth < 5:
                    continue
                listed = tables.households.get(uid)
                if listed is None:
                    width = max(3, len(str(uh)))
                    if len(names) < uh or (names and len(names[0]) != width):
                        names = [f"{j:0{width}d}" for j in range(1, max(uh, 999) + 1)]
                    prefix = f"household:{uid}-"
                    for name in names[:uh]:
                        write.add(
                            prefix + name,
                            {
                                "level": "household",
                                "name": name,
                                "subdistrict": sub,
                                "households": 1,
                                "estimated": True,
                            },
                            unode,
                        )
                else:
                    for hid in listed:
                        write.add(
                            "household:" + hid,
                            {
                                "level": "household",
                                "name": hid,
                                "subdistrict": sub,
                                "households": 1,
                                "estimated": False,
                            },
                            unode,
                        )
    if write.duplicates:
        raise InputError(
            f"grid node ids {format_rows(sorted(set(write.duplicates)))} occur twice; building, "
            "unit and household ids must be unique across the tables, and must not look like "
            "generated ids (`<compound_id>-01`, `<building_id>-1`, `<unit_id>-001`)."
        )
    for zid, subs in zone_subs.items():
        # the zone's subdistrict: the one holding most of its households
        graph.nodes[zid]["subdistrict"] = sorted(subs.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    _warn(defaulted, disagree)
    recount(graph, root)
    return graph


def _warn(defaulted: list[str], disagree: list[str]) -> None:
    if defaulted:
        warnings.warn(
            f"compounds {format_rows(defaulted)} lack `buildings` or `units`, or have counts "
            "that do not fit together (fewer units than buildings, households but no "
            "buildings); their buildings were estimated with "
            f"{DEFAULT_HOUSEHOLDS_PER_UNIT} households per unit and "
            f"{DEFAULT_UNITS_PER_BUILDING} units per building. Add the counts to the compounds "
            "table for a truer grid.",
            DataWarning,
            stacklevel=4,
        )
    if disagree:
        warnings.warn(
            f"households of compounds {format_rows(disagree)} differ from the sum of their "
            "buildings/units tables; the grid counts the tables (the compound's figure is kept "
            "as `households_reported`).",
            DataWarning,
            stacklevel=4,
        )


def recount(graph: nx.DiGraph, root: Hashable) -> None:
    """Set the counts of the district and zone nodes from their compounds."""
    keys = ("households", "buildings", "units")
    total = dict.fromkeys(keys, 0)
    zones = list(graph.successors(root))
    for zone in zones:
        sums = dict.fromkeys(keys, 0)
        compounds = list(graph.successors(zone))
        for c in compounds:
            for k in keys:
                sums[k] += graph.nodes[c][k]
        graph.nodes[zone].update(sums, compounds=len(compounds))
        for k in keys:
            total[k] += sums[k]
    n_compounds = sum(graph.nodes[z]["compounds"] for z in zones)
    graph.nodes[root].update(total, zones=len(zones), compounds=n_compounds)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small dicts.

    The tree holds no reference cycles worth collecting, and collections
    triggered by hundreds of thousands of new dicts double the build time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def level_codes(levels: list[str]) -> np.ndarray:
    """Level names to their depth (0 = district)."""
    lookup = {name: i for i, name in enumerate(LEVELS)}
    return np.array([lookup.get(v, -1) for v in levels])
