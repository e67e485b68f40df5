"""Max-p style region growing on integer arrays (the core of bundling).

Works on a CSR adjacency of the free, eligible compounds (positions sorted
by ``compound_id``), their weights (households) and representative points in
metres. Plain Python lists and integers on the hot path: regions are small
(tens of nodes), so per-step numpy calls would cost more than they save.

Phases, per connected component whose weight reaches the threshold:

1. construction, several starts: grow a region from each not-yet-used
   seed, always adding the frontier node closest to the region's centroid,
   until the threshold is reached; the size cap and span are checked on
   every addition. Seeds: in the first start the node farthest from the
   component's centre comes first, so regions are peeled from the outside
   in and few enclaves are left (about 95 % of the upper bound on Voronoi
   tests, against 89 % for lowest-degree-first seeds); other starts sweep
   across the component in a direction set by ``seed`` and the start
   number. When a frontier node not much farther than the nearest would
   complete the region, it is taken instead (mode 1: the nearest such node;
   mode 2: the one overshooting the threshold least), so regions end close
   to the threshold and more of them fit (the max-p objective); starts
   alternate the rules in :data:`MODES`. A region that cannot reach the
   threshold is released; its seed is not tried again (and if the region
   ran out of frontier, none of its nodes is).
2. absorption: leftovers join the adjacent region with room whose centroid
   is nearest (old and sanwu compounds first), repeated until nothing moves.
3. splitting: a region with at least twice the threshold is split in two
   viable, connected regions when possible (more bundles).
4. pair regrowth: two adjacent regions are pooled and grown anew from
   their two farthest-apart nodes (the lighter side grows first); the new
   pair replaces the old one when both are viable and more compact.
5. local search: a boundary node moves to a neighbouring region, or (when
   its region cannot spare it) swaps with a node of that region, when that
   lowers the total squared distance to region centroids (more compact)
   and every constraint still holds.

The best start (most weight covered, then most regions, then most compact)
is kept. Everything is deterministic: nodes are visited in index order and
randomness comes from one seeded numpy Generator.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["solve_regions"]

_EPS = 1e-9
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
#: Completion rule of each construction start, cycled: (mode, near2) where
#: a completing node is taken only if its squared distance to the centroid
#: is at most ``near2`` times the nearest candidate's (see the module docstring).
MODES = ((2, 4.0), (2, 1.5), (1, 4.0))


class _Problem:
    """Shared read-only data of one solve, as Python lists for speed."""

    def __init__(self, indptr, indices, weights, xy, threshold, max_size, max_span):
        self.nbrs = [row.tolist() for row in np.split(indices, indptr[1:-1])]
        self.w = [int(v) for v in weights]
        xy = np.asarray(xy, dtype=float)
        xy = xy - xy.min(axis=0) if len(xy) else xy
        self.x = xy[:, 0].tolist()
        self.y = xy[:, 1].tolist()
        self.threshold = int(threshold)
        self.max_size = int(max_size) if max_size is not None else None
        self.span2 = float(max_span) ** 2 if max_span is not None else None

    def fits_span(self, v: int, members: list[int]) -> bool:
        if self.span2 is None:
            return True
        x, y, xv, yv, s2 = self.x, self.y, self.x[v], self.y[v], self.span2
        return all((x[m] - xv) ** 2 + (y[m] - yv) ** 2 <= s2 for m in members)


def _construct(
    p: _Problem, order: list[int], state: list[int], mode: int, near2: float
) -> list[list[int]]:
    """Grow regions from seeds in ``order``; ``state`` (-1 = free) is updated."""
    x, y, w, nbrs = p.x, p.y, p.w, p.nbrs
    threshold, max_size = p.threshold, p.max_size
    dead: set[int] = set()
    regions: list[list[int]] = []
    for s in order:
        if state[s] != -1 or s in dead:
            continue
        r = len(regions)
        members = [s]
        state[s] = r
        sx, sy, sw = x[s], y[s], w[s]
        seen = {s}
        frontier = []
        for v in nbrs[s]:
            if state[v] == -1 and v not in seen:
                seen.add(v)
                frontier.append(v)
        by_rule = False
        while sw < threshold:
            if max_size is not None and len(members) >= max_size:
                by_rule = True
                break
            k = len(members)
            cx, cy = sx / k, sy / k
            best, bestd, keep = -1, math.inf, []
            completing = []  # (overshoot, d, v) of nodes that complete the region
            need = threshold - sw
            for v in frontier:
                if state[v] != -1:
                    continue
                if p.span2 is not None and not p.fits_span(v, members):
                    by_rule = True
                    continue
                keep.append(v)
                d = (x[v] - cx) ** 2 + (y[v] - cy) ** 2
                if d < bestd:
                    best, bestd = v, d
                if mode and w[v] >= need:
                    completing.append((w[v] - need if mode == 2 else 0, d, v))
            if completing:
                limit = bestd * near2
                near = [c for c in completing if c[1] <= limit]
                best = min(near)[2] if near else best
            if best < 0:
                break
            keep.remove(best)
            frontier = keep
            state[best] = r
            members.append(best)
            sx += x[best]
            sy += y[best]
            sw += w[best]
            for v in nbrs[best]:
                if state[v] == -1 and v not in seen:
                    seen.add(v)
                    frontier.append(v)
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


class _Stats:
    """Running size, coordinate sums and weight of each region."""

    def __init__(self, p: _Problem, regions: list[list[int]]):
        self.size = [len(r) for r in regions]
        self.sx = [sum(p.x[m] for m in r) for r in regions]
        self.sy = [sum(p.y[m] for m in r) for r in regions]
        self.sw = [sum(p.w[m] for m in r) for r in regions]

    def add(self, p: _Problem, r: int, v: int, sign: int = 1) -> None:
        self.size[r] += sign
        self.sx[r] += sign * p.x[v]
        self.sy[r] += sign * p.y[v]
        self.sw[r] += sign * p.w[v]

    def d2(self, p: _Problem, r: int, v: int) -> float:
        k = self.size[r]
        return (p.x[v] - self.sx[r] / k) ** 2 + (p.y[v] - self.sy[r] / k) ** 2


def _absorb(p, nodes, regions, state, priority) -> None:
    """Leftovers join the adjacent region with room and the nearest centroid."""
    stats = _Stats(p, regions)
    left = sorted((v for v in nodes if state[v] == -1), key=lambda v: (priority[v], v))
    changed = True
    while changed and left:
        changed = False
        rest = []
        for v in left:
            cands = sorted({state[u] for u in p.nbrs[v] if state[u] >= 0})
            best, bestd = -1, math.inf
            for r in cands:
                if p.max_size is not None and stats.size[r] >= p.max_size:
                    continue
                if not p.fits_span(v, regions[r]):
                    continue
                d = stats.d2(p, r, v)
                if d < bestd:
                    best, bestd = r, d
            if best < 0:
                rest.append(v)
                continue
            state[v] = best
            regions[best].append(v)
            stats.add(p, best, v)
            changed = True
        left = rest


def _connected_without(p: _Problem, members: list[int], u: int, state: list[int]) -> bool:
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


def _grow_within(p: _Problem, members: list[int], seed: int) -> list[int] | None:
    """Grow from ``seed`` inside ``members`` to the threshold, nearest-centroid first."""
    inside = set(members)
    part = [seed]
    taken = {seed}
    sx, sy, sw = p.x[seed], p.y[seed], p.w[seed]
    frontier = [v for v in p.nbrs[seed] if v in inside]
    seen = {seed, *frontier}
    while sw < p.threshold and frontier:
        k = len(part)
        cx, cy = sx / k, sy / k
        best = min(frontier, key=lambda v: ((p.x[v] - cx) ** 2 + (p.y[v] - cy) ** 2, v))
        frontier.remove(best)
        part.append(best)
        taken.add(best)
        sx += p.x[best]
        sy += p.y[best]
        sw += p.w[best]
        for v in p.nbrs[best]:
            if v in inside and v not in seen:
                seen.add(v)
                frontier.append(v)
    return part if sw >= p.threshold else None


def _split(p: _Problem, regions: list[list[int]], state: list[int], tries: int = 4) -> None:
    """Split regions holding twice the threshold into two viable connected ones."""
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
            part = _grow_within(p, members, seed)
            if part is None:
                continue
            taken = set(part)
            rest = [m for m in members if m not in taken]
            if sum(p.w[m] for m in rest) < p.threshold:
                continue
            # rest must be connected
            rs = set(rest)
            seen = {rest[0]}
            stack = [rest[0]]
            while stack:
                v = stack.pop()
                for t in p.nbrs[v]:
                    if t in rs and t not in seen:
                        seen.add(t)
                        stack.append(t)
            if len(seen) != len(rest):
                continue
            new = len(regions)
            regions[r] = sorted(part)
            regions.append(sorted(rest))
            for m in rest:
                state[m] = new
            queue.extend([r, new])
            break


def _swap_delta(p: _Problem, stats: _Stats, a: int, u: int, v: int) -> float:
    """Change of region ``a``'s spread when its node ``u`` is replaced by ``v``."""
    n = stats.size[a]
    sx, sy = stats.sx[a], stats.sy[a]
    nx_, ny_ = sx - p.x[u] + p.x[v], sy - p.y[u] + p.y[v]
    squares = p.x[v] ** 2 + p.y[v] ** 2 - p.x[u] ** 2 - p.y[u] ** 2
    return squares - (nx_ * nx_ + ny_ * ny_ - sx * sx - sy * sy) / n


