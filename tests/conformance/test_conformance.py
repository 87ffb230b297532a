"""Every engine passes every conformance case (``corpus.py`` describes the format), through the same
``Backend`` protocol: from a raw chunk through the ``Grader``, and with the engine's ``grade_records``."""

from __future__ import annotations

import pytest
from corpus import grade, load_cases, load_exceptions, problems, program

from riskgrade import backends
from riskgrade.errors import PackError
from riskgrade.model.scoring import SCORE_METHODS

CASES = load_cases()
EXCEPTIONS = load_exceptions()
GRADED = [c for c in CASES if c.diagnostics is None]
BAD_PACKS = [c for c in CASES if c.diagnostics is not None]
PATHS = ("grader", "records")


def _params() -> list:
    out = []
    for engine in backends.ENGINES:
        for case in GRADED:
            reason = EXCEPTIONS.get(engine, {}).get(case.key)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out += [pytest.param(case, engine, path, id=f"{case.key}-{engine}-{path}", marks=marks) for path in PATHS]
    return out


@pytest.mark.parametrize("case, engine, path", _params())
def test_case(case, engine, path):
    record = grade(case, backends.engine(engine), path)
    assert not problems(record, case.expect), problems(record, case.expect)


@pytest.mark.parametrize("case", BAD_PACKS, ids=[c.key for c in BAD_PACKS])
def test_bad_pack_is_diagnosed(case):
    with pytest.raises(PackError) as info:
        program(case.pack_text)
    found = [(d.code, d.location.pointer) for d in info.value.diagnostics]
    for want in case.diagnostics:
        assert any(code == want.get("code", code) and pointer == want.get("pointer", pointer)
                   for code, pointer in found), (want, found)


def test_exceptions_name_real_engines_and_cases():
    keys = {c.key for c in CASES}
    for engine, listed in EXCEPTIONS.items():
        assert engine in backends.ENGINES, engine
        for key, reason in listed.items():
            assert key in keys and reason.strip(), (engine, key)


def test_case_ids_are_unique_and_packs_compile():
    keys = [c.key for c in CASES]
    assert len(keys) == len(set(keys))
    for case in GRADED:
        program(case.pack_text)


def test_the_corpus_covers_every_score_method_and_effect():
    texts = "\n".join(c.pack_text for c in GRADED)
    for method in SCORE_METHODS:
        assert f"method: {method}" in texts, method
    for effect in ("set_level:", "raise:", "lower:", "controls:", "on_missing: worst", "on_missing: error",
                   "applies_when:", "kind: banded", "kind: keyed", "type: list", "campaigns:", "modifiers:"):
        assert effect in texts, effect
