"""Lints: a pack that compiles may still be suspicious — bands out of order, levels nothing reaches,
conditions that can never hold, things declared and never used, missing citations.

Codes ``RG6xx``; warnings, except where a grade would be ambiguous (errors). Every finding carries its
message in Chinese and English (``Finding.message(lang)``); ``catalogue`` holds them all.
"""

from .findings import Finding, from_diagnostic, lint_finding, sort_findings
from .runner import LINTS, lint_pack

__all__ = ["Finding", "LINTS", "from_diagnostic", "lint_finding", "lint_pack", "sort_findings"]
