"""Run a pack's own examples on every engine and report each mismatch as a located diagnostic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .backends import reference
from .compiler import Program
from .errors import Diagnostic, Location
from .io.convert import convert_entity
from .io.read_base import RawChunk
from .grading import Grader
from .model import Example

ENGINES = ("reference", "batch")


def run_examples(program: Program, locate: Any = None) -> list[Diagnostic]:
    """Every example on every engine; a diagnostic per expectation that does not hold."""
    out: list[Diagnostic] = []
    for i, example in enumerate(program.examples):
        loc = locate(f"/examples/{i}") if locate else Location(program.file, pointer=f"/examples/{i}")
        for engine in ENGINES:
            try:
                record = grade_example(program, example, engine)
            except Exception as exc:  # an example must never crash the check: report it
                out.append(Diagnostic("RG502", f"example '{example.id}' could not be graded by the {engine} "
                                               f"engine: {exc}", loc))
                continue
            for problem in compare(example, record):
                out.append(Diagnostic("RG501", f"example '{example.id}' ({engine} engine): {problem}", loc))
    return out


def grade_example(program: Program, example: Example, engine: str) -> dict[str, Any]:
    if engine == "reference":
        (record,) = reference.grade_records(program, [example.entity], example.as_of, example.params)
        return record
    values, errors = convert_entity(program.fields, example.entity)
    if errors:
        return {"rejected": [(f, v, r, "RG400") for f, v, r in errors]}
    import pyarrow as pa

    raw = pa.Table.from_pylist([{k: _cell(v) for k, v in example.entity.items()}])
    grader = Grader([program], example.as_of, example.params)
    result = grader.grade_chunk(RawChunk(raw, np.array([1])))
    if result.rejects:
        return {"rejected": [(r.field, r.value, r.reason, r.code) for r in result.rejects]}
    return result.long.to_pylist()[0]


def _cell(value: Any) -> Any:
    import json

    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else value


def compare(example: Example, record: dict[str, Any]) -> list[str]:
    exp = example.expect
    if "rejected" in record:
        return [f"entity rejected: {record['rejected'][0][2]}"]
    problems = []
    checks = {
        "applies": exp.applies, "level": exp.level, "score": exp.score,
        "inspection_interval_days": exp.interval_days,
    }
    for key, want in checks.items():
        if want is not None and record.get(key) != want:
            problems.append(f"expected {key} {want!r}, got {record.get(key)!r}")
    for key, want in (("fired", exp.fired), ("controls", exp.controls), ("data_gaps", exp.data_gaps)):
        if want is not None and sorted(record.get(key) or []) != sorted(want):
            got = sorted(record.get(key) or [])
            extra = sorted(set(got) - set(want))
            missing = sorted(set(want) - set(got))
            problems.append(f"{key}: unexpected {extra or '-'}, missing {missing or '-'}")
    for name, want in (exp.derived or {}).items():
        got = record.get(name)
        if isinstance(got, dt.date):
            got = got.isoformat()
        if isinstance(want, float) and isinstance(got, float) and abs(want - got) <= 1e-9 * max(1, abs(want)):
            continue
        if got != want:
            problems.append(f"expected derived {name} {want!r}, got {got!r}")
    return problems


__all__ = ["ENGINES", "compare", "grade_example", "run_examples"]