def _try_swap(p: _Problem, stats: _Stats, member_sets, state, u: int, a: int, cands) -> bool:
    """Exchange ``u`` (in ``a``) with a node of a neighbouring region if more compact."""
    w = p.w
    best, best_delta = None, -_EPS
    for b in cands:
        for v in sorted(member_sets[b]):
            if not any(state[t] == a and t != u for t in p.nbrs[v]):
                continue
            if stats.sw[a] - w[u] + w[v] < p.threshold or stats.sw[b] - w[v] + w[u] < p.threshold:
                continue
            delta = _swap_delta(p, stats, a, u, v) + _swap_delta(p, stats, b, v, u)
            scale = 1.0 + abs(delta)
            if delta < best_delta * scale:
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
    ok = _connected(p, sorted((member_sets[a] - {u}) | {v})) and _connected(
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


def _improve(p: _Problem, nodes: list[int], regions, state, passes: int) -> None:
    """Move or swap boundary nodes between regions while that makes them more compact."""
    stats = _Stats(p, regions)
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
                    moved += _try_swap(p, stats, member_sets, state, u, a, cands)
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
            if not _connected_without(p, sorted(member_sets[a]), u, state):
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


def _spread(p: _Problem, members: list[int]) -> float:
    k = len(members)
    cx = sum(p.x[m] for m in members) / k
    cy = sum(p.y[m] for m in members) / k
    return sum((p.x[m] - cx) ** 2 + (p.y[m] - cy) ** 2 for m in members)


def _regrow_balanced(
    p: _Problem, union: list[int], a: int, b: int
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


def _valid_pair(p: _Problem, parts: tuple[list[int], list[int]]) -> bool:
    for members in parts:
        if sum(p.w[m] for m in members) < p.threshold:
            return False
        if p.max_size is not None and len(members) > p.max_size:
            return False
        if p.span2 is not None and any(not p.fits_span(v, members) for v in members):
            return False
    return True


def _connected(p: _Problem, members: list[int]) -> bool:
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


def _regrow_two(p: _Problem, union: list[int]) -> tuple[list[int], list[int]] | None:
    """Find the most compact valid split of ``union`` in two among a few candidates.

    Candidates: grown alternately from the two farthest-apart nodes, and
    grown from either of them to the threshold with the rest as the other.
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
    for seed in (a, b):
        part = _grow_within(p, union, seed)
        if part is None:
            continue
        taken = set(part)
        rest = [m for m in union if m not in taken]
        if rest and _connected(p, rest):
            candidates.append((part, rest))
    best, best_spread = None, math.inf
    for parts in candidates:
        if not _valid_pair(p, parts):
            continue
        spread = _spread(p, parts[0]) + _spread(p, parts[1])
        if spread < best_spread:
            best, best_spread = parts, spread
    return best


def _regrow_pairs(
    p: _Problem, regions: list[list[int]], state: list[int], todo: set[int] | None
) -> set[int]:
    """Re-split each pair of adjacent regions when that makes them more compact.

    Only pairs with a region in ``todo`` are tried (all when None); returns
    the regions that changed.
    """
    changed: set[int] = set()
    for r in range(len(regions)):
        others = sorted({state[v] for m in regions[r] for v in p.nbrs[m] if state[v] > r})
        for q in others:
            if todo is not None and r not in todo and q not in todo:
                continue
            if not any(state[v] == q for m in regions[r] for v in p.nbrs[m]):
                continue
            union = sorted(regions[r] + regions[q])
            result = _regrow_two(p, union)
            if result is None:
                continue
            before = _spread(p, regions[r]) + _spread(p, regions[q])
            after = _spread(p, result[0]) + _spread(p, result[1])
            if after >= before * (1 - 1e-9):
                continue
            regions[r], regions[q] = sorted(result[0]), sorted(result[1])
            for m in regions[r]:
                state[m] = r
            for m in regions[q]:
                state[m] = q
            changed.update((r, q))
    return changed


def _ssd(p: _Problem, regions: list[list[int]]) -> float:
    total = 0.0
    for r in regions:
        k = len(r)
        cx = sum(p.x[m] for m in r) / k
        cy = sum(p.y[m] for m in r) / k
        total += sum((p.x[m] - cx) ** 2 + (p.y[m] - cy) ** 2 for m in r)
    return total


def solve_regions(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    xy: np.ndarray,
    *,
    threshold: int,
    max_size: int | None = None,
    max_span: float | None = None,
    priority: np.ndarray | None = None,
    seed: int = 0,
    node_budget: int = 30_000,
    max_starts: int = 12,
    improve_passes: int = 4,
    regrow_passes: int = 2,
) -> np.ndarray:
    """Partition nodes into connected regions of weight >= ``threshold``.

    Parameters
    ----------
    indptr, indices : numpy.ndarray
        Symmetric CSR adjacency over ``n`` nodes.
    weights : numpy.ndarray
        Non-negative integer weight (households) of each node.
    xy : numpy.ndarray
        ``(n, 2)`` representative points in metres.
    threshold : int
        Minimum weight of a region.
    max_size : int, optional
        Maximum number of nodes in a region.
    max_span : float, optional
        Maximum distance between any two points of a region.
    priority : numpy.ndarray, optional
        Lower values join regions first when leftovers compete for room.
    seed : int
        Seeds the Generator that sets the sweep directions of the extra starts.
    node_budget, max_starts : int
        A component of ``k`` nodes gets ``clip(node_budget // k, 1,
        max_starts)`` construction starts (a count, never a clock, so that
        results are reproducible).
    improve_passes, regrow_passes : int
        Passes of the local search and of the pair regrowth (one pass only
        in components of more than ``node_budget`` nodes, to stay fast).

    Returns
    -------
    numpy.ndarray
        Region number of each node (``-1`` where not in a region); regions
        are numbered by their smallest node.
    """
    n = len(weights)
    labels = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return labels
    p = _Problem(indptr, indices, weights, xy, threshold, max_size, max_span)
    prio = [0] * n if priority is None else [int(v) for v in priority]
    adj = csr_matrix((np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(n, n))
    ncomp, comp = connected_components(adj, directed=False)
    xs = np.asarray(p.x)
    ys = np.asarray(p.y)
    w = np.asarray(p.w, dtype=np.int64)
    comp_weight = np.bincount(comp, weights=w, minlength=ncomp)
    order_all = np.argsort(comp, kind="stable")
    bounds = np.searchsorted(comp[order_all], np.arange(ncomp + 1))
    offset = float(np.random.default_rng(seed).uniform(0, math.pi))
    state = [-1] * n
    all_regions: list[list[int]] = []
    for c in range(ncomp):
        nodes_arr = order_all[bounds[c] : bounds[c + 1]]
        if comp_weight[c] < threshold:
            continue
        if max_size is not None and np.sort(w[nodes_arr])[-max_size:].sum() < threshold:
            continue  # even its heaviest nodes cannot reach the threshold within the cap
        nodes = nodes_arr.tolist()
        k = len(nodes)
        dx = xs[nodes_arr] - xs[nodes_arr].mean()
        dy = ys[nodes_arr] - ys[nodes_arr].mean()
        far = -(dx * dx + dy * dy)
        starts = int(min(max_starts, max(1, node_budget // k)))
        best_key, best_regions = None, None
        for start in range(starts):
            if start == 0:  # peel from the outside in
                key = np.lexsort((nodes_arr, far))
            else:  # sweep across the component in a direction of its own
                angle = offset + start * _GOLDEN_ANGLE
                along = dx * math.cos(angle) + dy * math.sin(angle)
                key = np.lexsort((nodes_arr, along))
            order = nodes_arr[key].tolist()
            for v in nodes:
                state[v] = -1
            regions = _construct(p, order, state, *MODES[start % len(MODES)])
            _absorb(p, nodes, regions, state, prio)
            _split(p, regions, state)
            covered = sum(p.w[m] for r in regions for m in r)
            score = (covered, len(regions), -_ssd(p, regions))
            if best_key is None or score > best_key:
                best_key, best_regions = score, [list(r) for r in regions]
        for v in nodes:
            state[v] = -1
        for r, members in enumerate(best_regions):
            for m in members:
                state[m] = r
        todo = None
        for _ in range(regrow_passes if k <= node_budget else 1):
            todo = _regrow_pairs(p, best_regions, state, todo)
            if not todo:
                break
        _improve(p, nodes, best_regions, state, improve_passes)
        all_regions.extend(best_regions)
    all_regions.sort(key=min)
    for r, members in enumerate(all_regions):
        labels[members] = r
    return labels
