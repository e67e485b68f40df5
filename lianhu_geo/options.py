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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError

__all__ = ["Option", "check_options", "check_unknown"]

_KINDS = {
    "distance": "a distance in metres",
    "number": "a number",
    "count": "a whole number",
    "bool": "True or False",
    "text": "text",
    "choice": "one of",
    "seed": "a whole number >= 0",
}


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
        ``"choice"`` (one of ``choices``) or ``"seed"`` (whole number >= 0).
    minimum, maximum : float, optional
        Inclusive bounds, unless ``exclusive_minimum`` is set.
    exclusive_minimum : bool
        ``minimum`` itself is refused (a distance that must be > 0).
    choices : tuple, optional
        For ``"choice"``.
    allow_none : bool
        ``None`` is a valid value (meaning "no limit" or "default").
    """

    name: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[Any, ...] = ()
    allow_none: bool = False

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown option kind {self.kind!r}")

    def _accepted(self) -> str:
        if self.kind == "choice":
            text = "one of " + ", ".join(repr(c) for c in self.choices)
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
        return InputError(f"`{self.name}` must be {self._accepted()}; got {value!r}.")

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
