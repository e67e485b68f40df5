"""Scenarios: compare coverage plans made with different options.

:func:`compare_plans` puts the summary figures of several plans side by
side; :func:`plan_diff` lists the compounds whose service mode or bundle
changed between two plans.

A compound *moved bundle* when the set of compounds it shares a bundle with
differs between the plans (entering or leaving a bundle included). A bundle
that was only renumbered (same members, another ``bundle_id``) is not a
change, because bundle ids are assigned afresh in every plan.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import pandas as pd

from ..errors import DataWarning, InputError, format_rows
from . import RATE_COLUMNS, SUMMARY_COLUMNS, SUMMARY_LABELS, CoveragePlan
from .triage import MODE_LABELS

__all__ = ["compare_plans", "plan_diff"]


def _check_plans(plans: Mapping[str, CoveragePlan]) -> None:
    bad = [str(k) for k, p in plans.items() if not isinstance(p, CoveragePlan)]
    if bad:
        raise InputError(
            f"compare_plans needs CoveragePlan values; {format_rows(bad)} are not. "
            "Make them with `plan_coverage(...)`."
        )
    prints = {p.fingerprint for p in plans.values()}
    if len(prints) > 1:
        groups = sorted(
            ", ".join(sorted(str(k) for k, p in plans.items() if p.fingerprint == f))
            for f in prints
        )
        warnings.warn(
            "the plans were made from different input data ("
            + " | ".join(groups)
            + "); differences reflect the data as well as the options.",
            DataWarning,
            stacklevel=3,
        )


def compare_plans(
    plans: Mapping[str, CoveragePlan],
    *,
    by_subdistrict: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Put the summary figures of several plans side by side.

    Parameters
    ----------
    plans : mapping of str to CoveragePlan
        Scenario name -> plan, in the order to show them.
    by_subdistrict : bool, default False
        False: one row per figure (compounds, unmanaged, each mode, covered,
        coverage rate, bundles) for the district total, one column per plan.
        True: one row per subdistrict (and the total), columns
        ``(figure, plan)``.
    lang : {"en", "zh"}
        Chinese figure names and total label with ``"zh"``.

    Returns
    -------
    pandas.DataFrame

    Warns
    -----
    DataWarning
        When the plans were made from different input data (fingerprints).

    Examples
    --------
    >>> from lianhu_geo.coverage import _example, plan_coverage
    >>> a = plan_coverage(_example(), bundle=False)
    >>> b = plan_coverage(_example(), bundle=False, rule=lambda row: "on_demand")
    >>> table = compare_plans({"A": a, "B": b})
    >>> table.loc["extended"].tolist(), table.loc["on_demand"].tolist()
    ([1, 0], [0, 2])
    """
    if not isinstance(plans, Mapping) or not plans:
        raise InputError("compare_plans needs a non-empty mapping {name: plan}.")
    _check_plans(plans)
    summaries = {str(k): p.summary(lang=lang) for k, p in plans.items()}
    if by_subdistrict:
        table = pd.concat(summaries, axis=1).swaplevel(axis=1)
        columns = [SUMMARY_LABELS[c] if lang == "zh" else c for c in SUMMARY_COLUMNS]
        table = table.reindex(columns=pd.MultiIndex.from_product([columns, list(summaries)]))
        total = SUMMARY_LABELS["total"] if lang == "zh" else "total"
        rows = sorted(str(r) for r in table.index if r != total) + [total]
        table = table.reindex(rows)
        kept = {columns[SUMMARY_COLUMNS.index(c)] for c in (*RATE_COLUMNS, "upper_bound")}
        for column in table.columns:
            if column[0] not in kept:  # a rate, and a bound that may be unknown (NA)
                table[column] = table[column].fillna(0).astype("int64")
        return table
    total = SUMMARY_LABELS["total"] if lang == "zh" else "total"
    rates = {SUMMARY_LABELS[c] if lang == "zh" else c for c in RATE_COLUMNS}
    table = pd.DataFrame(
        {
            name: pd.Series(
                [
                    float(v) if f in rates else v if pd.isna(v) else int(v)
                    for f, v in s.loc[total].items()
                ],
                index=s.columns,
                dtype=object,
            )
            for name, s in summaries.items()
        }
    )
    table.index.name = "figure" if lang == "en" else "指标"
    return table


