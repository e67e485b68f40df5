"""Iterated local search for the largest packing of minimal bundles.

HiGHS proves packings optimal, but on components of a hundred or more
compounds its primal heuristics need seconds to find the best packing
(thousands of candidate bundles, a fractional root). This search finds it
far faster, in the manner of Andrade, Resende and Werneck's iterated local
search for maximum independent sets (J. Heuristics 18, 2012): the packing is
an independent set of the conflict graph of the candidate bundles (two
conflict when they share a compound).

- **(1,2)-swaps**: a chosen bundle leaves when two candidates fit in its
  compounds and the free compounds around it; free candidates join at once.
- **window repacks**, where no swap applies: the bundle, ``others`` chosen
  bundles next to it and the free compounds around them are packed exactly
  (a memoised search over bitmasks of the window's compounds, skipped when
  their weight cannot hold one bundle more), kept when one more fits.
- **perturbation**: a candidate not chosen is forced in (the chosen bundles
  it overlaps leave): mostly one that overlaps a single chosen bundle (a move
  along the plateau), with probability ``force`` any candidate of ``guide``
  (the relaxation's support); free candidates join and the swaps run around
  it. The result is kept when it is not worse, and otherwise with
  probability ``1 / (1 + d * d_best)`` (``d``: bundles fewer than the current
  packing, ``d_best``: fewer than the best), else undone.

Everything is deterministic for a seed (a :class:`random.Random`, sorted
visits) and counted in steps, never timed: each update of a candidate's
count of taken members is a step.
"""

from __future__ import annotations

import random

__all__ = ["PackSearch"]


