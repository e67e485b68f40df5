"""The optimisation behind the decisions: HiGHS (scipy.optimize.milp) where size allows.

Location (which candidate sites to open) and assignment (which cadre heads
which compound) are solved exactly by HiGHS, the open-source MILP solver
that ships with scipy, when the problem has at most ``EXACT_MAX_NONZEROS``
coefficients; HiGHS stops at a node limit (deterministic) or a time limit
(a safety net only), and the status says which and the gap proven. Beyond
that size, or when HiGHS finds nothing in time, a stated heuristic runs:
greedy (most uncovered weight per site; cheapest pair first) followed by
local improvement (drop redundant sites, swap one site for another;
move or swap compounds between cadres). Ties are broken by position, and
positions come from sorted ids, so results are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from ..labels import label

__all__ = ["SolveStatus", "set_cover", "max_coverage", "transport", "EXACT_MAX_NONZEROS"]

#: Largest problem (coefficients in the constraint matrix) handed to HiGHS.
EXACT_MAX_NONZEROS = 400_000
NODE_LIMIT = 20_000


@dataclass(frozen=True)
class SolveStatus:
    """How a decision was solved.

    Attributes
    ----------
    method : str
        ``"highs"`` (scipy.optimize.milp) or ``"greedy+local"``.
    status : str
        ``"optimal"``, ``"limit"`` (HiGHS stopped at the node or time limit
        with the best solution found) or ``"heuristic"``.
    objective : float
        Value of the solution, in the problem's unit.
    bound : float or None
        Proven bound on the optimum (HiGHS only).
    gap : float or None
        Relative gap ``|objective - bound| / |objective|`` (0 when optimal).
    seconds : float
        Time spent solving.
    """

    method: str
    status: str
    objective: float
    bound: float | None
    gap: float | None
    seconds: float

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
        }

    def sheet(self) -> pd.DataFrame:
        """Return the status as a workbook sheet (item, value), without the run time."""
        rows = [(k, "" if v is None else v) for k, v in self.as_dict().items() if k != "seconds"]
        return pd.DataFrame(rows, columns=[label("item"), label("value")])


def _options(time_limit_s: float) -> dict:
    return {"time_limit": float(time_limit_s), "node_limit": NODE_LIMIT, "disp": False}


def _status(res, objective: float, seconds: float, sense: int) -> SolveStatus:
    bound = getattr(res, "mip_dual_bound", None)
    bound = None if bound is None or not np.isfinite(bound) else float(bound) * sense
    gap = getattr(res, "mip_gap", None)
    gap = None if gap is None or not np.isfinite(gap) else float(gap)
    status = "optimal" if res.status == 0 else "limit"
    if status == "optimal":
        gap = 0.0 if gap is None else gap
    return SolveStatus("highs", status, objective, bound, gap, seconds)


def _cover_matrix(pairs: np.ndarray, n_targets: int, n_sites: int) -> csr_matrix:
    """``A[i, j] = 1`` when site ``j`` covers target ``i``; ``pairs`` is (k, 2)."""
    data = np.ones(len(pairs))
    return csr_matrix((data, (pairs[:, 0], pairs[:, 1])), shape=(n_targets, n_sites))


def _greedy_cover(
    cover: list[set[int]], weight: np.ndarray, budget: int | None, targets: set[int]
) -> list[int]:
    chosen: list[int] = []
    left = set(targets)
    while left and (budget is None or len(chosen) < budget):
        best, best_gain = -1, 0.0
        for j, covered in enumerate(cover):
            gain = float(sum(weight[i] for i in covered & left))
            if gain > best_gain + 1e-12:
                best, best_gain = j, gain
        if best < 0:
            break
        chosen.append(best)
        left -= cover[best]
    return chosen


def _drop_redundant(chosen: list[int], cover: list[set[int]], targets: set[int]) -> list[int]:
    """Remove sites whose targets the others cover, latest first."""
    chosen = list(chosen)
    for j in sorted(chosen, reverse=True):
        rest = set().union(*(cover[k] for k in chosen if k != j)) if len(chosen) > 1 else set()
        if targets <= rest:
            chosen.remove(j)
    return chosen


def _two_for_one(chosen: list[int], cover: list[set[int]], targets: set[int]) -> list[int]:
    """Replace two sites by one that covers what only they covered, while one exists."""
    by_target: dict[int, list[int]] = {}
    for j, covered in enumerate(cover):
        for i in covered:
            by_target.setdefault(i, []).append(j)
    chosen = sorted(chosen)
    improved = True
    while improved:
        improved = False
        count: dict[int, int] = {}
        for j in chosen:
            for i in cover[j]:
                count[i] = count.get(i, 0) + 1
        for x, a in enumerate(chosen):
            for b in chosen[x + 1 :]:
                if not any(i in cover[b] or count.get(i, 0) == 1 for i in cover[a]):
                    continue
                only = {i for i in cover[a] | cover[b] if i in targets} - {
                    i
                    for i in cover[a] | cover[b]
                    if count.get(i, 0) - (i in cover[a]) - (i in cover[b]) > 0
                }
                if not only:
                    continue
                first = min(only)
                for k in by_target.get(first, ()):
                    if k not in (a, b) and only <= cover[k]:
                        chosen = sorted({*chosen, k} - {a, b})
                        improved = True
                        break
                if improved:
                    break
            if improved:
                break
    return chosen


def _drop_idle(chosen: list[int], cover: list[set[int]], weight: np.ndarray) -> list[int]:
    """Remove sites that add no weight the other sites do not already reach, latest first."""
    chosen = list(chosen)
    for j in sorted(chosen, reverse=True):
        others = set().union(*(cover[k] for k in chosen if k != j)) if len(chosen) > 1 else set()
        if sum(weight[i] for i in cover[j] - others) <= 0:
            chosen.remove(j)
    return sorted(chosen)


def _swap_improve(
    chosen: list[int], cover: list[set[int]], weight: np.ndarray, targets: set[int]
) -> list[int]:
    """One-for-one swaps while a swap raises the covered weight (maximal coverage)."""

    def value(sites: list[int]) -> float:
        hit = set().union(*(cover[k] for k in sites)) & targets if sites else set()
        return float(sum(weight[i] for i in hit))

    chosen = list(chosen)
    current = value(chosen)
    improved = True
    rounds = 0
    while improved and rounds < 20:
        improved, rounds = False, rounds + 1
        for position in range(len(chosen)):
            for j in range(len(cover)):
                if j in chosen:
                    continue
                trial = chosen[:position] + [j] + chosen[position + 1 :]
                v = value(trial)
                if v > current + 1e-9:
                    chosen, current, improved = trial, v, True
                    break
    return chosen


def _reduce(cover: list[set[int]], targets: list[int]) -> tuple[list[int], list[int]]:
    """Drop dominated sites and implied targets; the optimum stays the same.

    A site whose targets another site also covers (all of them) is never
    needed (of equal sites the first is kept); a target covered by every site
    that covers some other target is covered whenever that one is.
    """
    by_target: dict[int, set[int]] = {i: set() for i in targets}
    for j, covered in enumerate(cover):
        for i in covered:
            if i in by_target:
                by_target[i].add(j)
    sites = [j for j in range(len(cover)) if cover[j]]
    keep_sites = []
    for j in sites:
        mine = cover[j]
        rivals = set().union(*(by_target[i] for i in mine if i in by_target)) - {j}
        dominated = any(mine <= cover[k] and (len(cover[k]) > len(mine) or k < j) for k in rivals)
        if not dominated:
            keep_sites.append(j)
    kept = set(keep_sites)
    options = {i: frozenset(by_target[i] & kept) for i in targets}
    keep_rows = []
    seen: set[frozenset] = set()
    for i in sorted(targets, key=lambda t: (len(options[t]), t)):
        mine = options[i]
        if mine in seen:
            continue
        implied = any(other < mine for other in seen if len(other) < len(mine))
        if not implied:
            keep_rows.append(i)
            seen.add(mine)
    return sorted(keep_rows), keep_sites


def set_cover(
    pairs: np.ndarray,
    n_targets: int,
    n_sites: int,
    *,
    exact: bool = True,
    time_limit_s: float = 20.0,
) -> tuple[list[int], SolveStatus]:
    """Fewest sites covering every target that some site covers.

    ``pairs`` rows ``(target, site)``; targets no site covers are ignored
    (the caller names them). Returns the sorted chosen sites and the status.
    """
    import time

    start = time.perf_counter()
    pairs = np.asarray(pairs, dtype=int).reshape(-1, 2)
    coverable = sorted(set(pairs[:, 0].tolist()))
    if not coverable:
        return [], SolveStatus("highs", "optimal", 0.0, 0.0, 0.0, 0.0)
    cover = [set() for _ in range(n_sites)]
    for i, j in pairs:
        cover[j].add(int(i))
    if exact and len(pairs) <= EXACT_MAX_NONZEROS:
        rows, cols = _reduce(cover, coverable)
        keep = np.array(cols, dtype=int)
        a = _cover_matrix(pairs, n_targets, n_sites)[rows][:, keep]
        res = milp(
            c=np.ones(len(keep)),
            constraints=LinearConstraint(a, lb=1, ub=np.inf),
            integrality=np.ones(len(keep)),
            bounds=Bounds(0, 1),
            options=_options(time_limit_s),
        )
        if res.x is not None:
            chosen = sorted(int(keep[j]) for j in np.flatnonzero(res.x > 0.5))
            chosen = sorted(_drop_redundant(chosen, cover, set(coverable)))
            return chosen, _status(res, float(len(chosen)), time.perf_counter() - start, 1)
    weight = np.ones(n_targets)
    chosen = _greedy_cover(cover, weight, None, set(coverable))
    chosen = sorted(_drop_redundant(chosen, cover, set(coverable)))
    chosen = _two_for_one(chosen, cover, set(coverable))
    return chosen, SolveStatus(
        "greedy+local", "heuristic", float(len(chosen)), None, None, time.perf_counter() - start
    )


def max_coverage(
    pairs: np.ndarray,
    weight: np.ndarray,
    n_sites: int,
    budget: int,
    *,
    exact: bool = True,
    time_limit_s: float = 20.0,
) -> tuple[list[int], SolveStatus]:
    """At most ``budget`` sites covering the largest total ``weight`` of targets."""
    import time

    start = time.perf_counter()
    pairs = np.asarray(pairs, dtype=int).reshape(-1, 2)
    weight = np.asarray(weight, dtype=float)
    n_targets = len(weight)
    coverable = sorted(set(pairs[:, 0].tolist()))
    cover = [set() for _ in range(n_sites)]
    for i, j in pairs:
        cover[j].add(int(i))
    if budget == 0 or not coverable:
        return [], SolveStatus("highs", "optimal", 0.0, 0.0, 0.0, 0.0)
    if exact and len(pairs) + n_sites <= EXACT_MAX_NONZEROS:
        m = len(coverable)
        # variables: x (sites) then y (coverable targets); maximise sum w y
        a = _cover_matrix(pairs, n_targets, n_sites)[coverable]
        from scipy.sparse import eye, hstack

        link = hstack([-a, eye(m)])  # y_i - sum_j x_j <= 0
        count = hstack([csr_matrix(np.ones((1, n_sites))), csr_matrix((1, m))])
        res = milp(
            c=np.concatenate([np.zeros(n_sites), -weight[coverable]]),
            constraints=[
                LinearConstraint(link.tocsr(), lb=-np.inf, ub=0),
                LinearConstraint(count.tocsr(), lb=0, ub=budget),
            ],
            integrality=np.concatenate([np.ones(n_sites), np.zeros(m)]),
            bounds=Bounds(0, 1),
            options=_options(time_limit_s),
        )
        if res.x is not None:
            chosen = sorted(int(j) for j in np.flatnonzero(res.x[:n_sites] > 0.5))
            chosen = _drop_idle(chosen, cover, weight)
            hit = set().union(*(cover[j] for j in chosen)) if chosen else set()
            value = float(sum(weight[i] for i in hit))
            return chosen, _status(res, value, time.perf_counter() - start, -1)
    chosen = _greedy_cover(cover, weight, budget, set(coverable))
    chosen = sorted(_swap_improve(chosen, cover, weight, set(coverable)))
    chosen = _drop_idle(chosen, cover, weight)
    hit = set().union(*(cover[j] for j in chosen)) if chosen else set()
    value = float(sum(weight[i] for i in hit))
    return chosen, SolveStatus(
        "greedy+local", "heuristic", value, None, None, time.perf_counter() - start
    )


def transport(
    cost: np.ndarray,
    capacity: np.ndarray,
    allowed: np.ndarray,
    *,
    exact: bool = True,
    time_limit_s: float = 20.0,
) -> tuple[np.ndarray, SolveStatus]:
    """Give every row (compound) one column (cadre), at most ``capacity[j]`` rows each.

    ``cost`` and ``allowed`` are ``(n, m)``; only allowed pairs are used.
    Returns ``choice[i]`` (column of row ``i``). Feasibility is the caller's
    to check first (:func:`max_assignable`). With unit demands the
    constraint matrix is totally unimodular, so the LP HiGHS solves is
    integral and the assignment optimal.
    """
    import time

    start = time.perf_counter()
    n, m = cost.shape
    rows, cols = np.nonzero(allowed)
    k = len(rows)
    if exact and 2 * k <= EXACT_MAX_NONZEROS:
        each = csr_matrix((np.ones(k), (rows, np.arange(k))), shape=(n, k))
        cap = csr_matrix((np.ones(k), (cols, np.arange(k))), shape=(m, k))
        res = milp(
            c=cost[rows, cols],
            constraints=[
                LinearConstraint(each, lb=1, ub=1),
                LinearConstraint(cap, lb=0, ub=capacity.astype(float)),
            ],
            integrality=np.ones(k),
            bounds=Bounds(0, 1),
            options=_options(time_limit_s),
        )
        if res.x is not None:
            choice = np.full(n, -1)
            picked = res.x > 0.5
            choice[rows[picked]] = cols[picked]
            if (choice >= 0).all():
                value = float(cost[np.arange(n), choice].sum())
                return choice, _status(res, value, time.perf_counter() - start, 1)
    choice = _greedy_assign(cost, capacity, allowed)
    value = float(cost[np.arange(n), choice].sum()) if (choice >= 0).all() else float("inf")
    return choice, SolveStatus(
        "greedy+local", "heuristic", value, None, None, time.perf_counter() - start
    )


def _greedy_assign(cost: np.ndarray, capacity: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Cheapest allowed pair first, then moves to cheaper cadres with room."""
    n, m = cost.shape
    left = capacity.astype(int).copy()
    choice = np.full(n, -1)
    masked = np.where(allowed, cost, np.inf)
    order = np.lexsort((np.tile(np.arange(m), n), np.repeat(np.arange(n), m), masked.ravel()))
    for flat in order:
        i, j = divmod(int(flat), m)
        if not np.isfinite(masked[i, j]):
            break
        if choice[i] < 0 and left[j] > 0:
            choice[i], left[j] = j, left[j] - 1
    # rows left out (capacity went to others first): augment along a cheapest path
    for i in np.flatnonzero(choice < 0):
        _augment(int(i), choice, left, masked)
    return choice


def _augment(i: int, choice: np.ndarray, left: np.ndarray, masked: np.ndarray) -> None:
    """Find room for row ``i`` by moving assigned rows along a shortest path (Bellman-Ford)."""
    n, m = masked.shape
    best = np.full(m, np.inf)
    via: dict[int, tuple[int, int]] = {}  # cadre -> (row moved in, cadre it left)
    for j in np.flatnonzero(np.isfinite(masked[i])):
        best[j], via[j] = masked[i, j], (i, -1)
    for _ in range(m):
        changed = False
        for r in np.flatnonzero(choice >= 0):
            a = choice[r]
            if not np.isfinite(best[a]):
                continue
            for b in np.flatnonzero(np.isfinite(masked[r])):
                step = best[a] + masked[r, b] - masked[r, a]
                if b != a and step < best[b] - 1e-9:
                    best[b], via[b], changed = step, (int(r), int(a)), True
        if not changed:
            break
    room = [j for j in range(m) if left[j] > 0 and np.isfinite(best[j])]
    if not room:
        return
    j = min(room, key=lambda c: (best[c], c))
    left[j] -= 1
    seen = set()
    while j >= 0 and j not in seen:
        seen.add(j)
        row, previous = via[j]
        choice[row] = j
        j = previous
