"""Rules whose firing no fix of an entity can change: a condition ``a and b`` where ``a`` reads none
of the fields the entity's fixes may change and is false stays false (``venue_type == 'office' and
…`` for a shop), and ``a or b`` with such an ``a`` true stays true, whatever the fixes do.

The parts are evaluated with the engine's own kernels on the entity's values and derived values; a
part is used only where it reads no changeable field, so the verdict is exact, not a guess. This
keeps the fields of a lowering rule that cannot fire out of the search, and the bound tight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from ..backends.base import PackGrades, resolve_params
from ..backends.batch import numpy_params
from ..compiler.program import Program
from ..expr.lower_numpy import Frame, lower, to_tri
from ..expr.nodes import Expr, Logic, names_in
from ..table import Table
from .prepare import Prepared, any_of


@dataclass(frozen=True)
class _Part:
    rule: int
    kernel: Callable[[Frame], Any]
    reads: np.ndarray  # bool (fields,)


def _flatten(node: Expr, op: str) -> list[Expr]:
    if isinstance(node, Logic) and node.op == op:
        return [leaf for operand in node.operands for leaf in _flatten(operand, op)]
    return [node]


def _reads(program: Program, node: Expr, index: dict[str, int]) -> np.ndarray:
    derived = dict(program.derive)
    out = np.zeros(len(index), dtype=bool)
    for scope, name in names_in(node):
        fields = {name} if scope == "field" else derived[name].fields if scope == "derived" else set()
        out[[index[f] for f in fields if f in index]] = True
    return out


def _parts(prep: Prepared) -> tuple[list[_Part], list[_Part]]:
    """(conjuncts of rules whose condition is an ``and``, disjuncts of those that are an ``or``)."""
    program = prep.program
    cached = program.cache.get("advise_parts")
    if cached is None:
        conj: list[_Part] = []
        disj: list[_Part] = []
        for rule in program.rules:
            node = rule.when.node
            for op, out in (("and", conj), ("or", disj)):
                leaves = _flatten(node, op)
                if len(leaves) > 1:
                    out += [_Part(rule.index, lower(leaf), _reads(program, leaf, prep.field_index)) for leaf in leaves]
        cached = program.cache["advise_parts"] = (conj, disj)
    return cached


class Stuck:
    """The parts of a chunk's rules evaluated once; ``masks(changeable)`` then says which rules no fix
    of the fields ``changeable`` (rows, fields) marks can move."""

    def __init__(self, prep: Prepared, table: Table, grades: PackGrades, as_of: dt.date,
                 params: Mapping[str, Any] | None) -> None:
        program = prep.program
        self.shape = (table.n, len(program.rules))
        self.found: list[tuple[int, np.ndarray, np.ndarray, bool]] = []  # rule, part holds, reads, "off"
        conj, disj = _parts(prep)
        if not conj and not disj:
            return
        frame = Frame(table.n, table.columns, as_of, program.tables,
                      numpy_params(program, resolve_params(program, params)), derived=dict(grades.derived))
        for parts, want in ((conj, False), (disj, True)):
            for part in parts:
                t = to_tri(part.kernel(frame), table.n)
                holds = t.known & (t.value == want)
                if holds.any():
                    self.found.append((part.rule, holds, part.reads, not want))

    def masks(self, changeable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """bool (rows, rules) twice: the rule cannot fire; the rule cannot stop firing."""
        off, on = np.zeros(self.shape, dtype=bool), np.zeros(self.shape, dtype=bool)
        for rule, holds, reads, is_off in self.found:
            fixed = ~any_of(changeable, reads[:, None])[:, 0]
            (off if is_off else on)[:, rule] |= holds & fixed
        return off, on
