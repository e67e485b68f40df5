"""Pages for the district's other decisions in the briefing pack (issue 14).

Each result of :mod:`lianhu_geo.decisions` gets a page: its table by
subdistrict as the result gives it (``summary``/``overview``), and for the
service stations a map of the compounds within walking reach (green), not
reached (red) and the stations (blue; new sites orange).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..coords import to_metric
from ..decisions import CompanyShortlist, HeadRoster, StationCoverage, StationSites
from ..errors import InputError
from ..labels import label
from ..maps._decisions import STATUS_COLORS
from ._figures import plot_frame, scale_and_north
from ._pages import Table, draw_table, flow, wrap

__all__ = ["KINDS", "check_decisions", "decision_pages"]

#: Label keys of a compound's status where they are not ``station_<status>``.
_STATUS_LABELS = {"within_reach": "within_reach", "not_covered": "not_within_reach"}

#: The results the pack shows, with the label key of their page's title.
KINDS: dict[type, str] = {
    StationCoverage: "station_coverage",
    StationSites: "new_sites",
    HeadRoster: "roster",
    CompanyShortlist: "shortlist",
}


def check_decisions(decisions: Any) -> list[Any]:
    """Return ``decisions`` as a list of results the pack can show, else raise InputError."""
    if decisions is None:
        return []
    items = [decisions] if type(decisions) in KINDS else list(decisions)
    for i, item in enumerate(items):
        if type(item) not in KINDS:
            names = ", ".join(k.__name__ for k in KINDS)
            raise InputError(
                f"`decisions` item {i} is a {type(item).__name__}; the briefing pack shows "
                f"{names} (from lianhu_geo.station_coverage, site_stations, assign_heads, "
                "match_companies)."
            )
    return items


def _table(result: Any, lang: str) -> Table:
    """Tabulate the result by subdistrict: counts with separators, rates as percentages."""
    method = "overview" if isinstance(result, CompanyShortlist) else "summary"
    codes = getattr(result, method)(lang="en")
    shown = getattr(result, method)(lang=lang)
    total = label("total", lang)
    headers = [str(shown.index.name or "")] + [wrap(str(c), 7.5, 3) for c in shown.columns]
    rows = []
    for (index, row), place in zip(codes.iterrows(), shown.index, strict=True):
        cells = [wrap(total if index == "total" else str(place), 9)]
        for code, value in row.items():
            if pd.isna(value):
                cells.append("—")
            elif str(code).endswith("rate"):
                cells.append(f"{float(value):.1%}")
            elif float(value) == int(value):
                cells.append(f"{int(value):,}")
            else:
                cells.append(f"{float(value):,.1f}")
        rows.append(cells)
    widths = [2.2] + [1.0] * len(shown.columns)
    return Table("", headers, rows, widths, ["left"] + ["right"] * len(shown.columns))


def _station_map(fig: Figure, result: Any, lang: str, *, top: float) -> None:
    compounds = to_metric(result.compounds)
    if isinstance(result, StationCoverage):
        status = compounds["within_reach"].map({True: "within_reach", False: "not_covered"})
        stations = result.stations.to_crs(compounds.crs)
        sites = stations.iloc[0:0]
        keys = ("within_reach", "not_covered")
    else:
        status = compounds["station_status"].astype(str)
        stations = compounds.iloc[0:0]
        sites = result.sites.to_crs(compounds.crs)
        keys = ("existing", "new", "uncovered", "uncoverable", "not_a_target")
    ax = fig.add_axes((0.02, 0.04, 0.96, max(top - 0.04, 0.2)))
    ax.set_aspect("equal")
    ax.set_axis_off()
    x0, y0, x1, y1 = compounds.total_bounds
    pad = 0.05 * max(x1 - x0, y1 - y0, 200.0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    handles: list[Any] = []
    for key in keys:
        part = compounds[(status == key).to_numpy()]
        if len(part):
            color = STATUS_COLORS[key]
            plot_frame(part, ax, color=color, edgecolor="#555555", linewidth=0.2, zorder=2)
            name = label(_STATUS_LABELS.get(key, f"station_{key}"), lang)
            handles.append(Patch(facecolor=color, edgecolor="#555555", label=name))
    for frame, key, marker in ((stations, "station", "o"), (sites, "site", "*")):
        if len(frame):
            points = frame.geometry.representative_point()
            size = 18 if marker == "o" else 120
            ax.scatter(
                points.x,
                points.y,
                s=size,
                marker=marker,
                c=STATUS_COLORS[key],
                edgecolors="white",
                linewidths=0.5,
                zorder=5,
            )
            name = label("service_station" if key == "station" else "new_site", lang)
            handles.append(
                Line2D(
                    [0],
                    [0],
                    marker=marker,
                    linestyle="",
                    markersize=8,
                    color=STATUS_COLORS[key],
                    label=name,
                )
            )
    legend = ax.legend(handles=handles, loc="lower right", fontsize=9, framealpha=0.9)
    for text in legend.get_texts():
        text.set_parse_math(False)
    scale_and_north(ax, lang)


def _first_choices(result: CompanyShortlist, lang: str) -> Table:
    """Each bundle's and extended compound's first-choice company, with the reason."""
    first = result.shortlist[result.shortlist["rank"] == 1]
    keys = ["target_id", "subdistrict", "households", "company_name", "distance_m", "reason"]
    rows = [
        [
            str(r["target_id"]),
            wrap(r["subdistrict"], 7, 1),
            f"{int(r['households']):,}",
            wrap(r["company_name"], 14, 1),
            f"{float(r['distance_m']):,.0f}",
            wrap(r["reason"], 46, 1),
        ]
        for _, r in first.iterrows()
    ]
    headers = [label(k, lang) for k in keys]
    align = ["left", "left", "right", "left", "right", "left"]
    widths = [1.0, 1.2, 0.9, 2.2, 1.0, 6.0]
    return Table(label("first_choice_table", lang), headers, rows, widths, align)


def decision_pages(
    decisions: Sequence[Any], *, lang: str, new_page: Callable[[str], Figure]
) -> Iterator[Figure]:
    """One page per result: its table, and for stations a map below it.

    A company shortlist adds each target's first choice, over further pages
    when long.
    """
    for result in decisions:
        title = label(KINDS[type(result)], lang)
        fig = new_page(title)
        table = _table(result, lang)
        bottom = draw_table(fig, table, table.rows, (0.03, 0.88, 0.94, 0.84))
        if isinstance(result, (StationCoverage, StationSites)):
            _station_map(fig, result, lang, top=bottom - 0.02)
        if isinstance(result, CompanyShortlist) and len(result.shortlist):
            first = _first_choices(result, lang)
            box = (0.03, bottom - 0.03, 0.94, bottom - 0.06)
            for i, layout in enumerate(flow([first], box, 1, lang)):
                if i > 0:
                    yield fig
                    fig = new_page(label("continued", lang).format(title=title))
                for part, rows, where in layout:
                    draw_table(fig, part, rows, where)
        yield fig
