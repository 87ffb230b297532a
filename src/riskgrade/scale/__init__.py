"""Grading past one machine: a partition is a pure function of (packs, grading date, batch)."""

from .partition import grade_arrow, grade_pandas, rejects_schema

__all__ = ["grade_arrow", "grade_pandas", "rejects_schema"]
