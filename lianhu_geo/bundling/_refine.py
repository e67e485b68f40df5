"""Refinement phases of bundling's max-p search: pair regrowth and local search.

Both only ever replace regions by regions that keep every constraint
(threshold, size cap, span, connectivity) and are more compact (lower total
squared distance of members to their region's centroid).
"""

from __future__ import annotations

import math

from ._construct import Problem, Stats, connected, connected_without, grow_within, spread
from ._outline import grow_outline, region_shape

__all__ = ["improve", "regrow_pairs"]


_EPS = 1e-9


def _swap_delta(p: Problem, stats: Stats, a: int, u: int, v: int) -> float:
    """Change of region ``a``'s spread when its node ``u`` is replaced by ``v``."""
    n = stats.size[a]
    sx, sy = stats.sx[a], stats.sy[a]
    nx_, ny_ = sx - p.x[u] + p.x[v], sy - p.y[u] + p.y[v]
    squares = p.x[v] ** 2 + p.y[v] ** 2 - p.x[u] ** 2 - p.y[u] ** 2
    return squares - (nx_ * nx_ + ny_ * ny_ - sx * sx - sy * sy) / n


def _try_swap(p: Problem, stats: Stats, member_sets, state, u: int, a: int) -> bool:
    """Exchange ``u`` (in ``a``) with a neighbour in another region if more compact."""
    w = p.w
    best, best_delta = None, -1e-6  # m2: ignore rounding noise
    for v in sorted(p.nbrs[u]):  # swap partners: neighbours of u in the other regions
        b = state[v]
        if b < 0 or b == a:
            continue
        if not any(state[t] == a and t != u for t in p.nbrs[v]):
            continue
        if stats.sw[a] - w[u] + w[v] < p.threshold or stats.sw[b] - w[v] + w[u] < p.threshold:
            continue
        delta = _swap_delta(p, stats, a, u, v) + _swap_delta(p, stats, b, v, u)
        if delta < best_delta:
            best, best_delta = (b, v), delta
    if best is None:
        return False
    b, v = best
    if p.span2 is not None:
        rest_a = [m for m in member_sets[a] if m != u]
        rest_b = [m for m in member_sets[b] if m != v]
        if not (p.fits_span(v, rest_a) and p.fits_span(u, rest_b)):
            return False
    state[u], state[v] = b, a
    ok = connected(p, sorted((member_sets[a] - {u}) | {v})) and connected(
        p, sorted((member_sets[b] - {v}) | {u})
    )
    if not ok:
        state[u], state[v] = a, b
        return False
    member_sets[a].discard(u)
    member_sets[a].add(v)
    member_sets[b].discard(v)
    member_sets[b].add(u)
    stats.add(p, a, u, -1)
    stats.add(p, a, v, 1)
    stats.add(p, b, v, -1)
    stats.add(p, b, u, 1)
    return True


def improve(p: Problem, nodes: list[int], regions, state, passes: int) -> None:
    """Move or swap boundary nodes between regions while that makes them more compact."""
    stats = Stats(p, regions)
    member_sets = [set(r) for r in regions]
    for _ in range(passes):
        moved = 0
        for u in nodes:
            a = state[u]
            if a < 0:
                continue
            cands = sorted({state[v] for v in p.nbrs[u] if state[v] >= 0 and state[v] != a})
            if not cands:
                continue
            if stats.size[a] <= 1 or stats.sw[a] - p.w[u] < p.threshold:
                if stats.size[a] > 1:
                    moved += _try_swap(p, stats, member_sets, state, u, a)
                continue
            n = stats.size[a]
            gain = n / (n - 1) * stats.d2(p, a, u)
            best, bestc = -1, gain - _EPS * (1.0 + gain)
            for b in cands:
                if p.max_size is not None and stats.size[b] >= p.max_size:
                    continue
                m = stats.size[b]
                cost = m / (m + 1) * stats.d2(p, b, u)
                if cost < bestc and (p.span2 is None or p.fits_span(u, list(member_sets[b]))):
                    best, bestc = b, cost
            if best < 0:
                continue
            if not connected_without(p, sorted(member_sets[a]), u, state):
                continue
            state[u] = best
            member_sets[a].discard(u)
            member_sets[best].add(u)
            stats.add(p, a, u, -1)
            stats.add(p, best, u, 1)
            moved += 1
        if not moved:
            break
    for r, members in enumerate(member_sets):
        regions[r] = sorted(members)


