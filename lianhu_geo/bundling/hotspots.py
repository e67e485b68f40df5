"""Where to start bundling (聚集区): clusters of old and three-without courtyards.

The district plans bundles first where unmanaged old (老旧) and three-without
(三无) courtyards cluster, because there one company can take over many
households close together. :func:`find_clusters` finds those clusters with
density-based clustering from scikit-learn (DBSCAN, or HDBSCAN) on the
compounds' representative points in metres, and returns one polygon per
cluster, ranked by the unmanaged households it holds.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._prepared import prepare
from ..errors import InputError
from ..labels import CLUSTER_COLUMNS as _CLUSTER_COLUMNS
from ..options import Option, check_options

__all__ = ["find_clusters", "CLUSTER_COLUMNS"]

#: Columns of the :func:`find_clusters` table, with the Chinese header a
#: planner reads for each.
CLUSTER_COLUMNS: dict[str, str] = _CLUSTER_COLUMNS  # kept in lianhu_geo.labels


#: How :func:`find_clusters` checks its options.
OPTIONS: tuple[Option, ...] = (
    Option("eps_m", "distance", minimum=0, exclusive_minimum=True),
    Option("min_compounds", "count", minimum=2),
    Option(
        "which",
        "instance",
        types=(str, pd.Series),
        what="'old_or_sanwu', 'unmanaged' or a yes/no Series on the compounds' index",
    ),
    Option("method", "choice", choices=("dbscan", "hdbscan")),
)


def _selection(data: gpd.GeoDataFrame, which: str | pd.Series) -> np.ndarray:
    unmanaged = (data["management"] == "unmanaged").to_numpy(dtype=bool)
    if isinstance(which, pd.Series):
        if not which.index.equals(data.index) or which.isna().any():
            raise InputError("`which` as a Series must be boolean on the compounds' index.")
        return which.to_numpy(dtype=bool)
    if which == "unmanaged":
        return unmanaged
    if which == "old_or_sanwu":
        flag = np.zeros(len(data), dtype=bool)
        for column in ("old", "sanwu"):
            if column in data.columns:
                flag |= data[column].fillna(False).to_numpy(dtype=bool)
        if not any(c in data.columns for c in ("old", "sanwu")):
            raise InputError(
                "`which='old_or_sanwu'` needs an `old`, `build_year` or `sanwu` column; "
                "add one, or pass `which='unmanaged'`."
            )
        return unmanaged & flag
    raise InputError(
        f"`which` must be 'old_or_sanwu', 'unmanaged' or a boolean Series, got {which!r}."
    )


def find_clusters(
    compounds: gpd.GeoDataFrame,
    *,
    eps_m: float = 150.0,
    min_compounds: int = 5,
    which: str | pd.Series = "old_or_sanwu",
    method: str = "dbscan",
) -> gpd.GeoDataFrame:
    """Find and rank clusters (聚集区) of unmanaged old or three-without courtyards.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds as accepted by :func:`~lianhu_geo.compounds.validate_compounds`,
        any CRS.
    eps_m : float, default 150
        DBSCAN neighbourhood radius between representative points: about one
        courtyard plus a lane (old courtyards are 50-150 m across). With
        ``method="hdbscan"`` it is the ``cluster_selection_epsilon``: clusters
        closer than this are merged.
    min_compounds : int, default 5
        Fewest compounds that make a cluster (DBSCAN ``min_samples``,
        HDBSCAN ``min_cluster_size``).
    which : {"old_or_sanwu", "unmanaged"} or pandas.Series of bool
        Compounds to cluster: unmanaged ones that are old or three-without
        (default), all unmanaged ones, or your own selection.
    method : {"dbscan", "hdbscan"}, default "dbscan"
        scikit-learn's DBSCAN (fixed density) or HDBSCAN (varying density).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cluster, most unmanaged households first, in the input
        CRS; columns as in :data:`CLUSTER_COLUMNS`. ``cluster_id`` is
        ``"H01"``, ``"H02"``... by rank; ``subdistrict`` is the subdistrict
        holding most of the cluster's households; the geometry is the convex
        hull of the members' footprints buffered by ``eps_m / 2``.

    Raises
    ------
    InputError
        For invalid compounds or options.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> pts = [Point(310000 + 80 * i, 3793000 + 80 * j) for i in range(3) for j in range(3)]
    >>> gdf = gpd.GeoDataFrame(
    ...     {"compound_id": [f"C{k}" for k in range(10)], "name": ["院"] * 10,
    ...      "subdistrict": ["北院门街道"] * 10, "community": ["x"] * 10,
    ...      "households": [120] * 10, "management": ["unmanaged"] * 10,
    ...      "old": [True] * 10}, geometry=[*pts, Point(312000, 3795000)], crs=32649)
    >>> find_clusters(gdf)[["cluster_id", "compounds", "unmanaged_households"]].to_numpy().tolist()
    [['H01', 9, 1080]]
    """
    from sklearn.cluster import DBSCAN, HDBSCAN

    checked = check_options(
        {"eps_m": eps_m, "min_compounds": min_compounds, "which": which, "method": method},
        OPTIONS,
        where="find_clusters",
    )
    eps_m, min_compounds = checked["eps_m"], checked["min_compounds"]
    prep = prepare(compounds)
    data, metric = prep.data, prep.metric
    selected = _selection(data, which)
    order = prep.order[selected[prep.order]]
    geoms = metric.geometry.to_numpy()[order]
    columns = [*CLUSTER_COLUMNS, "geometry"]
    if len(order) < min_compounds:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=data.crs)
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    if method == "dbscan":
        labels = DBSCAN(eps=eps_m, min_samples=min_compounds).fit_predict(xy)
    else:
        labels = HDBSCAN(
            min_cluster_size=min_compounds, cluster_selection_epsilon=float(eps_m), copy=True
        ).fit_predict(xy)
    households = data["households"].to_numpy(dtype=np.int64)[order]
    ids = data["compound_id"].to_numpy(dtype=str)[order]
    subs = data["subdistrict"].to_numpy(dtype=str)[order]

    def flag(column: str) -> np.ndarray:
        if column not in data.columns:
            return np.zeros(len(order), dtype=bool)
        return data[column].fillna(False).to_numpy(dtype=bool)[order]

    old, sanwu = flag("old"), flag("sanwu")
    rows = []
    for label in sorted(set(labels.tolist()) - {-1}):
        k = labels == label
        by_sub = pd.Series(households[k]).groupby(subs[k]).sum()
        main = by_sub.index[np.argmax(by_sub.to_numpy())]
        hull = shapely.convex_hull(shapely.union_all(geoms[k]))
        rows.append(
            {
                "subdistrict": main,
                "subdistricts": "、".join(sorted(set(subs[k].tolist()))),
                "compounds": int(k.sum()),
                "unmanaged_households": int(households[k].sum()),
                "old_compounds": int(old[k].sum()),
                "sanwu_compounds": int(sanwu[k].sum()),
                "compound_ids": ",".join(ids[k].tolist()),
                "geometry": shapely.buffer(hull, eps_m / 2, quad_segs=4),
            }
        )
    if not rows:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=data.crs)
    table = pd.DataFrame(rows)
    table = table.sort_values(
        ["unmanaged_households", "compounds", "compound_ids"],
        ascending=[False, False, True],
        kind="stable",
    ).reset_index(drop=True)
    width = max(2, len(str(len(table))))
    table["cluster_id"] = [f"H{k + 1:0{width}d}" for k in range(len(table))]
    table["rank"] = np.arange(1, len(table) + 1)
    table["area_m2"] = np.round(shapely.area(table["geometry"].to_numpy()), 1)
    for column in ("cluster_id", "subdistrict", "subdistricts", "compound_ids"):
        table[column] = table[column].astype("string")
    out = gpd.GeoDataFrame(table, geometry="geometry", crs=metric.crs).to_crs(data.crs)
    return out[columns]
