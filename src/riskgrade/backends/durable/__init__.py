"""The durable_rules adapter: a private synchronous host, JSON rulesets built from the IR, the
one-shot grading backend (this package is the ``durable`` Backend: ``name``, ``grade_columns``,
``grade_records``) and the lifecycle rulesets of the event monitor.

Nothing here imports durable_rules at import time: the engine is loaded when a host is built, and
where it cannot be (Python 3.13) that raises ``EngineError`` with the reason.
"""

from .grader import DurableGrader, grade_columns, grade_records, grader_for, name
from .host import DurableHost, IdCollision, fnv1a32, load_engine

__all__ = ["DurableGrader", "DurableHost", "IdCollision", "fnv1a32", "grade_columns", "grade_records", "grader_for",
           "load_engine", "name"]
