"""The map's info box: title, date (China), short fingerprint, figures, parameters.

Every piece of text is HTML-escaped here; the box's HTML reaches the page
as a JSON string (Jinja's ``tojson``), never as template source.

:func:`figure_rows_html` is where the plan's headline figures go: it takes
rows ``(label, value)`` and is shown under the date; :func:`plan_map` passes
``figures=`` through to :class:`InfoBox`.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Iterable, Mapping
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from ..coverage import CHINA_TZ
from ..labels import LABELS, label

__all__ = [
    "FINGERPRINT_CHARS",
    "date_text",
    "iso_day",
    "short_fingerprint",
    "option_rows",
    "figure_rows_html",
    "InfoBox",
]

#: Hex digits of the data fingerprint shown (the full one is in the tooltip).
FINGERPRINT_CHARS = 12
_MAX_ITEMS = 12


def _day(value: str | _dt.date | None) -> _dt.date | None:
    """Return the day of an ISO date or time in China (aware times converted), else None."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        moment = value
    elif isinstance(value, _dt.date):
        return value
    else:
        try:
            moment = _dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TZ)
    return moment.date()


def date_text(value: str | _dt.date | None, lang: str) -> str | None:
    """Return a date as a Chinese planner writes it, in China's time zone.

    A date with a time zone is taken to China Standard Time first; one
    without is read as China's. Text that is not an ISO date is given back
    as it is. ``None`` gives ``None``.

    Examples
    --------
    >>> date_text("2026-12-06", "zh")
    '2026年12月6日'
    >>> date_text("2026-12-05T17:30:00+00:00", "zh"), date_text("2026-12-06", "en")
    ('2026年12月6日', '2026-12-06')
    >>> date_text("next week", "zh")
    'next week'
    """
    if value is None:
        return None
    day = _day(value)
    if day is None:
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def iso_day(value: str | _dt.date | None) -> str | None:
    """Return the ISO day (China) of a date, for ``<time datetime=...>``; None if not a date.

    Examples
    --------
    >>> iso_day("2026-12-05T17:30:00+00:00"), iso_day("soon")
    ('2026-12-06', None)
    """
    day = _day(value)
    return None if day is None else day.isoformat()


def short_fingerprint(fingerprint: str) -> str:
    """Return the first :data:`FINGERPRINT_CHARS` characters of each ``/``-separated print.

    Examples
    --------
    >>> short_fingerprint("66d474a1b234578b063c / 0123456789abcdef0")
    '66d474a1b234 / 0123456789ab'
    """
    return " / ".join(p.strip()[:FINGERPRINT_CHARS] for p in str(fingerprint).split("/"))


def _name(key: str, lang: str) -> str:
    for k in (f"option_{key}", key):
        if k in LABELS:
            return LABELS[k][lang]
    return str(key)


def _value(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}" if abs(value) >= 1e4 else str(int(value))
    if isinstance(value, str) and value in LABELS:  # a code name: a mode, a level
        return LABELS[value][lang]
    if isinstance(value, (Mapping, list, tuple)) and not value:
        return "—"
    if isinstance(value, Mapping):
        return "；".join(f"{_name(str(k), lang)} {_value(v, lang)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        items = [_value(v, lang) for v in value[:_MAX_ITEMS]]
        more = len(value) - len(items)
        text = "、".join(items)
        if more > 0:
            text += " " + label("items_more", lang).format(n=len(value))
        return text
    return str(value)


def option_rows(options: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """Return the plan's options as ``(label, value)`` text rows, labels from ``labels.py``.

    The plan's date is left out (the box shows it); yes/no, code names
    (modes, levels) and empty values are written in words.

    Examples
    --------
    >>> option_rows({"max_compounds": 40, "bundle": True, "exclude": None}, "zh")
    [('组建片区大物业', '是'), ('排除的小区', '—'), ('每片区最多院落', '40')]
    """
    keys = sorted((k for k in options if k != "created"), key=str)
    return [(_name(str(k), lang), _value(options[k], lang)) for k in keys]


def figure_rows_html(rows: Iterable[tuple[str, str]]) -> str:
    """Return the plan's headline figures ``(label, value)`` as an HTML table (escaped)."""
    body = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return f'<table class="lianhu-figures">{body}</table>' if body else ""


class InfoBox(MacroElement):
    """The plan's title, date, version, fingerprint, figures and options, bottom left.

    ``options`` maps a plan's name to its options (one entry for one plan);
    ``figures`` are rows ``(label, value)`` shown under the date
    (:func:`figure_rows_html`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var info = L.control({position: "bottomleft"});
            info.onAdd = function() {
                var div = L.DomUtil.create("div", "lianhu-box lianhu-info");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            info.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        *,
        title: str,
        date: str,
        fingerprint: str,
        version: str,
        options: Mapping[str, Mapping[str, Any]],
        lang: str = "zh",
        figures: Iterable[tuple[str, str]] = (),
        day: str | None = None,
    ):
        super().__init__()
        self._name = "InfoBox"
        self.title = title
        words = {k: label(k, lang) for k in ("date", "fingerprint_short", "version")}
        if len(options) == 1:
            params = _table(option_rows(next(iter(options.values())), lang))
        else:  # the options of each plan of a comparison, under its name
            params = "".join(
                f"<p><b>{html.escape(str(name))}</b></p>{_table(option_rows(opts, lang))}"
                for name, opts in options.items()
            )
        self.html = (
            f"<b>{html.escape(title)}</b><br>"
            f"{words['date']}：{_time(date, day)} · {words['version']}：{html.escape(version)}"
            f'<br>{words["fingerprint_short"]}：<code title="{html.escape(fingerprint)}">'
            f"{html.escape(short_fingerprint(fingerprint))}</code>"
            f"{figure_rows_html(figures)}"
            f"<details><summary>{label('plan_options', lang)}</summary>"
            f'<div class="lianhu-options">{params}</div></details>'
        )


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _time(text: str, day: str | None) -> str:
    """Mark the date as shown up with its ISO day when it is a date."""
    if day is None:
        return html.escape(text)
    return f'<time datetime="{html.escape(day)}">{html.escape(text)}</time>'
