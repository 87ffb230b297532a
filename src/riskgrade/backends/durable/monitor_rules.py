"""The lifecycle rulesets: hazard deadlines, rectification, follow-ups, accident and trigger-window
expiry, as durable_rules facts and rules driven by tick facts (simulated or real time, never the
engine's wall-clock timers).

Every timed item is a fact ``{_kind, key, deadline}``; ``key`` is an integer the caller assigns, so
the engine never compares a user's hazard id (a string it would compare by a 32-bit hash). Engine
fact ids are allocated here, checked against the FNV-1a hashes of the ids live in the same session
so two facts can never share an identity; ``MessageObservedException`` is still caught as a
collision and the fact is re-asserted under a fresh id. Facts live in ``SHARDS`` fixed sessions
that are never deleted.

A tick ``{id: tick, now}`` is asserted into a session and retracted at once. Each timed rule is
``[item, tick]`` with the tick pattern a single comparison ``now >= item.deadline`` and no ``$and``
(the form that is safe on the stock build); the item's action retracts it, so it fires once. The
closing rules (``rectified``, ``follow_up_done``) join on ``key``; their orphans (``none``) catch a
closing fact whose item has already fallen due.

**Staging.** The engine evaluates a tick against every item in the session (a non-equality join
has no index), and each stored fact costs ~8 KB. So an item waits in a deadline-ordered stage and
enters the engine when it can match something: at the first tick at or past its deadline (with
the other items due by then, in one batch), or alone when its closing fact arrives. The engine
still makes every decision; it just never holds the thousands of items that cannot fire yet, so a
tick costs what is due, not what is open.

Actions only record what happened; the caller sorts and applies it, so the order the engine fires
in never shows in the results.
"""

from __future__ import annotations

import heapq
from typing import Any

from ...errors import EngineError
from .host import DurableHost, IdCollision, fnv1a32
from .rulesets import KIND

RULESET = "lifecycle"
SHARDS = 4
SIDS = tuple(f"s{i}" for i in range(SHARDS))
TIMED = ("hazard", "followup", "accident", "window")  # kinds that fall due on a tick
_RESERVED = {fnv1a32("tick")} | {fnv1a32(f"sid-{sid}") for sid in SIDS}
_CLOSING = {"hazard": "rectified", "followup": "followup_done"}


