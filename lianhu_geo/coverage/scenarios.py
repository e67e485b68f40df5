"""Scenarios: compare coverage plans made with different options.

:func:`compare_plans` puts the summary figures of several plans side by
side; :func:`plan_diff` lists the compounds whose service mode or bundle
changed between two plans, and :func:`bundle_diff` what each bundle gained
and lost.

Bundle ids are assigned afresh in every plan, so the same bundle may be
B004 in one plan and B007 in the next. :func:`match_bundles` first matches
the bundles of two plans by their members (the assignment that shares the
most compounds, then the most households) and gives each bundle of the
second plan the id of its match in the first: a bundle that did not change
keeps its id, one that grew keeps it too, and a bundle with no match gets a
new number after the first plan's largest. A compound *moved bundle* when
its bundle, so matched, differs between the plans (entering or leaving a
bundle included); the members that stayed in a bundle that gained or lost
others did not move.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..errors import DataWarning, InputError, format_rows
from . import RATE_COLUMNS, SUMMARY_COLUMNS, SUMMARY_LABELS, CoveragePlan
from .triage import MODE_LABELS

__all__ = ["compare_plans", "plan_diff", "bundle_diff", "match_bundles"]


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
    >>> from lianhu_geo.coverage import plan_coverage
    >>> a = plan_coverage(three_compounds(), bundle=False)
    >>> b = plan_coverage(three_compounds(), bundle=False, rule=lambda row: "on_demand")
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
        ``bundle_before``, ``bundle_after`` (``after``'s bundles renumbered
        by :func:`match_bundles`, so the same bundle has the same id),
        ``mode_changed``, ``bundle_changed`` (the compound is in another
        bundle, or enters or leaves one), and ``change`` (Chinese text,
        e.g. ``"延伸式 → 片区大物业 B003"``). Compounds only in one plan
        appear with the other side missing. What each bundle gained and
        lost is :func:`bundle_diff`.

    Warns
    -----
    DataWarning
        When the plans were made from different input data.

    Examples
    --------
    >>> from lianhu_geo.coverage import plan_coverage
    >>> a = plan_coverage(three_compounds(), bundle=False)
    >>> b = plan_coverage(three_compounds(), bundle=False, rule=lambda row: "on_demand")
    >>> plan_diff(a, b)["change"].tolist()
    ['延伸式 → 订单式', '自治式 → 订单式']
    """
    _check_plans({"before": before, "after": after})
    after = _relabel(after, before)
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
    bundle_a = a["bundle_id"].astype("string").fillna("")
    bundle_b = b["bundle_id"].astype("string").fillna("")
    out["bundle_changed"] = (bundle_a != bundle_b).to_numpy(dtype=bool)
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


def _bundle_members(plan: CoveragePlan) -> dict[str, list[str]]:
    """Bundle id -> sorted member compound ids."""
    ids = plan.compounds["compound_id"].astype(str).to_numpy()
    labels = plan.compounds["bundle_id"].astype("string")
    groups: dict[str, list[str]] = {}
    for cid, bid in zip(ids, labels, strict=True):
        if not pd.isna(bid):
            groups.setdefault(str(bid), []).append(cid)
    return {b: sorted(m) for b, m in sorted(groups.items())}


def _new_ids(taken: set[str], count: int) -> list[str]:
    """``count`` ids ``B001``-style after the largest number in ``taken``, none in ``taken``."""
    numbers = [int(t[1:]) for t in taken if len(t) > 1 and t[0] == "B" and t[1:].isdigit()]
    width = max([len(t) - 1 for t in taken if t[1:].isdigit()] + [3])
    n, out = max(numbers, default=0), []
    while len(out) < count:
        n += 1
        new = f"B{n:0{width}d}"
        if new not in taken:
            out.append(new)
    return out


def _bundle_matching(reference: CoveragePlan, plan: CoveragePlan) -> dict[str, str]:
    """Map each bundle id of ``plan`` to its id after matching with ``reference``."""
    ref, own = _bundle_members(reference), _bundle_members(plan)
    if not own:
        return {}
    households = pd.to_numeric(
        pd.Series(
            reference.compounds["households"].to_numpy(),
            index=reference.compounds["compound_id"].astype(str).to_numpy(),
        ),
        errors="coerce",
    ).fillna(0)
    households = households[~households.index.duplicated()]
    scale = float(households.clip(lower=0).sum()) + 1.0
    ref_ids, own_ids = list(ref), list(own)
    score = np.zeros((len(own_ids), len(ref_ids)))
    where = {cid: j for j, bid in enumerate(ref_ids) for cid in ref[bid]}
    for i, bid in enumerate(own_ids):
        for cid in own[bid]:
            j = where.get(cid)
            if j is not None:  # one shared compound outweighs any number of households
                score[i, j] += scale + max(float(households.get(cid, 0.0)), 0.0)
    mapping: dict[str, str] = {}
    if ref_ids:
        rows, cols = linear_sum_assignment(score, maximize=True)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if score[i, j] > 0:
                mapping[own_ids[i]] = ref_ids[j]
    unmatched = [b for b in own_ids if b not in mapping]
    fresh = _new_ids(set(ref_ids) | set(own_ids), len(unmatched))
    mapping.update(zip(unmatched, fresh, strict=True))
    return mapping


