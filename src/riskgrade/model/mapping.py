"""A registry mapping: what a bureau's own system calls the columns and values a pack knows.

Written by the bureau (or suggested by ``riskgrade map`` for a person to confirm), one YAML file::

    columns:                    # their header: a field id, a carried column, entity_id, or null
      档案编号: entity_id
      辖区派出所: station
      联系电话: null            # known, not used (not reported as unknown)
    values:                     # per field: their value -> the pack's code (or true/false)
      venue_type: {星级酒店: hotel, 快捷酒店: hotel}
      underground: {地下一层: true}

Headers and values are matched as the built-in names are: ignoring width, case and spaces.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints

from .common import Strict

Cell = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def _text_keys(value: Any) -> Any:
    """Numbers written as keys (``1: true``) are the text of a cell."""
    if not isinstance(value, dict):
        return value
    return {key if isinstance(key, str) else str(key).lower() if isinstance(key, bool) else str(key): item
            for key, item in value.items()}


def _code_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in value.items()}
    return value


ValueMap = Annotated[dict[Cell, Cell | bool], BeforeValidator(_code_text), BeforeValidator(_text_keys)]


class RegistryMapping(Strict):
    """``columns``: their header -> a field id, a carried column or ``entity_id`` (null: not used);
    ``values``: per field, their value -> the pack's code (booleans: ``true``/``false``)."""

    columns: Annotated[dict[Cell, Cell | None], BeforeValidator(_text_keys)] = {}
    values: dict[Cell, ValueMap] = {}
