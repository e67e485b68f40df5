"""Build the five-level grid hierarchy: zones, and buildings/units/households.

Private helpers of :mod:`lianhu_geo.grid`. The planner's own tables are
used where given; everything else is generated deterministically from the
compound's counts and marked ``estimated``.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from .errors import DataWarning, InputError, format_rows

__all__ = [
    "LEVELS",
    "DEFAULT_UNITS_PER_BUILDING",
    "DEFAULT_HOUSEHOLDS_PER_UNIT",
    "natural_key",
    "resolve_input",
    "assign_zones",
    "build_graph",
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


def resolve_input(compounds_or_plan: object) -> tuple[gpd.GeoDataFrame, pd.DataFrame | None]:
    """Return (compounds, bundles) from a compounds frame or a coverage plan."""
    from .compounds import validate_compounds

    bundles = None
    data = compounds_or_plan
    if not isinstance(data, pd.DataFrame) and hasattr(data, "compounds"):
        bundles = getattr(data, "bundles", None)
        data = data.compounds
    return validate_compounds(data), bundles


def _zone_values(compounds: pd.DataFrame, zones: object) -> pd.Series:
    if zones is None:
        return pd.Series(pd.NA, index=compounds.index, dtype="string")
    if isinstance(zones, str):
        if zones not in compounds.columns:
            raise InputError(
                f"`zones={zones!r}` names no column of the compounds; columns are "
                f"{', '.join(map(str, compounds.columns))}."
            )
        zones = compounds[zones]
    if not isinstance(zones, pd.Series):
        raise InputError("`zones` must be a column name or a Series on the compounds' index.")
    missing = compounds.index.difference(zones.index)
    if len(missing):
        ids = compounds.loc[missing, "compound_id"]
        raise InputError(
            f"`zones` has no entry for compounds {format_rows(ids)}; give a zone for each "
            "compound (NA falls back to the community)."
        )
    values = zones.reindex(compounds.index)
    return pd.Series(
        [pd.NA if pd.isna(v) else str(v) for v in values], index=compounds.index, dtype="string"
    )


def assign_zones(
    compounds: pd.DataFrame, zones: object, bundles: pd.DataFrame | None
) -> pd.DataFrame:
    """Zone id, name and kind for each compound (index of ``compounds``).

    A bundled compound's zone is its bundle; otherwise the planner's zone;
    otherwise its community (qualified with the subdistrict when the same
    community name occurs in two subdistricts).
    """
    planner = _zone_values(compounds, zones)
    community = compounds["community"].astype("string")
    shared = compounds.groupby(community, sort=True)["subdistrict"].nunique()
    ambiguous = set(shared.index[shared > 1])
    community_id = [
        f"{s}/{c}" if c in ambiguous else str(c)
        for s, c in zip(compounds["subdistrict"], community, strict=True)
    ]
    bundle = (
        compounds["bundle_id"]
        if "bundle_id" in compounds.columns
        else pd.Series(pd.NA, index=compounds.index)
    )
    bundle_names = {}
    if bundles is not None and "name" in getattr(bundles, "columns", ()):
        bundle_names = {str(k): str(v) for k, v in bundles["name"].items() if pd.notna(v)}
    rows = []
    for b, p, cid, c in zip(bundle, planner, community_id, community, strict=True):
        if pd.notna(b):
            rows.append((str(b), bundle_names.get(str(b), str(b)), "bundle"))
        elif pd.notna(p):
            rows.append((p, p, "planner"))
        else:
            rows.append((cid, str(c), "community"))
    out = pd.DataFrame(rows, index=compounds.index, columns=["zone_id", "zone_name", "zone_kind"])
    kinds = out.groupby("zone_id")["zone_kind"].nunique()
    clash = sorted(kinds.index[kinds > 1])
    if clash:
        raise InputError(
            f"zone ids {format_rows(clash)} are used both as a bundle id and as a zone or "
            "community name; rename the planner's zones so that each zone id means one zone."
        )
    return out


def _ids(table: pd.DataFrame, column: str, name: str) -> pd.Series:
    if column not in table.columns:
        raise InputError(
            f"the {name} table needs a `{column}` column; it has "
            f"{', '.join(map(str, table.columns))}."
        )
    ids = table[column]
    if ids.isna().any():
        raise InputError(
            f"`{column}` is empty in rows {format_rows(table.index[ids.isna()])} of "
            f"the {name} table; give every row an id."
        )
    return pd.Series([str(v) for v in ids], index=table.index, dtype=object)


def _count(table: pd.DataFrame, column: str, ids: pd.Series, name: str) -> pd.Series:
    if column not in table.columns:
        return pd.Series(pd.NA, index=table.index, dtype="Int64")
    values = pd.to_numeric(table[column], errors="coerce")
    bad = (table[column].notna() & values.isna()) | (values < 0) | (values % 1 != 0)
    if bad.any():
        raise InputError(
            f"`{column}` in the {name} table must be a whole number >= 0; rows "
            f"{format_rows(ids[bad.to_numpy()])} are not. Fix them or leave the cell empty."
        )
    return values.astype("Int64")


def _unique(ids: pd.Series, name: str, column: str) -> None:
    dup = ids.duplicated(keep=False)
    if dup.any():
        raise InputError(
            f"`{column}` must be unique in the {name} table; {format_rows(sorted(set(ids[dup])))} "
            "appear more than once."
        )


def _unknown(ids: pd.Series, known: set, name: str, column: str, parent: str) -> None:
    bad = ~ids.isin(known)
    if bad.any():
        raise InputError(
            f"rows {format_rows(sorted(set(ids[bad])))} of the {name} table name a `{column}` "
            f"that is not in the {parent}; fix the ids or add the missing {parent} rows."
        )


@dataclass
class Tables:
    """The planner's tables, normalized and grouped by parent id."""

    buildings: dict[str, list[tuple]] = field(default_factory=dict)
    units: dict[str, list[tuple]] = field(default_factory=dict)
    households: dict[str, list[str]] = field(default_factory=dict)
    geometry: gpd.GeoSeries | None = None


