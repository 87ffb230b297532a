"""How rule points combine into a score, and how the score maps to a level (bands).

Each score method is declared once, here, in ``SCORE_METHODS``: its name, what it computes, the keys
of ``score`` it needs or allows, and its default ``base``. The pack model checks a pack against the
declaration, the compiler reads it, and ``riskgrade.scoring`` holds each engine's implementation of
it (``scoring.methods``), so adding a method is one declaration plus one implementation per engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, WithJsonSchema, model_validator

from .common import Expression, Ident, Strict, Text

# keys of ``score`` that only some methods take
METHOD_KEYS = ("caps", "expr", "likelihood", "severity", "matrix")


@dataclass(frozen=True)
class ScoreMethod:
    """The declaration of a score method (what the pack format knows of it; engines implement it)."""

    name: str
    doc: str
    requires: tuple[str, ...] = ()  # keys of ``score`` the method needs
    allows: tuple[str, ...] = ()  # further keys of METHOD_KEYS it may take
    default_base: float = 0.0  # ``base`` when the pack gives none
    rule_points: bool = False  # its expression may read ``rule_points`` (the capped sum of fired points)
    adds_points: bool = False  # the score is ``base`` plus or minus the sum of fired points
    may_be_missing: bool = False  # some entities may get no score (then the unknown-score level applies)


SCORE_METHODS: dict[str, ScoreMethod] = {}


def declare_score_method(method: ScoreMethod) -> ScoreMethod:
    """Add a score method to the format. Raises ValueError when the name is taken or a key unknown."""
    if method.name in SCORE_METHODS:
        raise ValueError(f"score method '{method.name}' is declared already")
    unknown = set(method.requires + method.allows) - set(METHOD_KEYS) - {"base"}
    if unknown:
        raise ValueError(f"score method '{method.name}' names unknown keys: {', '.join(sorted(unknown))}")
    SCORE_METHODS[method.name] = method
    return method


for _method in (
    ScoreMethod("sum", "base (default 0) plus the points of the fired rules", allows=("caps",), adds_points=True),
    ScoreMethod("deduct", "base (the score before deductions, e.g. 100) minus the points of the fired rules",
                requires=("base",), allows=("caps",), adds_points=True),
    ScoreMethod("max", "the largest points among the fired rules (base when none fired)"),
    ScoreMethod("product", "the product over groups of the largest points fired in each group (LEC: L × E × C)",
                default_base=1.0, may_be_missing=True),
    ScoreMethod("matrix", "matrix[likelihood - 1][severity - 1], both expressions giving 1..n",
                requires=("likelihood", "severity", "matrix"), may_be_missing=True),
    ScoreMethod("expr", "an expression over fields and derived values; rule_points is the sum of fired points",
                requires=("expr",), rule_points=True, may_be_missing=True),
):
    declare_score_method(_method)


def _declared(name: str) -> str:
    if name not in SCORE_METHODS:
        raise ValueError(f"unknown score method '{name}'; declared: {', '.join(SCORE_METHODS)}")
    return name


# Checked against the declarations when a pack is read (a method declared later is accepted too);
# the JSON Schema lists the methods declared with the format.
MethodName = Annotated[str, AfterValidator(_declared),
                       WithJsonSchema({"enum": list(SCORE_METHODS), "title": "Method", "type": "string"})]


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

    method: MethodName
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
        method = SCORE_METHODS[self.method]
        missing = [k for k in method.requires if not _given(getattr(self, k))]
        if missing:
            raise ValueError(f"method '{self.method}' needs {_listed(missing)}: {method.doc}")
        extra = [k for k in METHOD_KEYS if _given(getattr(self, k)) and k not in method.requires + method.allows]
        if extra:
            takers = [m.name for m in SCORE_METHODS.values() if extra[0] in m.requires + m.allows]
            raise ValueError(f"{_listed(extra)} {'is' if len(extra) == 1 else 'are'} only allowed with "
                             f"method{'s' if len(takers) > 1 else ''} {_listed(takers)}")
        if self.matrix is not None and (not self.matrix or len({len(r) for r in self.matrix}) != 1
                                        or not self.matrix[0]):
            raise ValueError("'matrix' must be a non-empty rectangle of numbers")
        return self


def _given(value: Any) -> bool:
    return value is not None and value != {}


def _listed(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
