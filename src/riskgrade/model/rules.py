"""Rules: a condition, the hazard it describes, where it comes from, and its effects."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from .common import Expression, Ident, Strict, Text
from .fixes import Fixes

OnMissing = Literal["ignore", "worst", "error"]


class Rule(Strict):
    """One rule. Effects, applied as the pack's precedence says:

    ``points`` (into the score), ``set_level`` (veto, 一票否决: at least this severe),
    ``raise``/``lower`` (by n levels), ``controls`` (added to the control list), ``data_gap`` (a field,
    or ``list.item`` for an item field of a list, named in the entity's data gaps: data the panel
    needs even where the grade could be computed, e.g. a default that stood in for it).
    ``fix`` says how its finding is rectified (the field it changes and the value after the fix).
    ``on_missing`` says what an unknown condition means: ``ignore`` (does not fire, the data gap is
    listed), ``worst`` (fires), ``error`` (the entity is rejected).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Ident
    when: Expression
    hazard: Text | None = None
    basis: str | None = None
    points: float = 0
    group: Ident | None = None
    set_level: Ident | None = None
    raise_: int = Field(0, alias="raise", ge=0, le=10)
    lower: int = Field(0, ge=0, le=10)
    controls: list[Ident] = []
    data_gap: str | None = Field(None, pattern=r"^[^\W\d]\w*(\.[^\W\d]\w*)?$")
    on_missing: OnMissing | None = None
    fix: Fixes | None = None
    local_choice: bool = False
    note: Text | None = None

    @model_validator(mode="after")
    def _has_effect(self) -> "Rule":
        if not (self.points or self.set_level or self.raise_ or self.lower or self.controls or self.data_gap):
            raise ValueError("a rule needs at least one effect: points, set_level, raise, lower, controls "
                             "or data_gap")
        return self