def normalize_tables(
    compound_ids: set[str], buildings: object, units: object, households: object
) -> Tables:
    """Check the planner's tables and group rows by parent id."""
    out = Tables()
    if units is not None and buildings is None:
        raise InputError(
            "a `units` table needs a `buildings` table too (it says each building's compound)."
        )
    if households is not None and units is None:
        raise InputError(
            "a `households` table needs a `units` table too (it says each unit's building)."
        )
    if buildings is not None:
        b_ids = _ids(buildings, "building_id", "buildings")
        c_ids = _ids(buildings, "compound_id", "buildings")
        _unique(b_ids, "buildings", "building_id")
        _unknown(c_ids, compound_ids, "buildings", "compound_id", "compounds")
        names = buildings["name"] if "name" in buildings.columns else b_ids
        hh = _count(buildings, "households", b_ids, "buildings")
        un = _count(buildings, "units", b_ids, "buildings")
        for b, c, n, h, u in zip(b_ids, c_ids, names, hh, un, strict=True):
            out.buildings.setdefault(c, []).append((b, str(n), h, u))
        if isinstance(buildings, gpd.GeoDataFrame) and buildings.crs is not None:
            geom = buildings.geometry
            keep = (geom.notna() & ~geom.is_empty).to_numpy()
            out.geometry = gpd.GeoSeries(
                geom.to_numpy()[keep], index=["building:" + b for b in b_ids[keep]], crs=geom.crs
            )
    if units is not None:
        u_ids = _ids(units, "unit_id", "units")
        ub_ids = _ids(units, "building_id", "units")
        _unique(u_ids, "units", "unit_id")
        _unknown(ub_ids, set(b_ids), "units", "building_id", "buildings table")
        names = units["name"] if "name" in units.columns else u_ids
        hh = _count(units, "households", u_ids, "units")
        for u, b, n, h in zip(u_ids, ub_ids, names, hh, strict=True):
            out.units.setdefault(b, []).append((u, str(n), h))
    if households is not None:
        h_ids = _ids(households, "household_id", "households")
        hu_ids = _ids(households, "unit_id", "households")
        _unique(h_ids, "households", "household_id")
        _unknown(hu_ids, set(u_ids), "households", "unit_id", "units table")
        extra = [c for c in households.columns if c not in ("household_id", "unit_id")]
        if extra:
            warnings.warn(
                f"the households table's columns {format_rows(map(str, extra))} are not kept: "
                "the grid holds only each household's id and unit (no personal data).",
                DataWarning,
                stacklevel=4,
            )
        for h, u in zip(h_ids, hu_ids, strict=True):
            out.households.setdefault(u, []).append(h)
    for rows in (*out.buildings.values(), *out.units.values()):
        rows.sort(key=lambda r: natural_key(r[0]))
    for rows in out.households.values():
        rows.sort(key=natural_key)
    return out


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
        buildings = 1
    if households and not buildings:
        buildings = units = 1
    return buildings, units, defaulted


