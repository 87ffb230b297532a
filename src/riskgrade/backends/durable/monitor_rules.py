"""The lifecycle rulesets: hazard deadlines, rectification, follow-ups, accident and trigger-window
expiry, as durable_rules facts and rules driven by tick facts (simulated or real time, never the
engine's wall-clock timers).

Every timed item is a fact ``{_kind, key, deadline}``; ``key`` is an integer the caller assigns, so
the engine never compares a user's hazard id (a string it would compare by a 32-bit hash). Engine
fact ids are allocated here, checked against the FNV-1a hashes of the ids live in the same session
so two facts can never share an identity; ``MessageObservedException`` is still caught as a
collision and the fact is re-asserted under a fresh id. Facts live in ``SHARDS`` fixed sessions
that are never deleted.

A tick ``{id: tick, now}`` is asserted into every session and retracted at once. Each timed rule is
``[item, tick]`` with the tick pattern a single comparison ``now >= item.deadline`` and no ``$and``
(the form that is safe on the stock build); the item's action retracts it, so it fires once.
Actions only record what happened; the caller sorts and applies it, so the order the engine fires
in never shows in the results.
"""

from __future__ import annotations

from typing import Any

from ...errors import EngineError
from .host import DurableHost, IdCollision, fnv1a32
from .rulesets import KIND

RULESET = "lifecycle"
SHARDS = 4
SIDS = tuple(f"s{i}" for i in range(SHARDS))
TIMED = ("hazard", "followup", "accident", "window")  # kinds that fall due on a tick
_RESERVED = {fnv1a32("tick")} | {fnv1a32(f"sid-{sid}") for sid in SIDS}


