"""Which fixes can matter for an entity — the only ones the search needs to consider.

A fix can change the grade only through the rules and score expressions that read its field. Start
from the fields read by the rules that fired, the rules that may be undecided (they read a missing
field), the rules that may help when they fire (a ``lower``, points that lower the level) and the
score's expressions; keep those a fix changes for this entity; then add, until nothing changes, the
fixable fields of every rule that reads a field already kept (fixing one field may make such a rule
fire, and fixing its other fields may be what stops it). Rules that no fix of the entity can move
(``stuck``: a conjunct on facts that is false, a disjunct on facts that is true) are left out.

Leaving out the others loses nothing: a rule that reads none of the kept fields is, under any set
of kept fixes, as it was — decided and not firing, and firing it could only make the level more
severe — so adding fixes outside the kept fields never makes a set reach a level it did not, and
never makes it cheaper.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..backends.base import PackGrades
from ..backends.batch import field_missing
from ..table import Table
from .prepare import Prepared, any_of
from .stuck import Stuck
from .variants import applicable


def candidates(prep: Prepared, table: Table, grades: PackGrades, as_of: dt.date, stuck: Stuck) -> np.ndarray:
    """bool (rows, fixes): the fixes that apply to the row, change something, and whose field can
    matter for it. Rules that no fix can move (``stuck``) neither start nor carry the search."""
    effective = applicable(prep, table, as_of)  # (n, fixes)
    onehot = np.zeros((len(prep.fixes), len(prep.field_index)), dtype=bool)
    onehot[np.arange(len(prep.fixes)), prep.fix_field] = True
    can_fix = any_of(effective, onehot)  # (n, fields)
    off, on = stuck.masks(can_fix)
    movable = ~(off | on)
    missing = field_missing(prep.program, table).T  # (n, fields)
    open_rules = (grades.hits | any_of(missing, prep.reads.T) | prep.helping[None, :]) & movable
    kept = (any_of(open_rules, prep.reads) | prep.score_reads[None, :]) & can_fix
    while True:
        grown = kept | (any_of(any_of(kept, prep.reads.T) & movable, prep.reads) & can_fix)
        if (grown == kept).all():
            break
        kept = grown
    return effective & kept[:, prep.fix_field]
