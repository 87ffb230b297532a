"""The exception tree and the located diagnostics every error carries.

::

    RiskgradeError                      root of everything riskgrade raises
    ├── PackError (ValueError)          a rule pack cannot be loaded or compiled;
    │                                   ``.diagnostics`` holds every problem found, sorted by location
    ├── InputError (ValueError)         an entity file or object cannot be read at all
    │   │                               (a bad *row* is never an exception: it is a RowReject)
    │   ├── MappingError                a registry mapping file is invalid; ``.problems`` located
    │   │                               at file:line:col
    │   └── ColumnsError                ``strict``: the input has unknown columns or lacks fields the
    │                                   packs need; ``.report`` says which (exit code 1: a finding)
    ├── OptionError (ValueError)        a grading option is invalid (unknown parameter, bad date)
    ├── OutputError (OSError)           a result cannot be written
    └── EngineError (RuntimeError)      an engine could not run (e.g. durable_rules unavailable)

Diagnostic codes are stable: ``RG1xx`` YAML and schema, ``RG2xx`` expressions, ``RG3xx`` pack
semantics (bands, levels, references, cycles), ``RG4xx`` entity data, ``RG5xx`` pack tests,
``RG6xx`` lints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """Where something is: a file, a YAML line and column (1-based), a JSON pointer, a rule id."""

    file: str = ""
    line: int = 0
    col: int = 0
    pointer: str = ""
    rule_id: str = ""

    def __str__(self) -> str:
        text = self.file or "<pack>"
        if self.line:
            text += f":{self.line}:{self.col}"
        if self.pointer:
            text += f" ({self.pointer})"
        return text


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a pack: a stable code, a severity, a plain-language message, a location."""

    code: str
    message: str
    location: Location = field(default_factory=Location)
    severity: Severity = "error"

    def __str__(self) -> str:
        rule = f" [rule {self.location.rule_id}]" if self.location.rule_id else ""
        return f"{self.location}: {self.severity} {self.code}{rule}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": loc.file,
            "line": loc.line,
            "col": loc.col,
            "pointer": loc.pointer,
            "rule_id": loc.rule_id,
        }


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.location.file, d.location.line, d.location.col, d.code))


class RiskgradeError(Exception):
    """Root of every error riskgrade raises."""


class PackError(RiskgradeError, ValueError):
    """A rule pack failed to load or compile. ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sort_diagnostics(list(diagnostics))
        errors = [d for d in self.diagnostics if d.severity == "error"]
        shown = "\n".join(f"  {d}" for d in (errors or self.diagnostics)[:50])
        more = len(errors) - 50
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{len(errors)} error(s) in rule pack:\n{shown}{tail}")


class InputError(RiskgradeError, ValueError):
    """An entity source cannot be read at all (unreadable file, unknown format, corrupt Parquet)."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None, column: str | None = None):
        self.file, self.row, self.column = file, row, column
        where = file or "<input>"
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


class MappingError(InputError):
    """A registry mapping (``--map``) is invalid. ``problems`` lists each with where it is written."""

    def __init__(self, problems: list[tuple[Location, str]]):
        self.problems = sorted(problems, key=lambda p: (p[0].line, p[0].col))
        file = self.problems[0][0].file if self.problems else ""
        shown = "\n".join(f"  {loc}: {message}" for loc, message in self.problems[:50])
        RiskgradeError.__init__(self, f"{len(self.problems)} problem(s) in the registry mapping:\n{shown}")
        self.file, self.row, self.column = file, None, None


class ColumnsError(InputError):
    """In strict mode, the input's columns do not give the packs what they need (or give more than
    they know). ``report`` is the whole column report; the message lists the problems."""

    def __init__(self, message: str, report: object):
        self.report = report
        RiskgradeError.__init__(self, message)
        self.file, self.row, self.column = "", None, None


class OptionError(RiskgradeError, ValueError):
    """A grading option is invalid: an unknown parameter, a value a parameter does not allow."""


class OutputError(RiskgradeError, OSError):
    """A result could not be written."""


class EngineError(RiskgradeError, RuntimeError):
    """An engine could not run."""