def _figure(value: object, rate: bool) -> object:
    """Return a summary figure as a plain number: a float rate, an int count, NA kept."""
    if rate:
        return float(value)
    return value if pd.isna(value) else int(value)


def _members(plan: CoveragePlan) -> dict[str, frozenset[str]]:
    ids = plan.compounds["compound_id"].astype(str)
    labels = plan.compounds["bundle_id"]
    groups: dict[str, set[str]] = {}
    for cid, label in zip(ids, labels, strict=True):
        if not pd.isna(label):
            groups.setdefault(str(label), set()).add(cid)
    out: dict[str, frozenset[str]] = {}
    for cid, label in zip(ids, labels, strict=True):
        out[cid] = frozenset(groups[str(label)]) if not pd.isna(label) else frozenset()
    return out


def _describe(mode: object, bundle: object) -> str:
    if pd.isna(mode):
        return "（无）"
    text = MODE_LABELS.get(str(mode), str(mode))
    return f"{text} {bundle}" if not pd.isna(bundle) else text


def plan_diff(before: CoveragePlan, after: CoveragePlan) -> pd.DataFrame:
    """List the compounds whose service mode or bundle differs between two plans.

    Parameters
    ----------
    before, after : CoveragePlan
        Two plans, usually of the same compounds with different options.
        Compounds are matched by ``compound_id``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``compound_id`` (sorted), one row per changed compound:
        ``name``, ``subdistrict``, ``mode_before``, ``mode_after``,
        ``bundle_before``, ``bundle_after``, ``mode_changed``,
        ``bundle_changed`` (see module notes), and ``change`` (Chinese text,
        e.g. ``"延伸式 → 片区大物业 B003"``). Compounds only in one plan
        appear with the other side missing.

    Warns
    -----
    DataWarning
        When the plans were made from different input data.

    Examples
    --------
    >>> from lianhu_geo.coverage import _example, plan_coverage
    >>> a = plan_coverage(_example(), bundle=False)
    >>> b = plan_coverage(_example(), bundle=False, rule=lambda row: "on_demand")
    >>> plan_diff(a, b)["change"].tolist()
    ['延伸式 → 订单式', '自治式 → 订单式']
    """
    _check_plans({"before": before, "after": after})
    columns = ["compound_id", "name", "subdistrict", "service_mode", "bundle_id"]
    a = pd.DataFrame(before.compounds[columns]).set_index("compound_id")
    b = pd.DataFrame(after.compounds[columns]).set_index("compound_id")
    ids = sorted(set(a.index.astype(str)) | set(b.index.astype(str)))
    a = a.reindex(pd.Index(ids, dtype="string", name="compound_id"))
    b = b.reindex(a.index)
    out = pd.DataFrame(index=a.index)
    out["name"] = a["name"].fillna(b["name"])
    out["subdistrict"] = a["subdistrict"].fillna(b["subdistrict"])
    out["mode_before"] = a["service_mode"]
    out["mode_after"] = b["service_mode"]
    out["bundle_before"] = a["bundle_id"]
    out["bundle_after"] = b["bundle_id"]
    out["mode_changed"] = (a["service_mode"].fillna("") != b["service_mode"].fillna("")).astype(
        bool
    )
    members_a, members_b = _members(before), _members(after)
    empty: frozenset[str] = frozenset()
    out["bundle_changed"] = [
        members_a.get(i, empty) != members_b.get(i, empty) or (i in members_a) != (i in members_b)
        for i in ids
    ]
    out = out[out["mode_changed"] | out["bundle_changed"]].copy()
    out["change"] = pd.array(
        [
            f"{_describe(m0, b0)} → {_describe(m1, b1)}"
            for m0, m1, b0, b1 in zip(
                out["mode_before"],
                out["mode_after"],
                out["bundle_before"],
                out["bundle_after"],
                strict=True,
            )
        ],
        dtype="string",
    )
    return out
