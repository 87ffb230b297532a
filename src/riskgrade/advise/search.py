"""The search: for every entity of a chunk, the cheapest set of its fixes that makes it grade at its
goal or better, found by grading candidate sets with the batch engine — never by predicting grades.

Each entity walks its sets in preference order (``order``). In rounds, every entity still searching
hands over its next sets (16 in the first round, four times as many in each next one); all of them,
across entities, become the rows of one table of fixed variants (``variants``) graded in one call.
An entity stops at its first set that reaches its goal: every set before it in the order was graded
and fell short, so it is the cheapest. The goal is the target, or — when the bound says the target
is out of reach — the best level the bound allows; a search that runs out of sets keeps the cheapest
set that reached the best level seen.
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
from .variants import variant_table

FIRST_ROUND = 16
GROWTH = 4
BATCH_ROWS = 65536  # fixed variants graded per engine call
MAX_SETS = 1 << 20  # sets graded per entity at most; past it the answer is the best found, marked inexact


@dataclass(frozen=True)
class Outcome:
    """What the search found for one entity (row) of the chunk."""

    fixes: tuple[int, ...]  # indexes into Program.fixes, in the program's order
    reaches: int  # level index after the fixes
    goal: int  # level index the search aimed at
    bound: int  # the least severe level index any set could reach (the last level: no bound claimed)
    exact: bool  # False only when MAX_SETS stopped the search
    tried: int  # sets graded
    free: np.ndarray  # bool (rules,): rules some candidate fix may change


class _Entity:
    """One entity's walk through its sets."""

    def __init__(self, row: int, local: np.ndarray, goal: int, level: int) -> None:
        self.row, self.local, self.goal = row, local, goal
        self.best_level = level
        self.best: list[int] = []
        self.done, self.exact, self.tried = False, True, 0
        self.masks: np.ndarray | None = None  # small: ordered bit masks over ``local``, and their count
        self.valid = 0
        self.lazy: LazyOrder | None = None

    def next_sets(self, m: int) -> list[list[int]]:
        """The next ``m`` sets as option positions in ``local``."""
        if self.masks is not None:
            chunk = self.masks[self.tried:min(self.valid, self.tried + m)]
            k = len(self.local)
            return [[j for j in range(k) if (mask >> j) & 1] for mask in chunk.tolist()]
        assert self.lazy is not None
        return self.lazy.take(m)

    @property
    def exhausted(self) -> bool:
        return self.tried >= self.valid if self.masks is not None else bool(self.lazy and self.lazy.exhausted)


def search(prep: Prepared, table: Table, grades: PackGrades, target: np.ndarray, as_of: dt.date,
           params: Mapping[str, Any] | None = None, max_sets: int = MAX_SETS) -> list[Outcome]:
    """For every row of ``table`` (already graded: ``grades``) the cheapest fixes to ``target``
    (level index per row), or to the best level reachable when the target is not."""
    cand = candidates(prep, table, grades, as_of)
    bound, free = best_levels(prep, grades, cand)
    level = grades.level
    goal = np.minimum(target, bound)
    walkers = [_Entity(i, np.flatnonzero(cand[i]), int(goal[i]), int(level[i]))
               for i in range(table.n) if level[i] >= 0 and goal[i] > level[i]]
    _order(prep, walkers)
    size = FIRST_ROUND
    active = [w for w in walkers if not w.exhausted]
    while active:
        _round(prep, table, active, size, as_of, params, max_sets)
        active = [w for w in active if not w.done]
        size *= GROWTH
    by_row = {w.row: w for w in walkers}
    out = []
    for i in range(table.n):
        w = by_row.get(i)
        chosen = tuple(sorted(int(w.local[j]) for j in w.best)) if w is not None else ()
        reached = w.best_level if w is not None else int(level[i])
        out.append(Outcome(chosen, reached, int(goal[i]), int(bound[i]), w.exact if w else True,
                           w.tried if w else 0, free[i]))
    return out


def _order(prep: Prepared, walkers: list[_Entity]) -> None:
    """Prepare each walker's order: listed at once (grouped by size) for a few options, lazy beyond."""
    by_size: dict[int, list[_Entity]] = {}
    for w in walkers:
        k = len(w.local)
        if k > SMALL:
            w.lazy = LazyOrder(prep.cost[w.local], prep.days[w.local], prep.fix_field[w.local])
        elif k:
            by_size.setdefault(k, []).append(w)
        else:
            w.masks = np.zeros(0, dtype=np.int64)
    for k, group in by_size.items():
        per_block = max(1, (1 << 20) >> k)  # about a million sets listed per numpy call
        for start in range(0, len(group), per_block):
            block = group[start:start + per_block]
            local = np.stack([w.local for w in block])
            masks, valid = small_orders(prep.cost[local], prep.days[local], prep.fix_field[local])
            for w, m, v in zip(block, masks, valid):
                w.masks, w.valid = m, int(v)


def _round(prep: Prepared, table: Table, active: list[_Entity], size: int, as_of: dt.date,
           params: Mapping[str, Any] | None, max_sets: int) -> None:
    sets_of = []
    for w in active:
        room = max_sets - w.tried
        sets_of.append(w.next_sets(min(size, room)) if room > 0 else [])
    counts = np.array([len(s) for s in sets_of], dtype=np.int64)
    total = int(counts.sum())
    rows = np.repeat(np.array([w.row for w in active], dtype=np.int64), counts)
    apply = np.zeros((total, len(prep.fixes)), dtype=bool)
    v = 0
    for w, sets in zip(active, sets_of):
        for s in sets:
            apply[v, w.local[s]] = True
            v += 1
    levels = _grade(prep, table, rows, apply, as_of, params)
    start = 0
    for w, sets, n in zip(active, sets_of, counts.tolist()):
        seg = levels[start:start + n]
        start += n
        _settle(w, sets, seg)
        if not w.done and (w.exhausted or n == 0):
            w.done = True
            w.exact = w.exhausted


def _settle(w: _Entity, sets: list[list[int]], seg: np.ndarray) -> None:
    w.tried += len(sets)
    if not len(seg):
        return
    hit = np.flatnonzero(seg >= w.goal)
    if hit.size:
        w.best, w.best_level, w.done = sets[int(hit[0])], int(seg[hit[0]]), True
        return
    top = int(seg.max())
    if top > w.best_level:
        first = int(np.flatnonzero(seg == top)[0])
        w.best, w.best_level = sets[first], top


def _grade(prep: Prepared, table: Table, rows: np.ndarray, apply: np.ndarray, as_of: dt.date,
           params: Mapping[str, Any] | None) -> np.ndarray:
    """The level index of every fixed variant; -1 where the pack no longer applies or the variant
    would be rejected."""
    out = np.empty(len(rows), dtype=np.int64)
    for start in range(0, len(rows), BATCH_ROWS):
        stop = min(len(rows), start + BATCH_ROWS)
        variants = variant_table(prep, table, rows[start:stop], apply[start:stop], as_of)
        graded: PackGrades = grade_columns(prep.program, variants, as_of, params)
        level = np.where(graded.applies, graded.level, -1)
        if graded.rejects:
            level[list(graded.rejects)] = -1
        out[start:stop] = level
    return out
