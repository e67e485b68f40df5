"""Errors and warnings raised on planners' data."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["InputError", "OutputError", "DataWarning", "format_rows"]


class InputError(ValueError):
    """Input data cannot be used as it is.

    The message says what is wrong, where (rows by ``compound_id`` or row
    number, and columns) and how to fix it.
    """


class OutputError(InputError):
    """An output path cannot be written as asked: it is a folder, a link or a file.

    Raised before any byte is written; files already there are unchanged.
    """


class DataWarning(UserWarning):
    """Odd but usable data: repaired geometry, unknown planning fields."""


def format_rows(rows: Iterable[object], *, limit: int = 10) -> str:
    """Name rows in a message, at most ``limit`` of them then a count.

    Examples
    --------
    >>> format_rows(["C1", "C2"])
    'C1, C2'
    >>> format_rows(range(12), limit=3)
    '0, 1, 2 and 9 more'
    """
    rows = [str(r) for r in rows]
    head = ", ".join(rows[:limit])
    if len(rows) > limit:
        head += f" and {len(rows) - limit} more"
    return head
