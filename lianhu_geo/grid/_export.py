"""Exports behind :meth:`NeighborhoodGrid.to_dict` and :meth:`NeighborhoodGrid.to_frames`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from ..coords import metric_crs
from ._build import LEVELS

if TYPE_CHECKING:
    from . import NeighborhoodGrid

__all__ = ["nested", "frames", "points_inside"]

_COUNTS = ("households", "zones", "compounds", "buildings", "units")
#: Spacing of generated building points around a compound given as a point.
POINT_SPACING_M = 25.0
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def nested(graph: nx.DiGraph, node: str, max_depth: int) -> dict:
    """One node and its children down to ``max_depth`` as plain dicts."""
    attrs = graph.nodes[node]
    out = {"id": node, "level": attrs["level"], "name": attrs.get("name")}
    for key in _COUNTS:
        if key in attrs:
            out[key] = int(attrs[key])
    if attrs.get("subdistrict"):
        out["subdistrict"] = attrs["subdistrict"]
    out["estimated"] = bool(attrs.get("estimated", False))
    if LEVELS.index(attrs["level"]) < max_depth:
        children = list(graph.successors(node))  # build order: natural id order
        if children:
            out["children"] = [nested(graph, c, max_depth) for c in children]
    return out


def points_inside(geometry: shapely.Geometry, n: int) -> np.ndarray:
    """``n`` distinct points spread deterministically inside a metric geometry.

    A polygon gets the centres of a regular lattice over its bounds that
    fall inside it (refined until there are enough); a point gets a
    sunflower spiral around it, :data:`POINT_SPACING_M` apart.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> points_inside(box(0, 0, 100, 100), 4).tolist()
    [[25.0, 25.0], [75.0, 25.0], [25.0, 75.0], [75.0, 75.0]]
    """
    if n <= 0:
        return np.empty((0, 2))
    if geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.area > 0:
        minx, miny, maxx, maxy = geometry.bounds
        width, height = maxx - minx, maxy - miny
        for scale in range(1, 9):
            cols = max(1, math.ceil(math.sqrt(n * width / height) * scale))
            rows = max(1, math.ceil(n * scale * scale / cols))
            xs = minx + (np.arange(cols) + 0.5) * width / cols
            ys = miny + (np.arange(rows) + 0.5) * height / rows
            gx, gy = np.meshgrid(xs, ys)
            gx, gy = gx.ravel(), gy.ravel()
            inside = shapely.contains_xy(geometry, gx, gy)
            count = int(inside.sum())
            if count >= n:
                pick = np.round(np.linspace(0, count - 1, n)).astype(int)
                return np.column_stack([gx[inside][pick], gy[inside][pick]])
        centre = shapely.get_coordinates(geometry.representative_point())[0]
    else:
        centre = shapely.get_coordinates(shapely.centroid(geometry))[0]
    k = np.arange(n)
    radius = POINT_SPACING_M * np.sqrt(k) * 0.6
    angle = k * _GOLDEN_ANGLE
    return np.column_stack([centre[0] + radius * np.cos(angle), centre[1] + radius * np.sin(angle)])


def _with_geometry(table: pd.DataFrame, geometry: object, crs: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(table, geometry=geometry, crs=crs).to_crs(4326)


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=[c for c in table.columns if c.startswith("_")])


def frames(grid: NeighborhoodGrid, levels: list[str]) -> dict[str, gpd.GeoDataFrame]:
    """GeoDataFrames per level in EPSG:4326 (see ``NeighborhoodGrid.to_frames``)."""
    compounds = grid.compounds
    crs = metric_crs(compounds)
    metric = compounds.to_crs(crs) if compounds.crs != crs else compounds
    by_id = pd.Series(metric.geometry.to_numpy(), index=metric["compound_id"].to_numpy())
    out: dict[str, gpd.GeoDataFrame] = {}
    comp = grid.node_frame("compound")
    comp_geom = by_id[comp["compound_id"]].to_numpy()
    if "zone" in levels:
        zones = grid.node_frame("zone")
        shapes = gpd.GeoSeries(comp_geom, crs=crs)
        # points become small discs so that a zone of point compounds is an area
        is_point = (shapes.geom_type == "Point").to_numpy()
        shapes[is_point] = shapes[is_point].buffer(POINT_SPACING_M)
        union = shapes.groupby(comp["zone"].to_numpy()).agg(lambda s: shapely.union_all(s.values))
        out["zone"] = _with_geometry(_plain(zones), union.reindex(zones.index).to_numpy(), crs)
    if "compound" in levels:
        out["compound"] = _with_geometry(comp, comp_geom, crs)
    if "building" in levels or "unit" in levels:
        buildings = grid.node_frame("building")
        points = _building_points(grid, buildings, by_id, crs)
        if "building" in levels:
            out["building"] = _with_geometry(buildings, points, crs)
        if "unit" in levels:
            units = grid.node_frame("unit")
            parent = [next(iter(grid.graph.pred[u])) for u in units.index]
            units.insert(0, "building", parent)
            at = gpd.GeoSeries(points, index=buildings.index, crs=crs)
            out["unit"] = _with_geometry(units, at[parent].representative_point().to_numpy(), crs)
    return {lvl: out[lvl] for lvl in levels if lvl in out}


def _building_points(
    grid: NeighborhoodGrid, buildings: pd.DataFrame, by_id: pd.Series, crs: object
) -> np.ndarray:
    geometry = np.empty(len(buildings), dtype=object)
    given = grid.building_geometry
    if given is not None and len(given):
        given = given.to_crs(crs)
        has = buildings.index.isin(given.index)
        geometry[has] = given[buildings.index[has]].to_numpy()
    missing = pd.isna(geometry)
    positions = np.flatnonzero(missing)
    groups = pd.Series(positions).groupby(buildings["compound_id"].to_numpy()[missing], sort=False)
    for compound_id, where in groups:
        xy = points_inside(by_id[compound_id], len(where))
        geometry[where.to_numpy()] = shapely.points(xy)
    return geometry