class LifecycleEngine:
    """Open lifecycle items on a private durable host. Not thread-safe beyond the host's lock:
    one Monitor drives it."""

    def __init__(self) -> None:
        self.fired: list[tuple[str, int, int]] = []  # (what, key, now or 0) recorded by actions
        self._live: dict[int, tuple[str, str]] = {}  # item key -> (sid, engine fact id)
        self._hashes: dict[str, dict[int, str]] = {sid: {} for sid in SIDS}  # sid -> hash -> fact id
        self._next = 0
        self._pending: dict[str, dict[int, dict[str, Any]]] = {sid: {} for sid in SIDS}  # not yet asserted
        self.host = DurableHost({RULESET: self._rules()}, sids=SIDS)

    # --- the rules -------------------------------------------------------------------------------------
    def _rules(self) -> dict[str, Any]:
        rules: dict[str, Any] = {}
        for kind in TIMED:
            rules[f"{kind}_due"] = {"all": [{"i": {KIND: kind}}, {"t": {"$gte": {"now": {"i": "deadline"}}}}],
                                    "run": self._due(kind)}
        rules["rectified"] = self._pair("hazard", "rectified", "rectified")
        rules["rectified_late"] = self._orphan("hazard", "rectified", "rectified_late")
        rules["follow_up_done"] = self._pair("followup", "followup_done", "follow_up_done")
        rules["follow_up_unknown"] = self._orphan("followup", "followup_done", "follow_up_unknown")
        return rules

    def _due(self, kind: str) -> Any:
        def action(c: Any) -> None:
            item = c.i._d
            self._forget(item["key"])
            c.retract_fact(c.i)
            self.fired.append((f"{kind}_due", item["key"], c.t.now))
        return action

    def _pair(self, kind: str, closing: str, what: str) -> dict[str, Any]:
        def action(c: Any) -> None:
            item, close = c.i._d, c.c._d
            if item["key"] != close["key"]:  # the join hashes values; never trust it on its own
                return
            self._forget_id(c.s.sid, close["id"])
            c.retract_fact(c.c)  # the closing fact first, so the orphan rule cannot see it alone
            self._forget(item["key"])
            c.retract_fact(c.i)
            self.fired.append((what, item["key"], 0))
            self._chain(c, close)
        return {"all": [{"i": {KIND: kind}}, {"c": {"$and": [{KIND: closing}, {"key": {"i": "key"}}]}}],
                "run": action}

    def _orphan(self, kind: str, closing: str, what: str) -> dict[str, Any]:
        def action(c: Any) -> None:
            close = c.c._d
            self._forget_id(c.s.sid, close["id"])
            c.retract_fact(c.c)
            self.fired.append((what, close["key"], 0))
            self._chain(c, close)
        return {"all": [{"c": {KIND: closing}}, {"m_1$not": {"$and": [{KIND: kind}, {"key": {"c": "key"}}]}}],
                "run": action}

    def _chain(self, c: Any, close: dict[str, Any]) -> None:
        """Forward chaining: a rectification that carries a follow-up asserts it in the same call."""
        follow = close.get("follow_key")
        if follow is not None:
            sid = c.s.sid
            fact_id = close["follow_id"]
            self._remember(follow, sid, fact_id)
            c.assert_fact({"id": fact_id, KIND: "followup", "key": follow, "deadline": close["follow_due"]})

    # --- fact ids ------------------------------------------------------------------------------------------
    def _allocate(self, sid: str) -> str:
        taken = self._hashes[sid]
        while True:
            self._next += 1
            fact_id = f"k{self._next}"
            h = fnv1a32(fact_id)
            if h not in taken and h not in _RESERVED:
                return fact_id

    def _remember(self, key: int, sid: str, fact_id: str) -> None:
        self._live[key] = (sid, fact_id)
        self._hashes[sid][fnv1a32(fact_id)] = fact_id

    def _forget(self, key: int) -> None:
        entry = self._live.pop(key, None)
        if entry is not None:
            self._forget_id(*entry)

    def _forget_id(self, sid: str, fact_id: str) -> None:
        self._hashes[sid].pop(fnv1a32(fact_id), None)

    def _assert(self, sid: str, fact: dict[str, Any], key: int | None) -> None:
        for _ in range(3):
            fact_id = self._allocate(sid)
            if key is not None:
                self._remember(key, sid, fact_id)
            else:
                self._hashes[sid][fnv1a32(fact_id)] = fact_id
            try:
                self.host.assert_fact(RULESET, sid, dict(fact, id=fact_id))
                return
            except IdCollision:  # not expected (ids are checked); keep the id reserved, take another
                if key is not None:
                    self._live.pop(key, None)
        raise EngineError(f"three fresh fact ids were refused in session {sid}")

    # --- operations ------------------------------------------------------------------------------------------
    def is_live(self, key: int) -> bool:
        return key in self._live

    def open_item(self, kind: str, key: int, deadline: int) -> None:
        """Start a timed item (hazard, follow-up, accident, window) that falls due at ``deadline``.

        An item fires nothing until a tick or its closing fact arrives, so it is asserted lazily,
        with the other items opened since, in one engine call before the next operation that could
        match it (``tick``, ``close``, ``drop``): the result is the same, the cost far lower."""
        if kind not in TIMED:
            raise EngineError(f"unknown lifecycle item kind {kind!r}")
        if key in self._live:
            raise EngineError(f"lifecycle item {key} is already open")
        sid = SIDS[key % SHARDS]
        fact_id = self._allocate(sid)
        self._remember(key, sid, fact_id)
        self._pending[sid][key] = {"id": fact_id, KIND: kind, "key": key, "deadline": deadline}

    def _flush(self) -> None:
        for sid, pending in self._pending.items():
            if pending:
                facts = list(pending.values())
                pending.clear()
                self.host.assert_facts(RULESET, sid, facts)

    def close(self, kind: str, key: int, follow: tuple[int, int] | None = None) -> None:
        """Close an item by its pair rule (``rectified`` for a hazard, ``followup_done`` for a
        follow-up); ``follow`` = (key, due) chains a follow-up item in the same call."""
        closing = {"hazard": "rectified", "followup": "followup_done"}[kind]
        sid = self._live[key][0] if key in self._live else SIDS[key % SHARDS]
        item = self._pending[sid].pop(key, None)
        if item is not None:  # only this item can meet the closing fact: assert it alone
            self.host.assert_fact(RULESET, sid, item)
        fact: dict[str, Any] = {KIND: closing, "key": key}
        if follow is not None:
            fact.update(follow_key=follow[0], follow_due=follow[1], follow_id=self._allocate(sid))
        self._assert(sid, fact, None)

    def drop(self, key: int) -> None:
        """Retract an open item without firing anything (a consumed trigger window)."""
        entry = self._live.pop(key, None)
        if entry is not None:
            self._forget_id(*entry)
            if self._pending[entry[0]].pop(key, None) is None:  # never asserted: nothing to retract
                self.host.retract_fact(RULESET, entry[0], entry[1])

    def tick(self, now: int) -> None:
        """Every item whose deadline is <= now falls due (once)."""
        self._flush()
        for sid in SIDS:
            self.host.assert_fact(RULESET, sid, {"id": "tick", "now": now})
            self.host.retract_fact(RULESET, sid, "tick")

    def take(self) -> list[tuple[str, int, int]]:
        """What the actions recorded since the last call, and clear it."""
        out, self.fired = self.fired, []
        return out

    def open_count(self) -> int:
        return len(self._live)

    def facts(self, sid: str) -> list[dict[str, Any]]:
        """The facts the engine holds in one session (pending items asserted first)."""
        self._flush()
        return self.host.facts(RULESET, sid)


__all__ = ["LifecycleEngine", "RULESET", "SHARDS", "SIDS"]
