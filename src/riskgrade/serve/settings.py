"""How the service is run: the packs it serves, the event database, limits and the write token."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import OptionError

TOKEN_VARIABLE = "RISKGRADE_TOKEN"
MIB = 1024 * 1024


@dataclass(frozen=True)
class ServeSettings:
    """Everything ``create_app`` needs. ``token`` defaults to the ``RISKGRADE_TOKEN`` variable.

    ``max_body``: the largest request body in bytes (a bigger one gets 413 before it is read);
    ``timeout``: seconds a request's work may take (then 503);
    ``read_timeout``: seconds a client has to send its request body (then 408);
    ``heavy_jobs``: batch gradings, diffs and reloads run at once (the rest wait their turn);
    ``pack_tests``: run the packs' own tests when they are loaded and reloaded, as ``riskgrade check`` does.
    """

    rules: tuple[str, ...]
    db: str | None = None
    event_pack: str | None = None
    token: str | None = field(default_factory=lambda: os.environ.get(TOKEN_VARIABLE) or None)
    insecure_no_auth: bool = False
    max_body: int = 64 * MIB
    timeout: float = 120.0
    read_timeout: float = 60.0
    heavy_jobs: int = 1
    cors_origins: tuple[str, ...] = ()
    max_json_records: int = 200_000
    pack_tests: bool = True

    def check(self) -> None:
        """Refuse settings that would serve writes to anyone: ``db`` without a token."""
        if self.db is not None and not self.token and not self.insecure_no_auth:
            raise OptionError(f"--db accepts events over HTTP, so it needs a bearer token: set {TOKEN_VARIABLE} "
                              "(or pass --insecure-no-auth on a machine only you can reach)")
        if self.max_body < 1024:
            raise OptionError(f"--max-body must be at least 1024 bytes, got {self.max_body}")
        if self.timeout <= 0 or self.read_timeout <= 0:
            raise OptionError("--timeout and --read-timeout must be positive, "
                              f"got {self.timeout} and {self.read_timeout}")

    @property
    def writes_open(self) -> bool:
        """Writes need no token (only with ``insecure_no_auth`` and no token set)."""
        return self.insecure_no_auth and not self.token
