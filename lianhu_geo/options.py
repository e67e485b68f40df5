"""One layer that checks options where the user called.

Each public entry point describes its options once, as :class:`Option`
objects, and calls :func:`check_options` (or :meth:`Option.check`) at the
top. A bad value raises :class:`~lianhu_geo.errors.InputError` naming the
option, the value and what is accepted, before any work is done; an unknown
keyword is named with the closest valid one.

>>> GAP = Option("max_gap_m", "distance", minimum=0)
>>> GAP.check(40)
40.0
>>> GAP.check(-1)
Traceback (most recent call last):
...
lianhu_geo.errors.InputError: `max_gap_m` must be a distance in metres >= 0; got -1.
>>> check_unknown({"max_gap": 40}, ["max_gap_m"], where="propose_bundles")
Traceback (most recent call last):
...
lianhu_geo.errors.InputError: propose_bundles got an unknown option `max_gap`; did you mean ...
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import InputError, format_rows

__all__ = [
    "ENGINES",
    "PARALLEL_OPTIONS",
    "Option",
    "bundle_of",
    "check_options",
    "check_unknown",
    "compound_mask",
    "is_client",
]

_KINDS = {
    "distance": "a distance in metres",
    "number": "a number",
    "count": "a whole number",
    "bool": "True or False",
    "text": "text",
    "choice": "one of",
    "seed": "a whole number >= 0",
    "instance": "",
    "choices": "a list of",
    "layer": "a GeoDataFrame or GeoSeries",
    "engine": "",
}

#: Names ``engine=`` takes (besides a ``distributed.Client`` or a scheduler address).
ENGINES = ("serial", "processes", "dask")


@dataclass(frozen=True)
class Option:
    """How one option is checked.

    Parameters
    ----------
    name : str
        The keyword as the user writes it.
    kind : str
        ``"distance"`` (metres, float), ``"number"`` (float), ``"count"``
        (whole number, ``3.0`` accepted as 3), ``"bool"``, ``"text"``,
        ``"choice"`` (one of ``choices``), ``"seed"`` (whole number >= 0) or
        ``"instance"`` (an object of one of ``types``, described by ``what``),
        ``"choices"`` (a non-empty list of ``choices``, returned as a tuple) or
        ``"layer"`` (a GeoDataFrame or GeoSeries: barriers, a boundary) or
        ``"engine"`` (where groups are solved: one of :data:`ENGINES`, a
        ``distributed.Client`` or a scheduler address such as
        ``"tcp://10.0.0.5:8786"``).
    minimum, maximum : float, optional
        Inclusive bounds, unless ``exclusive_minimum`` is set.
    exclusive_minimum : bool
        ``minimum`` itself is refused (a distance that must be > 0).
    choices : tuple, optional
        For ``"choice"``.
    allow_none : bool
        ``None`` is a valid value (meaning "no limit" or "default").
    types : tuple of type, optional
        For ``"instance"``.
    what : str, optional
        For ``"instance"``: what the user should pass, in words.
    """

    name: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[Any, ...] = ()
    allow_none: bool = False
    types: tuple[type, ...] = ()
    what: str = ""

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown option kind {self.kind!r}")

    def _accepted(self) -> str:
        if self.kind == "choice":
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind == "choices":
            text = "a non-empty list of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind == "instance":
            text = self.what or " or ".join(t.__name__ for t in self.types)
        elif self.kind == "engine":
            text = (
                f"one of {', '.join(ENGINES)}, a dask.distributed Client or a "
                "scheduler address such as 'tcp://10.0.0.5:8786'"
            )
        else:
            text = _KINDS[self.kind]
            if self.minimum is not None and self.kind != "seed":
                text += f" {'>' if self.exclusive_minimum else '>='} {_fmt(self.minimum)}"
            if self.maximum is not None:
                text += f" and <= {_fmt(self.maximum)}"
        if self.allow_none:
            text += " (or None)"
        return text

    def _refuse(self, value: Any) -> InputError:
        return InputError(f"`{self.name}` must be {self._accepted()}; got {_shown(value)}.")

    def check(self, value: Any) -> Any:
        """Return ``value`` in its checked form, or raise :class:`InputError`."""
        if value is None:
            if self.allow_none:
                return None
            raise self._refuse(value)
        if self.kind == "bool":
            if isinstance(value, bool) or type(value).__name__ == "bool_":
                return bool(value)
            raise self._refuse(value)
        if self.kind == "choices":
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
                raise self._refuse(value)
            items = tuple(value)
            if not items or any(
                not any(v == c and type(v) is type(c) for c in self.choices) for v in items
            ):
                raise self._refuse(value)
            return items
        if self.kind == "layer":
            if isinstance(value, gpd.GeoDataFrame | gpd.GeoSeries):
                return value
            raise self._refuse(value)
        if self.kind == "engine":
            if is_client(value) or isinstance(value, str) and (value in ENGINES or "://" in value):
                return value
            raise self._refuse(value)
        if self.kind == "instance":
            if isinstance(value, self.types):
                return value
            raise self._refuse(value)
        if self.kind == "text":
            if isinstance(value, str):
                return value
            raise self._refuse(value)
        if self.kind == "choice":
            if any(value == c and type(value) is type(c) for c in self.choices):
                return value
            raise self._refuse(value)
        # numbers: bool is an int in Python, never a valid number here
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self._refuse(value)
        number = float(value)
        if not math.isfinite(number):
            raise self._refuse(value)
        if self.kind in ("count", "seed"):
            if number != int(number):
                raise self._refuse(value)
            number = int(number)
            low = 0 if self.kind == "seed" else self.minimum
        else:
            low = self.minimum
        if low is not None and (number < low or (self.exclusive_minimum and number == low)):
            raise self._refuse(value)
        if self.maximum is not None and number > self.maximum:
            raise self._refuse(value)
        return number


def is_client(value: object) -> bool:
    """Whether ``value`` is a ``distributed.Client`` (without importing dask)."""
    return type(value).__name__ == "Client" and hasattr(value, "scatter")


#: ``workers`` and ``engine`` of the functions that solve groups in parallel
#: (:func:`lianhu_geo.scale.bundle_by_group`, :func:`lianhu_geo.coverage.plan_coverage`).
PARALLEL_OPTIONS: tuple[Option, ...] = (
    Option("workers", "count", minimum=1, allow_none=True),
    Option("engine", "engine", allow_none=True),
)


def _shown(value: Any) -> str:
    """Show the value as the user wrote it, or its type when that would be a page of text."""
    text = repr(value)
    if len(text) > 60 or "\n" in text:
        return f"a {type(value).__name__}"
    return text


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def check_unknown(options: Mapping[str, Any], valid: Iterable[str], *, where: str) -> None:
    """Refuse keywords that are not in ``valid``, suggesting the nearest one."""
    valid = sorted(valid)
    for name in options:
        if name not in valid:
            near = difflib.get_close_matches(name, valid, n=1)
            hint = f"; did you mean `{near[0]}`?" if near else "."
            raise InputError(
                f"{where} got an unknown option `{name}`{hint} Valid options: {', '.join(valid)}."
            )


def check_options(
    options: Mapping[str, Any], spec: Iterable[Option], *, where: str
) -> dict[str, Any]:
    """Check ``options`` against ``spec``: unknown names, then each value.

    Returns the options in their checked form (options not given are left
    out, so the callee's defaults apply).

    >>> spec = [Option("max_compounds", "count", minimum=1, allow_none=True)]
    >>> check_options({"max_compounds": 25.0}, spec, where="plan_coverage")
    {'max_compounds': 25}
    """
    by_name = {option.name: option for option in spec}
    check_unknown(options, by_name, where=where)
    return {name: by_name[name].check(value) for name, value in options.items()}


# ---------------------------------------------------------------- compound selections
_MASK_SHAPES = (
    "a list, set, pandas Index or Series of compound ids, a yes/no Series on the "
    "compounds' index, or a yes/no array in row order"
)
_LOCK_SHAPES = (
    "a list of compound ids (one bundle), a mapping from bundle name to compound ids, "
    "or a Series on the compounds' index giving each compound's bundle (NA = free)"
)
#: The name a ``locked=`` list of ids gives its one bundle.
LOCKED_LIST_NAME = "L01"


def _ids(compounds: pd.DataFrame) -> pd.Series:
    return compounds["compound_id"].astype(str)


def _known_ids(values: Iterable[Any], compounds: pd.DataFrame, name: str) -> list[str]:
    wanted = [str(v) for v in values]
    unknown = sorted(set(wanted) - set(_ids(compounds)))
    if unknown:
        raise InputError(
            f"`{name}` names unknown compound ids {format_rows(unknown)}; use ids from the "
            "compounds' `compound_id` column."
        )
    return wanted


def _on_index(value: pd.Series, compounds: pd.DataFrame, name: str) -> pd.Series:
    """``value`` on the compounds' index; every row must have an entry."""
    if value.index.equals(compounds.index):
        return value
    if not compounds.index.is_unique:
        raise InputError(
            f"`{name}` has another index than the compounds, and their index has "
            "duplicates; pass it on the same index."
        )
    missing = compounds.index.difference(value.index)
    if len(missing):
        raise InputError(
            f"`{name}` has no value for rows {format_rows(list(missing))} of the compounds; "
            "give one for every row (same index)."
        )
    return value.reindex(compounds.index)


def _is_yes_no(value: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(value):
        return True
    return value.dtype == object and len(value) > 0 and bool(value.isin([True, False]).all())


def compound_mask(value: Any, compounds: pd.DataFrame, *, name: str) -> np.ndarray:
    """Which compounds ``value`` selects, as a boolean array in row order.

    Accepts compound ids (list, tuple, set, :class:`pandas.Index`, a Series
    of ids, a NumPy array of ids), a yes/no Series on the compounds' index,
    or a yes/no array with one flag per row. Anything else, an unknown id,
    a missing flag or a flag array of the wrong length is an
    :class:`InputError` naming ``name``.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"compound_id": ["A", "B", "C"]})
    >>> compound_mask(["C", "A"], frame, name="exclude").tolist()
    [True, False, True]
    >>> compound_mask(pd.Series([False, True, False]), frame, name="exclude").tolist()
    [False, True, False]
    >>> compound_mask("A", frame, name="exclude")
    Traceback (most recent call last):
    ...
    lianhu_geo.errors.InputError: `exclude` must be a list, set, pandas Index or Series ...
    """
    if isinstance(value, pd.Series) and _is_yes_no(value):
        aligned = _on_index(value, compounds, name)
        if aligned.isna().any():
            rows = _ids(compounds)[aligned.isna().to_numpy()]
            raise InputError(
                f"`{name}` is missing for compounds {format_rows(rows)}; give True or False."
            )
        return aligned.astype(bool).to_numpy()
    if isinstance(value, pd.Series | pd.Index):
        if value.isna().any():
            raise InputError(f"`{name}` holds missing ids; give compound ids only.")
        return _ids(compounds).isin(_known_ids(value, compounds, name)).to_numpy()
    if isinstance(value, np.ndarray) and value.dtype == bool:
        if value.shape != (len(compounds),):
            raise InputError(
                f"`{name}` has {value.size} flags for {len(compounds)} compounds; give one "
                "per compound, in row order, or a list of compound ids."
            )
        return value.copy()
    if isinstance(value, list | tuple | Set | np.ndarray):
        items = list(value)
        if items and all(isinstance(v, bool | np.bool_) for v in items):
            return compound_mask(np.array(items, dtype=bool), compounds, name=name)
        if any(isinstance(v, bool | np.bool_) for v in items):
            raise InputError(
                f"`{name}` mixes yes/no flags into a list; give compound ids, or a yes/no "
                "Series on the compounds' index."
            )
        if any(not isinstance(v, str | numbers.Integral) for v in items):
            bad = next(v for v in items if not isinstance(v, str | numbers.Integral))
            raise InputError(f"`{name}` must hold compound ids; got {_shown(bad)} in it.")
        return _ids(compounds).isin(_known_ids(items, compounds, name)).to_numpy()
    raise InputError(f"`{name}` must be {_MASK_SHAPES}; got {_shown(value)}.")


def bundle_of(value: Any, compounds: pd.DataFrame, *, name: str = "locked") -> np.ndarray:
    """Return the locked bundle of each compound (row order; None = free).

    ``value`` is one of the three natural shapes: a list (tuple, set,
    Index) of compound ids, locked together as one bundle named
    :data:`LOCKED_LIST_NAME`; a mapping from bundle name to compound ids;
    or a Series on the compounds' index holding each compound's bundle
    name (NA = free). A compound in two bundles, an unknown id or another
    shape is an :class:`InputError`.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"compound_id": ["A", "B", "C"]})
    >>> bundle_of({"北1": ["A", "C"]}, frame).tolist()
    ['北1', None, '北1']
    >>> bundle_of(["B", "C"], frame).tolist()
    [None, 'L01', 'L01']
    >>> bundle_of({"x": ["A"], "y": ["A"]}, frame)
    Traceback (most recent call last):
    ...
    lianhu_geo.errors.InputError: `locked` puts compound A in two bundles (x, y); ...
    """
    out = np.full(len(compounds), None, dtype=object)
    if isinstance(value, pd.Series) and not _is_yes_no(value):
        aligned = _on_index(value, compounds, name)
        for k, v in enumerate(aligned.tolist()):
            if not _missing(v):
                out[k] = str(v)
        return out
    if isinstance(value, Mapping):
        groups = value
    elif isinstance(value, list | tuple | Set | pd.Index) or (
        isinstance(value, np.ndarray) and value.dtype != bool
    ):
        groups = {LOCKED_LIST_NAME: value}
    else:
        raise InputError(f"`{name}` must be {_LOCK_SHAPES}; got {_shown(value)}.")
    position = {cid: k for k, cid in enumerate(_ids(compounds))}
    for bundle, members in groups.items():
        if _missing(bundle) or not isinstance(bundle, str | numbers.Integral):
            raise InputError(f"`{name}` has a bundle named {_shown(bundle)}; name it with text.")
        if isinstance(members, str) or not isinstance(members, Iterable):
            raise InputError(
                f"`{name}` bundle {bundle!s} must list compound ids; got {_shown(members)}."
            )
        for cid in _known_ids(members, compounds, name):
            k = position[cid]
            if out[k] is not None and out[k] != str(bundle):
                raise InputError(
                    f"`{name}` puts compound {cid} in two bundles ({out[k]}, {bundle}); "
                    "give each compound one bundle."
                )
            out[k] = str(bundle)
    return out


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
