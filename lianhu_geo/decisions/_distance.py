"""Walking and travel distances in metres: straight line times a detour factor, or roads.

Every place (compound, station, office) is a point in the data's metric CRS
(:func:`lianhu_geo.coords.metric_crs`); a compound is its representative
point. Without a road layer, a distance is the straight line times
``detour_factor``. With a road layer (lines), each place joins the nearest
road vertex in a straight line and travels along the roads (networkx
shortest paths); places whose roads do not connect are out of reach.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from pyproj import CRS
from scipy.spatial import cKDTree

from ..errors import InputError

__all__ = ["Distances", "metric_points"]


def metric_points(frame: gpd.GeoDataFrame | gpd.GeoSeries, crs: CRS) -> np.ndarray:
    """``(n, 2)`` coordinates in ``crs`` of each row's representative point."""
    geometry = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    geometry = geometry.to_crs(crs)
    points = geometry.representative_point() if (geometry.geom_type != "Point").any() else geometry
    return shapely.get_coordinates(points.to_numpy())


class Distances:
    """Distances between two sets of points, in metres.

    Parameters
    ----------
    crs : pyproj.CRS
        The metric CRS the points are in.
    detour_factor : float
        Straight-line distances are multiplied by it (ignored with roads).
    roads : GeoDataFrame or GeoSeries of lines, optional
        The road layer; any CRS.
    """

    def __init__(self, crs: CRS, *, detour_factor: float = 1.0, roads=None) -> None:
        self.crs = crs
        self.detour_factor = float(detour_factor)
        self.graph: nx.Graph | None = None
        if roads is not None:
            self._build_roads(roads)

    def _build_roads(self, roads) -> None:
        if not isinstance(roads, gpd.GeoDataFrame | gpd.GeoSeries):
            raise InputError(
                f"`roads` must be a GeoDataFrame or GeoSeries of lines, got {type(roads).__name__}."
            )
        if roads.crs is None:
            raise InputError("`roads` has no CRS; set it, e.g. `roads.set_crs('EPSG:4326')`.")
        geometry = roads.geometry if isinstance(roads, gpd.GeoDataFrame) else roads
        geometry = geometry.to_crs(self.crs)
        lines = [
            part
            for g in geometry.to_numpy()
            if g is not None and not g.is_empty
            for part in shapely.get_parts(g)
        ]
        bad = [g.geom_type for g in lines if g.geom_type != "LineString"]
        if bad or not lines:
            raise InputError(
                "`roads` must hold LineString or MultiLineString geometry"
                + (f"; found {', '.join(sorted(set(bad)))}." if bad else "; it holds none.")
            )
        graph = nx.Graph()
        key_of: dict[tuple[float, float], str] = {}
        xy: list[tuple[float, float]] = []

        def node(x: float, y: float) -> str:
            key = (round(x, 1), round(y, 1))  # vertices within 10 cm are one crossing
            if key not in key_of:
                key_of[key] = f"road:{len(key_of)}"
                xy.append(key)
                graph.add_node(key_of[key])
            return key_of[key]

        for line in lines:
            coords = shapely.get_coordinates(line)
            for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
                a, b = node(x0, y0), node(x1, y1)
                if a != b:
                    length = float(np.hypot(x1 - x0, y1 - y0))
                    if not graph.has_edge(a, b) or graph[a][b]["length"] > length:
                        graph.add_edge(a, b, length=length)
        self.graph = graph
        self._nodes = np.array(xy)
        self._names = [f"road:{i}" for i in range(len(xy))]
        self._tree = cKDTree(self._nodes)

    def _snap(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gap, nearest = self._tree.query(points)
        return np.asarray(gap, dtype=float), np.asarray(nearest, dtype=int)

    def within(self, source: np.ndarray, target: np.ndarray, max_m: float) -> list[tuple]:
        """Pairs ``(i, j, metres)`` with ``distance(source[i], target[j]) <= max_m``.

        Sorted by ``i`` then ``j``.
        """
        if len(source) == 0 or len(target) == 0:
            return []
        if self.graph is None:
            reach = max_m / self.detour_factor
            tree = cKDTree(target)
            pairs = []
            for i, hits in enumerate(tree.query_ball_point(source, reach + 1e-9)):
                for j in sorted(hits):
                    d = float(np.hypot(*(source[i] - target[j]))) * self.detour_factor
                    if d <= max_m + 1e-9:
                        pairs.append((i, j, d))
            return pairs
        return self._road_pairs(source, target, max_m)

    def _road_pairs(self, source: np.ndarray, target: np.ndarray, max_m: float) -> list[tuple]:
        s_gap, s_node = self._snap(source)
        t_gap, t_node = self._snap(target)
        targets_at: dict[int, list[int]] = {}
        for j, n in enumerate(t_node):
            targets_at.setdefault(int(n), []).append(j)
        pairs = []
        cache: dict[int, dict[str, float]] = {}
        for i in range(len(source)):
            budget = max_m - s_gap[i]
            if budget < 0:
                continue
            start = int(s_node[i])
            if start not in cache:
                cache[start] = nx.single_source_dijkstra_path_length(
                    self.graph, self._names[start], cutoff=max_m, weight="length"
                )
            lengths = cache[start]
            found = []
            for name, length in lengths.items():
                for j in targets_at.get(int(name[5:]), ()):
                    d = s_gap[i] + length + t_gap[j]
                    if d <= max_m + 1e-9:
                        found.append((i, j, float(d)))
            pairs.extend(sorted(found))
        return pairs

    def matrix(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        """Full distance matrix; ``inf`` where roads do not connect."""
        if self.graph is None:
            diff = source[:, None, :] - target[None, :, :]
            return np.hypot(diff[..., 0], diff[..., 1]) * self.detour_factor
        s_gap, s_node = self._snap(source)
        t_gap, t_node = self._snap(target)
        out = np.full((len(source), len(target)), np.inf)
        for i in range(len(source)):
            lengths = nx.single_source_dijkstra_path_length(
                self.graph, self._names[int(s_node[i])], weight="length"
            )
            for j in range(len(target)):
                length = lengths.get(self._names[int(t_node[j])])
                if length is not None:
                    out[i, j] = s_gap[i] + length + t_gap[j]
        return out
