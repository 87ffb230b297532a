"""The search: for every entity of a chunk, the cheapest set of its fixes that makes it grade at its
goal or better, found by grading candidate sets with the batch engine — never by predicting grades.

Entities walk their sets together: those with a few candidate fixes all at once, whole-array (the
sets of each distinct candidate set listed once, ``order.small_orders``), those with many in groups
that share one candidate set and draw its sets from one heap (``order.LazyOrder``). In rounds, every
entity still searching hands over its next sets (16 in the first round, four times as many in each
next one); all of them, across groups, become the rows of one table of fixed variants
(``variants``) graded in one call. An entity stops at its first set that
reaches its goal: every set before it in the order was graded and fell short, so it is the cheapest.
The goal is the target, or — when the bound says the target is out of reach — the best level the
bound allows; a search that runs out of sets keeps the cheapest set that reached the best level seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ..backends.base import PackGrades
from ..backends.batch import grade_columns
from ..table import Table
from .bound import best_levels
from .order import SMALL, LazyOrder, small_orders
from .prepare import Prepared
from .relevance import candidates
from .stuck import Stuck
from .variants import variant_table

FIRST_ROUND = 16
GROWTH = 4
BATCH_ROWS = 65536  # fixed variants graded per engine call
MAX_SETS = 1 << 20  # sets graded per entity at most; past it the answer is the best found, marked inexact


@dataclass(frozen=True)
class Outcome:
    """What the search found for the rows of a chunk (row i = entity i)."""

    fixes: list[tuple[int, ...]]  # per row: indexes into Program.fixes, in the program's order
    reaches: np.ndarray  # level index after the fixes
    goal: np.ndarray  # level index the search aimed at
    bound: np.ndarray  # least severe level index any set could reach (the last level: no bound claimed)
    exact: np.ndarray  # bool: False only where MAX_SETS stopped the search
    free: np.ndarray  # bool (rows, rules): rules some candidate fix of the row may change


class _Walk:
    """Entities walking their sets in order together, all advancing alike: ``tried`` sets so far.

    A subclass says which sets come next for which entity (``sets``), whether an entity has run out
    (``exhausted``) and which fixes a set holds (``chosen``)."""

    def __init__(self, rows: np.ndarray, goal: np.ndarray, level: np.ndarray) -> None:
        self.rows, self.goal = rows, goal
        self.tried = 0
        self.best_level, self.best = level.copy(), np.full(len(rows), -1, dtype=np.int64)
        self.done = np.zeros(len(rows), dtype=bool)
        self.exact = np.ones(len(rows), dtype=bool)

    def sets(self, active: np.ndarray, start: int, stop: int, n_fixes: int) -> tuple[np.ndarray, np.ndarray]:
        """(valid (active, stop - start), fixes of every valid set: bool (valid sets, n_fixes)), walker-major."""
        raise NotImplementedError

    def exhausted(self, active: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def chosen(self, walker: int, position: int) -> tuple[int, ...]:
        raise NotImplementedError

    def limit(self, size: int, max_sets: int) -> tuple[int, int]:
        start = self.tried
        self.tried = min(start + size, max_sets)
        return start, self.tried

    def settle(self, active: np.ndarray, start: int, valid: np.ndarray, flat: np.ndarray, max_sets: int) -> None:
        """``flat``: the level of every valid set of this round; stop at the first set that reaches."""
        levels = np.full(valid.shape, -2, dtype=np.int64)
        levels[valid] = flat
        if levels.shape[1]:
            reach = levels >= self.goal[active, None]
            hit = reach.any(axis=1)
            at = np.where(hit, reach.argmax(axis=1), levels.argmax(axis=1))
            got = levels[np.arange(len(active)), at]
            take = hit | (got > self.best_level[active])
            self.best[active[take]] = start + at[take]
            self.best_level[active[take]] = got[take]
            self.done[active[hit]] = True
        out = self.exhausted(active)
        ending = ~self.done[active] & (out | (self.tried >= max_sets))
        self.exact[active[ending]] = out[ending]
        self.done[active[ending]] = True


class _Few(_Walk):
    """Entities with k candidate fixes each (k ≤ ``SMALL``): every valid set of every distinct
    candidate set listed at once, in order (``order.small_orders``)."""

    def __init__(self, prep: Prepared, patterns: np.ndarray, pattern: np.ndarray, rows: np.ndarray,
                 goal: np.ndarray, level: np.ndarray) -> None:
        super().__init__(rows, goal, level)
        self.patterns, self.pattern = patterns, pattern  # (p, k) fix indexes; per entity its row of them
        self.masks, self.valid = small_orders(prep.cost[patterns], prep.days[patterns], prep.fix_field[patterns])

    def limit(self, size: int, max_sets: int) -> tuple[int, int]:
        start, stop = super().limit(size, max_sets)
        self.tried = min(stop, self.masks.shape[1])
        return start, self.tried

    def sets(self, active: np.ndarray, start: int, stop: int, n_fixes: int) -> tuple[np.ndarray, np.ndarray]:
        pat = self.pattern[active]
        valid = np.arange(start, stop)[None, :] < self.valid[pat, None]
        masks = self.masks[pat, start:stop][valid]
        local = np.broadcast_to(pat[:, None], valid.shape)[valid]
        k = self.patterns.shape[1]
        bits = ((masks[:, None] >> np.arange(k)) & 1).astype(bool)
        out = np.zeros((len(masks), n_fixes), dtype=bool)
        v, j = np.nonzero(bits)
        out[v, self.patterns[local[v], j]] = True
        return valid, out

    def exhausted(self, active: np.ndarray) -> np.ndarray:
        return self.tried >= self.valid[self.pattern[active]]

    def chosen(self, walker: int, position: int) -> tuple[int, ...]:
        local = self.patterns[self.pattern[walker]].tolist()
        mask = int(self.masks[self.pattern[walker], position])
        return tuple(f for j, f in enumerate(local) if (mask >> j) & 1)


class _Many(_Walk):
    """Entities that share one candidate set of many fixes: its sets drawn from a heap as needed."""

    def __init__(self, prep: Prepared, local: np.ndarray, rows: np.ndarray, goal: np.ndarray,
                 level: np.ndarray) -> None:
        super().__init__(rows, goal, level)
        self.local = local
        self.order = LazyOrder(prep.cost[local], prep.days[local], prep.fix_field[local])
        self.drawn: list[list[int]] = []  # positions in ``local``

    def limit(self, size: int, max_sets: int) -> tuple[int, int]:
        start, stop = super().limit(size, max_sets)
        if len(self.drawn) < stop:
            self.drawn += self.order.take(stop - len(self.drawn))
        self.tried = min(stop, len(self.drawn))
        return start, self.tried

    def sets(self, active: np.ndarray, start: int, stop: int, n_fixes: int) -> tuple[np.ndarray, np.ndarray]:
        one = np.zeros((stop - start, n_fixes), dtype=bool)
        for v, s in enumerate(self.drawn[start:stop]):
            one[v, self.local[s]] = True
        return np.ones((len(active), stop - start), dtype=bool), np.tile(one, (len(active), 1))

    def exhausted(self, active: np.ndarray) -> np.ndarray:
        return np.full(len(active), self.tried >= len(self.drawn) and self.order.exhausted)

    def chosen(self, walker: int, position: int) -> tuple[int, ...]:
        return tuple(sorted(int(self.local[j]) for j in self.drawn[position]))


def search(prep: Prepared, table: Table, grades: PackGrades, target: np.ndarray, as_of: dt.date,
           params: Mapping[str, Any] | None = None, max_sets: int = MAX_SETS) -> Outcome:
    """For every row of ``table`` (already graded: ``grades``) the cheapest fixes to ``target``
    (level index per row), or to the best level reachable when the target is not."""
    pinned = Stuck(prep, table, grades, as_of, params)
    cand = candidates(prep, table, grades, as_of, pinned)
    bound, free = best_levels(prep, grades, cand, pinned)
    level = grades.level
    goal = np.minimum(target, bound)
    searching = np.flatnonzero((level >= 0) & (goal > level) & cand.any(axis=1))
    walks = _walks(prep, cand, searching, goal, level)
    size = FIRST_ROUND
    while any(not w.done.all() for w in walks):
        _round(prep, table, [w for w in walks if not w.done.all()], size, as_of, params, max_sets)
        size *= GROWTH
    return _outcome(table.n, level, goal, bound, free, walks)


def _walks(prep: Prepared, cand: np.ndarray, searching: np.ndarray, goal: np.ndarray,
           level: np.ndarray) -> list[_Walk]:
    """The searching rows grouped: by number of fixes when few, by candidate set when many."""
    if not searching.size:
        return []
    packed = np.ascontiguousarray(np.packbits(cand[searching], axis=1))  # each row's candidates as bytes
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, which = np.unique(keys, return_index=True, return_inverse=True)
    patterns = [np.flatnonzero(cand[searching[f]]) for f in first.tolist()]
    sizes = np.array([len(p) for p in patterns])
    walks: list[_Walk] = []
    for k in np.unique(sizes).tolist():
        ids = np.flatnonzero(sizes == k)
        if k <= SMALL:
            remap = np.full(len(patterns), -1, dtype=np.int64)
            remap[ids] = np.arange(len(ids))
            mine = np.flatnonzero(np.isin(which, ids))
            rows = searching[mine]
            walks.append(_Few(prep, np.stack([patterns[i] for i in ids]), remap[which[mine]], rows, goal[rows],
                              level[rows]))
            continue
        for i in ids.tolist():
            rows = searching[which == i]
            walks.append(_Many(prep, patterns[i], rows, goal[rows], level[rows]))
    return walks


def _round(prep: Prepared, table: Table, walks: list[_Walk], size: int, as_of: dt.date,
           params: Mapping[str, Any] | None, max_sets: int) -> None:
    n_fixes = len(prep.fixes)
    plan, rows, sets = [], [], []
    for w in walks:
        active = np.flatnonzero(~w.done)
        start, stop = w.limit(size, max_sets)
        valid, fixes = w.sets(active, start, stop, n_fixes)
        plan.append((w, active, start, valid))
        rows.append(np.broadcast_to(w.rows[active, None], valid.shape)[valid])
        sets.append(fixes)
    all_sets = np.concatenate(sets)
    levels = _grade(prep, table, np.concatenate(rows), np.arange(len(all_sets)), all_sets, as_of, params)
    at = 0
    for w, active, start, valid in plan:
        n = int(valid.sum())
        w.settle(active, start, valid, levels[at:at + n], max_sets)
        at += n


def _outcome(n: int, level: np.ndarray, goal: np.ndarray, bound: np.ndarray, free: np.ndarray,
             walks: list[_Walk]) -> Outcome:
    fixes: list[tuple[int, ...]] = [()] * n
    reaches = np.where(level >= 0, level, 0).astype(np.int64)
    exact = np.ones(n, dtype=bool)
    for w in walks:
        reaches[w.rows], exact[w.rows] = w.best_level, w.exact
        for i in np.flatnonzero(w.best >= 0).tolist():
            fixes[int(w.rows[i])] = w.chosen(i, int(w.best[i]))
    return Outcome(fixes, reaches, goal, bound, exact, free)


def _grade(prep: Prepared, table: Table, rows: np.ndarray, which: np.ndarray, sets: np.ndarray, as_of: dt.date,
           params: Mapping[str, Any] | None) -> np.ndarray:
    """The level index of every fixed variant (row ``rows[v]`` with the fixes of ``sets[which[v]]``);
    -1 where the pack no longer applies or the variant would be rejected."""
    out = np.empty(len(rows), dtype=np.int64)
    for start in range(0, len(rows), BATCH_ROWS):
        stop = min(len(rows), start + BATCH_ROWS)
        variants = variant_table(prep, table, rows[start:stop], sets[which[start:stop]], as_of)
        graded: PackGrades = grade_columns(prep.program, variants, as_of, params)
        level = np.where(graded.applies, graded.level, -1)
        if graded.rejects:
            level[list(graded.rejects)] = -1
        out[start:stop] = level
    return out
