"""Sets of fixes come in the order the advice prefers — total cost, then number of fixes, then total
days — whether listed at once (few fixes) or drawn one by one from the heap (many)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from hypothesis import given, settings, strategies as st

from riskgrade.advise.order import LazyOrder, small_orders

options = st.integers(1, 7).flatmap(lambda k: st.tuples(
    st.lists(st.sampled_from([0.0, 1.0, 2.0, 2.5, 10.0]), min_size=k, max_size=k),
    st.lists(st.sampled_from([0.0, 1.0, 3.0]), min_size=k, max_size=k),
    st.lists(st.integers(0, 3), min_size=k, max_size=k)))


def _expected(cost, days, field):
    k = len(cost)
    out = []
    for n in range(1, k + 1):
        for s in combinations(range(k), n):
            if len({field[i] for i in s}) == n:
                out.append((round(sum(cost[i] for i in s), 6), n, round(sum(days[i] for i in s), 6)))
    return sorted(out)


def _key(s, cost, days):
    return (round(sum(cost[i] for i in s), 6), len(s), round(sum(days[i] for i in s), 6))


@settings(max_examples=80)
@given(options)
def test_both_walks_give_every_valid_set_once_in_preference_order(opts):
    cost, days, field = opts
    expected = _expected(cost, days, field)
    masks, valid = small_orders(np.array([cost]), np.array([days]), np.array([field]))
    small = [[j for j in range(len(cost)) if (m >> j) & 1] for m in masks[0][:valid[0]].tolist()]
    lazy = LazyOrder(np.array(cost), np.array(days), np.array(field))
    drawn = lazy.take(3) + lazy.take(1000)
    for sets in (small, drawn):
        assert [_key(s, cost, days) for s in sets] == expected
        assert len({tuple(sorted(s)) for s in sets}) == len(sets)
    assert lazy.exhausted


def test_many_entities_are_ordered_at_once_each_by_its_own_costs():
    cost = np.array([[1.0, 2.0], [2.0, 1.0]])
    masks, valid = small_orders(cost, np.zeros((2, 2)), np.array([[0, 1], [0, 1]]))
    assert masks.tolist() == [[1, 2, 3], [2, 1, 3]] and valid.tolist() == [3, 3]
