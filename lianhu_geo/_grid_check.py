"""Checks behind :meth:`lianhu_geo.grid.NeighborhoodGrid.validate`."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ._grid_build import LEVELS, level_codes
from .errors import format_rows

__all__ = ["check_graph"]


def _tree_problems(graph: nx.DiGraph) -> list[str]:
    if graph.number_of_nodes() == 0:
        return ["the grid has no nodes"]
    if nx.is_arborescence(graph):
        return []
    problems = []
    roots = [n for n, d in graph.in_degree() if d == 0]
    if len(roots) != 1:
        problems.append(f"the grid must have one root, it has {len(roots)}: {format_rows(roots)}")
    several = [n for n, d in graph.in_degree() if d > 1]
    if several:
        problems.append(f"nodes {format_rows(several)} have more than one parent")
    try:
        cycle = nx.find_cycle(graph)
        problems.append("cycle through " + format_rows(u for u, _ in cycle))
    except nx.NetworkXNoCycle:
        pass
    if not problems:
        problems.append("the grid is not connected")
    return ["not a tree (nx.is_arborescence is False): " + "; ".join(problems)]


def check_graph(graph: nx.DiGraph, *, stop_at: str = "household") -> list[str]:
    """Problems of a grid graph, each naming the nodes; empty when valid.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("district:X", level="district")
    >>> g.add_node("compound:C1", level="compound", households=3)
    >>> g.add_edge("district:X", "compound:C1")
    >>> check_graph(g, stop_at="compound")
    ['edges must go one level down: district:X -> compound:C1 (district > compound)']
    """
    problems = _tree_problems(graph)
    ids = list(graph.nodes)
    levels = [graph.nodes[n].get("level") for n in ids]
    codes = pd.Series(level_codes(levels), index=ids)
    bad = codes.index[codes < 0]
    if len(bad):
        problems.append(
            f"nodes {format_rows(bad)} have no valid `level` (one of {', '.join(LEVELS)})"
        )
    roots = [n for n in ids if graph.in_degree(n) == 0]
    wrong_root = [n for n in roots if graph.nodes[n].get("level") != "district"]
    if wrong_root:
        problems.append(f"the root must be the district; {format_rows(wrong_root)} is not")
    edges = pd.DataFrame(list(graph.edges), columns=["parent", "child"])
    if len(edges):
        step = codes[edges["child"]].to_numpy() - codes[edges["parent"]].to_numpy()
        wrong = edges[step != 1]
        if len(wrong):
            text = [
                f"{p} -> {c} ({graph.nodes[p].get('level')} > {graph.nodes[c].get('level')})"
                for p, c in zip(wrong["parent"], wrong["child"], strict=True)
            ]
            problems.append("edges must go one level down: " + format_rows(text))
    problems += _count_problems(graph, ids, codes, edges, stop_at)
    return problems


def _count_problems(
    graph: nx.DiGraph, ids: list, codes: pd.Series, edges: pd.DataFrame, stop_at: str
) -> list[str]:
    problems = []
    hh = pd.to_numeric(
        pd.Series([graph.nodes[n].get("households") for n in ids], index=ids, dtype=object),
        errors="coerce",
    )
    missing = hh.index[hh.isna() & (codes > 0)]
    if len(missing):
        problems.append(f"nodes {format_rows(missing)} have no `households` count")
    if len(edges):
        sums = hh[edges["child"]].groupby(edges["parent"].to_numpy()).sum()
        own = hh[sums.index]
        differ = sums.index[(own != sums).to_numpy() & own.notna().to_numpy()]
        for n in differ[:10]:
            problems.append(
                f"`households` of {n} ({int(own[n])}) differ from the sum over its children "
                f"({int(sums[n])})"
            )
        if len(differ) > 10:
            problems.append(f"and {len(differ) - 10} more nodes whose households differ")
        n_children = edges.groupby("parent").size()
        for level, column in (("compound", "buildings"), ("building", "units")):
            nodes = codes.index[(codes == LEVELS.index(level)).to_numpy()]
            if not len(nodes) or LEVELS.index(stop_at) <= LEVELS.index(level):
                continue
            have = n_children.reindex(nodes, fill_value=0)
            said = pd.Series([graph.nodes[n].get(column, np.nan) for n in nodes], index=nodes)
            off = nodes[(said.notna() & (said != have)).to_numpy()]
            if len(off):
                problems.append(
                    f"`{column}` of {format_rows(off)} differ from their number of children"
                )
    depth = LEVELS.index(stop_at)
    leaves = [n for n in ids if graph.out_degree(n) == 0]
    empty = [n for n in leaves if 0 < codes[n] < depth and (hh.get(n, 0) or 0) > 0]
    if empty:
        problems.append(
            f"nodes {format_rows(empty)} count households but have no children down to {stop_at!r}"
        )
    return problems
