"""Pack tests: a pack's own ``examples`` and the cases of ``<pack>_test.yaml`` beside it, run on every
engine (reference, batch and durable, each through the ``Grader`` as a run grades a file), each
mismatch a located diagnostic, with rule and level coverage (as ``opa test --coverage``).

A case file holds a list under ``cases:`` in the format of ``examples`` (``model.Example``)::

    # yaml-language-server: $schema=../schemas/pack_test.schema.json
    pack: fire_safety            # optional: the id of the pack the cases are for
    cases:
      - id: hotel-50-rooms
        as_of: 2025-06-30
        entity: {venue_type: hotel, guest_rooms: 50}
        expect: {level: yellow, fired: [FS-R-KEY]}
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import ValidationError

from . import backends
from .backends.durable import load_engine
from .compiler import Program
from .errors import Diagnostic, EngineError, Location, PackError
from .source.pack_source import PackSource, read_pack_text
from .source.yaml_source import load_yaml
from .model.common import Ident, Strict
from .table.chunks import RawChunk
from .grading import GradeOptions, Grader
from .model import Example

ENGINES = ("reference", "batch", "durable")


@cache
def usable_engines() -> tuple[tuple[str, ...], str | None]:
    """The engines cases run on here, and why one is left out: durable_rules cannot be imported on
    every Python the project supports (not on 3.13), and grading never needs it."""
    try:
        load_engine()
    except EngineError as exc:
        return tuple(e for e in ENGINES if e != "durable"), str(exc)
    return ENGINES, None


def run_examples(program: Program, locate: Any = None) -> list[Diagnostic]:
    """Every example on every engine; a diagnostic per expectation that does not hold."""
    out: list[Diagnostic] = []
    for i, example in enumerate(program.examples):
        loc = locate(f"/examples/{i}") if locate else Location(program.file, pointer=f"/examples/{i}")
        for engine in usable_engines()[0]:
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
    """One example graded by one engine, through the ``Grader`` as a run grades a file: its record
    (the long form's columns), or ``{"rejected": reasons}``."""
    raw = pa.Table.from_pylist([{k: _cell(v) for k, v in example.entity.items()}])
    options = GradeOptions(as_of=example.as_of, params=example.params)
    grader = Grader([program], options, backend=backends.engine(engine))
    result = grader.grade_chunk(RawChunk(raw, np.array([1])))
    if result.rejects:
        return {"rejected": [(p.field, p.value, p.reason, p.code) for r in result.rejects for p in r.problems]}
    return result.long.to_pylist()[0]


def _cell(value: Any) -> Any:
    """A list or mapping as the JSON text a file would hold (a cell holds one value)."""
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
        got = record.get(key)
        if key == "applies" and got is None:
            got = "undecided"
        if want is not None and got != want:
            problems.append(f"expected {key} {want!r}, got {got!r}")
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


# --- case files and coverage ------------------------------------------------------------------------


class CaseFile(Strict):
    """The content of a ``<pack>_test.yaml`` file."""

    pack: Ident | None = None
    cases: list[Example]


@dataclass(frozen=True)
class Case:
    """One test case and where it is written (the pack's examples or a case file)."""

    example: Example
    location: Location


def case_file_for(pack_file: str | Path) -> Path | None:
    """``fire_safety_test.yaml`` (or ``.yml``) beside ``fire_safety.yaml``, if there is one."""
    p = Path(pack_file)
    for suffix in (".yaml", ".yml"):
        candidate = p.with_name(f"{p.stem}_test{suffix}")
        if candidate.is_file():
            return candidate
    return None


def load_cases(src: PackSource) -> tuple[list[Case], list[Diagnostic]]:
    """The pack's examples, then the cases of its case file; diagnostics for a case file that cannot
    be read or validated, for a case file of another pack, and for case ids used twice."""
    cases = [Case(e, src.source.locate(f"/examples/{i}", rule_id="")) for i, e in enumerate(src.pack.examples)]
    problems: list[Diagnostic] = []
    path = case_file_for(src.file) if src.file and not src.file.startswith("<") else None
    if path is not None:
        more, problems = _read_case_file(path, src.pack.pack)
        cases += more
    seen: set[str] = set()
    for case in cases:
        if case.example.id in seen:
            problems.append(Diagnostic("RG606", f"case id '{case.example.id}' is used twice", case.location,
                                       "warning"))
        seen.add(case.example.id)
    return cases, problems


def _read_case_file(path: Path, pack_id: str) -> tuple[list[Case], list[Diagnostic]]:
    try:
        data, source = load_yaml(read_pack_text(path), str(path))
    except PackError as exc:
        return [], exc.diagnostics
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Diagnostic("RG503", f"cannot read the case file: {exc}", Location(str(path)))]
    try:
        parsed = CaseFile.model_validate(data)
    except ValidationError as exc:
        return [], [_case_error(err, source) for err in exc.errors()]
    if parsed.pack is not None and parsed.pack != pack_id:
        return [], [Diagnostic("RG503", f"the cases are for pack '{parsed.pack}', but the pack beside them is "
                                        f"'{pack_id}'", source.locate("/pack"))]
    return [Case(e, source.locate(f"/cases/{i}")) for i, e in enumerate(parsed.cases)], []


