"""Explanations: why an entity got its grade, rule by rule, for the inspector who must justify it."""

from .build import explain, explain_values, provenance
from .document import pack_document
from .render import render_text
from .words import in_words

__all__ = ["explain", "explain_values", "in_words", "pack_document", "provenance", "render_text"]
