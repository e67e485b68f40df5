"""The pages of the briefing pack, each an A3 landscape matplotlib figure.

Tables are drawn text by text (not ``matplotlib.table``) so that every cell
is drawn with ``parse_math=False`` and long tables flow onto further pages
with their header repeated.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..coverage import CHINA_TZ, FIGURE_COLUMNS, SUMMARY_COLUMNS, summary_labels
from ..coverage.triage import SERVICE_MODES
from ..labels import LABELS, label
from ._figures import MapData, draw_map, legend_handles

__all__ = ["A3", "Table", "chinese_date", "draw_table", "flow", "pages", "plan_moment", "wrap"]

#: A3 landscape in inches (420 x 297 mm).
A3: tuple[float, float] = (420 / 25.4, 297 / 25.4)
_ROW_IN = 0.21  # height of a table row, inches (9 pt text)
_FONT = 9.0
_MAX_CELL_LINES = 2
_SUBDISTRICT_BOX = (0.56, 0.88, 0.41, 0.84)  # the tables beside a subdistrict's map


@dataclass
class Table:
    """A table to draw: a title, headers, rows of text, relative column widths."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]
    align: list[str]


def plan_moment(plan: Any) -> _dt.datetime:
    """Return the plan's date as a moment in China Standard Time (2000-01-01 when unknown)."""
    created = plan.created or plan.options.get("created")
    if not created:
        return _dt.datetime(2000, 1, 1, tzinfo=CHINA_TZ)
    moment = _dt.datetime.fromisoformat(str(created))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ)


def chinese_date(plan: Any, lang: str) -> str:
    """Write the plan's date the way a Chinese document writes it (2026年11月28日)."""
    created = str(plan.created or plan.options.get("created") or "")
    moment = plan_moment(plan)
    with_time = "T" in created and moment.time() != _dt.time()
    text = label("date_ymd", lang).format(year=moment.year, month=moment.month, day=moment.day)
    if with_time:
        text += " " + label("china_time", lang).format(time=f"{moment:%H:%M}")
    return text


def _em(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55


_TOKENS = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+")


def wrap(text: str, width_em: float, max_lines: int = _MAX_CELL_LINES) -> str:
    """Break ``text`` into lines of at most ``width_em`` ems; cut with … past ``max_lines``.

    Chinese breaks between any two characters, other text between words (a
    word longer than a line is broken too); line breaks in data are spaces.

    >>> wrap("provider rate (proposed)", 9).splitlines()
    ['provider rate', '(proposed)']
    """
    text = " ".join(str(text).split())
    lines, line, used = [], "", 0.0
    for token in _TOKENS.findall(text):
        size = sum(_em(c) for c in token)
        if token.isspace():
            if line:
                line, used = line + " ", used + size
            continue
        if used + size > width_em and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0.0
        while size > width_em:  # a word longer than a line
            cut, part = 0.0, ""
            for char in token:
                if cut + _em(char) > width_em and part:
                    break
                part, cut = part + char, cut + _em(char)
            lines.append(part)
            token = token[len(part) :]
            size = sum(_em(c) for c in token)
        line, used = line + token, used + size
    lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)


def _text(fig: Figure, x: float, y: float, s: str, **kw: Any) -> None:
    fig.text(x, y, s, parse_math=False, **kw)


def _header(fig: Figure, title: str, subtitle: str, page_label: str) -> None:
    _text(fig, 0.03, 0.965, title, fontsize=20, va="top")
    _text(fig, 0.03, 0.925, subtitle, fontsize=11, va="top", color="#444444")
    _text(fig, 0.97, 0.02, page_label, fontsize=9, ha="right", color="#666666")


def draw_table(
    fig: Figure, table: Table, rows: Sequence[list[str]], box: tuple[float, float, float, float]
) -> float:
    """Draw ``rows`` of ``table`` in ``box`` (figure fractions x, top, width); return the bottom."""
    x0, top, width, _ = box
    fig_w, fig_h = fig.get_size_inches()
    row_h = _ROW_IN / fig_h
    total = sum(table.widths)
    lefts = [x0]
    for w in table.widths[:-1]:
        lefts.append(lefts[-1] + width * w / total)
    y = top

    def cells(values, top: float) -> None:
        """One row of text, each value in its column, aligned as the column says."""
        for left, w, value, align in zip(lefts, table.widths, values, table.align, strict=True):
            cell_w = width * w / total
            tx = left + 0.004 if align == "left" else left + cell_w - 0.004
            _text(fig, tx, top - 0.2 * row_h, str(value), fontsize=_FONT, va="top", ha=align,
                  linespacing=1.1)  # fmt: skip

    if table.title:
        _text(fig, x0, y, table.title, fontsize=12, va="top")
        y -= row_h * 1.5
    head_lines = max(h.count("\n") + 1 for h in table.headers)
    fig.add_artist(_rect(fig, x0, y - row_h * head_lines, width, row_h * head_lines, "#e8eef5"))
    cells(table.headers, y)
    y -= row_h * head_lines
    for i, row in enumerate(rows):
        lines = max(str(c).count("\n") + 1 for c in row)
        if i % 2 == 1:
            fig.add_artist(_rect(fig, x0, y - row_h * lines, width, row_h * lines, "#f6f6f6"))
        cells(row, y)
        y -= row_h * lines
    fig.add_artist(_line(fig, x0, y, width))
    return y


