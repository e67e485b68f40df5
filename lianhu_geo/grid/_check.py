"""Checks behind :meth:`lianhu_geo.grid.NeighborhoodGrid.validate`."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import format_rows
from ._build import LEVELS, level_codes

__all__ = ["check_graph", "node_table"]


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


def node_table(graph: nx.DiGraph, attribute: str = "households") -> pd.DataFrame:
    """One row per node in graph order: level ``code``, ``parent``, ``children``, ``value``."""
    # networkx keeps _node, _pred and _succ in the same (insertion) order
    attrs, pred, succ = graph._node, graph._pred, graph._succ
    ids = list(attrs)
    values = pd.to_numeric(
        pd.Series([d.get(attribute) for d in attrs.values()], index=ids, dtype=object),
        errors="coerce",
    )
    return pd.DataFrame(
        {
            "code": level_codes([d.get("level") for d in attrs.values()]),
            "parent": [next(iter(p), None) for p in pred.values()],
            "parents": [len(p) for p in pred.values()],
            "children": [len(c) for c in succ.values()],
            "value": values.astype(float),
        },
        index=pd.Index(ids, dtype=object),
    )


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
    table = node_table(graph)
    codes = table["code"]
    bad = table.index[codes < 0]
    if len(bad):
        problems.append(
            f"nodes {format_rows(bad)} have no valid `level` (one of {', '.join(LEVELS)})"
        )
    roots = table.index[table["parents"] == 0]
    wrong_root = [n for n in roots if graph.nodes[n].get("level") != "district"]
    if wrong_root:
        problems.append(f"the root must be the district; {format_rows(wrong_root)} is not")
    edges = pd.DataFrame(list(graph.edges), columns=["parent", "child"], dtype=object)
    if len(edges):
        step = codes[edges["child"]].to_numpy() - codes[edges["parent"]].to_numpy()
        wrong = edges[step != 1]
        if len(wrong):
            text = [
                f"{p} -> {c} ({graph.nodes[p].get('level')} > {graph.nodes[c].get('level')})"
                for p, c in zip(wrong["parent"], wrong["child"], strict=True)
            ]
            problems.append("edges must go one level down: " + format_rows(text))
    problems += _count_problems(graph, table, edges, stop_at)
    return problems


def _count_problems(
    graph: nx.DiGraph, table: pd.DataFrame, edges: pd.DataFrame, stop_at: str
) -> list[str]:
    problems = []
    codes, hh = table["code"], table["value"]
    missing = table.index[hh.isna() & (codes > 0)]
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
        for level, column in (("compound", "buildings"), ("building", "units")):
            nodes = table.index[(codes == LEVELS.index(level)).to_numpy()]
            if not len(nodes) or LEVELS.index(stop_at) <= LEVELS.index(level):
                continue
            have = table.loc[nodes, "children"]
            said = pd.Series([graph.nodes[n].get(column, np.nan) for n in nodes], index=nodes)
            off = nodes[(said.notna() & (said != have)).to_numpy()]
            if len(off):
                problems.append(
                    f"`{column}` of {format_rows(off)} differ from their number of children"
                )
    depth = LEVELS.index(stop_at)
    empty = table.index[
        (table["children"] == 0) & (codes > 0) & (codes < depth) & (hh.fillna(0) > 0)
    ]
    if len(empty):
        problems.append(
            f"nodes {format_rows(empty)} count households but have no children down to {stop_at!r}"
        )
    return problems
