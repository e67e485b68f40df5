"""Read planners' compound files: GIS layers, CSV and Excel tables.

The readers live in :mod:`lianhu_geo.ledgers`; this module keeps the
public path ``lianhu_geo.readers.read_compounds``.
"""

from __future__ import annotations

from .ledgers import CSV_ENCODINGS, read_compounds

__all__ = ["read_compounds", "CSV_ENCODINGS"]