def _rect(fig: Figure, x: float, y: float, w: float, h: float, color: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x, y), w, h, transform=fig.transFigure, facecolor=color, edgecolor="none", zorder=0
    )


def _line(fig: Figure, x: float, y: float, w: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([x, x + w], [y, y], transform=fig.transFigure, color="#888888", linewidth=0.6)


def _rows_that_fit(rows: Sequence[list[str]], height_in: float) -> int:
    used, n = 0.0, 0
    for row in rows:
        h = _ROW_IN * max(str(c).count("\n") + 1 for c in row)
        if used + h > height_in:
            break
        used += h
        n += 1
    return max(n, 1)


def _rows_height(rows: Sequence[list[str]]) -> float:
    return _ROW_IN * sum(max(str(c).count("\n") + 1 for c in r) for r in rows)


def _continued(title: str, lang: str) -> str:
    if not title or title.endswith(label("continued", lang).format(title="")):
        return title
    return label("continued", lang).format(title=title)


Layout = list[tuple[Table, list[list[str]], tuple[float, float, float, float]]]


def flow(
    tables: Sequence[Table],
    first: tuple[float, float, float, float] | None,
    columns: int,
    lang: str,
) -> Iterator[Layout]:
    """Lay tables out in boxes (x, top, width, height), one layout a page.

    ``first`` is the only box of the first page when given; then each page
    has ``columns`` boxes side by side.
    """
    fig_h = A3[1]
    step = 0.94 / columns
    full = [(0.03 + i * step, 0.88, step - 0.015, 0.82) for i in range(columns)]
    boxes = [first] if first is not None else full
    page: Layout = []
    box_i, used = 0, 0.0
    for table in tables:
        rows, title = list(table.rows), table.title
        head_lines = max(h.count("\n") + 1 for h in table.headers)
        while True:
            box = boxes[box_i]
            overhead = _ROW_IN * (head_lines + (2.5 if title else 1.0))
            room = box[3] * fig_h - used - overhead
            if room < 2 * _ROW_IN and used > 0:  # no room for this table here: next box
                box_i, used = box_i + 1, 0.0
                if box_i == len(boxes):
                    yield page
                    page, boxes, box_i = [], full, 0
                continue
            n = _rows_that_fit(rows, room)
            chunk = Table(title, table.headers, rows[:n], table.widths, table.align)
            page.append((chunk, rows[:n], (box[0], box[1] - used / fig_h, box[2], box[3])))
            used += overhead + _rows_height(rows[:n])
            rows, title = rows[n:], _continued(title, lang)
            if not rows:
                break
            box_i, used = box_i + 1, 0.0
            if box_i == len(boxes):
                yield page
                page, boxes, box_i = [], full, 0
    if page:
        yield page


def _text_of(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _count(value: Any) -> str:
    return "—" if pd.isna(value) else f"{int(value):,}"


def _rate(value: Any) -> str:
    return "—" if pd.isna(value) else f"{float(value):.1%}"


#: Summary columns the pack shows (the 拟安排 total is always all unmanaged: left out).
PACK_SUMMARY: tuple[str, ...] = tuple(
    c for c in SUMMARY_COLUMNS if c not in ("covered", "coverage_rate", "upper_bound")
)


def summary_table(plan: Any, lang: str) -> Table:
    """Tabulate the summary by subdistrict with the honest rates, as the pack prints it."""
    table = plan.summary()
    names = summary_labels(lang)
    headers = [names["subdistrict"]] + [wrap(names[c], 7.5, 3) for c in PACK_SUMMARY]
    rows = []
    for index, row in table.iterrows():
        place = names["total"] if index == "total" else str(index)
        cells = [wrap(place, 9)]
        for c in PACK_SUMMARY:
            cells.append(_rate(row[c]) if c.endswith("_rate") else _count(row[c]))
        rows.append(cells)
    widths = [2.2] + [1.0] * len(PACK_SUMMARY)
    return Table("", headers, rows, widths, ["left"] + ["right"] * len(PACK_SUMMARY))


def bundle_table(bundles: pd.DataFrame, lang: str, *, compact: bool = False) -> Table:
    """Tabulate bundles: id, subdistrict, compounds, households, span, margin, members.

    ``compact`` (a subdistrict's page, a narrower box) leaves out
    subdistrict, span and locked, and cuts the member names at two lines;
    the full table lists every member.
    """
    yes, no = label("yes", lang), label("no", lang)
    keys = [
        "bundle_id",
        "subdistrict",
        "compounds",
        "households",
        "span_m",
        "margin_yuan_month",
        "locked",
        "member_names",
    ]
    widths = [1.1, 1.6, 0.8, 0.9, 0.9, 1.1, 0.8, 10.0]
    if compact:
        keys = ["bundle_id", "compounds", "households", "margin_yuan_month", "member_names"]
        widths = [1.0, 0.8, 0.8, 1.1, 4.0]
    box_in = A3[0] * (_SUBDISTRICT_BOX[2] if compact else 0.94)
    names_em = box_in * widths[-1] / sum(widths) / (_FONT / 72) - 1.5
    lines = 2 if compact else 12
    rows = []
    for bundle_id, b in bundles.sort_index().iterrows():
        cells = {
            "bundle_id": str(bundle_id),
            "subdistrict": wrap(b["subdistrict"], 7),
            "compounds": _count(b["compounds"]),
            "households": _count(b["households"]),
            "span_m": _count(b.get("span_m")),
            "margin_yuan_month": _count(b.get("margin_yuan_month")),
            "locked": yes if bool(b.get("locked", False)) else no,
            "member_names": wrap(_text_of(b.get("compound_names")), names_em, lines),
        }
        rows.append([cells[k] for k in keys])
    headers = [wrap(label(k, lang), 6, 2) for k in keys]
    align = [
        "left" if k in ("bundle_id", "subdistrict", "locked", "member_names") else "right"
        for k in keys
    ]
    return Table(label("bundle_list", lang), headers, rows, widths, align)


def fallback_table(compounds: pd.DataFrame, lang: str) -> Table:
    """Unmanaged compounds outside bundles: name, community, mode, households."""
    part = compounds[
        (compounds["management"] == "unmanaged") & (compounds["service_mode"] != "bundle")
    ]
    order = {mode: i for i, mode in enumerate(SERVICE_MODES)}
    rank = part["service_mode"].map(order)
    part = part.assign(_rank=rank.to_numpy(), _id=part["compound_id"].astype(str).to_numpy())
    part = part.sort_values(["_rank", "_id"])
    rows = [
        [
            wrap(r["name"], 11, 1),
            wrap(r["community"], 7, 1),
            label(str(r["service_mode"]), lang),
            _count(r["households"]),
        ]
        for _, r in part.iterrows()
    ]
    headers = [label(k, lang) for k in ("name", "community", "service_mode", "households")]
    return Table(
        label("unbundled_compounds", lang),
        headers,
        rows,
        [2.4, 1.6, 1.3, 0.8],
        ["left", "left", "left", "right"],
    )


def _headline(row: pd.Series, lang: str) -> str:
    return label("summary_headline", lang).format(
        place="",
        unmanaged=int(row["unmanaged"]),
        provider=int(row["provider_delivered"]),
        provider_rate=_rate(row["provider_rate"]),
        community=int(row["community_carried"]),
        community_rate=_rate(row["community_rate"]),
    )


def _title(lang: str) -> str:
    return (
        f"{label('plan_title', lang)}（{label('briefing_pack', lang)}）"
        if lang == "zh"
        else (f"{label('plan_title', lang).capitalize()} ({label('briefing_pack', lang)})")
    )


def _option_value(value: Any, lang: str) -> str:
    """Write an option's value as a planner reads it: 是/否, a mode's name, else JSON."""
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if value is None:
        return "—"
    if isinstance(value, str):
        if value in SERVICE_MODES or value == "subdistrict":
            return label(value, lang)
        return label("option_default", lang) if value == "default" else wrap(value, 80, 3)
    return wrap(json.dumps(value, ensure_ascii=False), 80, 3)


def option_rows(plan: Any, lang: str) -> list[list[str]]:
    """Each option with its label (the code name too, so a planner can set it again)."""
    rows = []
    for key, value in plan.options.items():
        name = LABELS.get(f"option_{key}", {}).get(lang)
        rows.append([f"{name} ({key})" if name else key, _option_value(value, lang)])
    return rows


def pages(
    plan: Any, data: MapData, *, lang: str, grid: Any = None, decisions: Sequence[Any] = ()
) -> Iterator[Figure]:
    """Yield every page of the pack, in order.

    The district map, the summary, the bundles, each subdistrict, the other
    decisions, the parameters.
    """
    date = chinese_date(plan, lang)
    title = _title(lang)
    summary = plan.summary()
    number = iter(range(1, 10_000))

    def new_page(subtitle: str) -> Figure:
        fig = Figure(figsize=A3)
        n = next(number)
        _header(fig, title, subtitle, label("page_n", lang).format(n=n))
        return fig

    # 1. the district map
    fig = new_page(f"{date}　{_headline(summary.loc['total'], lang)}")
    ax = fig.add_axes((0.02, 0.04, 0.74, 0.86))
    draw_map(ax, data, lang=lang)
    handles = legend_handles(data, lang)
    legend = fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.77, 0.88),
        frameon=False,
        fontsize=11,
        title=label("service_mode", lang),
        title_fontsize=12,
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    y = 0.50
    for key in ("unmanaged", *FIGURE_COLUMNS[1:]):
        value = summary.loc["total", key]
        shown = _rate(value) if key.endswith("_rate") else _count(value)
        name = summary_labels(lang)[key]
        _text(fig, 0.77, y, label("figure_value", lang).format(name=name, value=shown), fontsize=12)
        y -= 0.03
    _text(fig, 0.77, y - 0.01, label("provider_modes", lang), fontsize=9, color="#444444")
    _text(fig, 0.77, y - 0.035, label("community_modes", lang), fontsize=9, color="#444444")
    yield fig

    # 2. the summary by subdistrict
    fig = new_page(_headline(summary.loc["total"], lang))
    table = summary_table(plan, lang)
    bottom = draw_table(fig, table, table.rows, (0.03, 0.88, 0.94, 0.8))
    _text(fig, 0.03, bottom - 0.03, label("provider_modes", lang), fontsize=10, va="top")
    _text(fig, 0.03, bottom - 0.055, label("community_modes", lang), fontsize=10, va="top")
    yield fig

    # 3. the bundles, split across pages
    bundles = bundle_table(plan.bundles, lang)
    if not bundles.rows:
        bundles.rows = [["—"] * len(bundles.headers)]
    for layout in flow([bundles], None, 1, lang):
        fig = new_page(label("bundle_count", lang).format(n=len(plan.bundles)))
        for table, rows, box in layout:
            draw_table(fig, table, rows, box)
        yield fig

    # 4. one page (and continuations) per subdistrict
    compounds = data.compounds
    for name in summary.index[:-1]:
        own = compounds[compounds["subdistrict"].astype(str) == str(name)]
        own_bundles = plan.bundles[plan.bundles["subdistrict"].astype(str) == str(name)]
        tables = [bundle_table(own_bundles, lang, compact=True), fallback_table(own, lang)]
        tables = [t for t in tables if t.rows]
        head = f"{name}　{_headline(summary.loc[name], lang)}"
        layouts = list(flow(tables, _SUBDISTRICT_BOX, 2, lang)) or [[]]
        for i, layout in enumerate(layouts):
            fig = new_page(head if i == 0 else label("continued", lang).format(title=name))
            if i == 0:
                ax = fig.add_axes((0.02, 0.04, 0.52, 0.84))
                draw_map(ax, data, lang=lang, subdistrict=str(name), label_size=9)
            for table, rows, box in layout:
                draw_table(fig, table, rows, box)
            yield fig

    # 5. the other decisions (stations, heads, companies), a page each
    if decisions:
        from ._decisions import decision_pages

        yield from decision_pages(decisions, lang=lang, new_page=new_page)

    # 6. parameters, fingerprint, date
    fig = new_page(label("options_page", lang))
    facts = [
        [label("plan_date", lang), date],
        [label("fingerprint", lang), plan.fingerprint],
        [label("library_version", lang), str(plan.version)],
        [label("provider_delivered", lang), label("provider_modes", lang)],
        [label("community_carried", lang), label("community_modes", lang)],
    ]
    if grid is not None:
        for level, count in grid.counts().items():
            facts.append([f"{label('grid', lang)}: {label(level, lang)}", f"{int(count):,}"])
    table = Table(
        "",
        [label("item", lang), label("value", lang)],
        facts + option_rows(plan, lang),
        [1.5, 4.5],
        ["left", "left"],
    )
    for i, layout in enumerate(flow([table], None, 1, lang)):
        if i > 0:
            fig = new_page(label("options_page", lang))
        for t, rows, box in layout:
            draw_table(fig, t, rows, box)
        yield fig
