"""Static maps of a plan for the briefing pack: the district and each subdistrict.

Drawn with matplotlib and geopandas' plotting, in the plan's metric CRS (so
the scale bar is in metres and north is up): each bundle with its own fill
and its id as a label, the other unmanaged compounds by mode, professional
compounds in grey, subdistrict outlines (derived from the compounds, as the
HTML map does when no official boundary is given) and names, a legend, a
scale bar and a north arrow. Every text from the data is drawn with
``parse_math=False``: a ``$`` in a name is a dollar sign, never mathtext.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, Rectangle

from ..coords import to_metric
from ..labels import label
from ..maps._layers import derived_areas
from ..maps._style import MODE_COLORS

__all__ = ["MapData", "map_data", "draw_map", "bundle_colors", "plot_frame", "scale_and_north"]

#: Fills for bundles, one each, cycled: qualitative colours that are not mode colours.
_BUNDLE_FILLS: tuple[str, ...] = (
    "#8dd3c7",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
    "#a6cee3",
    "#b2df8a",
    "#cab2d6",
    "#f4a582",
    "#92c5de",
)
_FALLBACK = ("standalone", "extended", "self_governed", "on_demand")
#: The HTML map's mode colours, professional lighter: on paper the bundles must stand out.
_COLORS = {**MODE_COLORS, "professional": "#d2d2d2"}
_HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


class MapData:
    """A plan's layers in its metric CRS, computed once for every map of the pack."""

    def __init__(self, compounds: gpd.GeoDataFrame, bundles: gpd.GeoDataFrame, areas: Any):
        self.compounds = compounds
        self.bundles = bundles
        self.areas = areas
        self.colors = bundle_colors(bundles)


def bundle_colors(bundles: pd.DataFrame) -> dict[str, str]:
    """Give each bundle its own fill, in bundle-id order, so a plan always gets the same."""
    ids = sorted(str(b) for b in bundles.index)
    return {b: _BUNDLE_FILLS[i % len(_BUNDLE_FILLS)] for i, b in enumerate(ids)}


def map_data(plan: Any) -> MapData:
    """Project the plan's compounds, bundles and derived subdistrict outlines to metres."""
    compounds = to_metric(plan.compounds)
    bundles = plan.bundles
    if len(bundles):
        bundles = bundles.to_crs(compounds.crs)
    areas = derived_areas(compounds, "subdistrict") if len(compounds) else None
    return MapData(compounds, bundles, areas)


def plot_frame(frame: gpd.GeoDataFrame, ax: Any, **style: Any) -> None:
    """Plot polygons filled and points as markers of the same colour."""
    if frame.empty:
        return
    kind = frame.geometry.geom_type
    polygons = frame[kind.isin(["Polygon", "MultiPolygon"])]
    points = frame[kind.isin(["Point", "MultiPoint"])]
    if len(polygons):
        polygons.plot(ax=ax, **style)
    if len(points):
        size = style.pop("markersize", 14)
        style.pop("hatch", None)
        points.plot(ax=ax, markersize=size, marker="o", **style)


