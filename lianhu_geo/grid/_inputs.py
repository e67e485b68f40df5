"""Read the grid's inputs: compounds or a plan, zones, and the planner's tables.

Private helpers of :mod:`lianhu_geo.grid`: check the buildings, units and
households tables (ids unique, parents known, counts whole numbers) and
choose each compound's zone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from .._prepared import prepare
from ..errors import DataWarning, InputError, format_rows
from ._build import natural_key

__all__ = ["Tables", "assign_zones", "normalize_tables", "resolve_input"]


def resolve_input(compounds_or_plan: object) -> tuple[gpd.GeoDataFrame, pd.DataFrame | None]:
    """Return (compounds, bundles) from a compounds frame or a coverage plan."""
    bundles = None
    data = compounds_or_plan
    if not isinstance(data, pd.DataFrame) and hasattr(data, "compounds"):
        bundles = getattr(data, "bundles", None)
        data = data.compounds
    return prepare(data, unique_index=True).data, bundles


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


def _bundle_field(bundles: pd.DataFrame | None, column: str) -> dict[str, str]:
    if bundles is None or column not in getattr(bundles, "columns", ()):
        return {}
    return {str(k): str(v) for k, v in bundles[column].items() if pd.notna(v)}


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
    names, companies = _bundle_field(bundles, "name"), _bundle_field(bundles, "property_company")
    rows = []
    for b, p, cid, c in zip(bundle, planner, community_id, community, strict=True):
        if pd.notna(b):
            b = str(b)
            rows.append((b, names.get(b, b), "bundle", companies.get(b, pd.NA)))
        elif pd.notna(p):
            rows.append((p, p, "planner", pd.NA))
        else:
            rows.append((cid, str(c), "community", pd.NA))
    out = pd.DataFrame(
        rows, index=compounds.index, columns=["zone_id", "zone_name", "zone_kind", "company"]
    )
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
    filled = values.fillna(0)
    bad = (table[column].notna() & values.isna()) | (filled < 0) | (filled % 1 != 0)
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
                stacklevel=3,
            )
        for h, u in zip(h_ids, hu_ids, strict=True):
            out.households.setdefault(u, []).append(h)
    for rows in (*out.buildings.values(), *out.units.values()):
        rows.sort(key=lambda r: natural_key(r[0]))
    for rows in out.households.values():
        rows.sort(key=natural_key)
    return out