def _unit_rows(building_id: str, n: int) -> list[tuple]:
    return [(f"{building_id}-{k}", f"{k}单元", pd.NA) for k in range(1, n + 1)]


def _building_rows(compound_id: str, n: int, units: list[int]) -> list[tuple]:
    width = max(2, len(str(n)))
    return [
        (f"{compound_id}-{k:0{width}d}", f"{k}号楼", pd.NA, u)
        for k, u in zip(range(1, n + 1), units, strict=True)
    ]


def _household_ids(unit_id: str, n: int) -> Iterator[str]:
    width = max(3, len(str(n)))
    return (f"{unit_id}-{j:0{width}d}" for j in range(1, n + 1))


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
    node_rows: list[tuple[str, dict]] = []
    edges: list[tuple[str, str]] = []
    defaulted: list[str] = []
    disagree: list[str] = []
    order = sorted(compounds.index, key=lambda i: natural_key(str(compounds.at[i, "compound_id"])))
    columns = compounds.columns
    zone_rows: dict[str, dict] = {}
    for idx in order:
        row = compounds.loc[idx]
        cid = str(row["compound_id"])
        sub = str(row["subdistrict"])
        zid = "zone:" + zone_table.at[idx, "zone_id"]
        reported = int(row["households"])
        b_count = row["buildings"] if "buildings" in columns else pd.NA
        u_count = row["units"] if "units" in columns else pd.NA
        given = tables.buildings.get(cid)
        if given is None:
            n_b, n_u, was_default = _compound_plan(reported, b_count, u_count)
            if was_default:
                defaulted.append(cid)
            given = _building_rows(cid, n_b, spread(n_u, n_b))
            b_estimated = True
        else:
            b_estimated = False
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
            known = [
                len(tables.households[u]) if u in tables.households else h for u, _, h in u_rows
            ]
            if bs and all(pd.notna(k) for k in known) and not u_estimated:
                bh, bs = sum(int(k) for k in known), False
            u_house, u_spread = _fill(known, bh)
            buildings.append((bid, bname, bs, u_estimated, u_rows, u_house, u_spread))
        total = sum(sum(b[5]) for b in buildings)
        if total != reported:
            disagree.append(f"{cid} ({reported} reported, {total} in its buildings)")
        n_units_total = sum(len(b[4]) for b in buildings)
        zone = zone_rows.setdefault(
            zid,
            {
                "level": "zone",
                "name": zone_table.at[idx, "zone_name"],
                "zone_kind": zone_table.at[idx, "zone_kind"],
                "estimated": False,
                "_subs": {},
            },
        )
        zone["_subs"][sub] = zone["_subs"].get(sub, 0) + total
        attrs = {
            "level": "compound",
            "name": str(row["name"]),
            "compound_id": cid,
            "subdistrict": sub,
            "community": str(row["community"]),
            "zone": zid,
            "management": str(row["management"]),
            "households": total,
            "households_reported": reported,
            "buildings": len(buildings),
            "units": n_units_total,
            "estimated": False,
        }
        for extra in ("property_company", "service_mode", "bundle_id"):
            if extra in columns and pd.notna(row[extra]):
                attrs[extra] = str(row[extra])
        cnode = f"compound:{cid}"
        node_rows.append((cnode, attrs))
        edges.append((zid, cnode))
        if depth < 3:
            continue
        for bid, bname, bs, u_est, u_rows, u_house, u_spread in buildings:
            bnode = f"building:{bid}"
            node_rows.append(
                (
                    bnode,
                    {
                        "level": "building",
                        "name": bname,
                        "compound_id": cid,
                        "subdistrict": sub,
                        "households": sum(u_house),
                        "units": len(u_rows),
                        "estimated": b_estimated,
                        "households_estimated": bs,
                    },
                )
            )
            edges.append((cnode, bnode))
            if depth < 4:
                continue
            for (uid, uname, _), uh, us in zip(u_rows, u_house, u_spread, strict=True):
                unode = f"unit:{uid}"
                node_rows.append(
                    (
                        unode,
                        {
                            "level": "unit",
                            "name": uname,
                            "subdistrict": sub,
                            "households": uh,
                            "estimated": u_est,
                            "households_estimated": us,
                        },
                    )
                )
                edges.append((bnode, unode))
                if depth < 5:
                    continue
                listed = tables.households.get(uid)
                ids = listed if listed is not None else _household_ids(uid, uh)
                est = listed is None
                for hid in ids:
                    hnode = "household:" + hid
                    node_rows.append(
                        (
                            hnode,
                            {
                                "level": "household",
                                "name": hid.rsplit("-", 1)[-1],
                                "subdistrict": sub,
                                "households": 1,
                                "estimated": est,
                            },
                        )
                    )
                    edges.append((unode, hnode))
    if defaulted:
        warnings.warn(
            f"compounds {format_rows(defaulted)} lack `buildings` or `units` (or have fewer "
            "units than buildings); their buildings were estimated with "
            f"{DEFAULT_HOUSEHOLDS_PER_UNIT} households per unit and "
            f"{DEFAULT_UNITS_PER_BUILDING} units per building. Add the counts to the compounds "
            "table for a truer grid.",
            DataWarning,
            stacklevel=3,
        )
    if disagree:
        warnings.warn(
            f"households of compounds {format_rows(disagree)} differ from the sum of their "
            "buildings/units tables; the grid counts the tables (the compound's figure is kept "
            "as `households_reported`).",
            DataWarning,
            stacklevel=3,
        )
    _add_upper(graph, root, district, zone_rows, node_rows)
    n_before = len(node_rows) + len(zone_rows) + 1
    graph.add_nodes_from(node_rows)
    if graph.number_of_nodes() != n_before:
        raise InputError(
            "two grid nodes got the same id; building, unit and household ids must be unique "
            "across the tables, and must not look like generated ids `<compound_id>-NN`."
        )
    graph.add_edges_from(edges)
    recount(graph, root)
    return graph


def _add_upper(
    graph: nx.DiGraph, root: str, district: str, zone_rows: dict, node_rows: list
) -> None:
    graph.add_node(root, level="district", name=district, subdistrict=None, estimated=False)
    for zid in sorted(zone_rows, key=natural_key):
        attrs = zone_rows[zid]
        subs = attrs.pop("_subs")
        # the zone's subdistrict: the one holding most of its households
        attrs["subdistrict"] = sorted(subs.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        graph.add_node(zid, **attrs)
        graph.add_edge(root, zid)


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


def level_codes(levels: list[str]) -> np.ndarray:
    """Level names to their depth (0 = district)."""
    lookup = {name: i for i, name in enumerate(LEVELS)}
    return np.array([lookup.get(v, -1) for v in levels])
