"""Headers -> what each input column is read as: a pack field, a carried column, the entity id — or
reported: unknown (with the closest names), a second column for one field, ambiguous, not used.

A header is accepted as a name when, after folding width, case, spaces and a trailing unit in
brackets (``table.names.name_key``), it equals one of: the mapping file's header for it, the field
id, its ``label.zh`` or ``label.en``, one of its ``aliases``, or a built-in name of the id and the
jurisdiction columns (``builtin``). Nothing is matched by resemblance: a near miss is a suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..compiler.program import Program
from ..errors import OptionError
from ..model.common import LocalText
from ..table.names import closest, name_key
from .builtin import BUILTIN_NAMES, ENTITY_ID

# How a header was matched, strongest first; when two columns give one field the stronger is used.
HOW = ("mapping", "id_column", "id", "label_zh", "label_en", "alias", "builtin")
_RANK = {how: i for i, how in enumerate(HOW)}


@dataclass(frozen=True)
class Target:
    """A name an input column can be read as, with what it is."""

    name: str
    packs: tuple[str, ...] = ()  # the packs declaring it as a field (none: carried or the id)
    label: LocalText | None = None
    carried: bool = False

    @property
    def is_field(self) -> bool:
        return bool(self.packs)


@dataclass(frozen=True)
class ColumnMatch:
    """One input column and what became of it.

    ``how`` is one of ``HOW`` for a column used (``target`` set; a ``--keep`` column is matched by its
    name like an id), else ``unknown``, ``ignored``
    (the mapping says so), ``duplicate`` (another column gives the same ``target``, named in
    ``other``) or ``ambiguous`` (``candidates`` could each be meant).
    """

    header: str
    target: str | None
    how: str
    other: str | None = None
    suggestions: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()

    @property
    def used(self) -> bool:
        return self.target is not None and self.how in _RANK


@dataclass(frozen=True)
class ColumnPlan:
    """Every input column's match, in input order, and the kept columns the input does not have."""

    matches: tuple[ColumnMatch, ...]
    missing_keep: tuple[str, ...] = ()

    @cached_property
    def renames(self) -> dict[str, str]:
        """Input header -> the name it is read as, for the columns used (worked out once per plan)."""
        return {m.header: m.target for m in self.matches if m.used and m.target is not None}

    @property
    def targets(self) -> set[str]:
        return set(self.renames.values())

    def column_of(self, target: str) -> str | None:
        return next((h for h, t in self.renames.items() if t == target), None)


@dataclass(frozen=True)
class _Entry:
    target: str
    how: str


@dataclass
class Names:
    """Every accepted name of every target, by key; built once per run from the packs and options."""

    targets: dict[str, Target] = field(default_factory=dict)
    by_key: dict[str, list[_Entry]] = field(default_factory=dict)
    mapped: dict[str, str | None] = field(default_factory=dict)  # key of their header -> target
    id_column: str | None = None
    keep: tuple[str, ...] = ()

    @classmethod
    def build(cls, programs: Sequence[Program], carried: Sequence[str], mapped: dict[str, str | None],
              id_column: str | None = None, keep: Sequence[str] = ()) -> "Names":
        names = cls(mapped={name_key(k): v for k, v in mapped.items()}, id_column=id_column, keep=tuple(keep))
        for p in programs:
            for f in p.fields:
                t = names.targets.get(f.name)
                packs = (t.packs if t else ()) + (p.pack_id,)
                names.targets[f.name] = Target(f.name, packs, (t.label if t and t.label else f.label))
                names._add(f.name, f.name, "id")
                if f.label is not None:
                    names._add(f.name, f.label.zh, "label_zh")
                    names._add(f.name, f.label.en, "label_en")
                for alias in f.aliases:
                    names._add(f.name, alias, "alias")
        for name in (ENTITY_ID, *carried, *keep):
            t = names.targets.get(name)
            names.targets[name] = Target(name, t.packs if t else (), t.label if t else None, carried=True)
            names._add(name, name, "id")
        for name, words in BUILTIN_NAMES.items():
            if name in names.targets:
                for word in words:
                    names._add(name, word, "builtin")
        return names

    def _add(self, target: str, text: str | None, how: str) -> None:
        if not text:
            return
        entries = self.by_key.setdefault(name_key(text), [])
        if _Entry(target, how) not in entries:
            entries.append(_Entry(target, how))

    # --- matching ------------------------------------------------------------------------------

    def plan(self, headers: Sequence[str]) -> ColumnPlan:
        """What each of ``headers`` is read as (see the module docstring)."""
        matches = [self._match(h) for h in headers]
        matches = _one_column_per_target(matches)
        missing = self._missing_kept(matches)
        if self.id_column and not any(m.used and m.target == ENTITY_ID for m in matches):
            raise OptionError(f"the input has no column '{self.id_column}' for entity ids")
        return ColumnPlan(tuple(matches), tuple(missing))

    def _match(self, header: str) -> ColumnMatch:
        key = name_key(header)
        if key in self.mapped:
            target = self.mapped[key]
            return ColumnMatch(header, target, "mapping" if target else "ignored")
        if self.id_column is not None and key == name_key(self.id_column):
            return ColumnMatch(header, ENTITY_ID, "id_column")
        entries = self.by_key.get(key, [])
        if not entries:
            return ColumnMatch(header, None, "unknown", suggestions=self.suggest(key))
        best = min(_RANK[e.how] for e in entries)
        chosen = sorted({e.target for e in entries if _RANK[e.how] == best})
        if len(chosen) > 1:
            return ColumnMatch(header, None, "ambiguous", candidates=tuple(chosen))
        how = next(e.how for e in entries if _RANK[e.how] == best)
        return ColumnMatch(header, chosen[0], how)

    def suggest(self, key: str) -> tuple[str, ...]:
        """The target names whose accepted names are closest to ``key``."""
        out: list[str] = []
        for near in closest(key, self.by_key, n=6):
            for e in self.by_key[near]:
                if e.target not in out:
                    out.append(e.target)
        return tuple(out[:3])

    def _missing_kept(self, matches: list[ColumnMatch]) -> list[str]:
        """Kept columns no input column gives (they come out empty; strict refuses them)."""
        used = {m.target for m in matches if m.used}
        return [name for name in self.keep if name not in used]


def _one_column_per_target(matches: list[ColumnMatch]) -> list[ColumnMatch]:
    """When two columns give one target, the stronger match (then the first) is used, the other
    reported as a duplicate naming it."""
    best: dict[str, int] = {}
    for i, m in enumerate(matches):
        if m.used and m.target is not None:
            j = best.get(m.target)
            if j is None or _RANK[m.how] < _RANK[matches[j].how]:
                best[m.target] = i
    out = []
    for i, m in enumerate(matches):
        if m.used and m.target is not None and best[m.target] != i:
            out.append(ColumnMatch(m.header, m.target, "duplicate", other=matches[best[m.target]].header))
        else:
            out.append(m)
    return out
