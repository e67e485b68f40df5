"""Checked compounds, once: validate → project to metres → order by id.

Every public function that plans on compounds starts the same way: check the
table (:func:`~lianhu_geo.compounds.validate_compounds`), project it once to
its metric CRS, and work in ``compound_id`` order so that the row order of
the input never changes a result. :func:`prepare` does that once and returns
a :class:`Prepared`; a function handed a :class:`Prepared` (as
:func:`~lianhu_geo.coverage.plan_coverage` hands one to
:func:`~lianhu_geo.bundling.propose_bundles`) does not check the table again.

>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> frame = gpd.GeoDataFrame(
...     {"compound_id": ["C2", "C1"], "name": ["乙", "甲"], "subdistrict": ["x", "x"],
...      "community": ["y", "y"], "households": [5, 7], "management": ["unmanaged"] * 2},
...     geometry=[Point(108.94, 34.26), Point(108.95, 34.26)], crs=4326)
>>> prep = prepare(frame)
>>> prep.ids.tolist(), prep.order.tolist()
(['C1', 'C2'], [1, 0])
>>> prep.metric.crs.to_epsg()
32649
>>> prepare(prep) is prep
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np

from .compounds import validate_compounds
from .coords import metric_crs, to_metric
from .errors import InputError, format_rows

__all__ = ["Prepared", "prepare"]


@dataclass(frozen=True, eq=False)
class Prepared:
    """Validated compounds with their metric projection and id order.

    Attributes
    ----------
    data : geopandas.GeoDataFrame
        The validated compounds, input index and CRS.
    planning : bool
        Whether they were checked for planning (every required field known).
    areas : geopandas.GeoDataFrame, optional
        Estimated footprints (:func:`~lianhu_geo.estimate_footprints`) of these
        rows, made over a larger input they are part of: a subdistrict's
        points keep the areas they have among all the points, not only among
        their own.
    """

    data: gpd.GeoDataFrame
    planning: bool = True
    areas: gpd.GeoDataFrame | None = None

    @cached_property
    def metric(self) -> gpd.GeoDataFrame:
        """The compounds in their metric CRS (projected once, on first use)."""
        return to_metric(self.data)

    @cached_property
    def metric_crs(self) -> object:
        """The metric CRS, without projecting."""
        return metric_crs(self.data)

    @cached_property
    def order(self) -> np.ndarray:
        """Row positions sorted by ``compound_id``: position ``p`` is row ``order[p]``."""
        return np.argsort(self.data["compound_id"].to_numpy(dtype=str), kind="stable")

    @cached_property
    def ids(self) -> np.ndarray:
        """The ``compound_id`` strings in id order."""
        return self.data["compound_id"].to_numpy(dtype=str)[self.order]

    @cached_property
    def geoms(self) -> np.ndarray:
        """Metric geometries in id order."""
        return self.metric.geometry.to_numpy()[self.order]


def prepare(
    compounds: gpd.GeoDataFrame | Prepared, *, planning: bool = True, unique_index: bool = False
) -> Prepared:
    """Validate ``compounds`` once; a :class:`Prepared` passes through unchanged.

    Parameters
    ----------
    compounds : GeoDataFrame or Prepared
    planning : bool, default True
        Passed to :func:`~lianhu_geo.compounds.validate_compounds`. A
        :class:`Prepared` checked without ``planning`` is checked again with it.
    unique_index : bool, default False
        Refuse an index with repeated labels (results are returned on it).

    Raises
    ------
    InputError
        Not a GeoDataFrame, a repeated index label, or what
        :func:`~lianhu_geo.compounds.validate_compounds` refuses.
    """
    if isinstance(compounds, Prepared):
        if compounds.planning or not planning:
            return compounds
        compounds = compounds.data
    if unique_index and isinstance(compounds, gpd.GeoDataFrame) and not compounds.index.is_unique:
        repeated = compounds.index[compounds.index.duplicated()].unique()
        raise InputError(
            f"the compounds' index must be unique; labels {format_rows(list(repeated))} "
            "repeat. Use `compounds.reset_index(drop=True)` or index by `compound_id`."
        )
    return Prepared(validate_compounds(compounds, planning=planning), planning=planning)
