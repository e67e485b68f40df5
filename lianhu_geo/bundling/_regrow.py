"""Neighbourhood regrowth: a large-neighbourhood search that frees households, then bundles them.

A max-p solution wastes households in two ways: each region overshoots the
threshold (it ends on a whole compound), and leftovers between regions are
absorbed where no region can hold them. On Voronoi tests of 1,500-5,000
compounds (threshold about seven compounds) that waste adds up to 9 % of the
households, 18 regions' worth at 1,500. No single neighbourhood holds a
region more, so an exact repack of a few regions rarely gains; this search
gains by *moving the waste*:

1. every region is shrunk to a minimal bundle, heaviest removable member
   first (so it holds as few households as it can), and what it lets go is
   free;
2. visiting the regions in a seeded order, a region, up to
   :data:`HOOD_REGIONS` - 1 regions near it (within two rings, nearest
   centroids first) and the free compounds around them are dissolved and
   regrown :data:`TRIES` times: the construction of
   :mod:`lianhu_geo.bundling._construct` (nearest to the centroid first,
   completing with the compound that overshoots least), seeded along a
   random sweep or from the outside in, each region shrunk again;
3. the best regrowth replaces the neighbourhood when it holds more regions,
   or as many, no less compact (their spread around their centroids) and
   with the free households gathered into fewer, heavier clusters
   (:meth:`_Search.score`): a later neighbourhood that takes such a cluster
   in can hold a region more. (Preferring merely fewer households in the
   regions, scattering the freed ones, gained about half as much; without
   the compactness rule the regions gain a bundle or two more at n = 1,500
   but end 0.1 less round in mean Polsby-Popper.)

Rounds repeat while the budget lasts and a round changes something. Every
regrowth obeys the construction's rules (size cap, span, the graph's
edges), so the regions meet every constraint. Work is counted in steps (a
node placed by a regrowth try is :data:`STEPS_PER_NODE` steps), never
timed, and all choices come from the caller's seeded Generator: the result
is deterministic. The caller absorbs the free compounds and refines the
regions afterwards.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ._construct import Problem, construct, shrink

__all__ = ["affordable", "regrow"]

#: Regions dissolved and regrown together (the visited one and its nearest).
HOOD_REGIONS = 6
#: Regrowth tries per neighbourhood.
TRIES = 3
#: Completion rule of the regrowth (see :data:`lianhu_geo.bundling._construct.MODES`):
#: the compound overshooting the threshold least among those at most twice
#: as far from the centroid as the nearest.
MODE = (2, 4.0)
#: Steps charged per node of a neighbourhood per try (construction, shrinking).
STEPS_PER_NODE = 8
#: Rounds over the regions at most.
MAX_ROUNDS = 12


def affordable(nodes: list[int], regions: list[list[int]], budget: int) -> bool:
    """Whether ``budget`` steps pay for the shrinking and about one round over the regions.

    A round's neighbourhoods cover the component about three times over (six
    regions each, and the visited regions dissolved by an earlier regrowth
    are skipped); less than a round gains little for the absorption and
    refinement of the whole component that a gain costs afterwards.
    """
    return _setup_steps(regions) + STEPS_PER_NODE * TRIES * HOOD_REGIONS * len(nodes) // 2 <= budget


def _setup_steps(regions: list[list[int]]) -> int:
    """Return the steps charged for shrinking every region (a connectivity check a member tried)."""
    return sum(len(r) ** 2 for r in regions)


def lighten(p: Problem, members: list[int]) -> list[int]:
    """Shrink a region to a minimal bundle, heaviest members first (as few households as it can)."""
    w = p.w
    return shrink(p, members, lambda core: sorted(core, key=lambda v: (-w[v], v)))


class _Search:
    """State of one component's regrowth: regions by number, and each node's region."""

    def __init__(self, p: Problem, nodes: list[int], regions: list[list[int]], state, rng):
        self.p, self.state, self.rng = p, state, rng
        self.regions: dict[int, list[int]] = {}
        self.next = 0  # number of the next region
        for v in nodes:
            state[v] = -1
        for members in regions:
            self._put(lighten(p, members))
        self.steps = _setup_steps(regions)
        self.gained = 0

    def _put(self, members: list[int]) -> None:
        r, self.next = self.next, self.next + 1
        self.regions[r] = members
        for m in members:
            self.state[m] = r

    def _centroid(self, r: int) -> tuple[float, float]:
        members, x, y = self.regions[r], self.p.x, self.p.y
        return sum(x[m] for m in members) / len(members), sum(y[m] for m in members) / len(members)

    def hood(self, r: int) -> tuple[list[int], list[int]]:
        """Region ``r``, its nearest regions within two rings, and the free nodes around them."""
        nbrs, state, regions = self.p.nbrs, self.state, self.regions
        ring = {state[t] for m in regions[r] for t in nbrs[m]} - {r, -1}
        near = set(ring)
        for q in sorted(ring):
            near |= {state[t] for m in regions[q] for t in nbrs[m]}
        near -= {r, -1}
        cx, cy = self._centroid(r)

        def dist(q: int) -> tuple[float, int]:
            qx, qy = self._centroid(q)
            return (qx - cx) ** 2 + (qy - cy) ** 2, q

        hood = [r, *sorted(near, key=dist)[: HOOD_REGIONS - 1]]
        held = [m for q in hood for m in regions[q]]
        free = {t for m in held for t in nbrs[m] if state[t] == -1}
        free |= {u for t in free for u in nbrs[t] if state[u] == -1}
        return hood, held + sorted(free)

    def score(self, regions: list[list[int]], union: list[int]) -> tuple[int, int]:
        """How good ``regions`` grown in ``union`` are: bundles first, then gathered free weight.

        The second figure sums ``min(weight, threshold) ** 2`` over the
        connected clusters of free nodes (those of ``union`` in no region,
        and the free nodes just outside it): households freed into one
        cluster count for more than as many spread in crumbs, because a
        cluster is what a later regrowth can bundle.
        """
        p, state = self.p, self.state
        kept = [r for r in regions if len(r) >= p.min_size]
        taken = {m for r in kept for m in r}
        w, nbrs, threshold = p.w, p.nbrs, p.threshold
        seen: set[int] = set()
        gathered = 0
        for v in union:
            if v in taken or v in seen:
                continue
            seen.add(v)
            stack, weight = [v], 0
            while stack:
                u = stack.pop()
                weight += w[u]
                for t in nbrs[u]:
                    if t not in seen and t not in taken and state[t] in (-1, -2):
                        seen.add(t)
                        stack.append(t)
            gathered += min(weight, threshold) ** 2
        return len(kept), gathered

    def regrow(self, r: int) -> bool:
        """Dissolve and regrow the neighbourhood of region ``r``; whether it changed."""
        p, state, rng = self.p, self.state, self.rng
        hood, union = self.hood(r)
        for v in union:
            state[v] = -1
        fence = sorted({t for v in union for t in p.nbrs[v] if state[t] == -1} - set(union))
        for t in fence:  # free nodes outside the neighbourhood stay out of it
            state[t] = -2
        ux = np.array([p.x[v] for v in union])
        uy = np.array([p.y[v] for v in union])
        old = [self.regions[q] for q in hood]
        now = self.score(old, union)
        spread = sum(p.spread.region(g) for g in old)
        best, best_score = None, now
        for t in range(TRIES):
            if t % 2 == 0:  # a sweep in a random direction
                angle = rng.uniform(0.0, 2.0 * math.pi)
                key = ux * math.cos(angle) + uy * math.sin(angle)
            else:  # from the outside in, shuffled a little
                far = (ux - ux.mean()) ** 2 + (uy - uy.mean()) ** 2
                key = -far * rng.uniform(0.5, 1.5, len(union))
            order = [union[i] for i in np.argsort(key, kind="stable").tolist()]
            grown = construct(p, p.spread, order, state, *MODE)
            for v in union:
                state[v] = -1
            grown = [lighten(p, g) for g in grown if len(g) >= p.min_size]
            score = self.score(grown, union)
            if score[0] == now[0] and sum(p.spread.region(g) for g in grown) > spread:
                continue  # as many regions, less compact
            if score > best_score:
                best, best_score = grown, score
        self.steps += STEPS_PER_NODE * TRIES * len(union)
        for t in fence:
            state[t] = -1
        if best is None:
            for q in hood:
                for m in self.regions[q]:
                    state[m] = q
            return False
        for q in hood:
            del self.regions[q]
        for g in best:
            self._put(g)
        self.gained += best_score[0] - now[0]
        return True


def regrow(
    p: Problem,
    nodes: list[int],
    regions: list[list[int]],
    state: list[int],
    rng: np.random.Generator,
    budget: int,
    deadline: float = math.inf,
) -> tuple[list[list[int]], int, int]:
    """Regrow neighbourhoods of one component's ``regions`` within ``budget`` steps.

    ``deadline`` (a :func:`time.perf_counter` value) is a backstop only.

    Returns the regions (minimal bundles; the nodes of no region are free
    in ``state``), the steps taken and the regions gained. ``state`` holds
    the returned regions' numbers (their positions in the list).
    """
    search = _Search(p, nodes, regions, state, rng)
    for _ in range(MAX_ROUNDS):
        changed = False
        order = sorted(search.regions)
        for i in rng.permutation(len(order)).tolist():
            if search.steps >= budget or time.perf_counter() > deadline:
                break
            if order[i] in search.regions:
                changed |= search.regrow(order[i])
        if not changed or search.steps >= budget:
            break
    out = sorted(search.regions.values(), key=min)
    for v in nodes:
        state[v] = -1
    for k, members in enumerate(out):
        for m in members:
            state[m] = k
    return out, search.steps, search.gained