def _regrow_balanced(
    p: Problem, union: list[int], a: int, b: int
) -> tuple[list[int], list[int]] | None:
    """Split ``union`` in two regions grown alternately from ``a`` and ``b``."""
    k = len(union)
    inside = set(union)
    owner = {a: 0, b: 1}
    parts = [[a], [b]]
    sums = [[p.x[a], p.y[a], p.w[a]], [p.x[b], p.y[b], p.w[b]]]
    fronts: list[list[int]] = [[], []]
    for side, s in ((0, a), (1, b)):
        fronts[side] = [v for v in p.nbrs[s] if v in inside and v not in owner]
    x, y, w, nbrs = p.x, p.y, p.w, p.nbrs
    while len(owner) < k:
        side = 0 if sums[0][2] <= sums[1][2] else 1
        best = -1
        for attempt in (side, 1 - side):
            part, acc = parts[attempt], sums[attempt]
            n = len(part)
            cx, cy = acc[0] / n, acc[1] / n
            keep, bestd = [], math.inf
            for v in fronts[attempt]:
                if v in owner:
                    continue
                keep.append(v)
                d = (x[v] - cx) ** 2 + (y[v] - cy) ** 2
                if d < bestd or (d == bestd and v < best):
                    best, bestd = v, d
            fronts[attempt] = keep
            if best >= 0:
                side = attempt
                break
        if best < 0:
            return None
        owner[best] = side
        parts[side].append(best)
        acc = sums[side]
        acc[0] += x[best]
        acc[1] += y[best]
        acc[2] += w[best]
        fronts[side].extend(v for v in nbrs[best] if v in inside and v not in owner)
    return parts[0], parts[1]


def region_cost(p: Problem, members: list[int]) -> float:
    """Lower is more compact.

    Minus ``A / P**2`` when outlines are known, else the squared distance of
    the members to their centroid.
    """
    if p.area is None:
        return spread(p, members)
    area, perim = region_shape(p, members)
    return -area / (perim * perim) if perim > 0 else 0.0


def _valid_pair(p: Problem, parts: tuple[list[int], list[int]]) -> bool:
    for members in parts:
        if sum(p.w[m] for m in members) < p.threshold:
            return False
        if p.max_size is not None and len(members) > p.max_size:
            return False
        if p.span2 is not None and any(not p.fits_span(v, members) for v in members):
            return False
    return True


def _regrow_two(
    p: Problem, union: list[int], full: bool = True
) -> tuple[tuple[list[int], list[int]], float] | None:
    """Find the most compact valid split of ``union`` in two among a few candidates.

    Candidates: grown alternately from the two farthest-apart nodes, and
    (if ``full``) grown from either of them to the threshold with the rest
    as the other.
    """
    k = len(union)
    cx = sum(p.x[m] for m in union) / k
    cy = sum(p.y[m] for m in union) / k
    a = max(union, key=lambda m: ((p.x[m] - cx) ** 2 + (p.y[m] - cy) ** 2, -m))
    b = max(union, key=lambda m: ((p.x[m] - p.x[a]) ** 2 + (p.y[m] - p.y[a]) ** 2, -m))
    if a == b:
        return None
    candidates = []
    balanced = _regrow_balanced(p, union, a, b)
    if balanced is not None:
        candidates.append(balanced)
    if p.area is None:
        growers = (grow_within,) * full
    else:
        growers = (grow_within, grow_outline) if full else (grow_outline,)
    for seed, grow in ((s, g) for s in (a, b) for g in growers):
        part = grow(p, union, seed)
        if part is None:
            continue
        taken = set(part)
        rest = [m for m in union if m not in taken]
        if rest and connected(p, rest):
            candidates.append((part, rest))
    best, best_cost = None, math.inf
    for parts in candidates:
        if not _valid_pair(p, parts):
            continue
        cost = region_cost(p, parts[0]) + region_cost(p, parts[1])
        if cost < best_cost:
            best, best_cost = parts, cost
    return None if best is None else (best, best_cost)


def regrow_pairs(
    p: Problem, regions: list[list[int]], state: list[int], todo: set[int] | None, full: bool
) -> set[int]:
    """Re-split each pair of adjacent regions when that makes them more compact.

    Only pairs with a region in ``todo`` are tried (all when None); returns
    the regions that changed.
    """
    changed: set[int] = set()
    cost: dict[int, float] = {}
    for r in range(len(regions)):
        others = sorted({state[v] for m in regions[r] for v in p.nbrs[m] if state[v] > r})
        for q in others:
            if todo is not None and r not in todo and q not in todo:
                continue
            if not any(state[v] == q for m in regions[r] for v in p.nbrs[m]):
                continue
            union = sorted(regions[r] + regions[q])
            found = _regrow_two(p, union, full)
            if found is None:
                continue
            result, after = found
            for t in (r, q):
                if t not in cost:
                    cost[t] = region_cost(p, regions[t])
            before = cost[r] + cost[q]
            if after >= before - 1e-9 * abs(before):
                continue
            regions[r], regions[q] = sorted(result[0]), sorted(result[1])
            cost[r], cost[q] = region_cost(p, regions[r]), region_cost(p, regions[q])
            for m in regions[r]:
                state[m] = r
            for m in regions[q]:
                state[m] = q
            changed.update((r, q))
    return changed