class LifecycleEngine:
    """Open lifecycle items on a private durable host. One Monitor drives it (the host's lock
    serialises engine calls; the stage itself is not meant for concurrent callers)."""

    def __init__(self) -> None:
        self.fired: list[tuple[str, int, int]] = []  # (what, key, now or 0) recorded by actions
        self._staged: dict[int, dict[str, Any]] = {}  # key -> item not yet in the engine
        self._stage: list[tuple[int, int]] = []  # (deadline, key) heap over _staged (stale entries skipped)
        self._live: dict[int, tuple[str, str]] = {}  # key -> (sid, engine fact id) of items in the engine
        self._hashes: dict[str, dict[int, str]] = {sid: {} for sid in SIDS}  # sid -> hash -> live fact id
        self._next = 0
        self.host = DurableHost({RULESET: self._rules()}, sids=SIDS)

    # --- the rules -------------------------------------------------------------------------------------
    def _rules(self) -> dict[str, Any]:
        rules: dict[str, Any] = {}
        for kind in TIMED:
            rules[f"{kind}_due"] = {"all": [{"i": {KIND: kind}}, {"t": {"$gte": {"now": {"i": "deadline"}}}}],
                                    "run": self._due(kind)}
        rules["rectified"] = self._pair("hazard", "rectified")
        rules["rectified_late"] = self._orphan("hazard", "rectified_late")
        rules["follow_up_done"] = self._pair("followup", "follow_up_done")
        rules["follow_up_unknown"] = self._orphan("followup", "follow_up_unknown")
        return rules

    def _due(self, kind: str) -> Any:
        def action(c: Any) -> None:
            item = c.i._d
            self._forget(item["key"])
            c.retract_fact(c.i)
            self.fired.append((f"{kind}_due", item["key"], c.t.now))
        return action

    def _pair(self, kind: str, what: str) -> dict[str, Any]:
        def action(c: Any) -> None:
            item, close = c.i._d, c.c._d
            if item["key"] != close["key"]:  # the join hashes values; never trust it on its own
                return
            self._forget_id(c.s.sid, close["id"])
            c.retract_fact(c.c)  # the closing fact first, so the orphan rule cannot see it alone
            self._forget(item["key"])
            c.retract_fact(c.i)
            self.fired.append((what, item["key"], 0))
        return {"all": [{"i": {KIND: kind}}, {"c": {"$and": [{KIND: _CLOSING[kind]}, {"key": {"i": "key"}}]}}],
                "run": action}

    def _orphan(self, kind: str, what: str) -> dict[str, Any]:
        def action(c: Any) -> None:
            close = c.c._d
            self._forget_id(c.s.sid, close["id"])
            c.retract_fact(c.c)
            self.fired.append((what, close["key"], 0))
        return {"all": [{"c": {KIND: _CLOSING[kind]}},
                        {"m_1$not": {"$and": [{KIND: kind}, {"key": {"c": "key"}}]}}], "run": action}

    # --- fact ids ------------------------------------------------------------------------------------------
    def _allocate(self, sid: str) -> str:
        taken = self._hashes[sid]
        while True:
            self._next += 1
            fact_id = f"k{self._next}"
            h = fnv1a32(fact_id)
            if h not in taken and h not in _RESERVED:
                taken[h] = fact_id
                return fact_id

    def _forget(self, key: int) -> None:
        entry = self._live.pop(key, None)
        if entry is not None:
            self._forget_id(*entry)

    def _forget_id(self, sid: str, fact_id: str) -> None:
        self._hashes[sid].pop(fnv1a32(fact_id), None)

    def _enter(self, items: list[dict[str, Any]]) -> set[str]:
        """Assert staged items into their sessions (one call per session); the sessions touched."""
        by_sid: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            sid = SIDS[item["key"] % SHARDS]
            fact_id = self._allocate(sid)
            self._live[item["key"]] = (sid, fact_id)
            by_sid.setdefault(sid, []).append(dict(item, id=fact_id))
        for sid, facts in by_sid.items():
            if len(facts) == 1:
                self._assert_one(sid, facts[0], facts[0]["key"])
            else:  # items fire nothing on their own: a batch is safe (see DurableHost.assert_facts)
                self.host.assert_facts(RULESET, sid, facts)
        return set(by_sid)

    def _assert_one(self, sid: str, fact: dict[str, Any], key: int | None) -> None:
        for _ in range(3):
            try:
                self.host.assert_fact(RULESET, sid, fact)
                return
            except IdCollision:  # not expected (ids are checked); keep that id reserved, take another
                fact = dict(fact, id=self._allocate(sid))
                if key is not None:
                    self._live[key] = (sid, fact["id"])
        raise EngineError(f"three fresh fact ids were refused in session {sid}")

    # --- operations ------------------------------------------------------------------------------------------
    def is_live(self, key: int) -> bool:
        return key in self._staged or key in self._live

    def open_item(self, kind: str, key: int, deadline: int) -> None:
        """Start a timed item (hazard, follow-up, accident, window) that falls due at ``deadline``."""
        if kind not in TIMED:
            raise EngineError(f"unknown lifecycle item kind {kind!r}")
        if self.is_live(key):
            raise EngineError(f"lifecycle item {key} is already open")
        self._staged[key] = {KIND: kind, "key": key, "deadline": deadline}
        heapq.heappush(self._stage, (deadline, key))

    def close(self, kind: str, key: int) -> None:
        """Close an item by its pair rule (``rectified`` for a hazard, ``followup_done`` for a
        follow-up); an item that has already fallen due is reported by the orphan rule instead."""
        item = self._staged.pop(key, None)
        if item is not None:
            self._enter([item])  # only this item can meet the closing fact
        sid = self._live[key][0] if key in self._live else SIDS[key % SHARDS]
        fact = {KIND: _CLOSING[kind], "key": key}
        self._assert_one(sid, dict(fact, id=self._allocate(sid)), None)

    def drop(self, key: int) -> None:
        """Withdraw an open item without firing anything (a consumed trigger window)."""
        if self._staged.pop(key, None) is not None:
            return
        entry = self._live.pop(key, None)
        if entry is not None:
            self._forget_id(*entry)
            self.host.retract_fact(RULESET, entry[0], entry[1])

    def tick(self, now: int) -> None:
        """Every item whose deadline is <= now falls due (once)."""
        due = []
        while self._stage and self._stage[0][0] <= now:
            _, key = heapq.heappop(self._stage)
            item = self._staged.pop(key, None)
            if item is not None:
                due.append(item)
        sids = self._enter(due) | {sid for sid, _ in self._live.values()}
        for sid in sorted(sids):
            self.host.assert_fact(RULESET, sid, {"id": "tick", "now": now})
            self.host.retract_fact(RULESET, sid, "tick")

    def take(self) -> list[tuple[str, int, int]]:
        """What the actions recorded since the last call, and clear it."""
        out, self.fired = self.fired, []
        return out

    def open_count(self) -> int:
        """Items open: staged or in the engine."""
        return len(self._staged) + len(self._live)

    def facts(self, sid: str) -> list[dict[str, Any]]:
        """The facts the engine holds in one session (staged items are not in it yet)."""
        return self.host.facts(RULESET, sid)


__all__ = ["RULESET", "SHARDS", "SIDS", "LifecycleEngine"]
