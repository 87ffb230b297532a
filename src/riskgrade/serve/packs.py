"""The packs a service grades with: loaded once at start, replaced whole by a reload that passes."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..api import pack_files
from ..compiler import Program
from ..errors import OptionError, PackError
from ..lint.check import check_files


@dataclass(frozen=True)
class PackSet:
    """One loaded generation of packs, never changed once made."""

    programs: dict[str, Program]
    loaded_at: dt.datetime
    generation: int
    warnings: list[dict[str, Any]] = field(default_factory=list)


def check_and_load(paths: Sequence[str], generation: int = 1, run_tests: bool = True) -> PackSet:
    """Every pack under ``paths``, after the same checks as ``riskgrade check`` (schema, expressions,
    lints and, with ``run_tests``, the packs' own tests). Raises PackError listing every error."""
    files = pack_files(*paths)
    missing = [str(f) for f in files if not f.exists()]
    if missing or not files:
        raise OptionError(f"no rule packs at {', '.join(missing or paths)}")
    checks = check_files(files, run_tests=run_tests)
    errors = [f.diagnostic for c in checks for f in c.findings if f.severity == "error"]
    if errors:
        raise PackError(errors)
    programs = [c.program for c in checks if c.program is not None]
    ids = [p.pack_id for p in programs]
    if len(set(ids)) != len(ids):
        raise OptionError(f"two packs share an id: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
    warnings = [f.diagnostic.to_dict() for c in checks for f in c.findings if f.severity != "error"]
    return PackSet({p.pack_id: p for p in programs}, dt.datetime.now(dt.timezone.utc), generation, warnings)


class PackStore:
    """The current PackSet. Readers take ``current`` once per request and keep it for the whole
    request, so a reload in the middle never mixes two generations."""

    def __init__(self, paths: Sequence[str], run_tests: bool = True):
        self.paths = tuple(paths)
        self.run_tests = run_tests
        self._lock = threading.Lock()
        self.current = check_and_load(self.paths, run_tests=run_tests)

    def reload(self) -> PackSet:
        """Re-read the packs; on any error the old ones keep serving and the error is raised."""
        with self._lock:
            fresh = check_and_load(self.paths, self.current.generation + 1, self.run_tests)
            self.current = fresh  # one reference swap: atomic for every reader
            return fresh
