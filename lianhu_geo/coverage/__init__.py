"""Coverage plans: every unmanaged compound gets one service mode, with a reason.

:func:`plan_coverage` bundles neighbouring unmanaged compounds into 片区大物业
bundles (:func:`lianhu_geo.bundling.propose_bundles`), gives every other
unmanaged compound a fallback mode (:mod:`lianhu_geo.coverage.triage`), and returns a
:class:`CoveragePlan`: the compounds with their mode, the bundles, a summary
by subdistrict, and the options, input fingerprint and library version it was
made with.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
import warnings
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .._prepared import prepare
from ..bundling import OPTIONS as BUNDLE_OPTIONS
from ..bundling._table import TABLE_COLUMNS
from ..errors import InputError
from ..labels import label
from ..options import PARALLEL_OPTIONS, Option, check_options
from ._fingerprint import fingerprint_compounds, jsonable
from .triage import DEFAULT_MISSING_MODE, SERVICE_MODES, Rule, triage
from .triage import OPTIONS as TRIAGE_OPTIONS

__all__ = [
    "CoveragePlan",
    "plan_coverage",
    "plan_day",
    "COMMUNITY_MODES",
    "FIGURE_COLUMNS",
    "PROVIDER_MODES",
    "RATE_COLUMNS",
    "SUMMARY_COLUMNS",
    "SUMMARY_LABELS",
]

#: Modes in which a provider delivers the service: a property company for a bundle
#: or a standalone compound, a cleaning company extending its work (延伸式).
PROVIDER_MODES: tuple[str, ...] = ("bundle", "standalone", "extended")

#: Modes the community carries itself: owners' committee (自治式), volunteers on order
#: (订单式). A plan that gives a compound one of these proposes no provider for it.
COMMUNITY_MODES: tuple[str, ...] = ("self_governed", "on_demand")

#: The honest coverage figures (:meth:`CoveragePlan.coverage_figures`), in order.
FIGURE_COLUMNS: tuple[str, ...] = (
    "unmanaged",
    "provider_delivered",
    "provider_rate",
    "community_carried",
    "community_rate",
)

#: Columns of :meth:`CoveragePlan.summary`, in order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "compounds",
    "unmanaged",
    *SERVICE_MODES,
    "provider_delivered",
    "provider_rate",
    "community_carried",
    "community_rate",
    "covered",
    "coverage_rate",
    "bundles",
    "upper_bound",
)

#: Summary columns that are shares (0..1, NA where a subdistrict has no unmanaged compound).
RATE_COLUMNS: tuple[str, ...] = ("provider_rate", "community_rate", "coverage_rate")

#: The label key of each summary column where it differs from the column's name.
_SUMMARY_KEYS = {"unmanaged": "unmanaged_compounds"}


def summary_labels(lang: str = "zh") -> dict[str, str]:
    """Headers of the summary in ``lang``, from :mod:`lianhu_geo.labels`.

    >>> summary_labels("zh")["provider_rate"]
    '拟企业服务率'
    """
    keys = ["subdistrict", *SUMMARY_COLUMNS, "total"]
    return {key: label(_SUMMARY_KEYS.get(key, key), lang) for key in keys}


#: Chinese headers of the summary, for ``summary(lang="zh")`` and Excel.
SUMMARY_LABELS: dict[str, str] = summary_labels("zh")

#: How :func:`plan_coverage` checks its own options; ``**bundle_options`` are
#: checked as :func:`~lianhu_geo.bundling.propose_bundles` checks them.
OPTIONS: tuple[Option, ...] = (
    Option("bundle", "bool"),
    *TRIAGE_OPTIONS,
    Option(
        "created",
        "instance",
        types=(str, _dt.date),
        what="a date, a datetime or ISO 8601 text like '2026-11-28'",
        allow_none=True,
    ),
    *PARALLEL_OPTIONS,
)

#: Columns a plan adds to the compounds.
PLAN_COLUMNS: tuple[str, ...] = ("service_mode", "bundle_id", "mode_reason", "unbundled_reason")


class CoveragePlan:
    """A coverage plan: the service mode of every compound, and its bundles.

    Made by :func:`plan_coverage` or read back with :meth:`read_file`.

    Attributes
    ----------
    compounds : geopandas.GeoDataFrame
        Every input compound once, same index, input columns plus
        ``service_mode`` (one of :data:`~lianhu_geo.coverage.triage.SERVICE_MODES`:
        ``standalone`` for an unmanaged compound left out of bundles that
        has enough households to hire a company by itself),
        ``bundle_id`` (NA unless bundled), ``mode_reason`` (Chinese text)
        and ``unbundled_reason`` (why an unmanaged compound is not in a
        bundle, Chinese text, else NA).
    bundles : geopandas.GeoDataFrame
        One row per bundle, indexed by ``bundle_id``: subdistrict, compounds,
        households, area, span, compactness, monthly margin, member ids
        (comma-separated) and member names, dissolved footprint.
    options : dict
        Every option the plan was made with, as JSON data.
    fingerprint : str
        sha256 of the validated input (independent of row order).
    version : str
        ``lianhu_geo.__version__`` that made the plan.
    created : str or None
        When the plan was made (ISO 8601): the ``created`` option as given,
        else the day (date only, China Standard Time, see :func:`plan_day`),
        so that runs on the same day write byte-identical files and the map
        and workbook still say when the plan was made.
    """

    def __init__(
        self,
        compounds: gpd.GeoDataFrame,
        bundles: gpd.GeoDataFrame,
        *,
        options: Mapping[str, Any],
        fingerprint: str,
        version: str,
        created: str | None = None,
    ) -> None:
        self.compounds = compounds
        self.bundles = bundles
        self.options = json.loads(json.dumps(jsonable(dict(options)), ensure_ascii=False))
        self.fingerprint = fingerprint
        self.version = version
        self.created = created

    def summary(self, *, lang: str = "en") -> pd.DataFrame:
        """Count compounds by subdistrict and service mode, with a total row.

        Parameters
        ----------
        lang : {"en", "zh"}
            ``"zh"`` gives Chinese headers (街道, 小区数, 失管小区, ...) and
            the total row 合计.

        Returns
        -------
        pandas.DataFrame
            Indexed by subdistrict (sorted) then ``"total"``; columns
            :data:`SUMMARY_COLUMNS`: all compounds, unmanaged ones, compounds
            per mode (``professional`` counts managed compounds, the other
            modes unmanaged ones); the honest figures of what the plan
            proposes (see :meth:`coverage_figures`): ``provider_delivered``
            (unmanaged compounds a provider is proposed to serve:
            :data:`PROVIDER_MODES`) and ``provider_rate`` (that / unmanaged),
            ``community_carried`` (the community carries them itself:
            :data:`COMMUNITY_MODES`) and ``community_rate``; ``covered``
            (unmanaged with a proposed mode: all of them in a plan) and
            ``coverage_rate`` (covered / unmanaged, 1.0: a proposal, not an
            achievement, labelled 拟安排率); rates are NA where a subdistrict
            has no unmanaged compound. ``bundles`` (bundles
            with members in the subdistrict; the total counts each bundle
            once, so it is less than the sum when a locked bundle spans
            subdistricts), ``upper_bound`` (the most bundles any proposal
            could have, proven by the solver: its bound for the free
            compounds plus the locked bundles, counted like ``bundles``; NA
            for a plan file made before the bound was recorded). All other
            columns add up to the total row.

        Examples
        --------
        >>> plan = plan_coverage(three_compounds(), bundle=False)
        >>> total = plan.summary().loc["total"]
        >>> total[["compounds", "unmanaged", "covered"]].astype(int).tolist()
        [3, 2, 2]
        >>> total[["provider_delivered", "community_carried"]].astype(int).tolist()
        [1, 1]
        """
        bound = self.options.get("bundle_upper_bound")
        return _summary(self.compounds, self.bundles, lang=lang, free_bound=bound)

    def coverage_figures(self, *, lang: str = "en") -> pd.DataFrame:
        """Tell what a provider would deliver from what the community would carry.

        A plan gives every unmanaged compound some mode, so its "coverage"
        is always 100%; what it proposes differs: a provider delivers the
        service in a bundle, a standalone compound or the extended mode
        (:data:`PROVIDER_MODES`), while self-governed and on-demand
        compounds are arrangements the community carries itself
        (:data:`COMMUNITY_MODES`). These are the figures to show, per
        subdistrict and for the district, labelled as proposed (拟...).

        Parameters
        ----------
        lang : {"en", "zh"}
            ``"zh"`` gives Chinese headers (拟企业服务率 ...) and 合计.

        Returns
        -------
        pandas.DataFrame
            Indexed like :meth:`summary` (subdistricts, then ``"total"``);
            columns :data:`FIGURE_COLUMNS`: ``unmanaged``,
            ``provider_delivered``, ``provider_rate`` (provider_delivered /
            unmanaged), ``community_carried``, ``community_rate``; the two
            rates add up to 1 where there are unmanaged compounds, NA where
            there are none.

        Examples
        --------
        >>> plan = plan_coverage(three_compounds(), bundle=False)
        >>> plan.coverage_figures().loc["total"].tolist()
        [2.0, 1.0, 0.5, 1.0, 0.5]
        >>> plan.coverage_figures(lang="zh").columns[2]
        '拟企业服务率'
        """
        table = self.summary(lang=lang)
        names = summary_labels(lang) if lang == "zh" else {c: c for c in FIGURE_COLUMNS}
        return table[[names[c] for c in FIGURE_COLUMNS]]

    def summary_text(self, *, lang: str = "zh") -> str:
        """Say the plan's figures as text: a headline, the split, the table by subdistrict.

        What ``lianhu-geo plan`` prints and writes to ``summary.txt``. The
        headline tells the unmanaged compounds a provider is proposed to
        serve from those the community would carry, with both rates, and
        says that it is a proposal; rates are written as percentages.

        Examples
        --------
        >>> plan = plan_coverage(three_compounds(), bundle=False)
        >>> print(plan.summary_text(lang="en").splitlines()[0])
        2 unmanaged compounds: proposed 1 provider-delivered (50.0%), 1 community-carried \
