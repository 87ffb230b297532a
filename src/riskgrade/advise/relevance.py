"""Which fixes can matter for an entity — the only ones the search needs to consider.

A fix can change the grade only through the rules and score expressions that read its field. Start
from the fields read by the rules that fired, the rules that may be undecided (they read a missing
field), the rules that may help when they fire (a ``lower``, points that lower the level) and the
score's expressions; keep those a fix changes for this entity; then add, until nothing changes, the
fixable fields of every rule that reads a field already kept (fixing one field may make such a rule
fire, and fixing its other fields may be what stops it).

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
from .prepare import Prepared
from .variants import applicable


def any_of(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean matrix product: out[i, j] = any(a[i, :] & b[:, j])."""
    return (a.astype(np.float32) @ b.astype(np.float32)) > 0


def candidates(prep: Prepared, table: Table, grades: PackGrades, as_of: dt.date) -> np.ndarray:
    """bool (rows, fixes): the fixes that apply to the row, change something, and whose field can
    matter for it."""
    effective = applicable(prep, table, as_of)  # (n, fixes)
    onehot = np.zeros((len(prep.fixes), len(prep.field_index)), dtype=bool)
    onehot[np.arange(len(prep.fixes)), prep.fix_field] = True
    can_fix = any_of(effective, onehot)  # (n, fields)
    missing = field_missing(prep.program, table).T  # (n, fields)
    open_rules = grades.hits | any_of(missing, prep.reads.T)  # fired, or may be undecided
    kept = (any_of(open_rules, prep.reads) | prep.seeds[None, :]) & can_fix
    while True:
        grown = kept | (any_of(any_of(kept, prep.reads.T), prep.reads) & can_fix)
        if (grown == kept).all():
            break
        kept = grown
    return effective & kept[:, prep.fix_field]
