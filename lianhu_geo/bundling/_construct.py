"""Shared structures and the construction phases of bundling's max-p search.

:class:`Problem` holds one solve's data as Python lists (plain lists and
integers are faster than numpy for the small regions grown here) and its
compactness cost (:mod:`lianhu_geo.bundling._cost`). The phases in this
module build regions: construction (growing from seeds, scored by a cost),
absorption of leftovers, and splitting of heavy regions. The refinements
are in :mod:`lianhu_geo.bundling._refine`; :mod:`lianhu_geo.bundling._solver`
runs them all.
"""

from __future__ import annotations

import math

import numpy as np

from ._cost import Outline, Spread

__all__ = [
    "MODES",
    "Problem",
    "absorb",
    "connected",
    "connected_without",
    "construct",
    "grow_within",
    "shrink",
    "split",
]

#: Completion rule of each construction start, cycled: (mode, near2) where
#: a completing node is taken only if its score is at most
#: ``cost.slack(near2)`` times the best candidate's (for the spread: its
#: squared distance to the centroid at most ``near2`` times the nearest's).
MODES = ((2, 4.0), (2, 1.5), (1, 4.0))


class Problem:
    """Shared read-only data of one solve, as Python lists for speed.

    ``spread`` is the centroid cost; ``cost`` the solve's compactness cost:
    the outline cost when ``shape`` is given, else ``spread``.
    """

    def __init__(
        self, indptr, indices, weights, xy, threshold, max_size, max_span, shape=None, min_size=1
    ):
        self.nbrs = [row.tolist() for row in np.split(indices, indptr[1:-1])]
        #: area, perimeter and per-edge shared boundary (parallel to nbrs), or None
        self.area = self.perim = self.blen = None
        if shape is not None:
            area, perim, edge_len = shape
            self.area = [float(v) for v in area]
            self.perim = [float(v) for v in perim]
            edge_len = np.asarray(edge_len, dtype=float)
            self.blen = [row.tolist() for row in np.split(edge_len, indptr[1:-1])]
        self.w = [int(v) for v in weights]
        xy = np.asarray(xy, dtype=float)
        xy = xy - xy.min(axis=0) if len(xy) else xy
        self.x = xy[:, 0].tolist()
        self.y = xy[:, 1].tolist()
        self.threshold = int(threshold)
        self.max_size = int(max_size) if max_size is not None else None
        #: fewest members of a bundle (``min_compounds``)
        self.min_size = max(1, int(min_size))
        self.span2 = float(max_span) ** 2 if max_span is not None else None
        self.spread = Spread(self.x, self.y)
        self.cost = self.spread
        if self.area is not None:
            self.cost = Outline(self.area, self.perim, self.nbrs, self.blen)

    def fits_span(self, v: int, members: list[int]) -> bool:
        if self.span2 is None:
            return True
        x, y, xv, yv, s2 = self.x, self.y, self.x[v], self.y[v], self.span2
        return all((x[m] - xv) ** 2 + (y[m] - yv) ** 2 <= s2 for m in members)


def _free_touch(p: Problem, touch: dict, v: int, state: list[int], lengths: bool) -> None:
    """Add ``v``'s free neighbours to ``touch`` (neighbour -> boundary shared with the region)."""
    if lengths:
        for t, length in zip(p.nbrs[v], p.blen[v], strict=True):
            if state[t] == -1:
                touch[t] = touch.get(t, 0.0) + length
    else:
        for t in p.nbrs[v]:
            if state[t] == -1 and t not in touch:
                touch[t] = 0.0


def _by_score(candidate: tuple[int, float, int]) -> tuple[float, int]:
    return candidate[1], candidate[2]