class PackSearch:
    """Local search over a packing of ``sets`` (tuples of node ids).

    Parameters
    ----------
    sets : list of tuple of int
        Candidate bundles (minimal bundles), each a sorted tuple of nodes.
    nbrs : list of list of int
        Neighbours of every node (the solve's graph).
    weights : list of int
        Weight (households) of every node.
    threshold : int
        Weight a bundle needs.
    seed : int
        Seeds the perturbations.
    order : list of int, optional
        The nodes in the order the window repacks visit them (bit order):
        a sweep across the plane keeps few partial packings in memory.
        Default: by node id.
    """

    def __init__(
        self,
        sets: list[tuple[int, ...]],
        nbrs: list[list[int]],
        weights: list[int],
        threshold: int,
        *,
        seed: int,
        order: list[int] | None = None,
    ):
        self.sets = sets
        self.nbrs = nbrs
        self.w, self.threshold = weights, threshold
        nodes = sorted({v for s in sets for v in s})
        inside = set(nodes)
        ranked = nodes if order is None else [v for v in order if v in inside]
        self.bit = {v: 1 << k for k, v in enumerate(ranked)}
        self.mask = [sum(self.bit[v] for v in s) for s in sets]
        self.contains: dict[int, list[int]] = {v: [] for v in nodes}
        for j, s in enumerate(sets):
            for v in s:
                self.contains[v].append(j)
        self.owner = dict.fromkeys(nodes, -1)
        self.tight = [0] * len(sets)  # members of each candidate taken by chosen bundles
        self.chosen = [False] * len(sets)
        self.ids: set[int] = set()  # the chosen candidates
        self.count = 0
        self.steps = 0
        self.rng = random.Random(seed)
        self._log: list[tuple[bool, int]] | None = None
        self.index = {s: j for j, s in enumerate(sets)}
        self.force = 0.3  # share of perturbations forcing in any candidate of ``guide``
        self.others = 1  # chosen neighbours in a window repack (0: swaps only)
        self.guide: list[int] = []  # candidates to force in (else any)

    # -- moves ---------------------------------------------------------------
    def _add(self, j: int) -> None:
        self.chosen[j] = True
        self.ids.add(j)
        self.count += 1
        tight, contains = self.tight, self.contains
        for v in self.sets[j]:
            self.owner[v] = j
            cs = contains[v]
            self.steps += len(cs)
            for k in cs:
                tight[k] += 1
        if self._log is not None:
            self._log.append((True, j))

    def _remove(self, j: int) -> None:
        self.chosen[j] = False
        self.ids.discard(j)
        self.count -= 1
        tight, contains = self.tight, self.contains
        for v in self.sets[j]:
            self.owner[v] = -1
            cs = contains[v]
            self.steps += len(cs)
            for k in cs:
                tight[k] -= 1
        if self._log is not None:
            self._log.append((False, j))

    def restart(self, regions) -> None:
        """Drop the packing and start again from ``regions`` (see :meth:`start`)."""
        for j in sorted(self.ids):
            self._remove(j)
        self.start(regions)

    def start(self, regions) -> None:
        """Take the regions that are candidates as the first packing, then fill in."""
        for r in regions:
            j = self.index.get(tuple(sorted(r)), -1)
            if j >= 0 and self.tight[j] == 0:
                self._add(j)
        self._fill(sorted(self.owner))
        self._descend(sorted(self.ids))

    def packing(self) -> list[list[int]]:
        """Return the chosen bundles, by smallest member."""
        return sorted((list(self.sets[j]) for j in self.ids), key=min)

    def _fill(self, around) -> list[int]:
        """Add free candidates holding the free nodes of ``around`` (smallest first)."""
        added = []
        tight, chosen, sets = self.tight, self.chosen, self.sets
        for v in around:
            if self.owner[v] != -1:
                continue
            free = [k for k in self.contains[v] if tight[k] == 0 and not chosen[k]]
            self.steps += len(self.contains[v])
            if free:
                k = min(free, key=lambda k: (len(sets[k]), k))
                self._add(k)
                added.append(k)
        return added

    def _swap(self, j: int) -> list[int] | None:
        """Replace chosen bundle ``j`` by two candidates within its nodes and free ones."""
        mj = self.mask[j]
        tight, chosen, mask = self.tight, self.chosen, self.mask
        seen = set()
        cand = []
        for v in self.sets[j]:
            for k in self.contains[v]:
                if k in seen or chosen[k]:
                    continue
                seen.add(k)
                if tight[k] == (mask[k] & mj).bit_count():
                    cand.append(k)
        self.steps += len(seen)
        cand.sort(key=lambda k: (len(self.sets[k]), k))
        for a_i, a in enumerate(cand):
            ma = mask[a]
            for b in cand[a_i + 1 :]:
                if not ma & mask[b]:
                    self.steps += a_i + 1
                    self._remove(j)
                    self._add(a)
                    self._add(b)
                    return [a, b]
        self.steps += len(cand) * (len(cand) - 1) // 2
        return None

    def _window(self, j: int, others: int) -> list[int] | None:
        """Repack chosen bundle ``j``, up to ``others`` chosen neighbours and the free nodes.

        Solved exactly over the candidates inside; applied when it packs one
        bundle more. Returns the candidates added, or None.
        """
        owner, nbrs, mask = self.owner, self.nbrs, self.mask
        near = sorted({owner[t] for v in self.sets[j] for t in nbrs[v] if t in owner} - {-1, j})
        if len(near) > others:
            near = self.rng.sample(near, others)
        held = [j, *near]
        inside = [v for k in held for v in self.sets[k]]
        self.steps += 4 * len(inside) * (1 + len(held))  # the neighbours looked at, twice
        free = {t for v in inside for t in nbrs[v] if t in owner and owner[t] == -1}
        free |= {u for t in free for u in nbrs[t] if u in owner and owner[u] == -1}
        if sum(self.w[v] for v in (*inside, *free)) < (len(held) + 1) * self.threshold:
            return None  # the window holds no bundle more
        mu = 0
        for v in (*inside, *free):
            mu |= self.bit[v]
        seen = set()
        by_low: dict[int, list[int]] = {}
        for v in inside:
            for k in self.contains[v]:
                if k not in seen:
                    seen.add(k)
                    mk = mask[k]
                    if not mk & ~mu:
                        by_low.setdefault(mk & -mk, []).append(k)
        self.steps += len(seen)
        memo: dict[int, int] = {}

        def best(avail: int) -> int:
            if avail in memo:
                return memo[avail]
            low = avail & -avail
            top = best(avail ^ low) if avail ^ low else 0
            for k in by_low.get(low, ()):
                mk = mask[k]
                if mk & avail == mk:
                    rest = avail ^ mk
                    got = 1 + (best(rest) if rest else 0)
                    if got > top:
                        top = got
            memo[avail] = top
            self.steps += 1 + len(by_low.get(low, ()))
            return top

        if best(mu) <= len(held):
            return None
        picked, avail = [], mu
        while avail:
            low = avail & -avail
            want = memo[avail]
            rest = avail ^ low
            if (memo.get(rest, 0) if rest else 0) == want:
                avail = rest
                continue
            for k in by_low.get(low, ()):
                mk = mask[k]
                if mk & avail == mk:
                    r = avail ^ mk
                    if 1 + (memo.get(r, 0) if r else 0) == want:
                        picked.append(k)
                        avail = r
                        break
        for k in held:
            self._remove(k)
        for k in picked:
            self._add(k)
        return picked

    def _descend(self, todo: list[int]) -> None:
        """Apply (1,2)-swaps to chosen bundles until none applies (``todo`` first)."""
        stack = sorted(set(todo), reverse=True)
        while stack:
            j = stack.pop()
            if not self.chosen[j]:
                continue
            new = self._swap(j)
            if new is None and self.others:
                new = self._window(j, self.others)
            if new is None:
                continue
            around = sorted({t for k in new for v in self.sets[k] for t in self.nbrs[v]})
            around = [t for t in around if t in self.owner]
            new += self._fill(around)
            near = {self.owner[t] for t in around} - {-1}
            stack.extend(sorted(near | set(new), reverse=True))

    # -- search --------------------------------------------------------------
    def run(self, budget: int, target: int) -> list[list[int]]:
        """Search until ``budget`` steps are spent or ``target`` bundles are packed.

        Returns the best packing found.
        """
        best_count = self.count
        best = sorted(self.ids)
        n_sets = len(self.sets)
        rng = self.rng
        while self.steps < budget and best_count < target and n_sets > best_count:
            self.steps += 1
            if not self.ids or rng.random() < self.force:  # a candidate, whatever it overlaps
                guide = self.guide
                t = guide[rng.randrange(len(guide))] if guide else rng.randrange(n_sets)
                if self.chosen[t]:
                    continue
            else:  # a plateau move: a candidate overlapping one chosen bundle only
                chosen_list = sorted(self.ids)
                self.steps += len(chosen_list)
                j = chosen_list[rng.randrange(len(chosen_list))]
                mj = self.mask[j]
                one = sorted(
                    {
                        k
                        for v in self.sets[j]
                        for k in self.contains[v]
                        if not self.chosen[k] and self.tight[k] == (self.mask[k] & mj).bit_count()
                    }
                )
                self.steps += len(one)
                if not one:
                    continue
                t = one[rng.randrange(len(one))]
            before = self.count
            self._log = []
            hit = sorted({self.owner[v] for v in self.sets[t]} - {-1})
            freed = [v for k in hit for v in self.sets[k]]
            for k in hit:
                self._remove(k)
            self._add(t)
            around = sorted({u for v in freed for u in (v, *self.nbrs[v]) if u in self.owner})
            added = self._fill(around)
            near = {self.owner[u] for u in around} - {-1}
            self._descend([t, *added, *near])
            log, self._log = self._log, None
            d = before - self.count
            if d > 0 and rng.random() >= 1.0 / (1.0 + d * (best_count - self.count)):
                for added_, j in reversed(log):
                    if added_:
                        self._remove(j)
                    else:
                        self._add(j)
            if self.count > best_count:
                best_count = self.count
                best = sorted(self.ids)
        return sorted((list(self.sets[j]) for j in best), key=min)
