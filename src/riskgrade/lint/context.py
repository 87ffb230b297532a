"""What every lint reads: the validated pack with its source map, and the compiled program if any."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..compiler.program import Program
from ..source.pack_source import PackSource
from ..model import Pack
from .findings import Finding, lint_finding


@dataclass
class LintContext:
    """A pack under lint. ``program`` is None when the pack did not compile: lints that need typed
    expressions then stay silent (the compiler's errors say what to fix first)."""

    src: PackSource
    program: Program | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def pack(self) -> Pack:
        return self.src.pack

    def report(self, code: str, pointer: str, *, key: bool = False, rule_id: str = "", **params: object) -> None:
        """Record finding ``code`` at the YAML position of ``pointer`` (of its key with ``key=True``)."""
        location = self.src.source.locate(pointer, key=key, rule_id=rule_id)
        self.findings.append(lint_finding(code, location, **params))


def fmt(x: float) -> str:
    """A bound as a panel writes it: 60, not 60.0; open ends as -inf/inf."""
    return f"{x:g}"
