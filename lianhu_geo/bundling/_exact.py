"""Exact bundling of small problems: enumerate the minimal bundles, pack them with HiGHS.

A bundle of a max-p solution can always be shrunk, by dropping members
whose removal keeps it connected, until dropping any such member would take
it below the threshold; the shrunk bundle still meets the size cap and the
span, and leftovers can join bundles again afterwards. So the most bundles
a problem admits is the largest packing (no compound twice) of *minimal*
bundles: connected sets of at most ``max_size`` nodes, within the span,
reaching the threshold only with their last member. :func:`candidates`
enumerates them (each connected set once, grown from its lowest node in the
manner of Wernicke's ESU, never extended past the threshold), and
:func:`pack` solves the packing as a 0/1 program with scipy's HiGHS
(:func:`scipy.optimize.milp`), which proves the optimum or reports the
bound it reached within the time limit. :func:`relax` solves the packing's
linear relaxation: its floor is a proven bound, found in a fraction of a
second where the integer program needs seconds (its root heuristics), and
its solution guides the search for packings (:mod:`lianhu_geo.bundling._ils`).

Locks, exclusions, subdistricts and barriers are in the graph already
(locked and excluded compounds are not nodes; edges across subdistricts or
barriers are not edges), so every enumerated set meets every constraint.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csc_matrix

from ._construct import Problem

__all__ = ["Packing", "Relaxation", "candidates", "pack", "relax", "size_bound"]


class _Budget(Exception):
    """The enumeration grew past its budget."""


def candidates(
    p: Problem, nodes: list[int], budget: int, deadline: float = math.inf
) -> tuple[list[tuple[int, ...]] | None, int]:
    """Every minimal bundle within ``nodes`` (sorted tuples) and the steps taken.

    The sets are None when the enumeration would take more than ``budget``
    steps or run past ``deadline``.

    A node tried as an extension of a set of ``k`` members counts ``k + 1``
    steps; the clock (``deadline``, a :func:`time.perf_counter` value) is
    read every 1,024 steps.
    """
    inside = set(nodes)
    w, threshold, span2, fewest = p.w, p.threshold, p.span2, p.min_size
    cap = p.max_size if p.max_size is not None else len(nodes)
    nb = {v: [u for u in p.nbrs[v] if u in inside] for v in nodes}
    x, y = p.x, p.y
    out: list[tuple[int, ...]] = []
    steps = 0
    check = 1024  # read the clock again at this many steps

    def extend(root: int, members: list[int], sw: int, ext: list[int], closed: set[int]) -> None:
        nonlocal steps, check
        ext = list(ext)
        while ext:
            v = ext.pop()
            steps += 1 + len(members)  # a step per node tried, and the span and minimality checks
            if steps > budget:
                raise _Budget
            if steps >= check:
                check = steps + 1024
                if time.perf_counter() > deadline:
                    raise _Budget
            if span2 is not None and any(
                (x[m] - x[v]) ** 2 + (y[m] - y[v]) ** 2 > span2 for m in members
            ):
                continue  # no set holding members and v fits the span
            total = sw + w[v]
            if total >= threshold and len(members) + 1 >= fewest:
                found = (*members, v)
                if (
                    len(found) == fewest
                    or total - min(w[m] for m in found) < threshold
                    or _minimal(found, total)
                ):
                    out.append(tuple(sorted(found)))
                continue
            if len(members) + 1 >= cap:
                continue
            fresh = [u for u in nb[v] if u > root and u not in closed]
            extend(root, [*members, v], total, ext + fresh, closed.union(fresh))

    def _minimal(found: tuple[int, ...], total: int) -> bool:
        """Whether no member can go with the rest still connected and viable."""
        group = set(found)
        for m in found:
            if total - w[m] < threshold:
                continue
            rest = group - {m}
            start = next(iter(rest))
            seen, stack = {start}, [start]
            while stack:
                for t in nb[stack.pop()]:
                    if t in rest and t not in seen:
                        seen.add(t)
                        stack.append(t)
            if len(seen) == len(rest):
                return False  # the rest is a bundle already: this set is never needed
        return True

    try:
        for root in sorted(nodes):
            if w[root] >= threshold and fewest <= 1:
                out.append((root,))
                continue
            if cap <= 1:
                continue
            ext = [u for u in nb[root] if u > root]
            extend(root, [root], w[root], ext, {root, *nb[root]})
    except _Budget:
        return None, steps
    return out, steps


@dataclass
class Packing:
    """The outcome of :func:`pack`.

    ``regions``: the chosen sets (empty when HiGHS found none in time);
    ``bound``: the most bundles any solution can have (proven);
    ``optimal``: whether ``len(regions) == bound`` was proven.
    """

    regions: list[list[int]]
    bound: int
    optimal: bool


@dataclass
class Relaxation:
    """The linear relaxation of the packing.

    ``bound``: its floor (proven); ``x``: its solution; ``reduced``: each
    set's reduced cost (dual slack, >= 0); ``value``: the optimum of the
    relaxation. Any packing ``X`` has exactly ``value`` minus the reduced
    costs of its sets, the duals of the nodes it leaves out and the duals of
    the upper bounds of the sets it leaves out, so a packing of ``t`` sets
    uses only sets of reduced cost at most ``value - t``.
    """

    bound: int
    x: np.ndarray
    reduced: np.ndarray
    value: float


def _matrix(sets: list[tuple[int, ...]], nodes: list[int]) -> csc_matrix:
    local = {v: k for k, v in enumerate(sorted(nodes))}
    rows = np.fromiter((local[v] for s in sets for v in s), dtype=np.int64)
    cols = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    return csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(local), len(sets)))


def relax(sets: list[tuple[int, ...]], nodes: list[int]) -> Relaxation:
    """Most sets of ``sets`` sharing no node, fractions allowed (HiGHS simplex).

    Any packing has at most ``floor`` of the optimum of the relaxation.
    """
    if not sets:
        return Relaxation(0, np.zeros(0), np.zeros(0), 0.0)
    a = _matrix(sets, nodes)
    res = linprog(-np.ones(len(sets)), A_ub=a, b_ub=np.ones(a.shape[0]), bounds=(0, 1))
    if res.status != 0:  # pragma: no cover - a bounded, feasible program
        return Relaxation(len(nodes), np.zeros(len(sets)), np.zeros(len(sets)), float(len(nodes)))
    y = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
    u = np.maximum(-np.asarray(res.upper.marginals), 0.0)
    reduced = np.maximum(a.T @ y + u - 1.0, 0.0)
    return Relaxation(math.floor(-res.fun + 1e-6), np.asarray(res.x), reduced, float(-res.fun))


def pack(
    sets: list[tuple[int, ...]],
    nodes: list[int],
    time_limit_s: float,
    node_limit: int | None = None,
) -> Packing:
    """Choose the most sets of ``sets`` that share no node (HiGHS branch and bound).

    ``node_limit`` caps the branch-and-bound nodes (a count: the result then
    does not depend on the machine's speed, unless ``time_limit_s`` stops it
    first).
    """
    if not sets:
        return Packing([], 0, True)
    a = _matrix(sets, nodes)
    res = milp(
        c=-np.ones(len(sets)),
        constraints=LinearConstraint(a, -np.inf, 1.0),
        integrality=np.ones(len(sets)),
        bounds=Bounds(0, 1),
        options={
            "time_limit": max(float(time_limit_s), 1e-3),
            "disp": False,
            **({} if node_limit is None else {"node_limit": int(node_limit)}),
        },
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = a.shape[0]
    if dual is not None and np.isfinite(dual):
        bound = math.floor(-dual + 1e-6)
    if res.x is None:
        return Packing([], bound, False)
    chosen = [list(sets[k]) for k in np.flatnonzero(res.x > 0.5)]
    chosen.sort(key=min)
    if res.status == 0:
        bound = len(chosen)
    return Packing(chosen, max(bound, len(chosen)), len(chosen) >= bound)


def size_bound(weights: np.ndarray, threshold: int, max_size: int | None, min_size: int = 1) -> int:
    """Most bundles a component could hold, by weight and by the fewest members a bundle needs.

    At most ``floor(sum / threshold)`` bundles, and each needs at least as
    many members as the heaviest nodes take to reach the threshold, and at
    least ``min_size`` (0 when even ``max_size`` of them cannot).

    Examples
    --------
    >>> size_bound(np.array([600, 500, 400, 300, 200]), 1000, None)
    2
    >>> size_bound(np.array([300, 300, 300, 300]), 1000, 3)
    0
    """
    w = np.sort(np.asarray(weights, dtype=np.int64))[::-1]
    total = int(w.sum())
    if total < threshold:
        return 0
    fewest = max(int(np.searchsorted(np.cumsum(w), threshold)) + 1, int(min_size))
    if max_size is not None and fewest > max_size:
        return 0
    return min(total // threshold, len(w) // fewest)
