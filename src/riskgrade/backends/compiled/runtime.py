"""What a compiled pack's module may use besides its own constants: the helpers it calls by name and
the few builtins it needs. Nothing else is in its namespace (no ``__import__``, no ``open``)."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

from ...expr.lower_python import HELPERS as EXPR_HELPERS
from ...scoring.interval import finish, overdue_days
from ...table.convert import DATE_MAX, DATE_MIN, convert_value

MAX_CACHED_MASKS = 4096


@dataclass(frozen=True)
class FieldSpec:
    """A field as ``table.convert`` reads it, written into the module as literals."""

    name: str
    kind: str
    values: tuple[str, ...] | None
    min: float | None
    max: float | None
    required: bool
    items: tuple["FieldSpec", ...]
    default: Any = None


def mask_names(mask: int, names: tuple[str, ...], cache: dict[int, tuple[str, ...]]) -> list[str]:
    """The names whose bits are set in ``mask``, in order (a fresh list: callers may keep it)."""
    if not mask:
        return []
    got = cache.get(mask)
    if got is None:
        if len(cache) >= MAX_CACHED_MASKS:  # a run of unusual entities must not grow it without end
            cache.clear()
        got = cache[mask] = tuple(n for j, n in enumerate(names) if mask >> j & 1)
    return list(got)


def iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


HELPERS: dict[str, Any] = {
    **EXPR_HELPERS, "conv": convert_value, "field": FieldSpec, "mask_names": mask_names, "iso_date": iso_date,
    "floor": math.floor, "timedelta": dt.timedelta, "date": dt.date, "loads": json.loads,
    "overdue_days": overdue_days, "finish": finish, "DATE_MIN": DATE_MIN, "DATE_MAX": DATE_MAX,
}
BUILTIN_NAMES = ("abs", "any", "dict", "float", "frozenset", "int", "len", "list", "max", "min", "str", "OverflowError",
                 "ValueError", "ZeroDivisionError")
BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in BUILTIN_NAMES}


def namespace() -> dict[str, Any]:
    """A fresh namespace for one compiled module."""
    return {"__builtins__": dict(BUILTINS), **HELPERS}