def match_bundles(plan: CoveragePlan, reference: CoveragePlan) -> CoveragePlan:
    """Renumber ``plan``'s bundles after the bundles of ``reference`` they match.

    Bundles are matched by their members: the one-to-one assignment
    (:func:`scipy.optimize.linear_sum_assignment`) that shares the most
    compounds, ties broken by the most shared households, then by bundle id.
    Each bundle of ``plan`` that shares a compound with its match takes the
    match's id, so a bundle that did not change keeps its id; every other
    bundle gets a new number after the largest id of either plan.
    :func:`plan_diff`, :func:`bundle_diff` and
    :func:`~lianhu_geo.maps.compare_map` compare plans this way.

    Parameters
    ----------
    plan : CoveragePlan
        The plan whose bundles are renamed (it is not modified).
    reference : CoveragePlan
        The plan whose ids are kept, usually the earlier scenario.

    Returns
    -------
    CoveragePlan
        A copy of ``plan`` with ``bundle_id`` in ``compounds`` and the index
        of ``bundles`` renamed (bundles sorted by id); everything else as it
        was.

    Examples
    --------
    >>> from lianhu_geo.coverage import plan_coverage
    >>> a = plan_coverage(three_compounds(), bundle=False)
    >>> match_bundles(a, a).compounds["service_mode"].tolist() == (
    ...     a.compounds["service_mode"].tolist())
    True
    """
    _check_plans({"plan": plan, "reference": reference})
    return _relabel(plan, reference)


def _relabel(plan: CoveragePlan, reference: CoveragePlan) -> CoveragePlan:
    mapping = _bundle_matching(reference, plan)
    compounds = plan.compounds.copy()
    bid = compounds["bundle_id"]
    compounds["bundle_id"] = bid.astype("string").map(mapping).astype(bid.dtype)
    compounds.loc[bid.isna(), "bundle_id"] = bid[bid.isna()]
    bundles = plan.bundles.copy()
    if len(bundles):
        name = bundles.index.name
        bundles.index = pd.Index([mapping.get(str(b), str(b)) for b in bundles.index], name=name)
        bundles = bundles.sort_index()
    return CoveragePlan(
        compounds,
        bundles,
        options=plan.options,
        fingerprint=plan.fingerprint,
        version=plan.version,
        created=plan.created,
    )


def _households(plan: CoveragePlan) -> dict[str, float]:
    c = plan.compounds
    values = pd.to_numeric(c["households"], errors="coerce").fillna(0).to_numpy()
    return dict(zip(c["compound_id"].astype(str), values.tolist(), strict=True))


def bundle_diff(before: CoveragePlan, after: CoveragePlan) -> pd.DataFrame:
    """List what each bundle gained and lost between two plans (matched by members).

    ``after``'s bundles are renumbered with :func:`match_bundles`, so a
    bundle present in both plans is one row under ``before``'s id.

    Parameters
    ----------
    before, after : CoveragePlan
        Two plans, usually of the same compounds with different options.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``bundle_id`` (sorted), one row per bundle that changed:
        ``compounds_before``, ``compounds_after``, ``gained`` and ``lost``
        (comma-separated compound ids), ``households_gained``,
        ``households_lost``, and ``change`` (Chinese text, e.g.
        ``"B004：增加 3 个院落，减少 1 个"``; ``"新片区"`` and ``"撤销"``
        for bundles only in ``after`` or only in ``before``).

    Examples
    --------
    >>> from lianhu_geo.coverage import plan_coverage
    >>> a = plan_coverage(three_compounds(), bundle=False)
    >>> bundle_diff(a, a).empty
    True
    """
    _check_plans({"before": before, "after": after})
    matched = _relabel(after, before)
    old, new = _bundle_members(before), _bundle_members(matched)
    hh = {**_households(after), **_households(before)}
    rows = []
    for bid in sorted(set(old) | set(new)):
        a, b = set(old.get(bid, [])), set(new.get(bid, []))
        if a == b:
            continue
        gained, lost = sorted(b - a), sorted(a - b)
        if not a:
            text = f"{bid}：新片区，{len(b)} 个院落"
        elif not b:
            text = f"{bid}：撤销，原 {len(a)} 个院落"
        else:
            parts = [f"增加 {len(gained)} 个院落"] if gained else []
            parts += [f"减少 {len(lost)} 个"] if lost else []
            text = f"{bid}：" + "，".join(parts)
        rows.append(
            {
                "bundle_id": bid,
                "compounds_before": len(a),
                "compounds_after": len(b),
                "gained": ",".join(gained),
                "lost": ",".join(lost),
                "households_gained": int(round(sum(hh.get(c, 0.0) for c in gained))),
                "households_lost": int(round(sum(hh.get(c, 0.0) for c in lost))),
                "change": text,
            }
        )
    columns = [
        "compounds_before", "compounds_after", "gained", "lost",
        "households_gained", "households_lost", "change",
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=["bundle_id", *columns]).set_index("bundle_id")
    for column in ("gained", "lost", "change"):
        out[column] = out[column].astype("string")
    return out
