"""Values as JSON: dates as ISO text, whole floats as they are, lists of records element by element."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..model import LocalText


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def text(t: LocalText | None) -> dict[str, str] | None:
    """Bilingual text as ``{"zh": …, "en": …}`` (missing languages left out)."""
    if t is None:
        return None
    return {k: v for k, v in (("zh", t.zh), ("en", t.en)) if v}
