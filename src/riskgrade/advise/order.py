"""Sets of fixes in the order the advice prefers them: least total cost, then fewest fixes, then least
total time — so that the first set that reaches the target is the answer.

Two ways to walk the same order:

- ``small_orders``: every set of a few fixes (up to ``SMALL`` of them) of many entities at once, in
  numpy — the common case, where an entity has a handful of fixable findings;
- ``LazyOrder``: the sets one after another from a heap, for an entity with many fixes, where
  listing all 2^k sets first would cost more than the search that usually stops early. Options are
  sorted by (cost, days); a set's successors add the next option or move its last option one on,
  so a successor's key is never smaller than its parent's and the heap yields the sets in order.

Two fixes of the same field are alternatives: sets holding both are skipped.
"""

from __future__ import annotations

import heapq
from itertools import combinations

import numpy as np

SMALL = 12  # up to 2^12 - 1 sets per candidate set listed at once
BLOCK = 1 << 21  # sets listed per numpy call (patterns × sets), to keep memory bounded


def _keys(cost: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # rounded, so that sums in a different order still compare equal
    return np.round(cost, 6), np.round(days, 6)


def small_orders(cost: np.ndarray, days: np.ndarray, field: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For r entities with k options each ((r, k) arrays): the non-empty sets as bit masks over the k
    options, (r, 2^k - 1) in preference order, and how many of them are valid (the rest, sets with two
    fixes of one field, are moved to the end)."""
    r, k = cost.shape
    step = max(1, BLOCK >> k)
    if r > step:
        parts = [_small_orders(cost[i:i + step], days[i:i + step], field[i:i + step]) for i in range(0, r, step)]
        return np.concatenate([m for m, _ in parts]), np.concatenate([v for _, v in parts])
    return _small_orders(cost, days, field)


def _small_orders(cost: np.ndarray, days: np.ndarray, field: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r, k = cost.shape
    masks = np.arange(1, 1 << k, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(k)) & 1).astype(np.float64)  # (2^k - 1, k)
    total_cost, total_days = _keys(cost @ bits.T, days @ bits.T)
    count = np.broadcast_to(bits.sum(axis=1), total_cost.shape)
    invalid = np.zeros(total_cost.shape, dtype=bool)
    for a, b in combinations(range(k), 2):
        same = field[:, a] == field[:, b]
        if same.any():
            invalid |= same[:, None] & ((bits[:, a] * bits[:, b]) > 0)[None, :]
    total_cost = np.where(invalid, np.inf, total_cost)
    row = np.broadcast_to(np.arange(r)[:, None], total_cost.shape)
    tie = np.broadcast_to(masks, total_cost.shape)
    order = np.lexsort((tie.ravel(), total_days.ravel(), count.ravel(), total_cost.ravel(), row.ravel()))
    ordered = np.broadcast_to(masks, total_cost.shape).ravel()[order].reshape(r, -1)
    return ordered, (~invalid).sum(axis=1)


class LazyOrder:
    """The non-empty sets of k options (given by cost, days and field), one after another in order."""

    def __init__(self, cost: np.ndarray, days: np.ndarray, field: np.ndarray) -> None:
        cost, days = _keys(np.asarray(cost, dtype=np.float64), np.asarray(days, dtype=np.float64))
        self.perm = np.lexsort((np.arange(len(cost)), days, cost))
        self.cost = cost[self.perm].tolist()
        self.days = days[self.perm].tolist()
        self.field = np.asarray(field)[self.perm].tolist()
        self.heap: list[tuple[float, int, float, tuple[int, ...]]] = []
        if len(cost):
            self.heap.append((self.cost[0], 1, self.days[0], (0,)))

    def take(self, m: int) -> list[list[int]]:
        """The next ``m`` valid sets (fewer when the sets run out), each as option positions."""
        out: list[list[int]] = []
        k = len(self.cost)
        while self.heap and len(out) < m:
            c, n, d, members = heapq.heappop(self.heap)
            last = members[-1]
            if last + 1 < k:
                nxt = last + 1
                heapq.heappush(self.heap, (round(c + self.cost[nxt], 6), n + 1, round(d + self.days[nxt], 6),
                                           members + (nxt,)))
                heapq.heappush(self.heap, (round(c - self.cost[last] + self.cost[nxt], 6), n,
                                           round(d - self.days[last] + self.days[nxt], 6), members[:-1] + (nxt,)))
            fields = [self.field[i] for i in members]
            if len(set(fields)) == len(fields):
                out.append([int(self.perm[i]) for i in members])
        return out

    @property
    def exhausted(self) -> bool:
        return not self.heap
