"""From grades to work: control lists, inspection frequencies, plans within capacity, roll-ups, ledgers.

Everything here takes graded results (a GradeResult, a file written by ``riskgrade grade``, an Arrow
table or a DataFrame) and the compiled packs they were graded with, and returns pandas DataFrames
or small dataclasses. pandas is needed (``pip install 'riskgrade[pandas]'``); it is imported on use,
and openpyxl when a ledger is written.
"""

from .capacity import Capacity, StationCapacity, WorkCalendar, read_capacity
from .controls import control_list
from .export import visits_table
from .graded import load_graded
from .jurisdiction import rollup, rollups
from .ledger import write_ledger
from .planner import plan_inspections
from .views import InspectionPlan, PlanCounts
from .schedule import inspection_schedule

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
