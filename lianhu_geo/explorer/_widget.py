"""The explorer widget: controls, a live ipyleaflet map, figures, bundles, scenarios.

ipyleaflet draws the map: its Jupyter extension bundles Leaflet (no CDN),
the map has no tile layer (nothing to fetch), and clicks on a compound come
back to Python, which is what locking and excluding by clicking needs. The
compounds' geometry is sent once per redraw as one GeoJSON layer (about
0.4 MB for the 1,514 compounds of the sample).

A change made with the controls is debounced and replanned in a thread, so
the kernel stays free; a change made from Python (:meth:`Explorer.set`,
:meth:`Explorer.lock` ...) replans at once and returns when the plan, the
map data and the figures are up to date.
"""

from __future__ import annotations

import contextlib
import html
import math
import threading
import time
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipyleaflet
import ipywidgets as widgets
import pandas as pd

from .._write import atomic_path
from ..briefing import BRIEFING_PDF, export_pdf, export_png
from ..bundling.neighbors import DEFAULT_MAX_GAP_M, DEFAULT_MAX_LINK_M
from ..coords import metric_crs
from ..coverage import plan_coverage
from ..coverage.scenarios import compare_plans, plan_diff
from ..errors import InputError
from ..labels import check_lang, label
from ..maps import compare_map, export_html
from . import _mapdata
from ._state import ExploreState, Scenario

__all__ = ["Explorer"]

_FIGURES = (
    "compounds",
    "unmanaged",
    "covered",
    "coverage_rate",
    "provider_delivered",
    "provider_rate",
    "community_carried",
    "community_rate",
    "bundle",
    "bundle_rate",
    "household_bundle_rate",
    "bundles",
    "locked_bundles",
    "unviable_bundles",
)


def figures_of(plan: Any) -> dict[str, Any]:
    """Return the summary figures of a plan, from ``plan.summary()`` and ``plan.bundles``.

    ``coverage_rate`` counts every mode (fallback modes included) as
    covered, so it is always 1 for a plan; the figures shown are the honest
    ones (:meth:`~lianhu_geo.coverage.CoveragePlan.coverage_figures`):
    ``provider_delivered`` / ``provider_rate`` (a provider is proposed) and
    ``community_carried`` / ``community_rate`` (the community carries it);
    ``bundle_rate`` is the share of
    unmanaged compounds that are in a 片区大物业 bundle, and
    ``household_bundle_rate`` the same share of their households: together
    they show how much of the coverage is professional service.
    """
    total = plan.summary().loc["total"]
    c = plan.compounds
    unmanaged = c["management"] == "unmanaged"
    in_bundle = unmanaged & c["bundle_id"].notna()
    hh = c["households"].astype("float64")
    hh_unmanaged = float(hh[unmanaged].sum())
    out: dict[str, Any] = {
        "compounds": int(total["compounds"]),
        "unmanaged": int(total["unmanaged"]),
        "covered": int(total["covered"]),
        "coverage_rate": float(total["coverage_rate"]),
        "provider_delivered": int(total["provider_delivered"]),
        "provider_rate": float(total["provider_rate"]),
        "community_carried": int(total["community_carried"]),
        "community_rate": float(total["community_rate"]),
        "bundle": int(total["bundle"]),
        "bundle_rate": float(in_bundle.sum() / unmanaged.sum()) if unmanaged.any() else math.nan,
        "household_bundle_rate": float(hh[in_bundle].sum() / hh_unmanaged)
        if hh_unmanaged
        else math.nan,
        "bundles": int(total["bundles"]),
        "locked_bundles": int(plan.bundles["locked"].astype(bool).sum())
        if len(plan.bundles)
        else 0,
        "unviable_bundles": int((~plan.bundles["viable"].astype(bool)).sum())
        if len(plan.bundles)
        else 0,
    }
    for mode in ("extended", "self_governed", "on_demand", "professional"):
        out[mode] = int(total[mode])
    return out


