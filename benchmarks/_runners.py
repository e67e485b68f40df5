"""One runner per method. Each returns integer labels (-1 = not in a region)
and a dict with the solve's wall ``seconds``, ``cpu_seconds`` and extras.

Every runner gets the same compounds, the same contiguity graph (``adj``, queen
contiguity of the cells) and the same household threshold. The anchors also
need an attribute to make regions homogeneous; they get the cell centroids
(x, y in metres), which pushes them towards compact regions, as ours tries.
Only the solve itself is timed, after converting the shared graph to each
library's format.
"""

from __future__ import annotations

import os
import tempfile
import time

import geopandas as gpd
import numpy as np
import scipy.sparse as sp

__all__ = ["RUNNERS"]


def _start() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _stop(t0: tuple[float, float]) -> dict:
    """Wall seconds and CPU seconds (all threads of this process) since ``t0``."""
    return {"seconds": time.perf_counter() - t0[0], "cpu_seconds": time.process_time() - t0[1]}


def _centroids(gdf: gpd.GeoDataFrame) -> np.ndarray:
    c = gdf.geometry.centroid
    return np.column_stack([c.x.to_numpy(), c.y.to_numpy()])


def run_spopt(gdf, adj, threshold, seed):
    import libpysal
    from spopt.region import MaxPHeuristic

    data = gpd.GeoDataFrame(
        {"households": gdf["households"].to_numpy(dtype="float64")},
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    xy = _centroids(gdf)
    data["x"], data["y"] = xy[:, 0], xy[:, 1]
    ptr, nbr = adj.indptr, adj.indices
    neighbors = {i: nbr[ptr[i] : ptr[i + 1]].tolist() for i in range(len(gdf))}
    w = libpysal.weights.W(neighbors, silence_warnings=True)
    np.random.seed(seed)  # noqa: NPY002 - spopt draws from numpy's global generator
    t0 = _start()
    model = MaxPHeuristic(data, w, ["x", "y"], "households", threshold, top_n=2)
    model.solve()
    clock = _stop(t0)
    labels = np.asarray(model.labels_, dtype=np.int64)
    # spopt numbers regions 1..p; 0 would be an area left out.
    labels = np.where(labels > 0, labels, -1)
    return labels, {**clock, "p": int(model.p)}


def _write_gal(adj: sp.csr_matrix, path: str) -> None:
    n = adj.shape[0]
    lines = [f"0 {n} bench id"]
    for i in range(n):
        nb = adj.indices[adj.indptr[i] : adj.indptr[i + 1]] + 1
        lines.append(f"{i + 1} {len(nb)}")
        lines.append(" ".join(map(str, nb)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run_pygeoda(gdf, adj, threshold, seed):
    import pygeoda

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "w.gal")
        _write_gal(adj, path)
        w = pygeoda.read_gal(path, [str(i) for i in range(1, len(gdf) + 1)])
    xy = _centroids(gdf)
    bound = gdf["households"].to_numpy(dtype="float64").tolist()
    threads = os.cpu_count() or 1
    t0 = _start()
    out = pygeoda.maxp_greedy(
        w, [xy[:, 0].tolist(), xy[:, 1].tolist()], bound, threshold,
        random_seed=seed + 1, cpu_threads=threads,
    )  # fmt: skip
    clock = _stop(t0)
    labels = np.asarray(out["Clusters"], dtype=np.int64)
    # GeoDa numbers regions 1..p and leaves unassigned areas at 0.
    labels = np.where(labels > 0, labels, -1)
    return labels, {**clock, "cpu_threads": threads}


def run_agglomerative(gdf, adj, threshold, seed):
    """Ward clustering constrained by contiguity, cut at the best level.

    The full tree is built once; every cut (every number of clusters) is then
    scored in one pass over the merges, and the cut with the most clusters
    reaching ``threshold`` (ties: most households in them) is kept. Clusters
    below the threshold are left out.
    """
    from sklearn.cluster import AgglomerativeClustering

    xy = _centroids(gdf)
    hh = gdf["households"].to_numpy(dtype="float64")
    n = len(gdf)
    t0 = _start()
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=0.0, compute_full_tree=True,
        linkage="ward", connectivity=adj,
    )  # fmt: skip
    model.fit(xy)
    children = model.children_
    sums = np.concatenate([hh, np.zeros(n - 1)])
    ok = sums >= threshold
    viable = int(ok[:n].sum())
    covered = float(hh[ok[:n]].sum())
    best = (viable, covered, 0)
    for step, (a, b) in enumerate(children):
        node = n + step
        sums[node] = sums[a] + sums[b]
        ok[node] = sums[node] >= threshold
        viable += int(ok[node]) - int(ok[a]) - int(ok[b])
        covered += sums[node] * ok[node] - sums[a] * ok[a] - sums[b] * ok[b]
        if (viable, covered) > best[:2]:
            best = (viable, covered, step + 1)
    merges = best[2]
    parent = np.arange(2 * n - 1)
    for step in range(merges):
        a, b = children[step]
        parent[a] = parent[b] = n + step

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    roots = np.array([root(i) for i in range(n)])
    labels = np.where(ok[roots], roots, -1)
    clock = _stop(t0)
    return labels, {**clock, "clusters_cut": int(n - merges)}


def _bound(result) -> dict:
    """Ours' own proven bound on the bundles, and whether the time limit cut the exact stages."""
    q = result.quality()
    return {
        "reported_upper_bound": q["upper_bound"],
        "reported_gap": q["gap"],
        "optimal": q["optimal"],
        "time_limited": q["time_limited"],
    }


def run_ours(gdf, adj, threshold, seed):
    import networkx as nx

    from lianhu_geo.bundling import propose_bundles

    ids = gdf["compound_id"].tolist()
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    coo = sp.triu(adj, k=1).tocoo()
    graph.add_edges_from((ids[i], ids[j]) for i, j in zip(coo.row, coo.col, strict=True))
    t0 = _start()
    # min_compounds=1: the max-p problem the anchors solve allows regions of one
    result = propose_bundles(
        gdf, min_households=threshold, max_compounds=None, min_compounds=1, within=None,
        graph=graph, seed=seed,
    )  # fmt: skip
    clock = _stop(t0)
    codes, _ = result.labels.reindex(gdf.index).factorize(use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), {**clock, **_bound(result)}


def run_ours_own_graph(gdf, adj, threshold, seed):
    """Ours end to end: it builds its own neighbor graph (max_gap_m=0: touching cells).

    On a tessellation that is the same queen contiguity the others get; the
    checker still checks against the shared graph.
    """
    from lianhu_geo.bundling import propose_bundles

    t0 = _start()
    result = propose_bundles(
        gdf, min_households=threshold, max_compounds=None, min_compounds=1, within=None,
        max_gap_m=0.0, seed=seed,
    )  # fmt: skip
    clock = _stop(t0)
    codes, _ = result.labels.reindex(gdf.index).factorize(use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), {**clock, **_bound(result)}


RUNNERS = {
    "ours": run_ours,
    "ours_own_graph": run_ours_own_graph,
    "spopt": run_spopt,
    "pygeoda": run_pygeoda,
    "agglomerative": run_agglomerative,
}
