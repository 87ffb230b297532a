"""pandas for the planning modules, imported on first use with a clear message when it is absent."""

from __future__ import annotations

from typing import Any

from ..errors import EngineError


def pandas() -> Any:
    """The pandas module; raises EngineError telling how to install it when it is missing."""
    try:
        import pandas as pd
    except ModuleNotFoundError as exc:  # pragma: no cover - pandas is in the test extra
        raise EngineError("control lists, schedules, plans and ledgers need pandas: "
                          "pip install 'riskgrade[pandas]'") from exc
    return pd