def _nice_length(span_m: float) -> float:
    """Choose a round scale-bar length near a fifth of the map's width (metres)."""
    target = max(span_m / 5, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(step * power for step in (1, 2, 5) if step * power <= target)


def _scale_text(length_m: float, lang: str) -> str:
    if length_m >= 1000:
        return label("km", lang).format(n=f"{length_m / 1000:g}")
    return label("metres", lang).format(n=f"{length_m:g}")


def scale_and_north(ax: Any, lang: str) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width, height = x1 - x0, y1 - y0
    length = _nice_length(width)
    bx, by = x0 + 0.04 * width, y0 + 0.04 * height
    bar_h = 0.008 * height
    for i in range(2):  # two halves, black and white, as printed maps do
        ax.add_patch(
            Rectangle(
                (bx + i * length / 2, by),
                length / 2,
                bar_h,
                facecolor="black" if i == 0 else "white",
                edgecolor="black",
                linewidth=0.8,
                zorder=20,
            )
        )
    ax.text(
        bx, by + 2 * bar_h, "0", ha="center", va="bottom", fontsize=8, zorder=20, path_effects=_HALO
    )
    ax.text(
        bx + length,
        by + 2 * bar_h,
        _scale_text(length, lang),
        ha="center",
        va="bottom",
        fontsize=8,
        zorder=20,
        path_effects=_HALO,
    )
    nx_, ny_ = x1 - 0.05 * width, y1 - 0.14 * height
    arrow = FancyArrow(
        nx_,
        ny_,
        0,
        0.07 * height,
        width=0.012 * width,
        head_width=0.03 * width,
        head_length=0.03 * height,
        length_includes_head=True,
        color="black",
        zorder=20,
    )
    ax.add_patch(arrow)
    ax.text(
        nx_,
        ny_ + 0.085 * height,
        label("north", lang),
        ha="center",
        va="bottom",
        fontsize=12,
        zorder=20,
    )


def legend_handles(data: MapData, lang: str) -> list[Any]:
    """Legend rows: bundles (each its own fill), each fallback mode, professional, outlines."""
    handles: list[Any] = [
        Patch(
            facecolor=_BUNDLE_FILLS[0],
            edgecolor="#333333",
            label=label("bundle_legend", lang),
        )
    ]
    modes = set(data.compounds["service_mode"].astype(str))
    for mode in (*_FALLBACK, "professional"):
        if mode in modes:
            handles.append(
                Patch(facecolor=_COLORS[mode], edgecolor="#555555", label=label(mode, lang))
            )
    handles.append(
        Line2D(
            [0],
            [0],
            color="#444444",
            linestyle="--",
            linewidth=1.2,
            label=label("subdistrict", lang),
        )
    )
    return handles


def draw_map(
    ax: Any,
    data: MapData,
    *,
    lang: str,
    subdistrict: str | None = None,
    label_size: float = 7.0,
) -> None:
    """Draw the district (or one subdistrict, the rest faint) on ``ax``."""
    compounds = data.compounds
    mode = compounds["service_mode"].astype(str)
    focus = np.ones(len(compounds), dtype=bool)
    if subdistrict is not None:
        focus = (compounds["subdistrict"].astype(str) == subdistrict).to_numpy()
    ax.set_aspect("equal")
    ax.set_axis_off()
    if data.areas is not None:
        areas = data.areas
        if subdistrict is not None:
            areas = areas[areas["name"] == subdistrict]
        areas.boundary.plot(ax=ax, color="#444444", linewidth=1.2, linestyle="--", zorder=5)
    shown = compounds[focus]
    if len(shown):  # frame the map on what it shows, with a margin for the corners
        x0, y0, x1, y1 = shown.total_bounds
        pad = 0.08 * max(x1 - x0, y1 - y0, 200.0)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
    others = compounds[~focus]
    if len(others) and len(shown):  # only the neighbours in view: a faint context
        others = others.cx[x0 - pad : x1 + pad, y0 - pad : y1 + pad]
    if len(others):
        plot_frame(others, ax, color="#eeeeee", edgecolor="#dddddd", linewidth=0.2, zorder=1)
    for m in ("professional", *_FALLBACK):
        part = shown[mode[focus] == m]
        if len(part):
            plot_frame(part, ax, color=_COLORS[m], edgecolor="#555555", linewidth=0.3, zorder=3)
    bundles = data.bundles
    if subdistrict is not None and len(bundles):
        bundles = bundles[bundles["subdistrict"].astype(str) == subdistrict]
    members = shown[mode[focus] == "bundle"]
    for bundle_id in sorted(str(b) for b in bundles.index):
        color = data.colors[bundle_id]
        part = members[members["bundle_id"].astype(str) == bundle_id]
        plot_frame(part, ax, color=color, edgecolor="#333333", linewidth=0.3, zorder=4)
        outline = bundles.loc[[bundle_id]]
        outline.plot(
            ax=ax, facecolor=color, alpha=0.35, edgecolor="#222222", linewidth=0.8, zorder=2
        )
    for bundle_id in sorted(str(b) for b in bundles.index):
        geom = bundles.geometry.loc[bundle_id]
        if geom is None or geom.is_empty:
            continue
        point = geom.representative_point()
        ax.text(
            point.x,
            point.y,
            bundle_id,
            ha="center",
            va="center",
            fontsize=label_size,
            color="#111111",
            path_effects=_HALO,
            zorder=15,
            parse_math=False,
            clip_on=True,
        )
    if data.areas is not None:
        names = data.areas if subdistrict is None else data.areas[data.areas["name"] == subdistrict]
        for name, geom in zip(names["name"], names.geometry, strict=True):
            point = geom.representative_point()
            ax.text(
                point.x,
                point.y,
                str(name),
                ha="center",
                va="center",
                fontsize=label_size + 5,
                color="#333333",
                alpha=0.8,
                path_effects=_HALO,
                zorder=16,
                parse_math=False,
                clip_on=True,
            )
    scale_and_north(ax, lang)
