"""The event monitor behind ``--db``: one ``Monitor`` owned by one thread (SQLite connections stay on
the thread that opened them), so events are applied one batch at a time, in the order they came."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from ..events import Monitor

T = TypeVar("T")
MAX_EVENTS = 100_000  # events in one request


class EventDesk:
    def __init__(self, db: str, rules: tuple[str, ...], pack: str | None):
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="riskgrade-events")
        self.monitor: Monitor = self._pool.submit(self._open, db, rules, pack).result()

    @staticmethod
    def _open(db: str, rules: tuple[str, ...], pack: str | None) -> Monitor:
        return Monitor(db, rules[0], pack=pack) if len(rules) == 1 else _open_among(db, rules, pack)

    async def run(self, fn: Callable[[Monitor], T]) -> T:
        """Run ``fn(monitor)`` on the monitor's thread without blocking the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, fn, self.monitor)

    def close(self) -> None:
        try:
            self._pool.submit(self.monitor.close).result()
        finally:
            self._pool.shutdown(wait=True)


def _open_among(db: str, rules: tuple[str, ...], pack: str | None) -> Monitor:
    """Several rules folders: the first one that holds a pack with a lifecycle section."""
    from ..errors import OptionError

    last: Exception | None = None
    for r in rules:
        try:
            return Monitor(db, r, pack=pack)
        except OptionError as exc:
            last = exc
    raise last or OptionError("no rules")


def parse_events(body: bytes, media_type: str) -> list[Any]:
    """A JSON list of events, or JSON Lines (one event per line, blank lines skipped). Lines that are not
    JSON are passed on as text: the monitor rejects them with a reason, like any malformed event."""
    text = body.decode("utf-8-sig")
    if media_type == "application/json" or text.lstrip().startswith("["):
        items = json.loads(text)
        if not isinstance(items, list):
            raise ValueError("expected a JSON list of events (or JSON Lines)")
        return items
    return [line for line in text.splitlines() if line.strip()]
