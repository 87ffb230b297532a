"""riskgrade — grade supervised entities into tiered risk levels from YAML rule packs.

>>> import datetime as dt, riskgrade
>>> pack = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK)
>>> riskgrade.grade({"exits": 1}, pack, as_of=dt.date(2026, 1, 1)).level
'red'
"""

from . import api
from ._version import __version__
from .api import (Advice, AdviceResult, ColumnReport, EntityResult, GradeOptions, GradeResult, PackResult,
                  RegistryMapping, RowReject, advise, advise_file, advise_table, check_columns, explain_entity,
                  find_entity, grade, grade_file, grade_table, load_pack, load_packs, loads_pack, read_entities)
from .compiler import Program
from .errors import (ColumnsError, Diagnostic, EngineError, InputError, Location, MappingError, OptionError,
                     OutputError, PackError, RiskgradeError)
from .events import Monitor
from .grading import Counts
from .plan import (Capacity, InspectionPlan, PlanCounts, StationCapacity, WorkCalendar, control_list,
                   inspection_schedule, load_graded, plan_inspections, read_capacity, rollup, rollups,
                   write_ledger)

__all__ = [
    "Advice",
    "AdviceResult",
    "Capacity",
    "ColumnReport",
    "ColumnsError",
    "Counts",
    "Diagnostic",
    "EngineError",
    "EntityResult",
    "GradeOptions",
    "GradeResult",
    "InputError",
    "InspectionPlan",
    "Location",
    "MappingError",
    "Monitor",
    "OptionError",
    "OutputError",
    "PackError",
    "PackResult",
    "PlanCounts",
    "Program",
    "RegistryMapping",
    "RiskgradeError",
    "RowReject",
    "StationCapacity",
    "WorkCalendar",
    "__version__",
    "advise",
    "advise_file",
    "advise_table",
    "api",
    "check_columns",
    "control_list",
    "explain_entity",
    "find_entity",
    "grade",
    "grade_file",
    "grade_table",
    "inspection_schedule",
    "load_graded",
    "load_pack",
    "load_packs",
    "loads_pack",
    "plan_inspections",
    "read_capacity",
    "read_entities",
    "rollup",
    "rollups",
    "write_ledger",
]
