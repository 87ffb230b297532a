"""The grading engines, each a ``Backend`` (see ``base``): ``batch`` (numpy, the workhorse and the
default), ``reference`` (plain Python, the oracle), ``durable`` (durable_rules' Rete engine) and
``compiled`` (a pack as straight-line Python for one entity: what ``riskgrade.grade`` uses).

>>> from riskgrade.backends import engine
>>> engine("reference").name
'reference'
"""

from __future__ import annotations

from ..errors import OptionError
from . import batch, compiled, durable, reference
from .base import Backend, PackGrades

ENGINES: dict[str, Backend] = {b.name: b for b in (batch, reference, durable, compiled)}  # type: ignore[misc]


def engine(name: str) -> Backend:
    """The backend called ``name``; raises OptionError naming the engines there are."""
    try:
        return ENGINES[name]
    except KeyError:
        raise OptionError(f"no grading engine '{name}' (engines: {', '.join(ENGINES)})") from None


__all__ = ["ENGINES", "Backend", "PackGrades", "batch", "compiled", "durable", "engine", "reference"]
