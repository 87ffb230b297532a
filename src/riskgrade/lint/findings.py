"""A finding: a diagnostic together with its message in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..errors import Diagnostic, Location
from .catalogue import lint_text, severity_of, translate

LANGS = ("en", "zh")


@dataclass(frozen=True)
class Finding:
    """One diagnostic (stable code, severity, location, rule id) with a message per language.

    ``diagnostic.message`` is the English text, so a Finding can stand wherever a Diagnostic is read.
    """

    diagnostic: Diagnostic
    zh: str

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def severity(self) -> str:
        return self.diagnostic.severity

    @property
    def location(self) -> Location:
        return self.diagnostic.location

    def message(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.diagnostic.message

    def render(self, lang: str = "en") -> str:
        """``file:line:col (pointer): severity CODE [rule id]: message`` in ``lang``."""
        d = self.diagnostic
        severity = {"error": "错误", "warning": "警告"}[d.severity] if lang == "zh" else d.severity
        rule = ""
        if d.location.rule_id:
            rule = f" [规则 {d.location.rule_id}]" if lang == "zh" else f" [rule {d.location.rule_id}]"
        return f"{d.location}: {severity} {d.code}{rule}: {self.message(lang)}"

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        out = self.diagnostic.to_dict()
        out["message"] = self.message(lang)
        out["messages"] = {"en": self.diagnostic.message, "zh": self.zh}
        return out


def from_diagnostic(d: Diagnostic) -> Finding:
    """A compiler diagnostic (English) with its Chinese translation."""
    return Finding(d, translate(d.code, d.message))


def lint_finding(code: str, location: Location, **params: object) -> Finding:
    """A lint finding from the catalogue: severity and both messages come from ``code``."""
    en = lint_text(code, "en", params)
    return Finding(Diagnostic(code, en, location, severity_of(code)), lint_text(code, "zh", params))  # type: ignore[arg-type]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.location.file, f.location.line, f.location.col, f.code,
                                           f.diagnostic.message))