def _case_error(err: dict[str, Any], source: Any) -> Diagnostic:
    loc = [p for p in err["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "union["))]
    pointer = "".join(f"/{p}" for p in loc)
    what = str(loc[-1]) if loc else "file"
    kind = err["type"]
    if kind == "extra_forbidden":
        message = f"unknown key '{what}' in a case (keys: id, description, as_of, params, entity, expect)"
    elif kind == "missing":
        message = f"missing required key '{what}'"
        pointer = "".join(f"/{p}" for p in loc[:-1])
    else:
        message = f"'{what}': {err.get('msg', 'invalid value').removeprefix('Value error, ')}"
    return Diagnostic("RG503", message, source.locate(pointer))


@dataclass
class CaseResult:
    """One case run on every engine: what went wrong (empty when it passed) and what the reference
    engine fired and graded (for coverage)."""

    case: Case
    problems: list[Diagnostic] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    level: str | None = None

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class PackTestReport:
    """Every case of one pack, and which rules and levels no case exercises."""

    program: Program
    results: list[CaseResult]
    load_problems: list[Diagnostic] = field(default_factory=list)

    @property
    def covered_rules(self) -> list[str]:
        fired = {r for res in self.results for r in res.fired}
        return [r.id for r in self.program.rules if r.id in fired]

    @property
    def uncovered_rules(self) -> list[str]:
        covered = set(self.covered_rules)
        return [r.id for r in self.program.rules if r.id not in covered]

    @property
    def uncovered_levels(self) -> list[str]:
        reached = {res.level for res in self.results}
        return [lv.id for lv in self.program.levels if lv.id not in reached]

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.load_problems + [d for r in self.results for d in r.problems]

    def to_dict(self) -> dict[str, Any]:
        p = self.program
        n_rules, n_levels = len(p.rules), len(p.levels)
        return {
            "pack": p.pack_id, "pack_version": p.version, "pack_sha256": p.sha256, "file": p.file,
            "cases": len(self.results), "passed": len(self.results) - len(self.failed), "failed": len(self.failed),
            "failures": [{"case": r.case.example.id, "problems": [d.to_dict() for d in r.problems]}
                         for r in self.failed],
            "coverage": {
                "rules": {"covered": n_rules - len(self.uncovered_rules), "total": n_rules,
                          "percent": _percent(n_rules - len(self.uncovered_rules), n_rules),
                          "not_covered": self.uncovered_rules},
                "levels": {"covered": n_levels - len(self.uncovered_levels), "total": n_levels,
                           "percent": _percent(n_levels - len(self.uncovered_levels), n_levels),
                           "not_covered": self.uncovered_levels},
            },
        }


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def run_case(program: Program, case: Case) -> CaseResult:
    """One case on every engine; a diagnostic per expectation that does not hold."""
    example, result = case.example, CaseResult(case)
    for engine in usable_engines()[0]:
        try:
            record = grade_example(program, example, engine)
        except Exception as exc:  # a case must never crash the run: report it
            result.problems.append(Diagnostic("RG502", f"case '{example.id}' could not be graded by the {engine} "
                                                       f"engine: {exc}", case.location))
            continue
        if engine == "reference" and "rejected" not in record:
            result.fired, result.level = list(record.get("fired") or []), record.get("level")
        for problem in compare(example, record):
            result.problems.append(Diagnostic("RG501", f"case '{example.id}' ({engine} engine): {problem}",
                                              case.location))
    return result


def run_pack_tests(src: PackSource, program: Program) -> PackTestReport:
    """Every case of a compiled pack (examples and case file) on every engine, with coverage."""
    cases, problems = load_cases(src)
    missing = usable_engines()[1]
    if missing:  # said once per pack, as a warning: the cases still ran on the other engines
        problems = problems + [Diagnostic("RG504", f"cases not run on the durable engine: {missing}",
                                          Location(program.file), "warning")]
    return PackTestReport(program, [run_case(program, c) for c in cases], problems)


__all__ = ["ENGINES", "Case", "CaseFile", "CaseResult", "PackTestReport", "case_file_for", "compare",
           "grade_example", "load_cases", "run_case", "run_examples", "run_pack_tests", "usable_engines"]
