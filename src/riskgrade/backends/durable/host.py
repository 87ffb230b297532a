"""A private, synchronous durable_rules host that cannot reach the engine's known crash patterns.

durable_rules 2.0.28 (see the project notes) runs actions on background threads, segfaults past
1024 live session ids, corrupts its timer index on ``delete_state``, overflows a heap buffer on
non-equality cross-fact comparisons inside ``$and``, identifies facts by a 32-bit FNV-1a hash, and
swallows exceptions raised in actions. ``DurableHost`` is the only door to the engine:

* its ``SyncHost`` overrides ``_run``, so no background thread is ever started and every action
  runs inside the call that triggered it, in the caller's thread;
* one lock is held around every engine call;
* the session ids are a fixed set of at most ``MAX_SIDS`` chosen at construction, never deleted
  (``delete_state`` raises);
* every ruleset is checked by ``rulesets.check_definition`` before it is registered;
* an exception in an action is re-raised to the caller as ``EngineError``.
"""

from __future__ import annotations

import copy
import importlib
import sys
import threading
from typing import Any, Callable, Iterable

from ...errors import EngineError

MAX_SIDS = 16
ENGINE_VERSION = "2.0.28"


def load_engine() -> Any:
    """Import durable_rules' engine module, or explain why it cannot be used here."""
    try:
        engine = importlib.import_module("durable.engine")
    except ImportError as exc:  # 3.13: undefined symbol PyEval_CallObject in the C extension
        version = ".".join(map(str, sys.version_info[:3]))
        raise EngineError(
            f"the durable engine needs durable-rules {ENGINE_VERSION}, which cannot be imported on "
            f"Python {version} ({exc}). It builds and runs on Python 3.11 and 3.12; use the batch or "
            f"reference engine here.") from None
    return engine


def fnv1a32(text: str) -> int:
    """The 32-bit FNV-1a hash durable_rules uses as a fact's identity (``f6059`` ≡ ``f264602``)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


class DurableHost:
    """One private engine host with registered rulesets, a lock, and a fixed set of session ids."""

    def __init__(self, rulesets: dict[str, dict[str, Any]], sids: Iterable[str] = ("0",)):
        from .rulesets import check_definition

        engine = load_engine()
        self._engine = engine
        self.sids = tuple(dict.fromkeys(sids))
        if not 1 <= len(self.sids) <= MAX_SIDS:
            raise EngineError(f"a durable host uses 1 to {MAX_SIDS} session ids, not {len(self.sids)}")
        self._lock = threading.RLock()
        self._errors: list[str] = []
        for name, definition in rulesets.items():
            check_definition(name, definition)
        self._host = _sync_host_class(engine)()
        wrapped = {name: {rule: self._wrap(spec) for rule, spec in definition.items()}
                   for name, definition in rulesets.items()}
        with self._lock:
            try:
                self._host.register_rulesets(wrapped)
            except Exception as exc:  # the engine's bare exceptions
                raise EngineError(f"durable_rules refused the rulesets: {exc}") from None
        self.rulesets = tuple(rulesets)

    def _wrap(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A copy of one rule whose action records any exception before durable swallows it."""
        out = {k: copy.deepcopy(v) for k, v in spec.items() if k != "run"}
        action: Callable[[Any], None] = spec["run"]
        errors = self._errors

        def run(c: Any) -> None:  # exactly one parameter: two would make durable treat it as async
            try:
                action(c)
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                raise
        out["run"] = run
        return out

    def _check_sid(self, sid: str) -> None:
        if sid not in self.sids:
            raise EngineError(f"session id {sid!r} is not one of this host's fixed sids {self.sids}")

    def assert_fact(self, ruleset: str, sid: str, fact: dict[str, Any]) -> bool:
        """Assert a fact; False when no rule pattern took it (it is then not stored).

        Raises ``IdCollision`` when the engine takes the fact's id for one it holds already.
        """
        self._check_sid(sid)
        engine = self._engine
        with self._lock:
            try:
                state = self._host.assert_fact(ruleset, dict(fact, sid=sid))
            except engine.MessageNotHandledException:
                self._raise_action_errors(ruleset, sid, None)
                return False
            except engine.MessageObservedException:
                raise IdCollision(fact.get("id")) from None
            except EngineError:
                raise
            except Exception as exc:
                raise EngineError(f"durable_rules failed on a fact of ruleset '{ruleset}': {exc}") from None
            self._raise_action_errors(ruleset, sid, state)
            return True

    def assert_facts(self, ruleset: str, sid: str, facts: list[dict[str, Any]]) -> None:
        """Assert several facts in one engine call. Only for facts that fire nothing on their own
        (each is one side of a join): a batch with a fact no pattern takes is refused as a whole."""
        self._check_sid(sid)
        engine = self._engine
        with self._lock:
            try:
                state = self._host.assert_facts(ruleset, [dict(f, sid=sid) for f in facts])
            except engine.MessageObservedException:
                raise IdCollision([f.get("id") for f in facts]) from None
            except Exception as exc:
                raise EngineError(f"durable_rules failed on a batch of ruleset '{ruleset}': {exc}") from None
            self._raise_action_errors(ruleset, sid, state)

    def retract_fact(self, ruleset: str, sid: str, fact_id: str) -> None:
        """Retract a fact by id (a no-op when the engine holds no such fact)."""
        self._check_sid(sid)
        with self._lock:
            try:
                state = self._host.retract_fact(ruleset, {"id": fact_id, "sid": sid})
            except self._engine.MessageNotHandledException:
                state = None
            except Exception as exc:
                raise EngineError(f"durable_rules failed to retract {fact_id!r}: {exc}") from None
            self._raise_action_errors(ruleset, sid, state)

    def facts(self, ruleset: str, sid: str) -> list[dict[str, Any]]:
        """The facts the engine holds in one session (for tests and diagnostics)."""
        self._check_sid(sid)
        with self._lock:
            try:
                return list(self._host.get_facts(ruleset, sid))
            except Exception as exc:
                if "309" in str(exc):  # a session nothing was ever asserted into
                    return []
                raise EngineError(f"durable_rules could not list facts: {exc}") from None

    def delete_state(self, ruleset: str, sid: str) -> None:
        """Refused: ``delete_state`` corrupts the engine's index of the other sessions."""
        raise EngineError("delete_state is never issued: it breaks the engine's other sessions; "
                          "sessions are a fixed set and facts are retracted instead")

    def _raise_action_errors(self, ruleset: str, sid: str, state: Any) -> None:
        stored = state.get("exception") if isinstance(state, dict) else None
        if not self._errors and not stored:
            return
        message = "; ".join(self._errors) or str(stored)
        self._errors.clear()
        try:  # the exception key stays in the state document until the state is overwritten
            self._host.update_state(ruleset, {"sid": sid})
        except Exception:
            pass
        raise EngineError(f"an action of ruleset '{ruleset}' failed: {message}")


class IdCollision(EngineError):
    """The engine took a new fact id for one it holds (32-bit hash identity)."""

    def __init__(self, fact_id: Any):
        self.fact_id = fact_id
        super().__init__(f"durable_rules reports fact id {fact_id!r} as already observed")


def _sync_host_class(engine: Any) -> type:
    class SyncHost(engine.Host):
        """No background dispatch or pulse threads: actions run inside the caller's call."""

        def _run(self) -> None:
            pass

        def delete_state(self, *args: Any, **kwargs: Any) -> None:
            raise EngineError("delete_state is refused by this host")

    return SyncHost


__all__ = ["MAX_SIDS", "DurableHost", "IdCollision", "fnv1a32", "load_engine"]
