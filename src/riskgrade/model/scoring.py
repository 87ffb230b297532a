"""How rule points combine into a score, and how the score maps to a level (bands)."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .common import Expression, Ident, Strict, Text

ScoreMethod = Literal["sum", "deduct", "max", "product", "matrix", "expr"]


class ScoreBand(Strict):
    """Scores in ``[min, max)`` get ``level``; omit ``min`` or ``max`` for an open end."""

    level: Ident
    min: float | None = None
    max: float | None = None
    local_choice: bool = False
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "ScoreBand":
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"band min ({self.min}) must be below its max ({self.max})")
        return self


class Score(Strict):
    """The score of an entity.

    - ``sum``: ``base`` (default 0) plus the points of the fired rules;
    - ``deduct``: ``base`` (e.g. 100) minus the points of the fired rules;
    - ``max``: the largest points among the fired rules (``base`` when none fired);
    - ``product``: the product over groups of the largest points fired in each group (LEC: L × E × C);
    - ``matrix``: ``matrix[likelihood - 1][severity - 1]`` (both expressions giving 1..n);
    - ``expr``: an expression over fields and derived values; ``rule_points`` is the sum of fired points.

    ``caps`` limits the points one group of rules may contribute (sum and deduct).
    """

    method: ScoreMethod
    base: float | None = None
    caps: dict[Ident, float] = {}
    expr: Expression | None = None
    likelihood: Expression | None = None
    severity: Expression | None = None
    matrix: list[list[float]] | None = None
    bands: list[ScoreBand]
    basis: str | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _method_keys(self) -> "Score":
        m = self.method
        if m == "deduct" and self.base is None:
            raise ValueError("method 'deduct' needs 'base' (the score before deductions, e.g. 100)")
        if (m == "expr") != (self.expr is not None):
            raise ValueError("'expr' is required by method 'expr' and only allowed there")
        matrix_keys = (self.likelihood, self.severity, self.matrix)
        if m == "matrix" and any(k is None for k in matrix_keys):
            raise ValueError("method 'matrix' needs 'likelihood', 'severity' and 'matrix'")
        if m != "matrix" and any(k is not None for k in matrix_keys):
            raise ValueError("'likelihood', 'severity' and 'matrix' are only allowed with method 'matrix'")
        if self.matrix is not None and (not self.matrix or len({len(r) for r in self.matrix}) != 1
                                        or not self.matrix[0]):
            raise ValueError("'matrix' must be a non-empty rectangle of numbers")
        if self.caps and m not in ("sum", "deduct"):
            raise ValueError("'caps' is only allowed with methods 'sum' and 'deduct'")
        return self
