"""The least severe level any set of an entity's fixes could reach, and the findings that stand in
the way — so that an unreachable target is recognised without trying every set.

A rule is *free* for an entity when it reads a field that one of the entity's fixes changes and no
part of its condition on facts pins it (``stuck``); every other rule keeps its state whatever is fixed. The best case lets every free rule that only ever
makes the level more severe stop firing, and every free rule that only ever makes it less severe
fire; the level of that case, computed by the score method and the precedence the engines use
(``scoring``), is one no set of fixes can beat. When a free rule can push either way, or a fix
changes what the score's own expressions read, no bound is claimed and the search decides alone.
"""

from __future__ import annotations

import numpy as np

from ..backends.base import PackGrades
from ..scoring.combine import band_levels, final_levels
from ..scoring.methods import implementation
from .direction import BENEFICIAL, HARMFUL, MIXED
from .prepare import Prepared, any_of
from .stuck import Stuck

HITS_ONLY = ("sum", "deduct", "max", "product")  # score methods that read nothing but the fired rules


def _no_column(*_: object) -> None:
    raise AssertionError("a score method of HITS_ONLY read an expression")


def free_rules(prep: Prepared, candidates: np.ndarray, stuck: Stuck) -> tuple[np.ndarray, np.ndarray]:
    """bool (rows, rules): the rule reads a field one of the row's candidate fixes sets, and those fixes
    can move it (not ``stuck``); and bool (rows, fields): the fields the candidates set."""
    fields = np.zeros((candidates.shape[0], len(prep.field_index)), dtype=bool)
    for k in range(candidates.shape[1]):
        fields[:, prep.fix_field[k]] |= candidates[:, k]
    off, on = stuck.masks(fields)
    return any_of(fields, prep.reads.T) & ~(off | on), fields


def best_levels(prep: Prepared, grades: PackGrades, candidates: np.ndarray,
                stuck: Stuck) -> tuple[np.ndarray, np.ndarray]:
    """(rows,) the least severe level index any set of the candidate fixes could reach (the last level
    where nothing can be claimed), and bool (rows, rules) the free rules."""
    program = prep.program
    free, fields = free_rules(prep, candidates, stuck)
    harmful = free & (prep.direction == HARMFUL)[None, :]
    helpful = free & (prep.direction == BENEFICIAL)[None, :]
    relaxed = (grades.hits & ~harmful) | helpful
    if program.score.method in HITS_ONLY:
        with np.errstate(all="ignore"):
            score = implementation(program.score.method, "batch")(program, relaxed, _no_column)
    else:  # matrix, expr: unchanged where no fix reaches the score's expressions or its rule points
        score = grades.score
    score = np.where(np.isfinite(score), score, np.nan)
    unknown_level = 0 if program.on_missing == "worst" else len(program.levels) - 1
    level = final_levels(program, band_levels(program.score, score, unknown_level), relaxed)
    open_ended = (free & (prep.direction == MIXED)[None, :]).any(axis=1) | (fields & prep.score_reads).any(axis=1)
    bound = np.where(open_ended, len(program.levels) - 1, level)
    return np.maximum(bound, grades.level), free
