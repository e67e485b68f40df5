"""The compactness costs of bundling's search: one skeleton, two measures.

The search (:mod:`lianhu_geo.bundling._construct` and
:mod:`lianhu_geo.bundling._refine`) is written once and asks a cost object
how compact a region is. Two costs exist:

- :class:`Spread`: the squared distance of the members' points to their
  centroid (any footprint, also points);
- :class:`Outline`: minus ``A / P**2`` of the dissolved outline (Polsby-Popper
  over ``4 pi``), from each compound's area and perimeter and the boundary
  length shared along each neighbor-graph edge
  (:func:`lianhu_geo.bundling._outline.shape_data`): a region's perimeter is
  its members' perimeters less twice their shared lengths.

Lower is more compact for both. The interface works on lists, one call per
step of the search rather than one per candidate, so the per-candidate
arithmetic stays inlined in a list comprehension:

- growth: :meth:`start` and :meth:`add` keep a small accumulator of a growing
  region; :meth:`scores` scores every frontier candidate at once (the
  region's cost with that candidate added; ``touch`` maps each candidate to
  the boundary it shares with the region);
- :meth:`region` is the cost of a finished region;
- local search: :meth:`tally` returns per-region running figures whose
  :meth:`~SpreadTally.moves` and :meth:`~SpreadTally.swaps` give the change
  of cost for every move or swap of one node at once, and
  :meth:`~SpreadTally.move` / :meth:`~SpreadTally.swap` apply one.
"""

from __future__ import annotations

import math

__all__ = ["Outline", "Spread"]


class Spread:
    """Squared distance of the members' points to their centroid (m2).

    ``eps`` is the least change counted as an improvement (rounding noise);
    ``uses_lengths``: whether :meth:`scores` reads the shared boundary
    lengths; ``narrow``: whether the local search's later passes may visit
    only the neighbours of moved nodes (a move shifts a centroid, and so
    the gain of every member: this cost visits all nodes again).
    """

    eps = 1e-6
    uses_lengths = False
    narrow = False

    def __init__(self, x: list[float], y: list[float]):
        self.x, self.y = x, y

    def start(self, v: int) -> list[float]:
        return [self.x[v], self.y[v], 1.0]

    def add(self, acc: list[float], v: int, length: float) -> None:
        acc[0] += self.x[v]
        acc[1] += self.y[v]
        acc[2] += 1.0

    def scores(self, acc: list[float], cands: list[int], touch: dict) -> list[float]:
        """Squared distance of each candidate to the region's centroid."""
        x, y = self.x, self.y
        cx, cy = acc[0] / acc[2], acc[1] / acc[2]
        return [(x[v] - cx) ** 2 + (y[v] - cy) ** 2 for v in cands]

    @staticmethod
    def slack(near2: float) -> float:
        """Score ratio within which a completing candidate beats the best one."""
        return near2

    def region(self, members: list[int]) -> float:
        x, y = self.x, self.y
        k = len(members)
        cx = sum(x[m] for m in members) / k
        cy = sum(y[m] for m in members) / k
        return sum((x[m] - cx) ** 2 + (y[m] - cy) ** 2 for m in members)

    def tally(self, regions: list[list[int]], state: list[int]) -> SpreadTally:
        return SpreadTally(self, regions)


class SpreadTally:
    """Size and coordinate sums of each region, for :class:`Spread`'s local search."""

    def __init__(self, cost: Spread, regions: list[list[int]]):
        x, y = cost.x, cost.y
        self.x, self.y = x, y
        self.k = [len(r) for r in regions]
        self.sx = [sum(x[m] for m in r) for r in regions]
        self.sy = [sum(y[m] for m in r) for r in regions]

    def moves(self, u: int, a: int, targets: list[int]) -> list[float]:
        """Change of total spread when ``u`` leaves ``a`` for each region of ``targets``."""
        x, y, k, sx, sy = self.x, self.y, self.k, self.sx, self.sy
        xu, yu = x[u], y[u]
        n = k[a]
        out_a = n / (n - 1) * ((xu - sx[a] / n) ** 2 + (yu - sy[a] / n) ** 2)
        return [
            k[b] / (k[b] + 1) * ((xu - sx[b] / k[b]) ** 2 + (yu - sy[b] / k[b]) ** 2) - out_a
            for b in targets
        ]

    def swaps(self, u: int, a: int, pairs: list[tuple[int, int]]) -> list[float]:
        """Change of total spread when ``u`` (in ``a``) and ``v`` (in ``b``) trade places."""
        x, y, k, sx, sy = self.x, self.y, self.k, self.sx, self.sy
        xu, yu = x[u], y[u]
        su = xu * xu + yu * yu
        out = []
        for v, b in pairs:
            xv, yv = x[v], y[v]
            sv = xv * xv + yv * yv
            ax, ay = sx[a] - xu + xv, sy[a] - yu + yv
            bx, by = sx[b] - xv + xu, sy[b] - yv + yu
            da = sv - su - (ax * ax + ay * ay - sx[a] ** 2 - sy[a] ** 2) / k[a]
            db = su - sv - (bx * bx + by * by - sx[b] ** 2 - sy[b] ** 2) / k[b]
            out.append(da + db)
        return out

    def move(self, u: int, a: int, b: int) -> None:
        xu, yu = self.x[u], self.y[u]
        self.k[a] -= 1
        self.sx[a] -= xu
        self.sy[a] -= yu
        self.k[b] += 1
        self.sx[b] += xu
        self.sy[b] += yu

    def swap(self, u: int, a: int, v: int, b: int) -> None:
        dx, dy = self.x[v] - self.x[u], self.y[v] - self.y[u]
        self.sx[a] += dx
        self.sy[a] += dy
        self.sx[b] -= dx
        self.sy[b] -= dy


