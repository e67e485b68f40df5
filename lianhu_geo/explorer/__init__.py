"""Exploring bundle options in Jupyter: a live map, the figures and a scenario basket.

:func:`explore` returns an :class:`~lianhu_geo.explorer._widget.Explorer`,
an ipywidgets widget with controls for the options that matter (the
households threshold or the cost model's fee and costs, the courtyard cap,
the span, the linking distance, the subdistricts), a live map on which
clicking a compound locks its bundle or excludes it, the summary figures with
the honest coverage rates, and the bundle list. Every change replans with
:func:`~lianhu_geo.coverage.plan_coverage` and redraws.

Everything the widget shows is also an attribute (``plan``, ``figures``,
``map_data``, ``state``) and every control has a method (``set``, ``lock``,
``exclude``, ``keep``, ``compare``, ``diff``, ``export``), so a notebook can
script the explorer and the tests drive it without a browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._state import OPTIONS, ExploreState, Scenario

if TYPE_CHECKING:
    from ._widget import Explorer

__all__ = ["explore", "Explorer", "OPTIONS", "ExploreState", "Scenario"]


def __getattr__(name: str) -> Any:
    # ipywidgets and ipyleaflet load only when an explorer is made, not with lianhu_geo
    if name == "Explorer":
        from ._widget import Explorer

        return Explorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def explore(
    compounds: Any,
    *,
    lang: str = "zh",
    created: str | None = None,
    debounce_s: float = 0.3,
    **options: Any,
) -> Explorer:
    """Open an interactive explorer of bundle options on ``compounds``.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by :func:`~lianhu_geo.coverage.plan_coverage`.
    lang : {"zh", "en"}
        Language of the controls, figures and map.
    created : str, optional
        Date given to every plan (``plan_coverage(created=...)``), so that
        exported files are byte-identical between runs.
    debounce_s : float, default 0.3
        A change made with the controls is planned this long after the last
        one, in a thread, so that the kernel stays free.
    **options
        Starting options: ``min_households`` (None: from the cost model),
        the cost model's ``fee_yuan_per_m2_month``, ``collection_rate``,
        ``staff_cost_yuan_month``, ``fixed_cost_yuan_month``,
        ``households_per_staff``, ``floor_area_m2_per_household``;
        ``max_compounds`` (default 40, None for no cap), ``max_span_m``,
        ``max_gap_m`` (the linking distance), ``subdistricts`` (names to plan,
        empty for all) and ``exclude`` (compound ids). Checked by
        :mod:`lianhu_geo.options`: a wrong name or value raises
        :class:`~lianhu_geo.errors.InputError` at once.

    Returns
    -------
    Explorer
        An ``ipywidgets.VBox``; display it as the last line of a cell.

    Examples
    --------
    >>> ex = explore(three_compounds(), min_households=150)
    >>> ex.figures["bundles"], ex.figures["coverage_rate"]
    (1, 1.0)
    >>> ex.set(max_compounds=1).figures["bundles"]
    0
    >>> ex.set(max_compunds=1)
    Traceback (most recent call last):
    ...
    lianhu_geo.errors.InputError: explore got an unknown option `max_compunds`; did you mean ...
    """
    from ._widget import Explorer

    if not isinstance(debounce_s, (int, float)) or not 0 <= debounce_s <= 10:
        from ..errors import InputError

        raise InputError(
            f"`debounce_s` must be a number of seconds in [0, 10]; got {debounce_s!r}."
        )
    return Explorer(compounds, lang=lang, created=created, debounce_s=debounce_s, **options)
