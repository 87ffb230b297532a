"""What one running service holds: its settings, the packs, the last graded registry, the event desk,
its private folder, and the rules for running work off the event loop within time and capacity."""

from __future__ import annotations

import asyncio
import hmac
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from .events import EventDesk
from .packs import PackStore
from .problems import Problem
from .registry import RegistryHolder
from .settings import TOKEN_VARIABLE, ServeSettings
from .uploads import Workdir

T = TypeVar("T")


class Service:
    def __init__(self, settings: ServeSettings):
        settings.check()
        self.settings = settings
        self.packs = PackStore(settings.rules, settings.pack_tests)
        self.registry = RegistryHolder()
        self.workdir = Workdir()
        self.events = EventDesk(settings.db, settings.rules, settings.event_pack) if settings.db else None
        self._heavy_pool = ThreadPoolExecutor(settings.heavy_jobs, thread_name_prefix="riskgrade-heavy")
        self._heavy = asyncio.Semaphore(settings.heavy_jobs)

    async def light(self, fn: Callable[..., T], *args: Any, inline: bool = False) -> T:
        """Short CPU work (one entity) on the shared thread pool: the event loop stays free.

        ``inline`` runs it on the event loop instead, for work known to be tiny (one small entity,
        about a millisecond at most): the hop to a thread and back cost 115 µs of CPU per request, a
        fifth of the whole, and buys nothing there, since pure-Python grading holds the GIL anyway."""
        if inline:
            return fn(*args)
        return await run_in_threadpool(fn, *args)

    async def heavy(self, fn: Callable[[], T]) -> T:
        """Long work (a registry, a diff, a reload), ``heavy_jobs`` at a time; 503 when the service is
        busy for longer than the timeout or the work itself takes longer (its result is then dropped)."""
        timeout = self.settings.timeout
        try:
            await asyncio.wait_for(self._heavy.acquire(), timeout)
        except asyncio.TimeoutError:
            raise Problem(503, "RG706", "the service is busy with other gradings; try again shortly",
                          headers={"Retry-After": "10"}) from None
        future = asyncio.get_running_loop().run_in_executor(self._heavy_pool, fn)
        future.add_done_callback(lambda _: self._heavy.release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except asyncio.TimeoutError:
            raise Problem(503, "RG706", f"the work took longer than {timeout:g} s; send less at once") from None

    async def within_time(self, awaitable: Any, what: str = "the request body") -> Any:
        """Receiving a body is bounded in time too: a client cannot hold a request open forever."""
        limit = self.settings.read_timeout
        try:
            return await asyncio.wait_for(awaitable, limit)
        except asyncio.TimeoutError:
            raise Problem(408, "RG706", f"{what} did not arrive within {limit:g} s") from None

    def require_token(self, request: Request) -> None:
        """Writes need ``Authorization: Bearer <RISKGRADE_TOKEN>``."""
        if self.settings.writes_open:
            return
        token = self.settings.token
        if not token:
            raise Problem(403, "RG703", f"writes are disabled: start the service with {TOKEN_VARIABLE} set",
                          title="Writes are disabled")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise Problem(401, "RG703", "missing or wrong bearer token (Authorization: Bearer …)",
                          headers={"WWW-Authenticate": 'Bearer realm="riskgrade"'})

    def close(self) -> None:
        if self.events is not None:
            self.events.close()
        self._heavy_pool.shutdown(wait=False, cancel_futures=True)
        self.workdir.close()
