"""The compiled engine: a pack as straight-line Python, generated from the IR only, checked before
it runs, cached by the pack's sha256, printable, and graded like the reference engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import riskgrade
from riskgrade.backends import compiled, reference
from riskgrade.backends.compiled.check import check_source
from riskgrade.expr.lower_python import Unsupported

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 6, 30)

HOSTILE = '''pack: __import__
version: "1\\n__import__('os')"
title: {en: "\\"); __import__('os') #"}
owner: {en: O}
fields:
  open: {type: number}
  场所: {type: category, values: ["a'); open('/etc/passwd", "仓库"]}
  exec: {type: string}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: blue, label: {en: B}, color: blue}
score: {method: sum, bands: [{level: red, min: 10}, {level: blue, max: 10}]}
rules:
  - {id: "os.system", when: "open > 1 and 场所 == \\"a'); open('/etc/passwd\\"", points: 10}
  - {id: eval, when: "exec == '\\\\n\\\\x00\\\\'\\\\''", points: 1}
'''


def test_every_shipped_pack_compiles_and_agrees_with_the_reference_on_its_examples():
    for program in riskgrade.load_packs(ROOT / "rules"):
        assert compiled.unsupported(program) is None, program.pack_id
        for ex in program.examples:
            assert compiled.grade_records(program, [ex.entity], ex.as_of, ex.params) == \
                reference.grade_records(program, [ex.entity], ex.as_of, ex.params), (program.pack_id, ex.id)


def test_names_and_text_from_a_pack_never_reach_code_position():
    program = riskgrade.loads_pack(HOSTILE)
    text = compiled.source(program)
    check_source(text)  # only the generator's constructs, names and plain literals
    for entity in ({"open": 2, "场所": "a'); open('/etc/passwd"}, {"exec": "\n\x00'"}, {}):
        assert compiled.grade_records(program, [entity], AS_OF) == reference.grade_records(program, [entity], AS_OF)
    assert compiled.grade_records(program, [{"open": 2, "场所": "a'); open('/etc/passwd"}], AS_OF)[0]["level"] \
        == "red"


@pytest.mark.parametrize("smuggled", [
    "import os", "open('/etc/passwd')", "x = __import__('os')", "x = (1).__class__.__bases__",
    "def f():\n    yield 1", "x = lambda: 1", "x = f'{y}'", "class A:\n    pass", "x = b'bytes'",
    "with f() as g:\n    pass", "global x", "del x", "x = [i for i in ().__class__.__mro__]",
])
def test_the_check_refuses_what_the_generator_never_writes(smuggled):
    with pytest.raises(Unsupported):
        check_source(smuggled)


def test_compiled_once_per_pack_text_and_printable(full_pack):
    again = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK)
    first = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK)
    assert compiled.compile_pack(first) is compiled.compile_pack(again)  # the same sha256: one module
    text = compiled.source(full_pack)
    assert text.startswith("# riskgrade compiled pack 'full'") and full_pack.sha256 in text
    assert "def grade(raw, as_of, params):" in text and "def core(" in text
    compile(text, "printed", "exec")  # what a person reads is what runs


def test_a_construct_it_cannot_lower_is_graded_by_the_reference(monkeypatch, full_pack):
    program = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK.replace("demo", "demo2"))

    def refuse(_):
        raise Unsupported("not lowered here")
    monkeypatch.setattr(compiled, "module_source", refuse)
    compiled._cache.pop(program.sha256, None)
    assert compiled.unsupported(program) == "not lowered here"
    entity = {"exits": 1}
    assert compiled.grade_records(program, [entity], AS_OF) == reference.grade_records(program, [entity], AS_OF)
    assert riskgrade.grade(entity, program, as_of=AS_OF).level == "red"


def test_the_grade_path_gives_the_reference_record(full_pack):
    entity = {"kind": "y", "area": 5000, "floors": 9, "sprinkler": False, "name": "model unit",
              "opened": "1980-01-01", "stock": [{"substance": "cl", "tonnes": 6}], "last_inspection": "2026-01-01"}
    (want,) = reference.grade_records(full_pack, [entity], AS_OF)
    got = riskgrade.grade(entity, full_pack, as_of=AS_OF).packs[0]
    derived = {name: want.pop(name) for name, _ in full_pack.derive}
    assert got.model_dump() == {**want, "derived": derived}
    assert got == riskgrade.results.records.PackResult(**want, derived=derived)


def test_riskgrade_compile_prints_the_module(capsys):
    from riskgrade.cli.main import main

    assert main(["compile", "--rules", str(ROOT / "rules"), "--pack", "fire_safety"]) == 0
    text = capsys.readouterr().out
    program = riskgrade.load_packs(ROOT / "rules", pack="fire_safety")[0]
    assert text == compiled.source(program)
    assert main(["compile", "--rules", str(ROOT / "rules")]) == 2  # several packs: name one
