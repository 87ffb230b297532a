"""The ``compiled`` backend: a pack turned once into straight-line Python for one entity.

The way fastjsonschema turns a schema into a validator, ``generate.module_source`` writes a module
from the typed IR (no table machinery, no tree walking per entity); it is checked
(``check.check_source``), compiled, and cached by the pack's sha256, so every Program of the same
pack text shares it. ``source(program)`` gives the module text for a person to read
(``riskgrade compile --pack ID`` prints it). The reference engine is its oracle: the conformance
corpus and the differential tests hold the two to identical records. A pack holding a construct the
generator does not lower is graded by the reference engine instead (``unsupported`` says why).

>>> import datetime as dt, riskgrade
>>> from riskgrade.backends import compiled
>>> pack = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK)
>>> compiled.grade_records(pack, [{"exits": 1}], dt.date(2026, 1, 1))[0]["fired"]
['few_exits']
>>> "def core(" in compiled.source(pack)
True
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ...compiler.program import Program
from ...expr.lower_python import Unsupported
from ...table import Table
from .. import reference
from ..base import PackGrades, Record, columns_by_entity, resolve_params
from .check import check_source
from .generate import module_source
from .runtime import namespace

name = "compiled"
MAX_CACHED_PACKS = 64


@dataclass(frozen=True)
class CompiledPack:
    """One pack's generated module: its text and its two entry points."""

    sha256: str
    source: str
    grade: Callable[[Mapping[str, Any], dt.date, Mapping[str, Any]], Record]  # raw values
    grade_values: Callable[[Mapping[str, Any], dt.date, Mapping[str, Any]], Record]  # typed values


_cache: OrderedDict[str, CompiledPack | Unsupported] = OrderedDict()
_lock = threading.Lock()


def compile_pack(program: Program) -> CompiledPack:
    """The pack's compiled module, built once per pack text; raises ``Unsupported`` with the reason
    when the generator cannot lower the pack."""
    found = program.cache.get("compiled")
    if found is None:
        with _lock:
            found = _cache.get(program.sha256)
            if found is not None:
                _cache.move_to_end(program.sha256)
        if found is None:
            found = _build(program)
            with _lock:
                _cache[program.sha256] = found
                while len(_cache) > MAX_CACHED_PACKS:
                    _cache.popitem(last=False)
        program.cache["compiled"] = found
    if isinstance(found, Unsupported):
        raise found
    return found


def _build(program: Program) -> CompiledPack | Unsupported:
    try:
        text = module_source(program)
        tree = check_source(text)
        code = compile(tree, f"<riskgrade compiled {program.pack_id} {program.sha256[:12]}>", "exec")
    except Unsupported as exc:
        return exc
    except (RecursionError, SyntaxError, MemoryError, ValueError) as exc:  # too deep for Python's compiler
        return Unsupported(f"the generated module cannot be compiled: {exc}")
    ns = namespace()
    exec(code, ns)  # noqa: S102 - our own module, checked above: no name, attribute or call from a pack
    return CompiledPack(program.sha256, text, ns["grade"], ns["grade_values"])


def source(program: Program) -> str:
    """The Python module the pack compiles to (raises ``Unsupported`` when it cannot be compiled)."""
    return compile_pack(program).source


def unsupported(program: Program) -> str | None:
    """Why the pack is graded by the reference engine instead, or None when it compiles."""
    try:
        compile_pack(program)
    except Unsupported as exc:
        return str(exc)
    return None


def grade_records(program: Program, records: Sequence[Mapping[str, Any]], as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> list[Record]:
    """Grade raw entity dicts; a rejected entity's record has ``rejected`` with its reasons."""
    chosen = resolve_params(program, params)
    try:
        grade = compile_pack(program).grade
    except Unsupported:
        return reference.grade_records(program, records, as_of, chosen)
    return [_flat(grade(raw, as_of, chosen)) for raw in records]


def grade_one(program: Program, raw: Mapping[str, Any], as_of: dt.date, params: Mapping[str, Any]) -> Record:
    """Grade one entity's raw values with parameters already resolved (``base.resolve_params``):
    the shortest path, for ``riskgrade.grade``. The record holds the derived values under
    ``derived`` (the shape of ``results.PackResult``), not beside the columns."""
    try:
        return compile_pack(program).grade(raw, as_of, params)
    except Unsupported:
        (record,) = reference.grade_records(program, [raw], as_of, params)
        if "rejected" not in record:
            record["derived"] = {name: record.pop(name) for name, _ in program.derive}
        return record


def grade_entity(program: Program, values: Mapping[str, Any], as_of: dt.date, params: Mapping[str, Any]) -> Record:
    """Grade one entity whose values are typed (``table.convert``) with resolved parameters."""
    try:
        grade = compile_pack(program).grade_values
    except Unsupported:
        return reference.grade_entity(program, values, as_of, params)
    return _flat(grade(values, as_of, params))


def _flat(record: Record) -> Record:
    """The record with its derived values beside the columns, as every engine gives them."""
    derived = record.pop("derived", None)
    if derived:
        record.update(derived)
    return record


def grade_columns(program: Program, table: Table, as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> PackGrades:
    """Grade a chunk of typed columns, one entity after another."""
    return columns_by_entity(grade_entity, program, table, as_of, params)


__all__ = ["CompiledPack", "compile_pack", "grade_columns", "grade_entity", "grade_one", "grade_records", "name",
           "source", "unsupported"]
