"""A corpus of hostile and broken input, as community offices' spreadsheets may hold it.

``TEXTS`` must come out of every file and the map literally; ``BAD_VALUES``
must each be refused with their named error; ``REPAIRS`` are repaired with a
named warning.
"""

from __future__ import annotations

import pandas as pd
from shapely.geometry import Polygon

#: Text that must be written as it is, everywhere (template syntax, formula
#: prefixes, HTML and script breakers, Unicode line separators, quotes).
TEXTS: tuple[str, ...] = (
    "{{ 7*7 }}",
    "{{",
    "}}",
    "{% for x in range(10**9) %}x{% endfor %}",
    "{# comment",
    "{%- raw %}{{ config }}{% endraw -%}",
    "${7*7}",
    "=1+1",
    '=HYPERLINK("http://x.invalid","点我")',
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(A1)",
    "#N/A",
    "</script><script>window.pwned=1</script>",
    "<!--<script>",
    "<img src=x onerror=window.pwned=1>",
    "\"'><b>粗</b>&amp;&lt;",
    "a\u2028b\u2029c",
    "\\u003c\\\\ back\\slash",
    "%s %(x)s {0} %",
    "小区（东院）·甲",
)

#: Columns of a compounds table that hold text.
TEXT_COLUMNS: tuple[str, ...] = (
    "compound_id",
    "name",
    "subdistrict",
    "community",
    "property_company",
    "备注",
)

#: (column, value, part of the error message) refused by validation.
BAD_VALUES: tuple[tuple[str, object, str], ...] = (
    ("households", "inf", "at most 100,000"),
    ("households", float("inf"), "at most 100,000"),
    ("households", "1e400", "at most 100,000"),
    ("households", 10**30, "at most 100,000"),
    ("households", 250_000, "at most 100,000"),
    ("households", "nan", "whole number"),
    ("buildings", 10**7, "at most 5,000"),
    ("name", "甲\x00院", "U+0000"),
    ("name", "甲\x1b[31m院", "U+001B"),
    ("community", "broken \udcff", "U+DCFF"),
    ("subdistrict", "\ufffe", "U+FFFE"),
    ("property_company", "物业\x07", "U+0007"),
    ("备注", "bell\x07", "U+0007"),
)

#: (kind, index) that the plan files could not give back: refused.
BAD_INDEXES: tuple[tuple[str, pd.Index, str], ...] = (
    ("mixed 1 and '1'", pd.Index([1, "1", 2, 3], dtype=object), "mixes int and str"),
    ("uint64 beyond int64", pd.Index([2**64 - 1, 1, 2, 3], dtype="uint64"), "64-bit"),
    ("MultiIndex", pd.MultiIndex.from_tuples([(1, 1), (1, 2), (2, 1), (2, 2)]), "MultiIndex"),
    ("repeated labels", pd.Index([1, 1, 2, 3]), "unique"),
)


def flat_polygon(x: float, y: float) -> Polygon:
    """A footprint with no area: three points on one line (EPSG:32649 metres)."""
    return Polygon([(x, y), (x + 10, y + 10), (x + 20, y + 20)])


def line_breaks() -> dict[str, str]:
    """Text with breaks and tabs, and what validation cleans it to."""
    return {"甲院\n（北区）": "甲院 （北区）", "a\tb\r\nc": "a b c"}
