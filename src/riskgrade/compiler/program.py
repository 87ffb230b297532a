"""The compiled pack (``Program``): frozen, checked, with its fingerprint. Engines see only this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..expr.nodes import Expr, Type
from ..model import Example, LocalText
from .tables import CompiledTable


@dataclass(frozen=True)
class CompiledField:
    name: str
    kind: str  # number | integer | boolean | category | date | string | list
    type: Type
    values: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    required: bool = False
    default: Any = None
    items: tuple["CompiledField", ...] = ()
    label: LocalText | None = None
    # how a registry may name the field and spell its values (resolve/): other column names, each
    # category code's label, and each code's other spellings
    aliases: tuple[str, ...] = ()
    value_labels: tuple[LocalText | None, ...] = ()
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unit: str | None = None


@dataclass(frozen=True)
class CompiledExpr:
    text: str
    node: Expr
    pointer: str
    fields: frozenset[str]  # input fields read, directly or through derived values


@dataclass(frozen=True)
class CompiledRule:
    index: int
    id: str
    when: CompiledExpr
    points: float
    group: str  # rules without a group form a group of their own
    set_level: int | None
    raise_: int
    lower: int
    controls: tuple[int, ...]  # measure indexes
    on_missing: str
    hazard: LocalText | None
    basis: str | None
    gap: int | None = None  # index into Program.gap_names: named in data_gaps when the rule fires


@dataclass(frozen=True)
class CompiledScore:
    method: str
    base: float
    groups: tuple[str, ...]  # score groups in first-appearance order
    caps: tuple[float | None, ...]  # per group
    expr: CompiledExpr | None
    likelihood: CompiledExpr | None
    severity: CompiledExpr | None
    matrix: tuple[tuple[float, ...], ...] | None
    bands: tuple[tuple[float, float, int], ...]  # [min, max) -> level index; open ends as ±inf

    def band_of(self, score: float) -> int:
        for lo, hi, level in self.bands:
            if lo <= score < hi:
                return level
        raise AssertionError("bands cover every score")  # checked by the compiler


@dataclass(frozen=True)
class CompiledAdjustment:
    id: str
    multiply: float | None
    max_days: int | None
    when: CompiledExpr | None = None  # modifiers
    window: tuple[tuple[int, int], tuple[int, int]] | None = None  # campaigns: (month, day) from, to
    levels: frozenset[int] | None = None  # campaigns: the levels it touches (None: all)

    def in_window(self, day: dt.date) -> bool:
        assert self.window is not None
        start, end, md = self.window[0], self.window[1], (day.month, day.day)
        return start <= md <= end if start <= end else (md >= start or md <= end)


@dataclass(frozen=True)
class CompiledInspection:
    intervals: tuple[int | None, ...]  # per level
    last_inspection: str | None
    modifiers: tuple[CompiledAdjustment, ...]
    campaigns: tuple[CompiledAdjustment, ...]


@dataclass(frozen=True)
class CompiledFix:
    """One declared way to rectify a finding: set ``field`` to ``value``, at a cost, in some days."""

    index: int
    id: str
    field: str
    value: Any  # typed as the field's cells are (table.convert); None when relative to the grading date
    to: str  # the value as the advice shows it (true/false, 2, a category code, YYYY-MM-DD, as_of + 365)
    as_of_days: int | None  # the value is the grading date plus these days (``to: as_of + 365``)
    to_field: str | None  # the value is that of another field of the entity (``to: licensed_quantity``)
    from_values: tuple[Any, ...] | None  # typed: the fix applies only where the field has one of them
    action: LocalText
    cost: float
    days: float
    by: LocalText | None
    on_the_spot: bool
    rule: str | None  # the rule it is declared on (None: on the field)
    local_choice: bool
    pointer: str

    def value_on(self, as_of: dt.date, entity: Any = None) -> Any:
        """The value after the fix, on grading date ``as_of``; for a fix that copies another field,
        that field's value in ``entity`` (typed values by field name)."""
        if self.to_field is not None:
            return None if entity is None else entity.get(self.to_field)
        return self.value if self.as_of_days is None else as_of + dt.timedelta(days=self.as_of_days)


@dataclass(frozen=True)
class CompiledLevel:
    id: str
    label: LocalText
    color: str


@dataclass(frozen=True)
class Program:
    """Everything an engine needs to grade entities with one pack."""

    pack_id: str
    version: str
    sha256: str
    file: str
    title: LocalText
    owner: LocalText
    on_missing: str
    levels: tuple[CompiledLevel, ...]
    fields: tuple[CompiledField, ...]
    params: dict[str, tuple[Type, Any]]  # name -> (type, default)
    tables: dict[str, CompiledTable]
    derive: tuple[tuple[str, CompiledExpr], ...]
    applies_when: CompiledExpr | None
    rules: tuple[CompiledRule, ...]
    score: CompiledScore
    measures: tuple[tuple[str, LocalText], ...]
    level_controls: tuple[tuple[int, ...], ...]  # per level: measure indexes
    responsible: tuple[str | None, ...]  # per level: tier id
    tiers: dict[str, LocalText]
    inspection: CompiledInspection | None
    examples: tuple[Example, ...]
    # what data_gaps may name, in order: every field, each list field followed by the item fields
    # that rules name in ``data_gap`` (``inventory.ghs_category``)
    gap_names: tuple[str, ...] = ()
    cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    lifecycle: Any = None  # compiler.lifecycle.CompiledLifecycle
    basis: dict[str, LocalText] = field(default_factory=dict, compare=False)  # basis id -> its title
    derived_labels: dict[str, LocalText] = field(default_factory=dict, compare=False)
    fixes: tuple[CompiledFix, ...] = ()  # declared rectifications, fields' first (in field order), then rules'
    # The pack as its panel wrote it (model.Pack): labels, notes, basis documents and local-choice marks
    # for documents such as ``explain.pack_document``. Engines never read it.
    model: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def field_gaps(self) -> tuple[int, ...]:
        """Per field, its column among ``gap_names``."""
        cached = self.cache.get("field_gaps")
        if cached is None:
            index = {g: i for i, g in enumerate(self.gap_names)}
            cached = self.cache["field_gaps"] = tuple(index[f.name] for f in self.fields)
        return cached

    def level_index(self, level_id: str) -> int:
        return next(i for i, lv in enumerate(self.levels) if lv.id == level_id)