def construct(
    p: Problem, cost, order: list[int], state: list[int], mode: int, near2: float
) -> list[list[int]]:
    """Grow regions from seeds in ``order``; ``state`` (-1 = free) is updated.

    Each step adds the frontier node with the lowest ``cost.scores`` (ties:
    lowest node); with ``mode``, a node that completes the region is taken
    instead when its score is at most ``cost.slack(near2)`` times the best
    (mode 1: the best-scored such node; mode 2: the one overshooting the
    threshold least).
    """
    w, nbrs, blen = p.w, p.nbrs, p.blen
    threshold, max_size = p.threshold, p.max_size
    lengths = cost.uses_lengths
    slack = cost.slack(near2)
    scores_of, add = cost.scores, cost.add
    dead: set[int] = set()
    regions: list[list[int]] = []
    for s in order:
        if state[s] != -1 or s in dead:
            continue
        r = len(regions)
        members = [s]
        state[s] = r
        acc, sw = cost.start(s), w[s]
        touch: dict[int, float] = {}
        _free_touch(p, touch, s, state, lengths)
        by_rule = False
        while sw < threshold:
            if max_size is not None and len(members) >= max_size:
                by_rule = True
                break
            cands = list(touch)  # all free: only free nodes join, and a taken one leaves
            if p.span2 is not None:
                fits = [v for v in cands if p.fits_span(v, members)]
                by_rule = by_rule or len(fits) < len(cands)
                cands = fits
            if not cands:
                break
            scores = scores_of(acc, cands, touch)
            bests, best = min(zip(scores, cands, strict=True))
            if mode:
                need = threshold - sw
                limit = bests * slack
                near = [
                    (w[v] - need, c, v)
                    for c, v in zip(scores, cands, strict=True)
                    if w[v] >= need and c <= limit
                ]
                if near:  # mode 2: least overshoot first; mode 1: best score
                    best = (min(near) if mode == 2 else min(near, key=_by_score))[2]
            state[best] = r
            members.append(best)
            add(acc, best, touch.pop(best))
            sw += w[best]
            if lengths:  # _free_touch, inlined on the hot path
                for t, length in zip(nbrs[best], blen[best], strict=True):
                    if state[t] == -1:
                        touch[t] = touch.get(t, 0.0) + length
            else:
                for t in nbrs[best]:
                    if state[t] == -1 and t not in touch:
                        touch[t] = 0.0
        if sw >= threshold:
            regions.append(members)
            continue
        for m in members:
            state[m] = -1
        if by_rule:
            dead.add(s)
        else:  # the whole free pocket around s is too small: none of it can seed
            dead.update(members)
    return regions


def absorb(p, nodes, regions, state, priority) -> None:
    """Leftovers join the adjacent region with room and the nearest centroid.

    Only the regions next to leftovers are summed, so absorbing the few
    leftovers of a neighbourhood costs little in a large problem.
    """
    x, y = p.x, p.y
    sums: dict[int, list[float]] = {}  # region -> [size, sum x, sum y]

    def region_sums(r: int) -> list[float]:
        if r not in sums:
            members = regions[r]
            sums[r] = [len(members), sum(x[m] for m in members), sum(y[m] for m in members)]
        return sums[r]

    left = sorted((v for v in nodes if state[v] == -1), key=lambda v: (priority[v], v))
    changed = True
    while changed and left:
        changed = False
        rest = []
        for v in left:
            cands = sorted({state[u] for u in p.nbrs[v] if state[u] >= 0})
            best, bestd = -1, math.inf
            for r in cands:
                k, sx, sy = region_sums(r)
                if p.max_size is not None and k >= p.max_size:
                    continue
                if not p.fits_span(v, regions[r]):
                    continue
                d = (x[v] - sx / k) ** 2 + (y[v] - sy / k) ** 2
                if d < bestd:
                    best, bestd = r, d
            if best < 0:
                rest.append(v)
                continue
            state[v] = best
            regions[best].append(v)
            acc = sums[best]
            acc[0] += 1
            acc[1] += x[v]
            acc[2] += y[v]
            changed = True
        left = rest


