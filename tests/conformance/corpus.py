"""The conformance corpus: YAML cases that every engine must pass, through the same ``Backend``.

A case file (``cases/*.yaml``) holds a ``description``, an optional ``as_of`` for its cases, a
``pack:`` fragment merged over ``base.yaml`` (mappings merge key by key, anything else is replaced,
``null`` removes a key) and ``cases:``. A case is a pack example (``id``, ``description``,
``as_of``, ``params``, ``entity``, ``expect``) with, optionally, its own ``pack:`` fragment merged
over the file's. ``expect`` checks exactly the keys it gives: any column of the long form
(``level``, ``score`` — ``null`` is an unknown score —, ``fired`` and ``data_gaps`` in their order,
``controls``, ``applies``, ``inspection_interval_days`` …), ``derived: {name: value}``, or
``rejected: [codes]`` for an entity that must be rejected with those reasons. A case with
``diagnostics: [{code, pointer}]`` instead of an entity is a pack that must not compile.

``exceptions.yaml`` lists, per engine, the cases it cannot pass yet and why.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml

import riskgrade
from riskgrade.backends.base import Backend
from riskgrade.compiler import Program
from riskgrade.grading import GradeOptions, Grader
from riskgrade.table import RawChunk

HERE = Path(__file__).resolve().parent
DEFAULT_AS_OF = dt.date(2026, 6, 30)


@dataclass(frozen=True)
class Case:
    file: str
    id: str
    pack_text: str
    as_of: dt.date = DEFAULT_AS_OF
    params: dict[str, Any] = field(default_factory=dict)
    entity: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, Any] | None = None
    diagnostics: list[dict[str, str]] | None = None

    @property
    def key(self) -> str:
        return f"{self.file}/{self.id}"


def merge(base: Any, fragment: Any) -> Any:
    """``fragment`` over ``base``: mappings key by key (``None`` removes a key), anything else replaced."""
    if not isinstance(base, dict) or not isinstance(fragment, dict):
        return fragment
    out = dict(base)
    for key, value in fragment.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge(out.get(key), value) if key in out else value
    return out


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_cases() -> list[Case]:
    base = _read(HERE / "base.yaml")
    cases = []
    for path in sorted((HERE / "cases").glob("*.yaml")):
        spec = _read(path)
        file_pack = merge(base, spec.get("pack") or {})
        for c in spec["cases"]:
            pack = merge(file_pack, c.get("pack") or {})
            cases.append(Case(path.stem, c["id"], yaml.safe_dump(pack, allow_unicode=True, sort_keys=False),
                              c.get("as_of", spec.get("as_of", DEFAULT_AS_OF)), c.get("params") or {},
                              c.get("entity") or {}, c.get("expect"), c.get("diagnostics")))
    return cases


def load_exceptions() -> dict[str, dict[str, str]]:
    return {engine: dict(listed or {}) for engine, listed in (_read(HERE / "exceptions.yaml") or {}).items()}


@lru_cache(maxsize=None)
def program(pack_text: str) -> Program:
    """Compiled once per distinct pack, so that the engines' caches on it are shared by its cases."""
    return riskgrade.loads_pack(pack_text, "conformance.yaml")


def grade(case: Case, backend: Backend, path: str) -> dict[str, Any]:
    """The case's entity graded by ``backend``: through the ``Grader`` from a raw one-row chunk, as a
    run grades a file (``path="grader"``), or with the backend's ``grade_records`` (``"records"``)."""
    prog = program(case.pack_text)
    if path == "records":
        (record,) = backend.grade_records(prog, [case.entity], case.as_of, case.params)
        return record
    raw = pa.Table.from_pylist([{"entity_id": case.key, **{k: _cell(v) for k, v in case.entity.items()}}])
    grader = Grader([prog], GradeOptions(as_of=case.as_of, params=case.params), backend=backend)
    result = grader.grade_chunk(RawChunk(raw, np.array([1])))
    if result.rejects:
        return {"rejected": [(p.field, p.value, p.reason, p.code) for r in result.rejects for p in r.problems]}
    (record,) = result.long.to_pylist()
    return record


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else value


def problems(record: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """Every expectation the record does not meet (none: the case passes)."""
    if "rejected" in expect or "rejected" in record:
        got = [r[3] for r in record["rejected"]] if "rejected" in record else "graded"
        want = expect.get("rejected", "graded")
        return [] if got == want else [f"expected {want}, got {got} ({record.get('rejected') or record})"]
    out = []
    for key, want in expect.items():
        pairs = want.items() if key == "derived" else [(key, want)]
        for name, value in pairs:
            if name not in record:
                out.append(f"no '{name}' in the record")
            elif record[name] != value:
                out.append(f"{name}: expected {value!r}, got {record[name]!r}")
    return out
