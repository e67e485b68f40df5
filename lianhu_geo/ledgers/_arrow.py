"""GIS layers read in columns through Arrow, when pyarrow is installed.

GDAL hands a layer to :func:`pyogrio.raw.open_arrow` as Arrow columns: a
million GeoPackage features in half the CPU time of feature by feature, and
in less memory (benchmarks/README.md, issue 15). The frame made from them is the
one :func:`geopandas.read_file` makes, column for column: text as Python
strings (``str`` of Python storage, or ``object`` on pandas 2, never Arrow
storage: the rest of the library, and what it names as bad text, sees the
same values), integers and reals as numpy numbers (integers with empty
cells as floats with NaN), yes/no fields as ``bool``, then the geometry.

:func:`read_layer_arrow` returns None, and the caller reads the layer
feature by feature as before, when pyarrow is missing, when a field has a
type this module does not convert the same way (dates, lists, yes/no with
empty cells), when GDAL hands the text over in another encoding than UTF-8
(a Shapefile without ``.cpg`` is Latin-1 to GDAL: decoded there as before),
A text cell that is not valid UTF-8 in a layer that says it is raises
:class:`BadText` naming the rows and the column, which the feature-by-feature
reader could only report for the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["read_layer_arrow", "has_arrow", "BadText", "file_text_dtype"]


def has_arrow() -> bool:
    """Whether pyarrow can be imported (an optional dependency: ``lianhu_geo[arrow]``)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


class BadText(ValueError):
    """Text cells of a UTF-8 layer that are not UTF-8: ``rows`` (0-based) and their bytes."""

    def __init__(self, rows: list[tuple[int, bytes]], column: str | None = None):
        super().__init__(rows)
        self.rows, self.column = rows, column


def _not_utf8(values: object) -> list[tuple[int, bytes]]:
    import pyarrow as pa

    found = []
    for row, raw in enumerate(values.cast(pa.binary()).to_pylist()):  # the error's path only
        if raw is not None:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                found.append((row, raw))
    return found


def file_text_dtype() -> object:
    """Return the dtype pyogrio gives text read feature by feature, in Python storage."""
    inferred = pd.Series(["text"]).dtype  # pandas 3: str; pandas 2: object
    if isinstance(inferred, pd.StringDtype):
        return pd.StringDtype("python", na_value=inferred.na_value)
    return object


def _column(values: object, dtype: str) -> np.ndarray | None:
    """One batch of an Arrow column as numpy values, or None when it would read differently."""
    import pyarrow as pa

    kind = values.type
    if dtype == "object":
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return None
        try:
            values.validate(full=True)
        except pa.ArrowInvalid:  # not UTF-8: the cells are named by the caller
            raise BadText(_not_utf8(values)) from None
        return _strings(values)
    if dtype == "bool":
        if not pa.types.is_boolean(kind) or values.null_count:
            return None
        return values.to_numpy(zero_copy_only=False)
    if dtype.startswith(("int", "float")):
        if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
            return None
        out = values.to_numpy(zero_copy_only=False)  # empty cells: NaN in floats
        want = np.dtype(dtype) if not values.null_count else np.dtype("float64")
        return out if out.dtype == want else None  # integer batches join floats as floats
    return None


def _strings(values: object) -> np.ndarray:
    """Python ``str`` per cell, None where empty; a value repeated down the column is one object.

    A subdistrict's name on 4,000 rows is then one string, not 4,000 copies of
    it (a column of few values is most of a ledger's text).
    """
    import pyarrow as pa

    head = values.slice(0, 1000).dictionary_encode()  # ids and names: all distinct
    if len(head.dictionary) > len(head) // 2:
        return values.to_numpy(zero_copy_only=False)  # mostly distinct: as they come
    encoded = values.dictionary_encode()
    spelled = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), None)
    missing = pa.scalar(len(encoded.dictionary), encoded.indices.type)
    return spelled[encoded.indices.fill_null(missing).to_numpy()]


#: Features per Arrow batch: progress is told after each.
BATCH_FEATURES = 100_000


def read_layer_arrow(
    path: Path, layer: str, progress: Callable[[int, int], None] | None = None
) -> gpd.GeoDataFrame | None:
    """Read one layer through Arrow as :func:`geopandas.read_file` would, or None.

    Each batch of :data:`BATCH_FEATURES` features is made numpy values and
    geometries before the next is read, so the layer's Arrow buffers and
    WKB never sit in memory whole; ``progress(features read, features in the
    layer)`` is called after each.
    """
    if not has_arrow():
        return None
    import pyogrio
    from pyogrio.raw import open_arrow

    tell = progress or (lambda done, total: None)
    try:
        total = int(pyogrio.read_info(path, layer=layer)["features"])
        with open_arrow(path, layer=layer, use_pyarrow=True, batch_size=BATCH_FEATURES) as (
            meta,
            reader,
        ):
            return _read_batches(meta, reader, lambda done: tell(done, max(total, done)))
    except BadText:
        raise
    except Exception:  # noqa: BLE001 - the feature-by-feature reader words the error
        return None


def _read_batches(meta: dict, reader: object, tell: Callable[[int], None]) -> object:
    if str(meta["encoding"]).replace("-", "").lower() != "utf8":
        return None  # raw bytes in another encoding (a Shapefile without .cpg): decoded there
    geometry_name = meta["geometry_name"] or "wkb_geometry"
    if meta["geometry_type"] is None or geometry_name not in reader.schema.names:
        return None  # a table without geometry: as geopandas reads it
    fields = [(str(n), str(d)) for n, d in zip(meta["fields"], meta["dtypes"], strict=True)]
    parts: dict[str, list[np.ndarray]] = {name: [] for name, _ in fields}
    shapes, done = [], 0
    for batch in reader:
        for name, dtype in fields:
            try:
                values = _column(batch.column(name), dtype)
            except BadText as exc:
                raise BadText([(done + row, raw) for row, raw in exc.rows], name) from None
            if values is None:
                return None
            parts[name].append(values)
        wkb = batch.column(geometry_name).to_numpy(zero_copy_only=False)
        shapes.append(shapely.from_wkb(wkb))
        done += batch.num_rows
        tell(done)
    if not done:
        return None  # an empty layer: as geopandas reads it
    columns = {}
    for name, dtype in fields:
        values = np.concatenate(parts.pop(name))
        columns[name] = pd.array(values, dtype=file_text_dtype()) if dtype == "object" else values
    geometry = gpd.GeoSeries(np.concatenate(shapes), crs=meta["crs"])
    frame = pd.DataFrame(columns, index=pd.RangeIndex(done))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=meta["crs"])
