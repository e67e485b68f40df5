"""Fingerprints of input data and options, stable across row order and runs."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from ..compounds import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

__all__ = ["fingerprint_compounds", "jsonable"]


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return repr(round(value, 9))
    if isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _cells(column: pd.Series) -> list[object]:
    """:func:`_cell` of each value of one column, a whole column at a time."""
    values = column.tolist()
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
    if kind in "iub" and kind:  # Python ints and bools, kept as they are
        return values
    if kind == "f":
        return [None if math.isnan(v) else repr(round(v, 9)) for v in values]
    return [v if type(v) is str else _cell(v) for v in values]


def _geometry_text(geometry: gpd.GeoSeries) -> list[str]:
    digits = 7 if geometry.crs is not None and geometry.crs.is_geographic else 3
    normalized = shapely.normalize(geometry.to_numpy())
    return [str(t) for t in shapely.to_wkt(normalized, rounding_precision=digits, trim=True)]


def fingerprint_compounds(compounds: gpd.GeoDataFrame) -> str:
    """Return the sha256 of a canonical serialization of validated compounds.

    Rows are sorted by ``compound_id``, model columns come in model order and
    other columns by name, geometry is normalized WKT rounded to 1e-7 degrees
    or 1 mm, and the index is left out: the same data in any row or column
    order gives the same fingerprint.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> a = gpd.GeoDataFrame({"compound_id": ["C2", "C1"], "households": [5, 7]},
    ...                      geometry=[Point(1, 1), Point(0, 0)], crs=32649)
    >>> b = a.iloc[::-1].reset_index(drop=True)
    >>> fingerprint_compounds(a) == fingerprint_compounds(b)
    True
    """
    geometry_name = compounds.geometry.name
    model = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in compounds.columns]
    rest = sorted(str(c) for c in compounds.columns if c not in model and c != geometry_name)
    order = np.argsort(compounds["compound_id"].astype(str).to_numpy(), kind="stable")
    data = compounds.iloc[order]
    cells = [_cells(data[c]) for c in [*model, *rest]]
    payload = {
        "crs": compounds.crs.to_string() if compounds.crs is not None else None,
        "columns": [*model, *rest],
        "rows": [list(row) for row in zip(*cells, _geometry_text(data.geometry), strict=True)],
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def jsonable(value: Any, ids: pd.Series | None = None) -> Any:
    """Turn an option value into plain JSON data, deterministically.

    Series on the compounds' index become compound ids (boolean Series: the
    sorted ids where True; others: ``{id: value}``); geometry layers become
    their size and a hash; graphs their size; functions their name.

    Examples
    --------
    >>> jsonable({"b": (1, 2.5), "a": None})
    {'a': None, 'b': [1, 2.5]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic):
        return jsonable(value.item(), ids)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Mapping):
        return {
            str(k): jsonable(v, ids) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))
        }
    if isinstance(value, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geometry = value.geometry if isinstance(value, gpd.GeoDataFrame) else value
        wkb = shapely.to_wkb(shapely.normalize(geometry.to_numpy()))
        digest = hashlib.sha256(b"".join(bytes(w) for w in wkb)).hexdigest()
        return {"features": len(value), "sha256": digest}
    if isinstance(value, pd.Series):
        names = ids.reindex(value.index) if ids is not None else value.index.to_series()
        names = names.astype(str).to_numpy()
        if pd.api.types.is_bool_dtype(value):
            return sorted(n for n, v in zip(names, value.fillna(False), strict=True) if v)
        return {
            n: jsonable(v, ids)
            for n, v in sorted(zip(names, value, strict=True))
            if _cell(v) is not None
        }
    if isinstance(value, (list, tuple, pd.Index, np.ndarray)):
        return [jsonable(v, ids) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v, ids) for v in value), key=str)
    if isinstance(value, nx.Graph):
        return {"nodes": value.number_of_nodes(), "edges": value.number_of_edges()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"type": type(value).__name__, **jsonable(dataclasses.asdict(value), ids)}
    if callable(value):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', repr(value))}"
    return str(value)
