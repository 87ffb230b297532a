"""The rule pack as an expert panel writes it (``rules/*.yaml``). Data only: nothing here evaluates."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .common import Expression, Ident, Name, Strict, Text
from .controls import Controls
from .examples import Example
from .fields import FieldSpec, Parameter
from .inspection import Inspection
from .levels import Level
from .lifecycle import Lifecycle
from .rules import OnMissing, Rule
from .scoring import Score
from .tables import BandedTable, KeyedTable


def _version_text(value: Any) -> Any:
    return str(value) if isinstance(value, (int, float)) else value


def _derive_from_str(value: Any) -> Any:
    return {"expr": value} if isinstance(value, str) else value


class BasisDoc(Strict):
    """A standard or document the pack implements; rules cite it by ``id``."""

    id: Ident
    title: Text
    issuer: str | None = None
    url: str | None = None
    note: Text | None = None


class Derived(Strict):
    """A named value computed from fields, tables and earlier derived values."""

    expr: Expression
    label: Text | None = None
    unit: str | None = None
    basis: str | None = None


class DerivedGroups(Strict):
    """The records of a list field grouped by an item field, with values computed per group (e.g. a
    chemical inventory per identification unit: each unit's S, R and grade). Expressions read the
    result as a list: ``min(units, grade)``, ``count(units, s >= 1)``."""

    group: Name  # the list field whose records are grouped
    by: Name  # the item field naming each record's group; records without one form one group
    values: dict[Name, Expression] = Field(min_length=1)  # computed per group, in this order
    label: Text | None = None
    basis: str | None = None


class Pack(Strict):
    """A whole rule pack. See ``docs/pack-format.md`` for every key with an example."""

    pack: Ident
    version: Annotated[str, BeforeValidator(_version_text)]
    title: Text
    owner: Text
    description: Text | None = None
    basis: list[BasisDoc] = []
    applies_when: Expression | None = None
    on_missing: OnMissing = "ignore"
    parameters: dict[Name, Parameter] = {}
    fields: dict[Name, FieldSpec]
    tables: dict[Name, Annotated[KeyedTable | BandedTable, Field(discriminator="kind")]] = {}
    derive: dict[Name, Annotated[Derived | DerivedGroups, BeforeValidator(_derive_from_str)]] = {}
    levels: list[Level] = Field(min_length=2)
    score: Score
    rules: list[Rule] = []
    controls: Controls = Controls()
    inspection: Inspection | None = None
    lifecycle: Lifecycle | None = None
    examples: list[Example] = []
