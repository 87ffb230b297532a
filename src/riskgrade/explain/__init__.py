"""Explanations: why an entity got its grade, rule by rule, for the inspector who must justify it."""

from .build import explain, explain_values, provenance
from .render import render_text

__all__ = ["explain", "explain_values", "provenance", "render_text"]
