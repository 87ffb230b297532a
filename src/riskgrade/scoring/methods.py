"""Score methods: each declared once (``model.scoring.SCORE_METHODS``) and implemented once per engine.

An implementation is registered with ``@implements(method, engine)``; every engine asks for its own
with ``implementation(method, engine)``, which raises for a method nobody declared or a declared
method the engine lacks (never a silent fallback). The engines and what they are handed:

- ``batch`` (numpy): ``(program, hits, column) -> scores``; ``hits`` is the (entities × rules) fired
  matrix, ``column(expr, rule_points=None)`` evaluates one of the pack's expressions for every entity;
  NaN or ±inf where there is no score.
- ``reference`` (plain Python, one entity): ``(program, fired, value) -> score or None``; ``fired`` is
  the list of fired rules, ``value(expr, rule_points=None)`` evaluates an expression for the entity.
- ``compiled`` (Python source for one entity, ``scoring.source``): ``(program, src, fired, value) -> the
  local holding the score``; ``fired`` names the locals that say whether each rule fired and hold each
  group's points, ``value(expr, rule_points=None)`` writes an expression and returns its local.
- ``bounds`` (the linter): ``program -> (lowest, highest)`` score the method can give (±inf where it
  cannot tell), so that unreachable levels can be found.

The durable engine grades through the reference implementation; explain reads the declaration.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from ..errors import EngineError
from ..model.scoring import SCORE_METHODS, ScoreMethod

ENGINES = ("batch", "reference", "compiled", "bounds")
IMPLEMENTATIONS: dict[str, dict[str, Callable[..., Any]]] = {engine: {} for engine in ENGINES}

F = TypeVar("F", bound=Callable[..., Any])


def implements(method: str, engine: str) -> Callable[[F], F]:
    """Register the decorated function as ``engine``'s implementation of the declared ``method``."""
    if engine not in ENGINES:
        raise ValueError(f"no engine '{engine}' implements score methods (engines: {', '.join(ENGINES)})")
    if method not in SCORE_METHODS:
        raise ValueError(f"score method '{method}' is not declared (model.scoring.declare_score_method)")

    def register(fn: F) -> F:
        IMPLEMENTATIONS[engine][method] = fn
        return fn

    return register


def declaration(method: str) -> ScoreMethod:
    """The declaration of ``method``; raises EngineError for a method nobody declared."""
    try:
        return SCORE_METHODS[method]
    except KeyError:
        raise EngineError(f"unknown score method '{method}'; declared: {', '.join(SCORE_METHODS)}") from None


def implementation(method: str, engine: str) -> Callable[..., Any]:
    """``engine``'s implementation of ``method``; raises EngineError when there is none."""
    declaration(method)
    try:
        return IMPLEMENTATIONS[engine][method]
    except KeyError:
        raise EngineError(f"score method '{method}' has no {engine} implementation") from None


def missing_implementations() -> list[tuple[str, str]]:
    """(method, engine) for every declared method an engine does not implement: none, in a release."""
    return [(m, e) for m in SCORE_METHODS for e in ENGINES if m not in IMPLEMENTATIONS[e]]
