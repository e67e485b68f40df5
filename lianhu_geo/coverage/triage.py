"""Triage: the fallback service mode of each unmanaged compound left unbundled.

Compounds too small or too scattered for a 片区大物业 bundle get one of the
district's three fallback modes (see ``CONTEXT.md``):

- ``extended`` (延伸式): residents will pay something; the subdistrict brings
  in a cleaning company and extends its services into the courtyard.
- ``self_governed`` (自治式): residents will not pay, but an owners' committee
  or property management committee (业委会/物管会) can run the courtyard.
- ``on_demand`` (订单式): no will to pay and no self-governing body;
  volunteer teams serve from a list of items residents order.

Default rules (:func:`default_rule`), from ``willing_to_pay`` and
``owners_committee``:

==================  ==================  =================
``willing_to_pay``  ``owners_committee``  mode
==================  ==================  =================
True                any                 ``extended``
False               True                ``self_governed``
False               False               ``on_demand``
unknown (NA)        any                 ``missing_mode``
False               unknown (NA)        ``missing_mode``
==================  ==================  =================

``missing_mode`` defaults to :data:`DEFAULT_MISSING_MODE` (``"on_demand"``):
volunteer service on order assumes nothing about residents, so it is the
mode that can always be started; :func:`triage` warns with
:class:`~lianhu_geo.errors.DataWarning` naming the compounds so the survey can
be completed.

The rules can be replaced by a function ``rule(row) -> mode`` (or
``(mode, reason)``; ``None`` means "cannot tell") or by a mapping from
``(willing_to_pay, owners_committee)`` pairs (``None`` for unknown) to modes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from .. import labels as _labels
from ..errors import DataWarning, InputError, format_rows
from ..options import Option, check_options

__all__ = [
    "SERVICE_MODES",
    "FALLBACK_MODES",
    "MODE_LABELS",
    "MODE_REASONS",
    "DEFAULT_MISSING_MODE",
    "default_rule",
    "triage",
]

#: Every service mode a compound can have in a coverage plan, in report order.
SERVICE_MODES: tuple[str, ...] = (
    "professional",
    "bundle",
    "standalone",
    "extended",
    "self_governed",
    "on_demand",
)

#: The three fallback modes for unmanaged compounds outside any bundle.
FALLBACK_MODES: tuple[str, ...] = ("extended", "self_governed", "on_demand")

#: Chinese label of each service mode, for tables and maps planners read
#: (kept in :mod:`lianhu_geo.labels`).
MODE_LABELS: dict[str, str] = _labels.MODE_LABELS

#: Reason written for each fallback mode chosen by the default rules.
MODE_REASONS: dict[str, str] = _labels.MODE_REASONS

#: Mode given when the fields the rules need are unknown.
DEFAULT_MISSING_MODE = "on_demand"

_RULE_FIELDS = ("willing_to_pay", "owners_committee")

Rule = Callable[[pd.Series], Any] | Mapping[tuple, str]

#: How :func:`triage` (and :func:`~lianhu_geo.coverage.plan_coverage`) check
#: ``rule`` and ``missing_mode``.
OPTIONS: tuple[Option, ...] = (
    Option(
        "rule",
        "instance",
        types=(Callable, Mapping),
        what="a function of a row or a mapping (willing_to_pay, owners_committee) -> mode",
        allow_none=True,
    ),
    Option("missing_mode", "choice", choices=FALLBACK_MODES),
)


def _flag(value: object) -> bool | None:
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return bool(value)


def default_rule(row: pd.Series) -> str | None:
    """Choose a fallback mode from ``willing_to_pay`` and ``owners_committee``.

    Parameters
    ----------
    row : pandas.Series
        One compound; missing fields count as unknown.

    Returns
    -------
    str or None
        ``"extended"``, ``"self_governed"`` or ``"on_demand"``; ``None`` when
        the fields needed are unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> default_rule(pd.Series({"willing_to_pay": True, "owners_committee": pd.NA}))
    'extended'
    >>> default_rule(pd.Series({"willing_to_pay": False, "owners_committee": True}))
    'self_governed'
    >>> default_rule(pd.Series({"willing_to_pay": pd.NA})) is None
    True
    """
    willing = _flag(row.get("willing_to_pay"))
    committee = _flag(row.get("owners_committee"))
    if willing is True:
        return "extended"
    if willing is False and committee is True:
        return "self_governed"
    if willing is False and committee is False:
        return "on_demand"
    return None


def _mapping_rule(mapping: Mapping[tuple, str]) -> Callable[[pd.Series], str | None]:
    def rule(row: pd.Series) -> str | None:
        key = (_flag(row.get("willing_to_pay")), _flag(row.get("owners_committee")))
        if key in mapping:
            return mapping[key]
        return default_rule(row)

    return rule


def _results(compounds: pd.DataFrame, func: Callable, *, by_fields: bool) -> list[Any]:
    """``func`` of each row; once per distinct pair of fields when only they matter.

    The default rules and a mapping read ``willing_to_pay`` and
    ``owners_committee`` alone, so the rows that agree on both get the
    answer of the first of them, without a pandas row for each compound.
    """
    if not by_fields:
        return [func(row) for _, row in compounds.iterrows()]
    flags = [
        [_flag(v) for v in compounds[c].tolist()]
        if c in compounds.columns
        else [None] * len(compounds)
        for c in _RULE_FIELDS
    ]
    keys = list(zip(*flags, strict=True))
    first: dict[tuple, int] = {}
    for k, key in enumerate(keys):
        first.setdefault(key, k)
    answer = {key: func(compounds.iloc[k]) for key, k in first.items()}
    return [answer[key] for key in keys]


def _missing_reason(missing_mode: str) -> str:
    return _labels.label("mode_reason_missing").format(mode=MODE_LABELS[missing_mode])


def triage(
    compounds: pd.DataFrame,
    *,
    rule: Rule | None = None,
    missing_mode: str = DEFAULT_MISSING_MODE,
) -> pd.DataFrame:
    """Give each compound one fallback service mode and a reason.

    Parameters
    ----------
    compounds : pandas.DataFrame
        The compounds to triage (usually the unmanaged ones left unbundled),
        with ``compound_id`` and, where known, ``willing_to_pay`` and
        ``owners_committee``. Not modified.
    rule : callable or mapping, optional
        Replaces :func:`default_rule`. A function takes a row and returns a
        mode, a ``(mode, reason)`` pair, or ``None`` for "cannot tell". A
        mapping goes from ``(willing_to_pay, owners_committee)`` pairs, with
        ``None`` for unknown, to modes; pairs it lacks fall back to the
        default rules.
    missing_mode : str, default "on_demand"
        Mode for compounds the rule cannot tell (see module notes).

    Returns
    -------
    pandas.DataFrame
        Same index, columns ``service_mode`` and ``mode_reason`` (strings).

    Raises
    ------
    InputError
        When the rule returns something that is not a fallback mode.

    Warns
    -----
    DataWarning
        Naming the compounds given ``missing_mode`` because their fields
        are unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"compound_id": ["C1", "C2"],
    ...                    "willing_to_pay": [True, False],
    ...                    "owners_committee": [False, True]})
    >>> triage(df)["service_mode"].tolist()
    ['extended', 'self_governed']
    >>> triage(df, rule={(True, False): "on_demand"})["service_mode"].tolist()
    ['on_demand', 'self_governed']
    """
    check_options({"rule": rule, "missing_mode": missing_mode}, OPTIONS, where="triage")
    if rule is None:
        func: Callable[[pd.Series], Any] = default_rule
    elif isinstance(rule, Mapping):
        bad = sorted({str(m) for m in rule.values() if m not in FALLBACK_MODES})
        if bad:
            raise InputError(
                f"the triage mapping gives {', '.join(bad)}; modes must be one of "
                f"{', '.join(FALLBACK_MODES)}."
            )
        func = _mapping_rule(rule)
    elif callable(rule):
        func = rule
    else:
        raise InputError(
            f"`rule` must be a function (row) -> mode or a mapping; got {type(rule).__name__}."
        )
    custom = rule is not None
    modes: list[str] = []
    reasons: list[str] = []
    unknown: list[object] = []
    invalid: list[str] = []
    ids = compounds["compound_id"] if "compound_id" in compounds.columns else compounds.index
    by_fields = rule is None or isinstance(rule, Mapping)
    for result, cid in zip(_results(compounds, func, by_fields=by_fields), ids, strict=True):
        reason = None
        if isinstance(result, tuple):
            result, reason = result
        if result is None:
            unknown.append(cid)
            modes.append(missing_mode)
            reasons.append(_missing_reason(missing_mode))
            continue
        if result not in FALLBACK_MODES:
            invalid.append(f"{cid} -> {result!r}")
            continue
        modes.append(result)
        if reason is None:
            reason = (
                MODE_REASONS[result]
                if not custom
                else _labels.label("mode_reason_custom_rule").format(mode=MODE_LABELS[result])
            )
        reasons.append(str(reason))
    if invalid:
        raise InputError(
            f"the triage rule returned modes that are not fallback modes for "
            f"{format_rows(invalid)}; it must return one of {', '.join(FALLBACK_MODES)} "
            "or None."
        )
    if unknown:
        missing = [c for c in _RULE_FIELDS if c not in compounds.columns]
        what = (
            f"the input has no {', '.join(f'`{c}`' for c in missing)} column"
            if missing
            else "`willing_to_pay` or `owners_committee` is unknown"
        )
        warnings.warn(
            f"{what} for compounds {format_rows(unknown)}; they get the default mode "
            f"{missing_mode!r} ({MODE_LABELS[missing_mode]}). Fill in the survey fields, "
            "or pass `missing_mode=` or `rule=`.",
            DataWarning,
            stacklevel=2,
        )
    return pd.DataFrame(
        {
            "service_mode": pd.array(modes, dtype="string"),
            "mode_reason": pd.array(reasons, dtype="string"),
        },
        index=compounds.index,
    )
