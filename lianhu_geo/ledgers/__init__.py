"""Ledgers (小区台账): the files district offices keep, in and out.

:func:`read_compounds` reads workbooks, CSV and GIS files as offices make
them (title rows, merged cells, one sheet per community, many files at
once) and remembers where every row came from (``source_file``,
``source_sheet``, ``source_row``). :func:`write_template` writes the
fill-in workbook to send to the subdistrict and community offices, and
:func:`read_locked` reads a table of bundles already contracted.
"""

from ._lists import BUNDLE_HEADERS, locked_series, read_ids, read_layer, read_locked
from ._place import place
from ._read import DEDUPE, DEDUPE_DISTANCE_M, read_compounds
from ._tables import CSV_ENCODINGS, HEADER_SCAN
from ._template import SUBDISTRICTS, TEMPLATE_COLUMNS, write_template

__all__ = [
    "BUNDLE_HEADERS",
    "locked_series",
    "read_ids",
    "read_layer",
    "read_locked",
    "CSV_ENCODINGS",
    "DEDUPE",
    "DEDUPE_DISTANCE_M",
    "HEADER_SCAN",
    "place",
    "read_compounds",
    "SUBDISTRICTS",
    "TEMPLATE_COLUMNS",
    "write_template",
]
