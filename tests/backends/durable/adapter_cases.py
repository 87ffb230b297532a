"""The adapter against the engine's crash patterns (notes S1-S9). Run by ``test_adapter_safety.py``
in a child process under ``python -X faulthandler``: a segfault there is a failed test, with a trace.

Each case shows the adapter either refuses the pattern before the engine sees it, or its design
never issues it — and that what it does issue works.
"""

from __future__ import annotations

import sys
import threading

import pytest

from riskgrade.backends.durable import DurableHost, IdCollision, fnv1a32, load_engine
from riskgrade.backends.durable.host import MAX_SIDS
from riskgrade.backends.durable.monitor_rules import RULESET, SHARDS, SIDS, LifecycleEngine
from riskgrade.errors import EngineError

KIND = {"_kind": "x"}


def noop(c):
    pass


def test_more_than_1024_sessions_are_never_opened():
    # 3,000 entities, each with an open hazard: whatever enters the engine lands in the fixed sessions
    engine = LifecycleEngine()
    for key in range(1, 3001):
        engine.open_item("hazard", key, 1000 + key)
    for key in range(2001, 3001):  # rectified: each enters the engine alone and leaves with its pair
        engine.close("hazard", key)
    assert len(engine.take()) == 1000
    engine.tick(2500)  # the 1,500 due enter in one batch per session and fall due at once
    assert len(engine.take()) == 1500 and engine.open_count() == 500
    assert sum(len(engine.facts(sid)) for sid in SIDS) == 0  # the rest wait outside, not as facts
    with pytest.raises(EngineError, match="not one of this host's fixed sids"):
        engine.host.assert_fact(RULESET, "entity-1025", {"_kind": "hazard", "key": 1, "deadline": 1})
    with pytest.raises(EngineError, match="1 to 16 session ids"):
        DurableHost({"r": {"a": {"all": [{"m": KIND}], "run": noop}}}, sids=[str(i) for i in range(MAX_SIDS + 1)])


def test_delete_state_is_refused_at_both_doors():
    host = DurableHost({"r": {"a": {"all": [{"m": KIND}], "run": noop}}})
    with pytest.raises(EngineError, match="delete_state"):
        host.delete_state("r", "0")
    with pytest.raises(EngineError, match="delete_state"):
        host._host.delete_state("r", "0")  # the engine host underneath refuses it too


@pytest.mark.parametrize("pattern", [
    {"t": {"$and": [{"_kind": "tick"}, {"$gte": {"now": {"h": "deadline"}}}]}},  # the S1 heap overflow
    {"t": {"$and": [{"_kind": "tick"}, {"$or": [{"$lt": {"v": {"h": "v"}}}, {"x": 1}]}]}},
])
def test_non_equality_join_inside_and_is_refused_before_registration(pattern):
    rules = {"r": {"bad": {"all": [{"h": {"_kind": "hazard"}}, pattern], "run": noop}}}
    with pytest.raises(EngineError, match="non-equality comparison with another fact inside"):
        DurableHost(rules)


@pytest.mark.parametrize("condition,message", [
    ({"$ex": {"id": 1}}, "does not test '_kind'"),  # +m.id: re-fires on every state write-back (S5)
    ({"$nex": {"x": 1}}, "does not test '_kind'"),
    ({"$and": [KIND, {"$gt": {"a": {"$div": {"$l": {"$m": "b"}, "$r": 0}}}}]}, "division"),
])
def test_loose_and_fatal_patterns_are_refused(condition, message):
    with pytest.raises(EngineError, match=message):
        DurableHost({"r": {"bad": {"all": [{"m": condition}], "run": noop}}})


def test_negative_priority_and_when_any_are_refused():
    with pytest.raises(EngineError, match="pri must be"):
        DurableHost({"r": {"a": {"all": [{"m": KIND}], "pri": -1, "run": noop}}})
    with pytest.raises(EngineError, match="unsupported keys"):
        DurableHost({"r": {"a": {"any": [{"m": KIND}], "run": noop}}})


def test_the_safe_tick_join_runs():
    fired = []
    rules = {"r": {"due": {"all": [{"h": {"_kind": "hazard"}}, {"t": {"$gte": {"now": {"h": "deadline"}}}}],
                           "run": lambda c: fired.append(c.h.deadline)}}}
    host = DurableHost(rules)
    for i in range(200):
        host.assert_fact("r", "0", {"id": f"h{i}", "_kind": "hazard", "deadline": i})
    host.assert_fact("r", "0", {"id": "tick", "now": 99})
    assert sorted(fired) == list(range(100))


def test_fnv_collision_pair_is_real_and_the_allocator_steps_around_it():
    assert fnv1a32("f6059") == fnv1a32("f264602")
    host = DurableHost({"r": {"a": {"all": [{"m": KIND}], "run": noop}}})
    host.assert_fact("r", "0", {"id": "f6059", **KIND, "v": 1})
    with pytest.raises(IdCollision):  # the engine takes a distinct id for one it holds
        host.assert_fact("r", "0", {"id": "f264602", **KIND, "v": 2})
    # find a colliding pair among the ids the lifecycle engine allocates (k1, k2, …)
    seen: dict[int, int] = {}
    pair = None
    for n in range(1, 400_000):
        h = fnv1a32(f"k{n}")
        if h in seen:
            pair = (seen[h], n)
            break
        seen[h] = n
    assert pair is not None
    engine = LifecycleEngine()
    engine._next = pair[0] - 1
    engine._enter([{"_kind": "hazard", "key": SHARDS, "deadline": 10}])  # session s0, fact id k{a}
    engine._next = pair[1] - 1  # the next candidate, k{b}, collides with it in the same session
    engine._enter([{"_kind": "hazard", "key": 2 * SHARDS, "deadline": 20}])
    ids = sorted(f["id"] for f in engine.facts("s0"))
    assert f"k{pair[0]}" in ids and f"k{pair[1]}" not in ids and len(ids) == 2
    engine.tick(15)
    assert engine.take() == [("hazard_due", SHARDS, 15)] and engine.is_live(2 * SHARDS)
    assert engine.facts("s1") == []  # a session never used


def test_action_exceptions_reach_the_caller_and_the_state_is_reset():
    def boom(c):
        raise ValueError("bad data")
    host = DurableHost({"r": {"a": {"all": [{"m": KIND}], "run": boom}}})
    with pytest.raises(EngineError, match="ValueError: bad data"):
        host.assert_fact("r", "0", {"id": "1", **KIND})
    with pytest.raises(EngineError, match="bad data"):  # not a stale report: a fresh failure
        host.assert_fact("r", "0", {"id": "2", **KIND})


def test_no_background_threads_and_actions_run_inside_the_call():
    before = threading.active_count()
    calls = []
    hosts = [DurableHost({"r": {"a": {"all": [{"m": KIND}], "run": lambda c: calls.append(
        threading.current_thread())}}}) for _ in range(5)]
    for i, host in enumerate(hosts):
        host.assert_fact("r", "0", {"id": str(i), **KIND})
        assert len(calls) == i + 1  # done before assert_fact returned
    assert threading.active_count() == before and set(calls) == {threading.current_thread()}


def test_python_313_import_failure_is_an_engine_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "durable.engine", None)
    with pytest.raises(EngineError, match=r"cannot be imported on Python 3\.\d+"):
        load_engine()