(50.0%). A proposal, not coverage achieved.
        """
        table = self.summary(lang=lang)
        total = self.summary().loc["total"]
        names = summary_labels(lang)
        headline = label("summary_headline", lang).format(
            place="",
            unmanaged=int(total["unmanaged"]),
            provider=int(total["provider_delivered"]),
            provider_rate=_percent(total["provider_rate"]),
            community=int(total["community_carried"]),
            community_rate=_percent(total["community_rate"]),
        )
        rates = [names[c] if lang == "zh" else c for c in RATE_COLUMNS]
        body = table.to_string(formatters=dict.fromkeys(rates, _percent))
        split = f"{label('provider_modes', lang)}\n{label('community_modes', lang)}"
        return f"{headline}\n{split}\n\n{body}\n"

    def equals(self, other: object) -> bool:
        """Whether two plans hold the same compounds, bundles, options and data."""
        if not isinstance(other, CoveragePlan):
            return False
        try:
            pd.testing.assert_frame_equal(
                pd.DataFrame(self.compounds), pd.DataFrame(other.compounds), check_like=False
            )
            pd.testing.assert_frame_equal(pd.DataFrame(self.bundles), pd.DataFrame(other.bundles))
        except AssertionError:
            return False
        return (
            self.compounds.crs == other.compounds.crs
            and self.options == other.options
            and self.fingerprint == other.fingerprint
            and self.version == other.version
        )

    def to_file(self, folder: str | Path) -> dict[str, Path]:
        """Write ``plan.gpkg`` and ``plan.xlsx`` into ``folder``.

        See :func:`lianhu_geo.coverage.files.write_plan`.
        """
        from .files import write_plan

        return write_plan(self, folder)

    @classmethod
    def read_file(cls, folder: str | Path) -> CoveragePlan:
        """Read a plan written by :meth:`to_file` back.

        See :func:`lianhu_geo.coverage.files.read_plan`.
        """
        from .files import read_plan

        return read_plan(folder)

    def __repr__(self) -> str:
        total = self.summary().loc["total"]
        return (
            f"<CoveragePlan: {int(total['compounds'])} compounds, "
            f"{int(total['unmanaged'])} unmanaged: proposed "
            f"{int(total['provider_delivered'])} provider-delivered, "
            f"{int(total['community_carried'])} community-carried; "
            f"{len(self.bundles)} bundles; "
            f"data {self.fingerprint[:12]}, lianhu_geo {self.version}>"
        )

    def _repr_html_(self) -> str:
        table = (
            self.summary(lang="zh")
            .reset_index()
            .to_html(index=False, float_format=lambda v: f"{v:.1%}", na_rep="", border=0)
        )
        options = ", ".join(
            f"{k}={json.dumps(v, ensure_ascii=False)}"
            for k, v in self.options.items()
            if isinstance(v, (str, int, float, bool)) or v is None
        )
        return (
            "<div class='lianhu-coverage-plan'>"
            f"<b>覆盖方案 CoveragePlan</b> — {len(self.bundles)} 个片区"
            f"{table}<small>{html.escape(options)}; 数据指纹 {self.fingerprint[:12]}; "
            f"lianhu_geo {html.escape(self.version)}</small></div>"
        )


def _summary(
    compounds: pd.DataFrame,
    bundles: pd.DataFrame,
    *,
    lang: str = "en",
    free_bound: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    if lang not in ("en", "zh"):
        raise InputError(f"`lang` must be 'en' or 'zh'; got {lang!r}.")
    sub = compounds["subdistrict"].astype(str)
    mode = compounds["service_mode"].astype(str)
    counts = pd.crosstab(sub, mode).reindex(columns=list(SERVICE_MODES), fill_value=0)
    unmanaged = (compounds["management"] == "unmanaged").groupby(sub).sum()
    table = pd.DataFrame(index=sorted(set(sub)))
    table["compounds"] = sub.value_counts()
    table["unmanaged"] = unmanaged
    for m in SERVICE_MODES:
        table[m] = counts[m]
    covered = (compounds["management"] == "unmanaged") & compounds["service_mode"].notna()
    table["covered"] = covered.groupby(sub).sum()
    table["bundles"] = compounds["bundle_id"].groupby(sub).nunique()
    table = table.fillna(0).astype("int64")
    table.loc["total"] = table.sum()
    # a locked bundle may span subdistricts: count it once in the total
    table.loc["total", "bundles"] = compounds["bundle_id"].nunique()
    # proven most bundles: the solver's bound for free compounds plus locked bundles;
    # NA when unknown (no bundling, or a plan file from before the bound existed)
    bound = pd.Series(pd.NA, index=table.index, dtype="Int64")
    if free_bound is not None:
        is_locked = bundles["locked"].astype(bool) if "locked" in bundles else pd.Series(dtype=bool)
        locked_ids = set(is_locked.index[is_locked.to_numpy()])
        in_locked = compounds["bundle_id"].isin(locked_ids)
        locked = compounds["bundle_id"][in_locked].groupby(sub[in_locked]).nunique()
        for name in table.index[:-1]:
            bound[name] = int(free_bound.get(name, 0)) + int(locked.get(name, 0))
        bound["total"] = int(sum(free_bound.values())) + len(locked_ids)
    table["upper_bound"] = bound
    unmanaged = table["unmanaged"].where(table["unmanaged"] > 0)
    table["provider_delivered"] = table[list(PROVIDER_MODES)].sum(axis=1)
    table["community_carried"] = table[list(COMMUNITY_MODES)].sum(axis=1)
    for count, rate in (
        ("provider_delivered", "provider_rate"),
        ("community_carried", "community_rate"),
        ("covered", "coverage_rate"),
    ):
        table[rate] = (table[count] / unmanaged).astype("float64")
    table = table[list(SUMMARY_COLUMNS)]
    table.index.name = "subdistrict"
    if lang == "zh":
        names = summary_labels("zh")
        table = table.rename(columns=names, index={"total": names["total"]})
        table.index.name = names["subdistrict"]
    return table


def _percent(value: object) -> str:
    """Write a share as a percentage with one decimal, an unknown share as "-"."""
    return "-" if pd.isna(value) else f"{float(value):.1%}"


def _empty_bundles(crs: Any) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {c: pd.Series(dtype="object") for c in TABLE_COLUMNS},
        geometry=gpd.GeoSeries([], crs=crs),
        crs=crs,
    )
    frame.index.name = "bundle_id"
    return frame


#: China Standard Time (UTC+8, no daylight saving since 1991): the day a plan is made.
CHINA_TZ = _dt.timezone(_dt.timedelta(hours=8), "CST")


def plan_day(now: _dt.datetime | None = None) -> str:
    """Give the day a plan is made when no ``created`` date is given (ISO date, China).

    Only the date is kept, so that plans made on the same day give the same
    file bytes; ``SOURCE_DATE_EPOCH`` (seconds since 1970, the
    reproducible-builds convention) replaces the clock when it is set.

    Examples
    --------
    >>> plan_day(_dt.datetime(2026, 11, 28, 17, 30, tzinfo=_dt.timezone.utc))
    '2026-11-29'
    """
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            now = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
        else:
            now = _dt.datetime.now(_dt.timezone.utc)
    return now.astimezone(CHINA_TZ).date().isoformat()


def _created(created: str | _dt.datetime | _dt.date | None) -> str | None:
    if created is None:
        return None
    if isinstance(created, (_dt.datetime, _dt.date)):
        return created.isoformat()
    try:
        return _dt.datetime.fromisoformat(str(created)).isoformat()
    except ValueError:
        raise InputError(
            f"`created` must be a date or ISO 8601 text like '2026-11-28'; got {created!r}."
        ) from None


def _rule_option(rule: Rule | None) -> object:
    if rule is None:
        return "default"
    if isinstance(rule, Mapping):
        return sorted(([*map(jsonable, key), mode] for key, mode in rule.items()), key=str)
    return jsonable(rule)


def _plan_bundles(bundles: gpd.GeoDataFrame, compounds: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = bundles.copy()
    out.index = pd.Index(out.index.astype(str), name="bundle_id")
    names = dict(zip(compounds["compound_id"].tolist(), compounds["name"].tolist(), strict=True))

    def ids_of(value: object) -> list[str]:
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return [str(v) for v in value]

    members = [ids_of(v) for v in out["compound_ids"]]
    out["compound_ids"] = pd.array([",".join(m) for m in members], dtype="string")
    out["compound_names"] = pd.array(
        ["、".join(str(names.get(i, i)) for i in m) for m in members], dtype="string"
    )
    first = [c for c in TABLE_COLUMNS if c in out.columns]
    rest = [c for c in out.columns if c not in first and c != out.geometry.name]
    return out[[*first, *rest, out.geometry.name]].sort_index()


def _in_thread(fn: Any, *args: Any) -> Future:
    """Start ``fn(*args)`` in a thread of its own; its result (or error) is the Future's."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lianhu_geo")
    future = pool.submit(fn, *args)
    pool.shutdown(wait=False)  # the thread ends when fn does
    return future


