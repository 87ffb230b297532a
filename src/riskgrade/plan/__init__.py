"""From grades to work: control lists, inspection frequencies, plans within capacity, roll-ups, ledgers.

Everything here takes graded results (a GradeResult, a file written by ``riskgrade grade``, an Arrow
table or a DataFrame) and the compiled packs they were graded with, and returns pandas DataFrames
or small dataclasses. pandas is needed (``pip install 'riskgrade[pandas]'``); it is imported on use.
"""

from importlib import import_module
from typing import Any

# Exports are loaded on first use: the engines import ``plan.interval`` and must not pay for
# pandas and openpyxl when they grade.
_EXPORTS = {
    "Capacity": "capacity", "StationCapacity": "capacity", "WorkCalendar": "capacity", "read_capacity": "capacity",
    "control_list": "controls", "visits_table": "export", "load_graded": "graded", "write_ledger": "ledger",
    "InspectionPlan": "planner", "PlanCounts": "planner", "plan_inspections": "planner",
    "rollup": "jurisdiction", "rollups": "jurisdiction", "inspection_schedule": "schedule",
}

__all__ = [
    "Capacity",
    "InspectionPlan",
    "PlanCounts",
    "StationCapacity",
    "WorkCalendar",
    "control_list",
    "inspection_schedule",
    "load_graded",
    "plan_inspections",
    "read_capacity",
    "rollup",
    "rollups",
    "visits_table",
    "write_ledger",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