def _pp(area: float, perim: float) -> float:
    return area / (perim * perim) if perim > 0 else 0.0


class Outline:
    """Minus ``A / P**2`` of the dissolved outline (dimensionless, about -0.05)."""

    eps = 1e-12
    uses_lengths = True
    narrow = True

    def __init__(self, area: list[float], perim: list[float], nbrs: list, blen: list):
        self.area, self.perim, self.nbrs, self.blen = area, perim, nbrs, blen

    def start(self, v: int) -> list[float]:
        return [self.area[v], self.perim[v]]

    def add(self, acc: list[float], v: int, length: float) -> None:
        acc[0] += self.area[v]
        acc[1] += self.perim[v] - 2 * length

    def scores(self, acc: list[float], cands: list[int], touch: dict) -> list[float]:
        """``P**2 / A`` of the region with each candidate added (lower is rounder)."""
        area, perim = self.area, self.perim
        A, P = acc
        return [
            (P + perim[v] - 2 * touch[v]) ** 2 / (A + area[v]) if A + area[v] > 0 else math.inf
            for v in cands
        ]

    @staticmethod
    def slack(near2: float) -> float:
        # scores are squared lengths over areas: the ratio of lengths is sqrt(near2)
        return math.sqrt(near2)

    def shape(self, members) -> tuple[float, float]:
        """Area and perimeter of the region made of ``members``."""
        inside = set(members)
        area = perim = 0.0
        areas, perims, nbrs, blen = self.area, self.perim, self.nbrs, self.blen
        for m in members:
            area += areas[m]
            perim += perims[m]
            for v, length in zip(nbrs[m], blen[m], strict=True):
                if v in inside:
                    perim -= length  # each shared edge is seen from both sides
        return area, perim

    def region(self, members: list[int]) -> float:
        return -_pp(*self.shape(members))

    def tally(self, regions: list[list[int]], state: list[int]) -> OutlineTally:
        return OutlineTally(self, regions, state)


class OutlineTally:
    """Area and perimeter of each region, for :class:`Outline`'s local search."""

    def __init__(self, cost: Outline, regions: list[list[int]], state: list[int]):
        self.c = cost
        self.state = state
        shapes = [cost.shape(r) for r in regions]
        self.A = [s[0] for s in shapes]
        self.P = [s[1] for s in shapes]

    def _shared(self, u: int) -> dict[int, float]:
        """Boundary ``u`` shares with each region it touches."""
        state = self.state
        out: dict[int, float] = {}
        for v, length in zip(self.c.nbrs[u], self.c.blen[u], strict=True):
            r = state[v]
            if r >= 0:
                out[r] = out.get(r, 0.0) + length
        return out

    def moves(self, u: int, a: int, targets: list[int]) -> list[float]:
        A, P, au, pu = self.A, self.P, self.c.area[u], self.c.perim[u]
        sh = self._shared(u)
        out_a = _pp(A[a] - au, P[a] - pu + 2 * sh.get(a, 0.0)) - _pp(A[a], P[a])
        return [_pp(A[b], P[b]) - _pp(A[b] + au, P[b] + pu - 2 * sh[b]) - out_a for b in targets]

    def _swap(self, u: int, a: int, v: int, b: int, su: dict, luv: float):
        """Return the new (area, perimeter) of ``a`` and ``b`` if ``u`` and ``v`` trade places."""
        A, P, area, perim = self.A, self.P, self.c.area, self.c.perim
        sv = self._shared(v)
        pa = P[a] - perim[u] + 2 * su.get(a, 0.0) + perim[v] - 2 * (sv.get(a, 0.0) - luv)
        pb = P[b] - perim[v] + 2 * sv[b] + perim[u] - 2 * (su[b] - luv)
        return A[a] - area[u] + area[v], pa, A[b] - area[v] + area[u], pb

    def _luv(self, u: int, v: int) -> float:
        return sum(le for t, le in zip(self.c.nbrs[u], self.c.blen[u], strict=True) if t == v)

    def swaps(self, u: int, a: int, pairs: list[tuple[int, int]]) -> list[float]:
        A, P = self.A, self.P
        su = self._shared(u)
        out = []
        for v, b in pairs:
            aa, pa, ab, pb = self._swap(u, a, v, b, su, self._luv(u, v))
            out.append(_pp(A[a], P[a]) + _pp(A[b], P[b]) - _pp(aa, pa) - _pp(ab, pb))
        return out

    def move(self, u: int, a: int, b: int) -> None:
        sh = self._shared(u)
        au, pu = self.c.area[u], self.c.perim[u]
        self.A[a] -= au
        self.A[b] += au
        self.P[a] += -pu + 2 * sh.get(a, 0.0)
        self.P[b] += pu - 2 * sh.get(b, 0.0)

    def swap(self, u: int, a: int, v: int, b: int) -> None:
        # called before the states change
        aa, pa, ab, pb = self._swap(u, a, v, b, self._shared(u), self._luv(u, v))
        self.A[a], self.P[a], self.A[b], self.P[b] = aa, pa, ab, pb
