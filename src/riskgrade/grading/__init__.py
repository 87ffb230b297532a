"""Grading runs: the options of a run, the Grader that turns raw chunks into the output contract,
and the run itself (a source into a ``GradeResult`` or into a file; one entity into an ``EntityResult``).

The result types, from the inside out: an engine grades a chunk of typed columns with one pack into
``PackGrades`` (numpy); the ``Grader`` turns the ``PackGrades`` of every pack into a ``GradedChunk``
(the long and wide Arrow tables of the output contract for that chunk, with its rejected rows);
``grade_source`` gathers the chunks into a ``GradeResult`` (long, wide, rejects, counts), and
``grade_entity`` returns one entity's ``EntityResult`` with a ``PackResult`` per pack.
"""

from .grader import Counts, GradedChunk, Grader
from .options import DEFAULT_KEEP, GradeOptions
from .run import GradeResult, column_report, grade_entity, grade_into, grade_source, resolver_for

__all__ = ["DEFAULT_KEEP", "Counts", "GradeOptions", "GradeResult", "GradedChunk", "Grader", "column_report",
           "grade_entity", "grade_into", "grade_source", "resolver_for"]
