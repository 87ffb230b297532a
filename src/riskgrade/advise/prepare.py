"""What the advice needs of a pack, prepared once and cached on its Program: the fixes by field, which
fields each rule and the score read, and which way each rule pushes the level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compiler.program import CompiledFix, Program
from .direction import HARMFUL, directions


@dataclass(frozen=True)
class Prepared:
    program: Program
    field_index: dict[str, int]
    reads: np.ndarray  # bool (rules, fields): the rule's condition reads the field (directly or derived)
    score_reads: np.ndarray  # bool (fields,): the score's expressions read the field
    direction: np.ndarray  # int8 (rules,): HARMFUL, BENEFICIAL, MIXED
    helping: np.ndarray  # bool (rules,): firing may make the level less severe (not HARMFUL)
    fixes: tuple[CompiledFix, ...]
    fix_field: np.ndarray  # int64 (fixes,): column of the field each fix sets
    cost: np.ndarray  # float64 (fixes,)
    days: np.ndarray  # float64 (fixes,)
    fixable: np.ndarray  # bool (fields,): some fix sets it

    @property
    def n_levels(self) -> int:
        return len(self.program.levels)


def prepared(program: Program) -> Prepared:
    cached = program.cache.get("advise")
    if cached is None:
        cached = program.cache["advise"] = _prepare(program)
    return cached


def _prepare(program: Program) -> Prepared:
    index = {f.name: j for j, f in enumerate(program.fields)}
    reads = np.zeros((len(program.rules), len(index)), dtype=bool)
    for rule in program.rules:
        reads[rule.index, [index[f] for f in rule.when.fields if f in index]] = True
    score_reads = np.zeros(len(index), dtype=bool)
    for cexpr in (program.score.expr, program.score.likelihood, program.score.severity):
        if cexpr is not None:
            score_reads[[index[f] for f in cexpr.fields if f in index]] = True
    direction = directions(program)
    fix_field = np.array([index[f.field] for f in program.fixes], dtype=np.int64)
    fixable = np.zeros(len(index), dtype=bool)
    fixable[fix_field] = True
    return Prepared(program, index, reads, score_reads, direction, direction != HARMFUL, program.fixes, fix_field,
                    np.array([f.cost for f in program.fixes], dtype=np.float64),
                    np.array([f.days for f in program.fixes], dtype=np.float64), fixable)


def any_of(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean matrix product: out[i, j] = any(a[i, :] & b[:, j])."""
    return (a.astype(np.float32) @ b.astype(np.float32)) > 0
