"""Pack problems are reported all at once, each with file:line:col, a stable code and plain words."""

from __future__ import annotations

import pytest

import riskgrade
from riskgrade import PackError

BASE = """pack: p
version: 1
title: {en: T}
owner: {en: O}
fields:
  area: {type: number}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: blue, label: {en: B}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - {id: big, when: "area > 100", points: 10}
"""


def errors(text: str) -> list[riskgrade.Diagnostic]:
    with pytest.raises(PackError) as info:
        riskgrade.loads_pack(text, "p.yaml")
    return info.value.diagnostics


def test_valid_base_pack_compiles():
    assert riskgrade.loads_pack(BASE).pack_id == "p"


def test_unknown_key_is_located_and_named():
    (d,) = errors(BASE.replace("  area: {type: number}", "  area: {type: number, colour: red}"))
    assert (d.code, d.location.file, d.location.line) == ("RG111", "p.yaml", 6)
    assert "unknown key 'colour'" in d.message and "allowed keys" in d.message


def test_missing_key_and_bad_value():
    diags = errors(BASE.replace("title: {en: T}\n", "").replace("color: blue", "color: purple"))
    messages = " | ".join(d.message for d in diags)
    assert "missing required key 'title'" in messages
    assert "color" in messages and any(d.location.line == 8 for d in diags)


def test_expression_error_is_located_inside_the_expression():
    (d,) = errors(BASE.replace('"area > 100"', '"area > 100 and area.x"'))
    assert d.code == "RG201" and d.location.rule_id == "big"
    assert (d.location.line, d.location.col) == (14, 37)


def test_every_problem_is_reported_in_one_go():
    text = BASE.replace('"area > 100"', '"nope > 1"') + '  - {id: big, when: "area > 1", set_level: green}\n'
    codes = sorted(d.code for d in errors(text))
    assert codes == ["RG204", "RG306", "RG310"]


@pytest.mark.parametrize("bands, code", [
    ("[{level: red, min: 10}, {level: blue, max: 5}]", "RG308"),
    ("[{level: red, min: 10}, {level: blue, max: 15}]", "RG309"),
    ("[{level: red, min: 10}, {level: blue, min: 0, max: 10}]", "RG308"),
])
def test_band_gaps_and_overlaps(bands, code):
    diags = errors(BASE.replace("[{level: red, min: 10}, {level: blue, max: 10}]", bands))
    assert code in {d.code for d in diags}


def test_derived_cycle_is_reported():
    text = BASE.replace("levels:", "derive:\n  a: 'b + 1'\n  b: 'a + 1'\nlevels:")
    assert "RG301" in {d.code for d in errors(text)}


@pytest.mark.parametrize("yaml_text, code", [
    ("pack: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "RG102"),
    ("a: &a [1, 2]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
     "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n", "RG103"),
    ("a: [" * 100 + "]" * 100 + "\n", "RG104"),
    ("a: 1\na: 2\n", "RG105"),
    ("a: [1, 2\n", "RG101"),
])
def test_hostile_yaml_is_rejected(yaml_text, code, tmp_path):
    assert code in {d.code for d in errors(yaml_text)}
    assert not (tmp_path / "pwned").exists()


def test_pack_hash_ignores_formatting_but_not_meaning():
    a = riskgrade.loads_pack(BASE)
    b = riskgrade.loads_pack("# comment\n" + BASE.replace("{en: T}", "{ en: T }"))
    c = riskgrade.loads_pack(BASE.replace("points: 10", "points: 11"))
    assert a.sha256 == b.sha256 != c.sha256
