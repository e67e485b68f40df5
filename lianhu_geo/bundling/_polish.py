"""The stages after bundling's heuristic: small components solved, neighbourhoods regrown.

All start from the heuristic's regions of one connected component and
only ever replace them by a solution that is better in the search's
objective (more weight covered, or as much in more regions), so they are
never worse than the start:

- a component of at most :data:`EXACT_MAX_NODES` nodes whose minimal bundles
  the budget can enumerate is packed as a whole
  (:mod:`lianhu_geo.bundling._exact`): the linear relaxation of the packing
  gives a proven bound (its floor), then the packing search
  (:mod:`lianhu_geo.bundling._ils`), over the minimal bundles of small
  reduced cost in the relaxation, restarts from seeded roundings of the
  relaxation while the budget lasts (at most :data:`MAX_TRIES` tries), and
  when the bound is not reached and the budget left pays for it, HiGHS
  solves the packing (and proves it). The best packing's leftovers are
  absorbed and its regions refined, as after construction.
- any other component gets neighbourhood regrowth
  (:mod:`lianhu_geo.bundling._regrow`): regions shrunk to minimal bundles,
  then neighbourhoods of a few regions dissolved and regrown, kept when they
  hold more regions or gather the freed households into heavier clusters
  (which later regrowths bundle), when the budget pays for about a round
  over the component. With budget left, neighbourhood
  repacking: every region is shrunk to a minimal bundle (members far from
  its centroid leave while the rest stays connected and viable); then,
  visiting regions in an order drawn from ``seed``, a region, up to
  :data:`HOOD_REGIONS` - 1 neighbouring regions (nearest centroids first)
  and the free nodes between them are repacked exactly, kept when that
  makes more regions. Neighbourhoods whose weight holds no region more are
  skipped without a solve. Each absorbs leftovers and refines the regions
  at the end.

Work is counted, not timed, so that results are deterministic:
``time_limit_s`` buys :data:`STEPS_PER_SECOND` enumeration steps a second
(the relaxation, the search and HiGHS cost steps too, at rates measured on
Voronoi tests), shared by all components in order. The clock
is only a backstop at :data:`BACKSTOP` times the limit, from the first
exact stage on. ``time_limited`` is
set when the budget (or the backstop) cut a stage short.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ._construct import Problem, absorb, shrink, split
from ._exact import candidates, pack, relax, size_bound
from ._ils import PackSearch
from ._regrow import affordable, regrow

__all__ = ["Polisher"]

#: Enumeration steps that one second of ``time_limit_s`` buys (measured:
#: 1.2-1.6 million a CPU second on the 2-core benchmark VM under load).
STEPS_PER_SECOND = 1_000_000
#: Steps charged per minimal bundle handed to HiGHS (the whole-component
#: packing takes about 1 ms of HiGHS per bundle on Voronoi tests; a
#: neighbourhood's small packing a third of that).
PACK_STEPS = 1_000
#: When the budget left pays HiGHS on the minimal bundles of reduced cost
#: at most POOL_PACK_LIMIT (POOL_PACK_STEPS each) but not on all of them,
#: HiGHS packs those, stopped after POOL_PACK_NODES branch-and-bound nodes.
#: On the 150-compound Voronoi tests its root heuristics find the optimum
#: within the 900-2,300 such bundles in 1.9-3.3 s of CPU (0.9-2.3 ms a
#: bundle at load average 5), where the packing search ends one bundle
#: short on seed 0.
POOL_PACK_LIMIT = 0.05
POOL_PACK_NODES = 200
POOL_PACK_STEPS = 2_000
#: Steps charged per minimal bundle for the linear relaxation (HiGHS simplex).
LP_STEPS = 20
#: Steps of the packing search (:mod:`lianhu_geo.bundling._ils`) one step buys.
ILS_STEPS = 5
#: Steps of one try of the packing search (each restarts from a rounding of
#: the relaxation perturbed by uniform noise of up to ROUNDING_NOISE: on
#: Voronoi tests, many short tries find more bundles than a few long ones),
#: and per candidate to set the search up.
TRY_STEPS = 40_000
ROUNDING_NOISE = 0.5
INIT_STEPS = 8
#: The search packs only minimal bundles of reduced cost (in the relaxation)
#: at most this: a packing has exactly the relaxation's value less the
#: reduced costs of its bundles (and the duals of what it leaves out), so
#: the best packings are made of bundles of small reduced cost. On the
#: 150-compound Voronoi tests the optimum of 47 was found within the
#: 2,100-3,100 bundles of reduced cost <= 0.1 (of 5,700-12,200), where the
#: search over all of them ended at 46.
REDUCED_COST_LIMIT = 0.1
#: Steps charged per node of the component to absorb a packing's leftovers.
ABSORB_STEPS = 10
#: Tries at most, so that a long limit leaves HiGHS the rest (for the proof).
MAX_TRIES = 16
#: Components of at most this many nodes are tried exactly as a whole.
EXACT_MAX_NODES = 200
#: Regions in a neighbourhood, and the enumeration steps one may take.
HOOD_REGIONS = 4
HOOD_STEPS = 20_000
#: Passes over the regions when repacking neighbourhoods.
REPACK_ROUNDS = 2
#: The clock stops the exact stages at this many times ``time_limit_s`` (a
#: backstop against a miscalibrated budget only: the 2-core benchmark VM
#: ran the 1 s default's exact stages in up to 10 s of wall time at load
#: average 11, and a backstop reached makes the plan depend on the load).
BACKSTOP = 30.0


class Polisher:
    """Exact solves and neighbourhood repacking of one solve's components."""

    def __init__(self, p: Problem, prio: list[int], refine, *, seed: int, time_limit_s: float):
        self.p, self.prio, self.refine = p, prio, refine
        self.rng = np.random.default_rng(seed)
        self.steps = int(float(time_limit_s) * STEPS_PER_SECOND)
        self.asked = self.steps > 0
        self.limit_s = float(time_limit_s)
        self.deadline = math.inf  # set when the first component is polished
        self.exact_components = 0
        self.polished = 0
        self.time_limited = False

    def _spend(self, steps: int) -> None:
        self.steps -= steps
        if self.steps <= 0 or time.perf_counter() > self.deadline:
            self.time_limited = True

    def _out(self) -> bool:
        """Whether the budget is spent (marks the result ``time_limited``)."""
        if self.steps <= 0 or time.perf_counter() > self.deadline:
            self.time_limited = True
            return True
        return False

    def run(
        self, nodes: list[int], regions: list[list[int]], state: list[int], bound: int
    ) -> tuple[list[list[int]], int]:
        """Improve one component's ``regions``; return the regions kept and the bound."""
        if self._score(regions)[1] >= bound:
            return regions, bound  # proven optimal already
        if self.deadline == math.inf:  # the clock runs from the first exact stage
            self.deadline = time.perf_counter() + BACKSTOP * self.limit_s
        if self.steps <= 0:  # no exact stage asked, or its budget is spent
            self.time_limited |= self.asked
            return regions, bound
        if len(nodes) <= EXACT_MAX_NODES:
            regions, bound, done = self._whole(nodes, regions, state, bound)
            if done:
                return regions, max(bound, len(regions))
        for stage in (self._regrow, self._repack):
            if not self._out():
                regions = self._keep_better(nodes, regions, state, stage(nodes, regions, state))
        return regions, max(bound, len(regions))

    def _covered(self, regions) -> int:
        w = self.p.w
        return sum(w[m] for r in regions for m in r)

    def _score(self, regions) -> tuple[int, int]:
        """``(households, count)`` of the regions that are bundles: ``min_size`` members or more.

        Smaller regions are dissolved after the solve (``min_compounds``), so
        they count for nothing here.
        """
        kept = [r for r in regions if len(r) >= self.p.min_size]
        return self._covered(kept), len(kept)

    def _set_state(self, nodes, regions, state) -> None:
        for v in nodes:
            state[v] = -1
        for r, members in enumerate(regions):
            for m in members:
                state[m] = r

    def _keep_better(self, nodes, regions, state, new):
        """Return ``new`` if it covers more, or as much with more regions; else ``regions``."""
        if new is not None and self._score(new) > self._score(regions):
            self._set_state(nodes, new, state)
            return new
        self._set_state(nodes, regions, state)
        return regions

    def _finish(self, nodes, regions, state) -> list[list[int]]:
        """Absorb leftovers, split heavy regions and refine, as after construction."""
        absorb(self.p, nodes, regions, state, self.prio)
        split(self.p, regions, state)
        self.refine(nodes, regions, state)
        return regions

    def _whole(self, nodes, regions, state, bound):
        """Pack the component's minimal bundles: relaxation, search, then HiGHS if affordable.

        Returns the regions kept, the bound and whether the pool of minimal
        bundles could be built (else the neighbourhoods are repacked instead).
        """
        if self._out():
            return regions, bound, False
        sets, steps = candidates(self.p, nodes, self.steps, self.deadline)
        self._spend(steps)
        if sets is None or len(sets) * LP_STEPS > self.steps:
            self.time_limited = True
            return regions, bound, False
        self._spend(len(sets) * LP_STEPS)
        relaxation = relax(sets, nodes)
        bound = min(bound, relaxation.bound)
        best, key = None, self._score(regions)  # the heuristic's, to beat
        if key[1] < bound:
            best, key = self._search(nodes, state, sets, relaxation, bound, key)
        if key[1] < bound and len(sets) * PACK_STEPS <= self.steps:
            self._spend(len(sets) * PACK_STEPS)
            packing = pack(sets, nodes, max(self.deadline - time.perf_counter(), 1e-3))
            bound = min(bound, packing.bound)
            packed = self._absorbed(nodes, packing.regions, state)
            if packed > key:
                best, key = packing.regions, packed
        if key[1] < bound:
            best, key = self._pack_pool(nodes, state, sets, relaxation, best, key)
        if key[1] >= bound:
            self.exact_components += 1
        else:
            self.time_limited = True
        if best is None:
            self._set_state(nodes, regions, state)
            return regions, bound, True
        new = [list(r) for r in best]
        self._set_state(nodes, new, state)
        new = self._finish(nodes, new, state)
        return self._keep_better(nodes, regions, state, new), bound, True

    def _pack_pool(self, nodes, state, sets, relaxation, best, key):
        """HiGHS on the bundles of reduced cost <= :data:`POOL_PACK_LIMIT`, if the budget pays.

        For limits that pay HiGHS on this pool but not on every minimal
        bundle. A node limit, not the clock, ends it; its bound holds for
        the pool only, so it proves nothing. Returns the best packing and
        its key (``best``, ``key`` when it does not beat them).
        """
        pool = np.flatnonzero(relaxation.reduced <= POOL_PACK_LIMIT + 1e-9).tolist()
        if not pool or len(pool) * POOL_PACK_STEPS > self.steps or self._out():
            return best, key
        self._spend(len(pool) * POOL_PACK_STEPS)
        left = max(self.deadline - time.perf_counter(), 1e-3)
        packing = pack([sets[j] for j in pool], nodes, left, node_limit=POOL_PACK_NODES)
        packed = self._absorbed(nodes, packing.regions, state)
        if packed > key:
            return packing.regions, packed
        return best, key

    def _absorbed(self, nodes, packing, state) -> tuple[int, int]:
        """Weight and count of ``packing``'s regions once leftovers are absorbed.

        Leaves ``state`` set to that absorption; the caller sets it again.
        """
        trial = [list(r) for r in packing]
        self._set_state(nodes, trial, state)
        absorb(self.p, nodes, trial, state, self.prio)
        self._spend(ABSORB_STEPS * len(nodes))
        return self._score(trial)

    def _search(self, nodes, state, sets, relaxation, bound, key):
        """Return the best packing the local search finds within the budget, and its key.

        The search packs the minimal bundles of reduced cost at most
        :data:`REDUCED_COST_LIMIT` (and at most what as many bundles as
        ``key`` allow). Tries of :data:`TRY_STEPS` each start from a rounding of the
        relaxation with seeded noise, while the budget lasts; the search
        forces in candidates of the relaxation's support. A packing is
        judged once its leftovers are absorbed: ``(weight, count)``, which
        must beat ``key`` (the heuristic's); None when none does. Stops when
        a packing reaches ``bound`` and covers the component.
        """
        p = self.p
        # as many bundles as ``key`` needs reduced costs <= value - key
        room = min(REDUCED_COST_LIMIT, relaxation.value - key[1]) + 1e-9
        pool = np.flatnonzero(relaxation.reduced <= room)
        if not len(pool):
            return None, key
        sets = [sets[j] for j in pool.tolist()]
        x = relaxation.x[pool]
        sweep = sorted({v for s in sets for v in s}, key=lambda v: (p.x[v], v))
        search = PackSearch(sets, p.nbrs, p.w, p.threshold, seed=self._seed(), order=sweep)
        self._spend(len(sets) * INIT_STEPS)
        support = np.flatnonzero(x > 1e-6)
        search.guide = support.tolist()
        best, goal = None, (sum(p.w[v] for v in nodes), bound)
        for _ in range(MAX_TRIES):
            if key >= goal or self.steps < TRY_STEPS or self._out():
                break
            noisy = x[support] + self.rng.uniform(0, ROUNDING_NOISE, len(support))
            used: set[int] = set()
            first = []
            for j in support[np.argsort(-noisy, kind="stable")].tolist():
                if used.isdisjoint(sets[j]):
                    used.update(sets[j])
                    first.append(sets[j])
            spent = search.steps
            search.restart(first)
            found = search.run(spent + TRY_STEPS * ILS_STEPS, bound)
            self._spend(-(-(search.steps - spent) // ILS_STEPS))
            packed = self._absorbed(nodes, found, state)
            if packed > key:
                best, key = found, packed
        return best, key

    def _seed(self) -> int:
        return int(self.rng.integers(2**31))

    def _regrow(self, nodes, regions, state):
        """Regrow neighbourhoods (:mod:`lianhu_geo.bundling._regrow`); None if none gained."""
        if not affordable(nodes, regions, self.steps):
            self.time_limited = True
            return None
        new, steps, gained = regrow(
            self.p, nodes, regions, state, self.rng, self.steps, self.deadline
        )
        self._spend(steps)
        if gained <= 0:
            return None
        self.polished += gained
        return self._finish(nodes, new, state)

    def _core(self, members: list[int]) -> list[int]:
        """Shrink a region to a minimal bundle: drop members far from the centroid first."""
        x, y = self.p.x, self.p.y

        def by_far(core: list[int]) -> list[int]:
            cx = sum(x[m] for m in core) / len(core)
            cy = sum(y[m] for m in core) / len(core)
            return sorted(core, key=lambda m: (-((x[m] - cx) ** 2 + (y[m] - cy) ** 2), m))

        return shrink(self.p, members, by_far)

    def _repack(self, nodes, regions, state):
        """Shrink regions to minimal bundles, repack neighbourhoods exactly, absorb.

        Returns the new regions, or None when no neighbourhood gained or the
        budget ran out first.
        """
        p = self.p
        w = p.w
        cores = []
        for r in regions:
            self._spend(len(r) ** 2)
            cores.append(self._core(r))
        if self._out():
            return None
        self._set_state(nodes, cores, state)
        gained = 0
        order = self.rng.permutation(len(cores)).tolist()
        for r in (r for _ in range(REPACK_ROUNDS) for r in order):
            if self._out():
                break
            hood, union = self._hood(cores, state, r)
            weights = np.array([w[v] for v in union])
            if size_bound(weights, p.threshold, p.max_size, p.min_size) <= len(hood):
                continue  # its weight holds no region more
            sets, steps = candidates(p, union, min(HOOD_STEPS, self.steps), self.deadline)
            self._spend(steps)
            if sets is None:
                continue
            self._spend(len(sets) * PACK_STEPS // 3)  # small packings solve faster
            packing = pack(sets, union, max(self.deadline - time.perf_counter(), 1e-3))
            if len(packing.regions) <= len(hood):
                continue
            for v in union:
                state[v] = -1
            slots = [*hood, *range(len(cores), len(cores) + len(packing.regions) - len(hood))]
            for q, part in zip(slots, packing.regions, strict=True):
                if q == len(cores):
                    cores.append([])
                cores[q] = list(part)
                for m in part:
                    state[m] = q
            gained += len(packing.regions) - len(hood)
        if not gained:
            return None
        self.polished += gained
        return self._finish(nodes, cores, state)

    def _hood(self, cores, state, r: int) -> tuple[list[int], list[int]]:
        """Region ``r``, its nearest neighbouring regions and the free nodes between them."""
        p = self.p
        nbrs, x, y = p.nbrs, p.x, p.y
        members = cores[r]
        ring = {v for m in members for v in nbrs[m] if state[v] == -1}
        ring |= {t for v in ring for t in nbrs[v] if state[t] == -1}
        near = {state[t] for v in (*members, *ring) for t in nbrs[v]} - {r, -1}
        cx = sum(x[m] for m in members) / len(members)
        cy = sum(y[m] for m in members) / len(members)
        dist = []
        for q in near:
            ms = cores[q]
            qx = sum(x[m] for m in ms) / len(ms) - cx
            qy = sum(y[m] for m in ms) / len(ms) - cy
            dist.append((qx * qx + qy * qy, q))
        hood = [r, *(q for _, q in sorted(dist)[: HOOD_REGIONS - 1])]
        held = [m for q in hood for m in cores[q]]
        ring |= {v for m in held for v in nbrs[m] if state[v] == -1}
        return hood, sorted({*held, *ring})