def connected_without(p: Problem, members: list[int], u: int, state: list[int]) -> bool:
    """Whether ``members`` minus ``u`` stay connected (all have state r)."""
    r = state[u]
    start = members[0] if members[0] != u else members[1]
    seen = {start, u}
    stack = [start]
    while stack:
        v = stack.pop()
        for t in p.nbrs[v]:
            if t not in seen and state[t] == r:
                seen.add(t)
                stack.append(t)
    return len(seen) == len(members)


def connected(p: Problem, members: list[int]) -> bool:
    inside = set(members)
    seen = {members[0]}
    stack = [members[0]]
    while stack:
        v = stack.pop()
        for t in p.nbrs[v]:
            if t in inside and t not in seen:
                seen.add(t)
                stack.append(t)
    return len(seen) == len(members)


def shrink(p: Problem, members: list[int], first) -> list[int]:
    """Shrink a region to a minimal bundle: drop members while the rest stays connected and viable.

    ``first(core)`` orders the members of the current core for trying (the
    first that can go goes, then the order is asked again). The result has
    at least ``p.min_size`` members, sorted.
    """
    w, threshold = p.w, p.threshold
    core = sorted(members)
    total = sum(w[m] for m in core)
    while len(core) > p.min_size:
        for m in first(core):
            if total - w[m] < threshold:
                continue
            rest = [v for v in core if v != m]
            if connected(p, rest):
                core, total = rest, total - w[m]
                break
        else:
            break
    return core


def grow_within(p: Problem, cost, members: list[int], seed: int) -> list[int] | None:
    """Grow from ``seed`` inside ``members`` to the threshold, lowest ``cost.scores`` first."""
    left = set(members)  # the members not yet in the part
    left.discard(seed)
    nbrs, blen, lengths, w, threshold = p.nbrs, p.blen, cost.uses_lengths, p.w, p.threshold
    scores_of, add = cost.scores, cost.add
    part = [seed]
    acc, sw = cost.start(seed), w[seed]
    touch: dict[int, float] = {}  # frontier node -> boundary shared with the part
    u = seed
    while True:
        if lengths:
            for v, length in zip(nbrs[u], blen[u], strict=True):
                if v in left:
                    touch[v] = touch.get(v, 0.0) + length
        else:
            for v in nbrs[u]:
                if v in left and v not in touch:
                    touch[v] = 0.0
        if sw >= threshold or not touch:
            break
        cands = list(touch)
        u = min(zip(scores_of(acc, cands, touch), cands, strict=True))[1]
        add(acc, u, touch.pop(u))
        part.append(u)
        left.discard(u)
        sw += w[u]
    return part if sw >= threshold else None


def split(p: Problem, regions: list[list[int]], state: list[int], tries: int = 4) -> None:
    """Split regions holding twice the threshold into two viable connected ones.

    Both parts keep at least ``p.min_size`` members (smaller ones would be
    dissolved after the solve, ``min_compounds``).
    """
    queue = list(range(len(regions)))
    while queue:
        r = queue.pop()
        members = regions[r]
        total = sum(p.w[m] for m in members)
        if total < 2 * p.threshold or len(members) < 2:
            continue
        k = len(members)
        cx = sum(p.x[m] for m in members) / k
        cy = sum(p.y[m] for m in members) / k
        seeds = sorted(members, key=lambda m: (-((p.x[m] - cx) ** 2 + (p.y[m] - cy) ** 2), m))
        for seed in seeds[:tries]:
            part = grow_within(p, p.spread, members, seed)
            if part is None or len(part) < p.min_size:
                continue  # a part below min_compounds would be no bundle
            taken = set(part)
            rest = [m for m in members if m not in taken]
            if len(rest) < p.min_size or sum(p.w[m] for m in rest) < p.threshold:
                continue
            if not connected(p, rest):
                continue
            new = len(regions)
            regions[r] = sorted(part)
            regions.append(sorted(rest))
            for m in rest:
                state[m] = new
            queue.extend([r, new])
            break