def plan_coverage(
    compounds: gpd.GeoDataFrame,
    *,
    bundle: bool = True,
    rule: Rule | None = None,
    missing_mode: str = DEFAULT_MISSING_MODE,
    created: str | _dt.date | None = None,
    workers: int | None = None,
    engine: object = None,
    **bundle_options: Any,
) -> CoveragePlan:
    """Give every compound a service mode: bundle, fallback mode or professional.

    Steps: validate the compounds; bundle neighbouring unmanaged compounds
    with :func:`~lianhu_geo.bundling.propose_bundles` (unless
    ``bundle=False``); give every unmanaged compound left over a fallback
    mode by the triage rules (:mod:`lianhu_geo.coverage.triage`); professional
    compounds stay professional.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by
        :func:`~lianhu_geo.compounds.validate_compounds`, any CRS, unique
        index. Not modified. A plan's own columns (``service_mode``,
        ``bundle_id``, ``mode_reason``, ``unbundled_reason``) are replaced,
        so ``plan.compounds`` can be planned again with other options.
    bundle : bool, default True
        Propose 片区大物业 bundles first; ``False`` triages every unmanaged
        compound.
    rule : callable or mapping, optional
        Replaces the default triage rules; see
        :func:`~lianhu_geo.coverage.triage.triage`.
    missing_mode : str, default "on_demand"
        Fallback mode for compounds whose survey fields are unknown (warns).
    created : date, datetime or ISO text, optional
        Date of the plan, kept in ``plan.created`` and written into files.
        Default: today's date in China Standard Time (:func:`plan_day`), so
        that runs on the same day write byte-identical files.
    workers : int, optional
        Processes that bundle subdistricts in parallel; default one per
        core from :data:`lianhu_geo.scale.AUTO_PROCESSES_FROM` compounds,
        else none. Same plan whatever the number.
    engine : {"serial", "processes", "dask"}, distributed.Client or str, optional
        Where subdistricts are bundled: see
        :func:`lianhu_geo.scale.bundle_by_group`. Bundles never cross a
        subdistrict, so each is solved on its own, with a seed derived from
        its name and ``seed``; the plan is the same on every engine.
    **bundle_options
        Passed to :func:`~lianhu_geo.bundling.propose_bundles`:
        ``min_households``, ``max_compounds``, ``min_compounds``,
        ``max_span_m``, ``graph``, ``max_gap_m`` (footprints),
        ``max_link_m`` (points), ``barriers``, ``boundary`` (points), ``within``, ``eligible``,
        ``locked``, ``exclude``, ``seed``, ``viability``.

    Returns
    -------
    CoveragePlan

    Raises
    ------
    InputError
        Bad compounds (see ``validate_compounds``), a non-unique index, bad
        options, or a rule returning something that is not a fallback mode.

    Warns
    -----
    DataWarning
        Naming compounds given ``missing_mode`` because ``willing_to_pay``
        or ``owners_committee`` is unknown.

    Examples
    --------
    >>> plan = plan_coverage(three_compounds(), bundle=False)
    >>> plan.compounds[["compound_id", "service_mode"]]
      compound_id   service_mode
    0          C1       extended
    1          C2  self_governed
    2          C3   professional
    """
    from .. import __version__

    checked = check_options(
        {"bundle": bundle, "rule": rule, "missing_mode": missing_mode, "created": created}
        | {"workers": workers, "engine": engine},  # checked before the compounds are read
        OPTIONS,
        where="plan_coverage",
    )
    check_options(bundle_options, BUNDLE_OPTIONS, where="plan_coverage")
    if not checked["bundle"] and bundle_options:
        raise InputError(
            f"bundle options {', '.join(sorted(bundle_options))} were given with "
            "`bundle=False`; drop them or set `bundle=True`."
        )
    created_text = _created(created)
    if isinstance(compounds, gpd.GeoDataFrame):
        # a plan's own columns are outputs: re-planning plan.compounds gives the same fingerprint
        compounds = compounds.drop(columns=[c for c in PLAN_COLUMNS if c in compounds.columns])
    elsewhere = False
    if bundle:  # worker processes start importing while the compounds are checked
        from ..scale._engines import warm_up

        elsewhere = warm_up(engine, workers, compounds)
    prep = prepare(compounds, unique_index=True)  # checked once, here, for every step
    data = prep.data
    # while other processes bundle, this one would only wait: the fingerprint meanwhile
    fingerprint: Any = (
        _in_thread(fingerprint_compounds, data) if elsewhere else fingerprint_compounds(data)
    )
    index = data.index
    professional = (data["management"] == "professional").to_numpy()

    options: dict[str, Any] = {}
    if bundle:
        from ..bundling import REASONS
        from ..scale import _bundle_validated

        result = _bundle_validated(prep, workers=workers, engine=engine, **bundle_options)
        labels = result.labels.reindex(index).astype("string")
        reason_codes = result.reasons.reindex(index).astype("string")
        why_not = reason_codes.map(lambda c: REASONS.get(c, c), na_action="ignore")
        alone = (reason_codes == "standalone").fillna(False).to_numpy(dtype=bool)
        threshold = int(result.min_households)
        bundles = _plan_bundles(result.bundles, data)
        # what bundling reports (with its defaults), then what was passed, as given
        used = {"eligible": None, "locked": None, "exclude": None}
        used.update(getattr(result, "options", None) or {})
        used.update(bundle_options)
        used["min_households"] = getattr(result, "min_households", used.get("min_households"))
        options.update(used)
        bound = getattr(result, "free_upper_bounds", None)
        if bound is not None:
            options["bundle_upper_bound"] = bound
    else:
        alone = np.zeros(len(index), dtype=bool)
        threshold = 0
        labels = pd.Series(pd.NA, index=index, dtype="string")
        why_not = pd.Series(pd.NA, index=index, dtype="string")
        why_not[~professional] = "未做片区划分（bundle=False）"
        options["bundle_upper_bound"] = {}  # no bundling: no bundle can come of the plan
        bundles = _empty_bundles(data.crs)
    options.update(
        bundle=bundle, rule=_rule_option(rule), missing_mode=missing_mode, created=created_text
    )

    if isinstance(fingerprint, Future):
        fingerprint = fingerprint.result()
    bundled = labels.notna().to_numpy() & ~professional
    alone &= ~professional & ~bundled
    rest = ~professional & ~bundled & ~alone
    mode = pd.Series(pd.NA, index=index, dtype="string")
    reason = pd.Series(pd.NA, index=index, dtype="string")
    mode[professional] = "professional"
    reason[professional] = "已有专业物业"
    mode[bundled] = "bundle"
    reason[bundled] = ("纳入片区大物业 " + labels[bundled]).astype("string")
    mode[alone] = "standalone"
    reason[alone] = pd.array(  # an array, not a list: pandas 2.2 cannot mask a list
        [
            label("standalone_mode_reason").format(households=hh, threshold=threshold)
            for hh in data.loc[alone, "households"].tolist()
        ],
        dtype="string",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fallback = triage(data[rest], rule=rule, missing_mode=missing_mode)
    for warning in caught:  # re-raised so that they point at the caller's line
        warnings.warn(warning.message, warning.category, stacklevel=2)
    mode[rest] = fallback["service_mode"]
    reason[rest] = fallback["mode_reason"]
    why_not = why_not.astype("string")
    why_not[professional | bundled] = pd.NA
    why_not[rest & why_not.isna().to_numpy()] = "未列入片区候选"

    out = data.copy()
    geometry = out.geometry.name
    out["service_mode"] = mode
    out["bundle_id"] = labels
    out["mode_reason"] = reason
    out["unbundled_reason"] = why_not
    out = out[[c for c in out.columns if c != geometry] + [geometry]]
    created_text_now = created_text if created_text is not None else plan_day()
    return CoveragePlan(
        out,
        bundles,
        options=jsonable(options, out["compound_id"]),
        fingerprint=fingerprint,
        version=__version__,
        created=created_text_now,
    )