def _center_zoom(bounds: list[list[float]], width_px: int = 900) -> tuple[list[float], int]:
    (s, w), (n, e) = bounds
    span = max(e - w, (n - s) * 1.2, 1e-4)
    zoom = int(max(3, min(17, math.floor(math.log2(360 * width_px / (256 * span))))))
    return [(s + n) / 2, (w + e) / 2], zoom


def _pct(value: float) -> str:
    return (
        "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.1%}"
    )


def _paren(text: str, inner: str, lang: str) -> str:
    return f"{text}（{inner}）" if lang == "zh" else f"{text} ({inner})"


class Explorer(widgets.VBox):
    """An interactive explorer of bundle options; see :func:`lianhu_geo.explore`.

    Attributes
    ----------
    state : ExploreState
        Options, locks, exclusions and the kept scenarios.
    plan : CoveragePlan
        The plan of the current options.
    figures : dict
        Summary figures of :attr:`plan` (see :func:`figures_of`).
    map_data : dict
        The compounds drawn on the map (GeoJSON, feature id = compound id).
    bundle_data : dict
        The bundle outlines drawn on the map.
    status : str
        The last message shown (plan time, an error, an export).
    warnings : list of str
        What the last plan warned about (e.g. compounds given ``on_demand``
        because their survey fields are unknown); shown in the status line.
    """

    def __init__(
        self,
        compounds: Any,
        *,
        lang: str = "zh",
        created: str | None = None,
        debounce_s: float = 0.3,
        **options: Any,
    ) -> None:
        self._timers: list[threading.Timer] = []
        self.lang = check_lang(lang)
        self.state = ExploreState(compounds, **options)
        self.created = created
        self.debounce_s = float(debounce_s)
        self.plan: Any = None
        self.figures: dict[str, Any] = {}
        self.status = ""
        self.warnings: list[str] = []
        self.view = "plan"
        self.revision = 0
        self._geometry = _mapdata.display_geometry(compounds)
        self._metric_crs = metric_crs(compounds)
        # the linking distance: the gap between footprints, or how far apart points may link
        points = bool((compounds.geometry.geom_type == "Point").all())
        self._link_option = "max_link_m" if points else "max_gap_m"
        self._link_default = DEFAULT_MAX_LINK_M if points else DEFAULT_MAX_GAP_M
        self._plan_lock = threading.Lock()
        self._generation = 0
        self._syncing = False
        self._build()
        super().__init__(children=self._layout())
        self.add_class("lianhu-explorer")
        self._replan(self._bump())
        self._sync_controls()

    # ------------------------------------------------------------------ UI
    def _t(self, key: str) -> str:
        return label(key, self.lang)

    def _build(self) -> None:
        t = self._t
        slider = {"continuous_update": False, "style": {"description_width": "11em"}}
        wide = widgets.Layout(width="34em")
        self.w_auto = widgets.Checkbox(description=t("threshold_from_model"), indent=False)
        self.w_min_households = widgets.IntSlider(
            min=200, max=8000, step=50, description=t("min_households"), layout=wide, **slider
        )
        self.w_fee = widgets.FloatSlider(
            min=0.1,
            max=2.0,
            step=0.05,
            description=t("fee_yuan_per_m2_month"),
            layout=wide,
            **slider,
        )
        self.w_collection = widgets.FloatSlider(
            min=0.3, max=1.0, step=0.05, description=t("collection_rate"), layout=wide, **slider
        )
        self.w_staff = widgets.IntSlider(
            min=1000, max=10000, step=100, description=t("staff_cost_yuan_month"), layout=wide,
            **slider,
        )  # fmt: skip
        self.w_fixed = widgets.IntSlider(
            min=0, max=40000, step=500, description=t("fixed_cost_yuan_month"), layout=wide,
            **slider,
        )  # fmt: skip
        self.w_cap_none = widgets.Checkbox(description=t("no_limit"), indent=False)
        self.w_max_compounds = widgets.IntSlider(
            min=2, max=80, description=t("max_compounds"), layout=wide, **slider
        )
        self.w_span_none = widgets.Checkbox(description=t("no_limit"), indent=False)
        self.w_max_span = widgets.IntSlider(
            min=100, max=4000, step=50, description=t("max_span_m"), layout=wide, **slider
        )
        self.w_max_gap = widgets.IntSlider(
            min=0, max=500, step=5, description=t("max_gap_m"), layout=wide, **slider
        )
        self.w_subdistricts = widgets.SelectMultiple(
            options=list(self.state.all_subdistricts),
            rows=min(9, len(self.state.all_subdistricts)),
            description=t("subdistrict"),
            layout=widgets.Layout(width="22em"),
        )
        self.w_click = widgets.ToggleButtons(
            options=[
                (t("click_info"), "info"),
                (t("click_lock"), "lock"),
                (t("click_exclude"), "exclude"),
            ],
            description=t("click_action"),
            style={"button_width": "7em"},
        )
        self.w_clear = widgets.Button(
            description=t("clear_locks"), layout=widgets.Layout(width="14em")
        )
        self.w_status = widgets.HTML()
        self.w_progress = widgets.IntProgress(
            value=0,
            min=0,
            max=1,
            bar_style="info",
            layout=widgets.Layout(width="12em", visibility="hidden"),
        )
        self.w_figures = widgets.HTML()
        self.w_bundles = widgets.HTML(layout=widgets.Layout(max_height="320px", overflow="auto"))
        # map
        self.w_compounds = ipyleaflet.GeoJSON(
            data={"type": "FeatureCollection", "features": []},
            hover_style={"weight": 3, "color": "#000000"},
            point_style={"radius": 6},  # compounds known by a point: circles, not pin images
            name=t("compound"),
        )
        self.w_bundle_outlines = ipyleaflet.GeoJSON(
            data={"type": "FeatureCollection", "features": []}, name=t("bundle")
        )
        center, zoom = _center_zoom(_mapdata.bounds(self.state.compounds))
        self.w_map = ipyleaflet.Map(
            layers=(self.w_compounds, self.w_bundle_outlines),
            center=center,
            zoom=zoom,
            scroll_wheel_zoom=True,
            attribution_control=False,
            layout=widgets.Layout(height="560px", width="100%"),
        )
        self.w_map.add(
            ipyleaflet.LegendControl(
                _mapdata.legend(self.lang), title=t("service_mode"), position="bottomright"
            )
        )
        # scenario basket
        self.w_name = widgets.Text(placeholder=t("scenario"), layout=widgets.Layout(width="12em"))
        self.w_keep = widgets.Button(description=t("keep_scenario"))
        self.w_a = widgets.Dropdown(
            options=[], description="A", layout=widgets.Layout(width="14em")
        )
        self.w_b = widgets.Dropdown(
            options=[], description="B", layout=widgets.Layout(width="14em")
        )
        self.w_compare = widgets.Button(description=t("compare"))
        self.w_diff = widgets.Button(description=t("show_diff"))
        self.w_back = widgets.Button(description=t("show_plan"))
        self.w_table = widgets.HTML()
        self.w_export_which = widgets.Dropdown(
            options=[(t("current_plan"), None)],
            description=t("scenario"),
            layout=widgets.Layout(width="16em"),
        )
        self.w_folder = widgets.Text(
            value="explore_out", description=t("export_folder"), layout=widgets.Layout(width="24em")
        )
        self.w_export = widgets.Button(description=t("export"))
        for name, w in self._controls().items():
            w.add_class(f"lianhu-{name}")
            w.observe(self._control_changed, names="value")
        self.w_compounds.on_click(self._clicked)
        self.w_clear.on_click(lambda _b: self._ui(self._clear))
        self.w_keep.on_click(lambda _b: self._ui(lambda: self.keep(self.w_name.value.strip())))
        self.w_compare.on_click(lambda _b: self._ui(self.compare))
        self.w_diff.on_click(lambda _b: self._ui(lambda: self.diff(self.w_a.value, self.w_b.value)))
        self.w_back.on_click(lambda _b: self._ui(self.show_plan))
        self.w_export.on_click(lambda _b: self._ui(self._export_clicked))
        self.w_figures.add_class("lianhu-figures")
        self.w_map.add_class("lianhu-map")
        self.w_status.add_class("lianhu-status")

    def _controls(self) -> dict[str, widgets.Widget]:
        return {
            "threshold-auto": self.w_auto,
            "min-households": self.w_min_households,
            "fee": self.w_fee,
            "collection-rate": self.w_collection,
            "staff-cost": self.w_staff,
            "fixed-cost": self.w_fixed,
            "cap-none": self.w_cap_none,
            "max-compounds": self.w_max_compounds,
            "span-none": self.w_span_none,
            "max-span": self.w_max_span,
            "max-gap": self.w_max_gap,
            "subdistricts": self.w_subdistricts,
        }

    def _layout(self) -> list[widgets.Widget]:
        row = widgets.HBox
        box = widgets.VBox
        controls = box(
            [
                row([self.w_auto]),
                self.w_min_households,
                self.w_fee,
                self.w_collection,
                self.w_staff,
                self.w_fixed,
                row([self.w_max_compounds, self.w_cap_none]),
                row([self.w_max_span, self.w_span_none]),
                self.w_max_gap,
                self.w_subdistricts,
                self.w_click,
                self.w_clear,
            ],
        )
        left = box(
            [controls, self.w_figures],
            layout=widgets.Layout(width="36em", min_width="30em"),
        )
        right = box(
            [self.w_map, widgets.HTML(f"<b>{self._t('bundle_list')}</b>"), self.w_bundles],
            layout=widgets.Layout(flex="1", min_width="30em"),
        )
        basket = box(
            [
                widgets.HTML(f"<b>{self._t('scenario_basket')}</b>"),
                row([self.w_name, self.w_keep]),
                row([self.w_a, self.w_b, self.w_compare, self.w_diff, self.w_back]),
                self.w_table,
                row([self.w_export_which, self.w_folder, self.w_export]),
            ]
        )
        return [row([self.w_progress, self.w_status]), row([left, right]), basket]

    def _ui(self, action) -> None:
        """Run a button's action; show a problem in the status line instead of raising."""
        try:
            action()
        except InputError as error:
            self._say(f"{self._t('plan_failed')}: {error}", error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status = text
        color = "#b71c1c" if error else "#333333"
        self.w_status.value = f"<span style='color:{color}'>{html.escape(text)}</span>"

    def _sync_controls(self) -> None:
        """Show the state's options on the controls (without replanning)."""
        o = self.state.options
        self._syncing = True
        try:
            auto = o["min_households"] is None
            self.w_auto.value = auto
            threshold = (
                self.plan.options["min_households"] if auto and self.plan else o["min_households"]
            )
            self._put(self.w_min_households, int(threshold or 2000))
            self.w_min_households.disabled = auto
            self._put(self.w_fee, o["fee_yuan_per_m2_month"])
            self._put(self.w_collection, o["collection_rate"])
            self._put(self.w_staff, int(round(o["staff_cost_yuan_month"])))
            self._put(self.w_fixed, int(round(o["fixed_cost_yuan_month"])))
            self.w_cap_none.value = o["max_compounds"] is None
            self._put(self.w_max_compounds, o["max_compounds"] or 40)
            self.w_max_compounds.disabled = o["max_compounds"] is None
            self.w_span_none.value = o["max_span_m"] is None
            self._put(self.w_max_span, int(round(o["max_span_m"] or 1000)))
            self.w_max_span.disabled = o["max_span_m"] is None
            link = o[self._link_option]
            self._put(self.w_max_gap, int(round(self._link_default if link is None else link)))
            self.w_subdistricts.value = tuple(o["subdistricts"])
        finally:
            self._syncing = False

    @staticmethod
    def _put(slider: widgets.Widget, value: float) -> None:
        if value > slider.max:
            slider.max = value
        if value < slider.min:
            slider.min = value
        slider.value = value

    def _control_changed(self, change: dict) -> None:
        if self._syncing:
            return
        w = change["owner"]
        options: dict[str, Any] = {}
        if w is self.w_auto:
            options["min_households"] = None if w.value else self.w_min_households.value
            self.w_min_households.disabled = w.value
        elif w is self.w_min_households:
            options["min_households"] = w.value
        elif w is self.w_fee:
            options["fee_yuan_per_m2_month"] = round(w.value, 4)
        elif w is self.w_collection:
            options["collection_rate"] = round(w.value, 4)
        elif w is self.w_staff:
            options["staff_cost_yuan_month"] = float(w.value)
        elif w is self.w_fixed:
            options["fixed_cost_yuan_month"] = float(w.value)
        elif w is self.w_cap_none:
            options["max_compounds"] = None if w.value else self.w_max_compounds.value
            self.w_max_compounds.disabled = w.value
        elif w is self.w_max_compounds:
            options["max_compounds"] = w.value
        elif w is self.w_span_none:
            options["max_span_m"] = None if w.value else float(self.w_max_span.value)
            self.w_max_span.disabled = w.value
        elif w is self.w_max_span:
            options["max_span_m"] = float(w.value)
        elif w is self.w_max_gap:
            options[self._link_option] = float(w.value)
        elif w is self.w_subdistricts:
            options["subdistricts"] = tuple(w.value)
        try:
            changed = self.state.update(**options)
        except InputError as error:
            self._say(f"{self._t('plan_failed')}: {error}", error=True)
            return
        if changed:
            self._schedule()

    def _clicked(
        self, event: Any = None, feature: Any = None, properties: Any = None, **_: Any
    ) -> None:
        props = properties or (feature or {}).get("properties", {})
        cid = props.get("cid")
        if cid is None or self.view != "plan":
            return
        action = self.w_click.value
        try:
            if action == "lock":
                if cid in self.state.locked:
                    self.state.unlock([cid])
                else:
                    self.state.lock([cid], self.plan)
                self._schedule()
            elif action == "exclude":
                exclude = set(self.state.exclude) ^ {cid}
                self.state.set_exclude(exclude)
                self._schedule()
            else:
                self._say(self._describe(cid))
        except InputError as error:
            self._say(str(error), error=True)

    def _describe(self, cid: str) -> str:
        c = self.plan.compounds
        row = c[c["compound_id"].astype(str) == cid].iloc[0]
        reason = row["mode_reason"] if not pd.isna(row["mode_reason"]) else ""
        hh, n = label("households", self.lang), int(row["households"])
        return (
            _paren(str(row["name"]), f"{cid}, {row['subdistrict']}, {hh} {n}", self.lang)
            + f": {reason}"
        )

    # ------------------------------------------------------------- replanning
    def _bump(self) -> int:
        with self._plan_lock:
            self._generation += 1
            return self._generation

    def _schedule(self) -> None:
        """Replan after ``debounce_s`` in a thread; a newer change cancels an older one."""
        generation = self._bump()
        for timer in self._timers:
            timer.cancel()
        self._timers = [t for t in self._timers if t.is_alive()]
        timer = threading.Timer(self.debounce_s, self._replan_quietly, args=(generation,))
        timer.daemon = True
        self._timers.append(timer)
        self._show_progress(True)
        timer.start()

    def _replan_quietly(self, generation: int) -> None:
        try:
            self._replan(generation)
        except Exception as error:  # a thread has no caller to raise to: show it
            self._show_progress(False)
            self._say(f"{self._t('plan_failed')}: {error}", error=True)

    def wait(self, timeout_s: float = 60.0) -> Explorer:
        """Block until changes made with the controls are planned and drawn."""
        end = time.monotonic() + timeout_s
        while True:
            timers = [t for t in self._timers if t.is_alive() or not t.finished.is_set()]
            if not timers:
                return self
            for timer in timers:
                timer.join(max(0.0, end - time.monotonic()))
            if time.monotonic() >= end:
                raise TimeoutError("the explorer is still replanning")
            self._timers = [t for t in self._timers if t.is_alive()]

    def close(self) -> None:
        """Stop pending replans and close the explorer and every widget in it."""
        if not hasattr(self, "_plan_lock"):  # __init__ refused its options: nothing was made
            super().close()
            return
        for timer in self._timers:
            timer.cancel()
        self.wait()
        # every widget reachable through synced traits: children, layers, layouts, styles
        seen: set[int] = {id(self)}
        stack: list[widgets.Widget] = [self]
        while stack:
            w = stack.pop()
            for name in w.keys:
                value = getattr(w, name, None)
                values = value if isinstance(value, (list, tuple)) else (value,)
                for v in values:
                    if isinstance(v, widgets.Widget) and id(v) not in seen:
                        seen.add(id(v))
                        stack.append(v)
            if w is not self:
                w.close()
        super().close()

    def _show_progress(self, on: bool) -> None:
        self.w_progress.layout.visibility = "visible" if on else "hidden"
        if on:
            self.w_progress.bar_style = "info"
            self.w_status.value = f"<i>{html.escape(self._t('planning'))}</i>"

    def _replan(self, generation: int) -> None:
        started = time.perf_counter()
        with self._plan_lock:
            if generation != self._generation:
                return  # a newer change will plan
            data, kwargs = self.state.plan_call()
            locked, exclude = set(self.state.locked), set(self.state.exclude)
        self._show_progress(True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plan = plan_coverage(data, created=self.created, **kwargs)
        # data warnings (unknown survey fields ...) come back at every replan: said once, kept
        self.warnings = sorted({str(w.message) for w in caught})
        with self._plan_lock:
            if generation != self._generation:
                return
            self.plan = plan
            self.revision += 1
        self.figures = figures_of(plan)
        self.view = "plan"
        self.w_compounds.data = _mapdata.plan_features(
            plan, self._geometry, locked=locked, exclude=exclude, lang=self.lang
        )
        self.w_bundle_outlines.data = _mapdata.bundle_features(plan, metric_crs=self._metric_crs)
        self.w_figures.value = self._figures_html()
        self.w_bundles.value = self._bundles_html()
        if self.state.options["min_households"] is None:
            self._syncing = True
            self._put(self.w_min_households, int(plan.options["min_households"]))
            self._syncing = False
        self._show_progress(False)
        note = f"{self._t('planned_in')} {time.perf_counter() - started:.2f} s"
        self._say("; ".join([note, *self.warnings]))

    def _figures_html(self) -> str:
        f = self.figures
        t = self._t
        rows = [
            (t("compounds"), f"{f['compounds']:,}"),
            (t("unmanaged_compounds"), f"{f['unmanaged']:,}"),
            (
                label("provider_delivered", self.lang),
                _paren(_pct(f["provider_rate"]), f"{f['provider_delivered']:,}", self.lang),
            ),
            (
                label("community_carried", self.lang),
                _paren(_pct(f["community_rate"]), f"{f['community_carried']:,}", self.lang),
            ),
            (t("bundle_rate"), _paren(_pct(f["bundle_rate"]), f"{f['bundle']:,}", self.lang)),
            (t("household_bundle_rate"), _pct(f["household_bundle_rate"])),
            (label("extended", self.lang), f"{f['extended']:,}"),
            (label("self_governed", self.lang), f"{f['self_governed']:,}"),
            (label("on_demand", self.lang), f"{f['on_demand']:,}"),
            (t("bundles"), f"{f['bundles']:,}"),
            (t("locked_bundles"), f"{f['locked_bundles']:,}"),
            (t("unviable_bundles"), f"{f['unviable_bundles']:,}"),
            (t("min_households"), f"{int(self.plan.options['min_households']):,}"),
        ]
        cells = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
            f"<td style='text-align:right' data-figure='{i}'>{html.escape(v)}</td></tr>"
            for i, (k, v) in enumerate(rows)
        )
        return (
            f"<table class='lianhu-figures-table' data-revision='{self.revision}'>{cells}</table>"
        )

    def _bundles_html(self) -> str:
        b = self.plan.bundles
        t = self._t
        head = [t("bundle_id"), t("subdistrict"), t("members"), t("households"), t("span_m"),
                t("margin_yuan_month"), t("locked"), t("name")]  # fmt: skip
        rows = []
        for bid, r in b.iterrows():
            cells = [
                str(bid),
                str(r["subdistrict"]),
                f"{int(r['compounds'])}",
                f"{int(r['households']):,}",
                f"{float(r['span_m']):,.0f}",
                f"{float(r['margin_yuan_month']):,.0f}",
                label("yes", self.lang) if bool(r["locked"]) else "",
            ]
            names = str(r["compound_names"]).split("、")
            short = "、".join(names[:4]) + ("…" if len(names) > 4 else "")
            full = html.escape("、".join(names), quote=True)
            rows.append(
                "<tr>"
                + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                + f"<td title='{full}'>{html.escape(short)}</td>"
                + "</tr>"
            )
        header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        return (
            "<table class='lianhu-bundle-list' style='font-size:90%'>"
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    # ------------------------------------------------------------ Python API
    def set(self, **options: Any) -> Explorer:
        """Change options (as :func:`lianhu_geo.explore` takes them), replan and redraw.

        Returns the explorer, so calls chain: ``ex.set(max_compounds=25).figures``.
        """
        with self._undo_on_error():
            changed = self.state.update(**options)
            if changed:
                self._replan(self._bump())
        self._sync_controls()
        return self

    @contextlib.contextmanager
    def _undo_on_error(self):
        """Put options, locks and exclusions back when the new plan cannot be made."""
        state = self.state
        saved = (dict(state.options), dict(state.locked), state.exclude)
        try:
            yield
        except Exception:
            state.options, state.locked, state.exclude = saved
            raise

    def lock(self, ids: Iterable[str]) -> Explorer:
        """Keep the current bundles of the compounds ``ids`` as they are, and replan."""
        with self._undo_on_error():
            self.state.lock(ids, self.plan)
            self._replan(self._bump())
        return self

    def unlock(self, ids: Iterable[str] | None = None) -> Explorer:
        """Unlock the bundles of the compounds ``ids`` (every bundle with None), and replan."""
        self.state.unlock(ids)
        self._replan(self._bump())
        return self

    def exclude(self, ids: Iterable[str]) -> Explorer:
        """Leave the compounds ``ids`` out of bundling (they get a fallback mode), and replan."""
        self.state.set_exclude(set(self.state.exclude) | set(self.state._check_ids(ids, "exclude")))
        self._replan(self._bump())
        return self

    def include(self, ids: Iterable[str] | None = None) -> Explorer:
        """Stop excluding the compounds ``ids`` (all with None), and replan."""
        keep = (
            ()
            if ids is None
            else set(self.state.exclude) - set(self.state._check_ids(ids, "include"))
        )
        self.state.set_exclude(keep)
        self._replan(self._bump())
        return self

    def _clear(self) -> None:
        self.state.unlock(None)
        self.state.set_exclude(())
        self._schedule()

    @property
    def map_data(self) -> dict:
        return self.w_compounds.data

    @property
    def bundle_data(self) -> dict:
        return self.w_bundle_outlines.data

    @property
    def scenarios(self) -> dict[str, Any]:
        """Kept scenarios: name -> plan, in the order kept."""
        return {name: s.plan for name, s in self.state.scenarios.items()}

    def keep(self, name: str) -> Scenario:
        """Keep the current options, locks and plan as the scenario ``name``."""
        self.wait()
        scenario = self.state.keep(name, self.plan)
        names = list(self.state.scenarios)
        self.w_a.options = names
        self.w_b.options = names
        if len(names) >= 2:
            self.w_a.value, self.w_b.value = names[-2], names[-1]
        self.w_export_which.options = [(self._t("current_plan"), None), *names]
        self._say(f"{self._t('scenario')} {name}")
        if len(names) >= 1:
            self.compare()
        return scenario

    def restore(self, name: str) -> Explorer:
        """Take a kept scenario's options, locks and exclusions back, and replan."""
        self.state.restore(name)
        self._replan(self._bump())
        self._sync_controls()
        return self

    def compare(self, *, by_subdistrict: bool = False) -> pd.DataFrame:
        """Put the kept scenarios side by side (:func:`lianhu_geo.compare_plans`) and show it."""
        if not self.state.scenarios:
            raise InputError("keep a scenario first: `keep(name)` stores the current options.")
        table = compare_plans(self.scenarios, by_subdistrict=by_subdistrict, lang=self.lang)
        self.w_table.value = table.to_html(
            border=0, classes="lianhu-compare", float_format=lambda v: f"{v:.1%}"
        )
        return table

    def diff(self, a: str, b: str) -> pd.DataFrame:
        """Compounds that change between the kept scenarios ``a`` and ``b``; drawn on the map."""
        plan_a, plan_b = self.state.scenario(a).plan, self.state.scenario(b).plan
        changes = plan_diff(plan_a, plan_b)
        self.view = "diff"
        self.w_compounds.data = _mapdata.diff_features(changes, plan_b, self._geometry)
        self.w_bundle_outlines.data = _mapdata.bundle_features(plan_b, metric_crs=self._metric_crs)
        self._say(f"{a} → {b}: {len(changes)} {self._t('changed')}")
        return changes

    def show_plan(self) -> Explorer:
        """Draw the current plan again (after :meth:`diff`)."""
        self.view = "plan"
        self.w_compounds.data = _mapdata.plan_features(
            self.plan, self._geometry, locked=self.state.locked, exclude=self.state.exclude,
            lang=self.lang,
        )  # fmt: skip
        outlines = _mapdata.bundle_features(self.plan, metric_crs=self._metric_crs)
        self.w_bundle_outlines.data = outlines
        return self

    def export(self, folder: str | Path, *, scenario: str | None = None) -> dict[str, Path]:
        """Write a scenario's (default: the current plan's) files into ``folder``.

        ``plan.gpkg`` and ``plan.xlsx`` (:meth:`CoveragePlan.to_file`), the
        offline meeting map ``map.html`` (:func:`lianhu_geo.export_html`),
        the briefing pack ``汇报材料.pdf`` (:func:`lianhu_geo.export_pdf`)
        and its map as ``map.png`` (:func:`lianhu_geo.export_png`), as
        ``lianhu-geo plan`` writes them; in the explorer's language.
        """
        self.wait()
        plan = self.plan if scenario is None else self.state.scenario(scenario).plan
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = dict(plan.to_file(folder))
        with atomic_path(folder / "map.html") as tmp:
            export_html(plan, tmp)
        paths["map"] = folder / "map.html"
        paths["briefing_pack"] = export_pdf(plan, folder / BRIEFING_PDF, lang=self.lang)
        paths["map_png"] = export_png(plan, folder / "map.png", lang=self.lang)
        self._say(f"{self._t('exported')}: " + ", ".join(str(p) for p in paths.values()))
        return paths

    def export_diff(self, a: str, b: str, path: str | Path) -> Path:
        """Write the offline map of what changes between scenarios ``a`` and ``b``."""
        plan_a, plan_b = self.state.scenario(a).plan, self.state.scenario(b).plan
        with atomic_path(path) as tmp:
            export_html(compare_map(plan_a, plan_b, labels=(a, b)), tmp)
        return Path(path)

    def _export_clicked(self) -> None:
        which = self.w_export_which.value
        self.export(
            Path(self.w_folder.value or "explore_out") / (which or "current"), scenario=which
        )
