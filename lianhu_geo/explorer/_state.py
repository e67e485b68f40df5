"""What the explorer holds without any widget: options, locks, exclusions, scenarios.

:class:`ExploreState` turns the explorer's options into the one
:func:`~lianhu_geo.coverage.plan_coverage` call they stand for
(:meth:`ExploreState.plan_call`), so that a plan made in the explorer is
exactly the plan a script would make with the same options.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import geopandas as gpd
import pandas as pd

from ..bundling import OPTIONS as BUNDLE_OPTIONS
from ..bundling.viability import MODEL_OPTIONS, ViabilityModel
from ..errors import InputError, format_rows
from ..options import Option, check_options

__all__ = ["OPTIONS", "MODEL_FIELDS", "ExploreState", "Scenario"]

#: The cost model's assumptions, settable as options of the explorer.
MODEL_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ViabilityModel))

_PLAN_OPTIONS = ("min_households", "max_compounds", "max_span_m", "max_gap_m", "max_link_m")
#: Every option of :func:`lianhu_geo.explore` and ``Explorer.set``, checked in one place.
OPTIONS: tuple[Option, ...] = (
    *(o for o in BUNDLE_OPTIONS if o.name in _PLAN_OPTIONS),
    *MODEL_OPTIONS,
)

#: Options that are not single values: checked by :meth:`ExploreState.update`.
LIST_OPTIONS: tuple[str, ...] = ("subdistricts", "exclude")

_MODEL = ViabilityModel()
DEFAULTS: dict[str, Any] = {
    "min_households": None,
    "max_compounds": 40,
    "max_span_m": None,
    "max_gap_m": None,  # None: the library's defaults (footprints: 40 m gap; points: 250 m link)
    "max_link_m": None,
    **{name: getattr(_MODEL, name) for name in MODEL_FIELDS},
    "subdistricts": (),
}


@dataclass
class Scenario:
    """A kept scenario: its name, the options and locks it was made with, its plan."""

    name: str
    options: dict[str, Any]
    locked: dict[str, str]
    exclude: frozenset[str]
    plan: Any = field(repr=False)


class ExploreState:
    """Options, locks and exclusions of one explorer, checked as they change.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        The compounds being explored (validated by ``plan_coverage``).
    **options
        See :data:`OPTIONS`, plus ``subdistricts`` (names to plan; empty for
        all) and ``exclude`` (compound ids).

    Examples
    --------
    >>> state = ExploreState(three_compounds(), max_compounds=25)
    >>> data, kwargs = state.plan_call()
    >>> kwargs["max_compounds"], len(data)
    (25, 3)
    >>> state.update(max_compund=3)
    Traceback (most recent call last):
    ...
    lianhu_geo.errors.InputError: explore got an unknown option `max_compund`; did you mean ...
    """

    def __init__(self, compounds: gpd.GeoDataFrame, **options: Any) -> None:
        if not isinstance(compounds, gpd.GeoDataFrame):
            raise InputError(
                f"expected a GeoDataFrame of compounds, got {type(compounds).__name__}; "
                "use `lianhu_geo.read_compounds(path)` to read a file."
            )
        if "compound_id" not in compounds.columns or "subdistrict" not in compounds.columns:
            raise InputError(
                "the compounds need `compound_id` and `subdistrict` columns; read them with "
                "`lianhu_geo.read_compounds(path)`, which names what is missing."
            )
        self.compounds = compounds
        self._ids = compounds["compound_id"].astype(str)
        self.all_subdistricts: tuple[str, ...] = tuple(
            sorted(compounds["subdistrict"].astype(str).unique())
        )
        self.options: dict[str, Any] = dict(DEFAULTS)
        self.locked: dict[str, str] = {}
        self.exclude: frozenset[str] = frozenset()
        self.scenarios: dict[str, Scenario] = {}
        self.update(**options)

    # options -------------------------------------------------------------
    def update(self, **options: Any) -> dict[str, Any]:
        """Check ``options`` and apply them; return the options that changed."""
        lists = {k: options.pop(k) for k in LIST_OPTIONS if k in options}
        checked = check_options(options, OPTIONS, where="explore")
        if "subdistricts" in lists:
            checked["subdistricts"] = self._check_subdistricts(lists["subdistricts"])
        if "exclude" in lists:
            exclude = frozenset(self._check_ids(lists["exclude"], "exclude"))
            self._refuse_locked(exclude)
        model = {k: checked.get(k, self.options[k]) for k in MODEL_FIELDS}
        if checked.get("min_households", self.options["min_households"]) is None:
            # a threshold from the cost model must exist: refuse a model under which nothing pays
            ViabilityModel(**model).min_households()
        changed = {k: v for k, v in checked.items() if self.options.get(k) != v}
        self.options.update(checked)
        if "exclude" in lists and exclude != self.exclude:
            self.exclude = exclude
            changed["exclude"] = sorted(exclude)
        return changed

    def _check_subdistricts(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, Iterable):
            raise InputError(
                f"`subdistricts` must be a list of subdistrict names (or empty for all); "
                f"got {value!r}."
            )
        names = [str(v) for v in value]
        unknown = sorted(set(names) - set(self.all_subdistricts))
        if unknown:
            raise InputError(
                f"`subdistricts` names {format_rows(unknown)}, which are not subdistricts of "
                f"these compounds; use some of {', '.join(self.all_subdistricts)}."
            )
        return tuple(sorted(set(names)))

    def _check_ids(self, ids: Any, name: str) -> list[str]:
        if isinstance(ids, str) or not isinstance(ids, Iterable):
            raise InputError(f"`{name}` must be a list of compound ids; got {ids!r}.")
        wanted = [str(i) for i in ids]
        unknown = sorted(set(wanted) - set(self._ids))
        if unknown:
            raise InputError(f"`{name}` names unknown compound ids {format_rows(unknown)}.")
        return wanted

    def _refuse_locked(self, exclude: Iterable[str]) -> None:
        both = sorted(set(exclude) & set(self.locked))
        if both:
            raise InputError(
                f"compounds {format_rows(both)} are in locked bundles and cannot be excluded; "
                "unlock their bundles first (`unlock(ids)`)."
            )

    # locks and exclusions ------------------------------------------------
    def lock(self, ids: Iterable[str], plan: Any) -> list[str]:
        """Lock the bundles of ``plan`` that the compounds ``ids`` are in; return their ids."""
        wanted = self._check_ids(ids, "lock")
        bundle_of = dict(
            zip(plan.compounds["compound_id"].astype(str), plan.compounds["bundle_id"], strict=True)
        )
        loose = sorted(i for i in wanted if i in bundle_of and pd.isna(bundle_of[i]))
        absent = sorted(i for i in wanted if i not in bundle_of)
        if absent:
            raise InputError(
                f"compounds {format_rows(absent)} are not in the current plan (outside the "
                "subdistricts shown); add their subdistricts first."
            )
        if loose:
            raise InputError(
                f"compounds {format_rows(loose)} are not in a bundle, so there is no bundle to "
                "lock; lock a compound of a bundle, or exclude it instead."
            )
        bundles = sorted({str(bundle_of[i]) for i in wanted})
        for cid, bundle in bundle_of.items():
            if not pd.isna(bundle) and str(bundle) in bundles:
                self.locked[cid] = str(bundle)
        return bundles

    def unlock(self, ids: Iterable[str] | None = None) -> list[str]:
        """Unlock the locked bundles the compounds ``ids`` are in (all with None)."""
        if ids is None:
            bundles = sorted(set(self.locked.values()))
        else:
            bundles = sorted(
                {self.locked[i] for i in self._check_ids(ids, "unlock") if i in self.locked}
            )
        self.locked = {c: b for c, b in self.locked.items() if b not in bundles}
        return bundles

    def set_exclude(self, ids: Iterable[str]) -> None:
        exclude = frozenset(self._check_ids(ids, "exclude"))
        self._refuse_locked(exclude)
        self.exclude = exclude

    # the plan call ---------------------------------------------------------
    def plan_call(self) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
        """Return the compounds and options of the ``plan_coverage`` call these options mean."""
        o = self.options
        data = self.compounds
        if o["subdistricts"]:
            data = data[data["subdistrict"].astype(str).isin(o["subdistricts"])]
        kwargs: dict[str, Any] = {
            "min_households": o["min_households"],
            "max_compounds": o["max_compounds"],
            "max_span_m": o["max_span_m"],
            "viability": ViabilityModel(**{k: o[k] for k in MODEL_FIELDS}),
        }
        for name in ("max_gap_m", "max_link_m"):  # given only when set: each fits one geometry
            if o[name] is not None:
                kwargs[name] = o[name]
        ids = data["compound_id"].astype(str)
        if self.locked:
            locked = ids.map(self.locked)
            if locked.notna().any():
                kwargs["locked"] = locked.astype("string")
        exclude = sorted(set(ids) & self.exclude)
        if exclude:
            kwargs["exclude"] = exclude
        return data, kwargs

    # scenarios -------------------------------------------------------------
    def keep(self, name: str, plan: Any) -> Scenario:
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"a scenario needs a name (text); got {name!r}.")
        scenario = Scenario(
            name=name,
            options=copy.deepcopy(self.options),
            locked=dict(self.locked),
            exclude=self.exclude,
            plan=plan,
        )
        self.scenarios[name] = scenario
        return scenario

    def scenario(self, name: str) -> Scenario:
        if name not in self.scenarios:
            known = ", ".join(self.scenarios) or "none kept yet"
            raise InputError(f"no scenario named {name!r}; kept: {known}.")
        return self.scenarios[name]

    def restore(self, name: str) -> None:
        """Take the options, locks and exclusions of a kept scenario back."""
        s = self.scenario(name)
        self.options = copy.deepcopy(s.options)
        self.locked = dict(s.locked)
        self.exclude = s.exclude
