"""Fixable findings (整改措施): what a rectification changes, what it costs and who does it.

A ``fix`` sits on a field (the value the field has once the finding is rectified) or on a rule (the
same, for the one field the rule's finding turns on). Facts that rectification cannot change — floor
area, venue type, past accidents — have none. The advice (``riskgrade advise``) chooses among the
fixes a pack declares; nothing here evaluates.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, field_validator

from .common import Ident, Name, Strict, Text

# ``to: as_of`` on a date field: the grading date (a check or drill done now); ``as_of + 365``: a
# year after it (a licence or a vehicle inspection renewed now)
AS_OF = "as_of"
AS_OF_SHIFT = re.compile(r"^as_of\s*(?:([+-])\s*(\d{1,5}))?$")


class Fix(Strict):
    """One way to rectify a finding: the value after the fix, the action, its indicative cost (yuan)
    and time (days), who does it, and whether it can be done on the spot (现场整改)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    to: Any = Field(..., description="the field's value after the fix, written as an entity file writes it; on a "
                                     "date field 'as_of' is the grading date and 'as_of + 365' a year after it; on "
                                     "a number, integer or date field another field's name copies its value")
    from_: list[Any] | None = Field(None, alias="from", min_length=1,
                                    description="the fix applies only where the field has one of these values "
                                                "(e.g. [faulty] for a repair, [missing] for an installation)")
    field: Name | None = Field(None, description="on a rule's fix: the field it changes (default: the one field "
                                                 "the rule reads); not allowed on a field's fix")
    id: Ident | None = Field(None, description="stable id of the fix (default: the field or rule id, with .2, .3 "
                                               "… for alternatives)")
    action: Text
    cost: float = Field(..., ge=0, allow_inf_nan=False, description="indicative cost in yuan")
    days: float = Field(..., ge=0, allow_inf_nan=False, description="indicative time in days (0: at once)")
    by: Text | None = Field(None, description="who does it: the unit, the landlord, the carrier …")
    on_the_spot: bool = False
    local_choice: bool = False
    note: Text | None = None

    @field_validator("to")
    @classmethod
    def _a_value(cls, value: Any) -> Any:
        if value is None or isinstance(value, (dict, list, tuple)):
            raise ValueError("'to' must be one value (a number, true/false, a category code, a date or 'as_of')")
        return _one_value(value)

    @field_validator("from_")
    @classmethod
    def _values(cls, values: list[Any] | None) -> list[Any] | None:
        if values is not None and any(v is None or isinstance(v, (dict, list, tuple)) for v in values):
            raise ValueError("'from' lists single values (numbers, true/false, category codes, dates)")
        return None if values is None else [_one_value(v) for v in values]


def _one_value(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        raise ValueError("a fix's value must be a number, not NaN")
    return value.isoformat() if isinstance(value, dt.date) else value


def _one_or_more(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


# ``fix:`` takes one fix or a list of alternatives (at most one of them is chosen for an entity)
Fixes = Annotated[list[Fix], BeforeValidator(_one_or_more, json_schema_input_type=Fix | list[Fix]),
                  Field(min_length=1)]
