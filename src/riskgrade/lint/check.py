"""``check``: load, validate, compile, lint and test packs, collecting every finding (never stopping
at the first), each with its message in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from ..compiler import compile_pack
from ..compiler.program import Program
from ..errors import PackError
from ..source.pack_source import PackSource, read_pack
from ..packtest import PackTestReport, run_pack_tests
from .findings import Finding, from_diagnostic, sort_findings
from .runner import lint_pack


@dataclass
class PackCheck:
    """One pack file checked: its findings, and (when it compiled) its program and test report."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    source: PackSource | None = None
    program: Program | None = None
    tests: PackTestReport | None = None


def check_pack(path: str | PathLike[str], *, run_tests: bool = True) -> PackCheck:
    """Every finding for one pack file: schema, expressions, semantics, lints and (optionally) tests."""
    out = PackCheck(str(path))
    try:
        out.source = read_pack(path)
    except PackError as exc:
        out.findings = [from_diagnostic(d) for d in exc.diagnostics]
        return out
    try:
        out.program = compile_pack(out.source)
    except PackError as exc:
        out.findings += [from_diagnostic(d) for d in exc.diagnostics]
    out.findings += lint_pack(out.source, out.program)
    if run_tests and out.program is not None:
        out.tests = run_pack_tests(out.source, out.program)
        out.findings += [from_diagnostic(d) for d in out.tests.diagnostics]
    out.findings = sort_findings(out.findings)
    return out


def check_files(files: list[Path], *, run_tests: bool = True) -> list[PackCheck]:
    """``check_pack`` for every file (see ``api.pack_files`` to expand folders)."""
    return [check_pack(f, run_tests=run_tests) for f in files]
