"""Refinement phases of bundling's max-p search: pair regrowth and local search.

Both only ever replace regions by regions that keep every constraint
(threshold, size cap, fewest members, span, connectivity) and are more compact by a cost of
:mod:`lianhu_geo.bundling._cost` (the problem's own, or for the local search
the one passed in).
"""

from __future__ import annotations

import math

from ._construct import Problem, connected, connected_without, grow_within

__all__ = ["improve", "regrow_pairs"]


def improve(p: Problem, cost, nodes: list[int], regions, state, passes: int) -> set[int]:
    """Move or swap boundary nodes between regions while that lowers ``cost``.

    A node moves to the neighbouring region where the summed cost of the two
    regions drops most; when its region cannot spare it (threshold,
    connectivity) or no move helps, it swaps with a neighbour in another
    region instead. Every constraint still holds after each step. Later
    passes visit every node again, or with ``cost.narrow`` only the
    neighbours of nodes that moved. Returns the regions that changed.
    """
    w, nbrs = p.w, p.nbrs
    threshold, max_size = p.threshold, p.max_size
    eps, span2 = -cost.eps, p.span2
    tally = cost.tally(regions, state)
    size = [len(r) for r in regions]
    sw = [sum(w[m] for m in r) for r in regions]
    member_sets = [set(r) for r in regions]
    todo = nodes
    changed: set[int] = set()
    for _ in range(passes):
        moved = 0
        touched: set[int] = set()
        for u in todo:
            a = state[u]
            if a < 0:
                continue
            for v in nbrs[u]:
                if state[v] != a and state[v] >= 0:
                    break
            else:
                continue  # no neighbour in another region: nothing to move or swap
            cands = sorted({state[v] for v in nbrs[u]} - {a, -1})
            if not cands:
                continue
            if size[a] <= 1:
                continue
            if size[a] > p.min_size and sw[a] - w[u] >= threshold:  # a can spare u
                best, bestd = -1, eps
                for b, d in zip(cands, tally.moves(u, a, cands), strict=True):
                    room = max_size is None or size[b] < max_size
                    if (
                        d < bestd
                        and room
                        and (span2 is None or p.fits_span(u, list(member_sets[b])))
                    ):
                        best, bestd = b, d
                if best >= 0 and connected_without(p, sorted(member_sets[a]), u, state):
                    b = best
                    state[u] = b
                    tally.move(u, a, b)
                    member_sets[a].discard(u)
                    member_sets[b].add(u)
                    size[a] -= 1
                    size[b] += 1
                    sw[a] -= w[u]
                    sw[b] += w[u]
                    moved += 1
                    touched.update(nbrs[u])
                    changed.update((a, b))
                    continue
            # swap partners: neighbours of u in other regions that also touch a
            pairs = []
            for v in nbrs[u]:
                b = state[v]
                if b < 0 or b == a or size[b] <= 1:
                    continue
                if sw[a] - w[u] + w[v] < threshold or sw[b] - w[v] + w[u] < threshold:
                    continue
                if any(state[t] == a and t != u for t in nbrs[v]):
                    pairs.append((v, b))
            if not pairs:
                continue
            d, k = min(zip(tally.swaps(u, a, pairs), range(len(pairs)), strict=True))
            if d >= eps:
                continue
            v, b = pairs[k]
            if p.span2 is not None:
                rest_a = [m for m in member_sets[a] if m != u]
                rest_b = [m for m in member_sets[b] if m != v]
                if not (p.fits_span(v, rest_a) and p.fits_span(u, rest_b)):
                    continue
            new_a = sorted((member_sets[a] - {u}) | {v})
            new_b = sorted((member_sets[b] - {v}) | {u})
            state[u], state[v] = b, a
            ok = connected(p, new_a) and connected(p, new_b)
            state[u], state[v] = a, b
            if not ok:
                continue
            tally.swap(u, a, v, b)  # reads the states before the swap
            state[u], state[v] = b, a
            member_sets[a] = set(new_a)
            member_sets[b] = set(new_b)
            sw[a] += w[v] - w[u]
            sw[b] += w[u] - w[v]
            moved += 1
            touched.update(nbrs[u])
            touched.update(nbrs[v])
            changed.update((a, b))
        if not moved:
            break
        todo = sorted(touched) if cost.narrow else nodes
    for r in changed:
        regions[r] = sorted(member_sets[r])
    return changed


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


def _valid_pair(p: Problem, parts: tuple[list[int], list[int]]) -> bool:
    for members in parts:
        if len(members) < p.min_size or sum(p.w[m] for m in members) < p.threshold:
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
    # growers: nearest-centroid growth (if ``full``) and growth by the cost itself
    growers = [p.spread] * full
    if p.cost is not p.spread:
        growers.append(p.cost)
    for seed, grower in ((s, g) for s in (a, b) for g in growers):
        part = grow_within(p, grower, union, seed)
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
        cost = p.cost.region(parts[0]) + p.cost.region(parts[1])
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
                    cost[t] = p.cost.region(regions[t])
            before = cost[r] + cost[q]
            if after >= before - 1e-9 * abs(before):
                continue
            regions[r], regions[q] = sorted(result[0]), sorted(result[1])
            cost[r], cost[q] = p.cost.region(regions[r]), p.cost.region(regions[q])
            for m in regions[r]:
                state[m] = r
            for m in regions[q]:
                state[m] = q
            changed.update((r, q))
    return changed
