"""What every grading backend produces, and the Protocol they satisfy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol

import numpy as np

from ..compiler.program import Program
from ..errors import OptionError
from ..expr.nodes import Type

# One reason a row is rejected: (field or rule, offending value, plain-language reason, code)
Reason = tuple[str, Any, str, str]


@dataclass
class PackGrades:
    """Columnar grades of one chunk of entities by one pack (row i = entity i of the chunk): what the
    batch engine produces, before ``results.tables`` turns it into the output contract."""

    program: Program
    as_of: dt.date
    applies: np.ndarray  # bool (False where undecided)
    level: np.ndarray  # int64 level index, -1 where the pack does not apply
    score: np.ndarray  # float64, NaN where unknown or not applicable
    hits: np.ndarray  # bool (n, rules): fired
    controls: np.ndarray  # bool (n, measures)
    gaps: np.ndarray  # bool (n, program.gap_names)
    interval: np.ndarray  # float64 days, NaN where none
    next_due: np.ndarray  # float64 day numbers, NaN where none
    derived: dict[str, Any]  # name -> column (float64 / Tri / Codes)
    rejects: dict[int, list[Reason]] = field(default_factory=dict)  # row -> reasons
    adjusted: np.ndarray | None = None  # bool (n, modifiers + campaigns): applied to the interval
    # bool: ``applies_when`` is unknown (missing data decides it): neither graded nor left out
    undecided: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.applies)


class Backend(Protocol):
    name: str

    def grade_records(self, program: Program, records: list[Mapping[str, Any]], as_of: dt.date,
                      params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Grade entities given as dicts; one output record (the contract's long form) per entity.
        Rejected entities give a record with ``rejected`` set to their reasons."""
        ...


def resolve_params(program: Program, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The pack's parameters with the caller's choices applied and checked."""
    out = {name: default for name, (_, default) in program.params.items()}
    for name, value in (params or {}).items():
        if name not in program.params:
            known = ", ".join(program.params) or "none"
            raise OptionError(f"pack '{program.pack_id}' has no parameter '{name}' (parameters: {known})")
        out[name] = check_param(program.pack_id, name, program.params[name][0], value)
    return out


def check_param(pack_id: str, name: str, t: Type, value: Any) -> Any:
    if t.values is not None and value not in t.values:
        raise OptionError(f"parameter '{name}' of pack '{pack_id}' must be one of {', '.join(t.values)}; "
                          f"got {value!r}")
    if t.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise OptionError(f"parameter '{name}' of pack '{pack_id}' must be a number; got {value!r}")
        return float(value)
    if t.kind == "boolean" and not isinstance(value, bool):
        raise OptionError(f"parameter '{name}' of pack '{pack_id}' must be true or false; got {value!r}")
    return value
