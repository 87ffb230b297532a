"""Each lint: a pack that triggers it (the finding located at the YAML line and column of the
offending text) and the clean pack that does not."""

from __future__ import annotations

import pytest

from riskgrade.compiler import compile_pack
from riskgrade.errors import PackError
from riskgrade.source.pack_source import parse_pack
from riskgrade.lint import lint_pack
from riskgrade.lint.check import check_pack

CLEAN = """\
pack: lintme
version: "1"
title: {zh: 测试, en: Test}
owner: {zh: 派出所, en: Station}
basis:
  - {id: STD, title: {en: A standard}}
fields:
  exits: {type: integer, min: 0}
  area: {type: number, min: 0}
  kind: {type: category, values: [shop, hotel, other]}
  sprinkler: {type: boolean}
  last_check: {type: date}
tables:
  size: {kind: banded, bands: [{max: 100, value: 0}, {min: 100, max: 1000, value: 1}, {min: 1000, value: 2}]}
derive:
  size_class: "size[area]"
levels:
  - {id: red, label: {zh: 重大, en: Major}, color: red}
  - {id: yellow, label: {zh: 一般, en: Moderate}, color: yellow}
  - {id: blue, label: {zh: 低, en: Low}, color: blue}
score:
  method: sum
  bands:
    - {level: blue, max: 10}
    - {level: yellow, min: 10, max: 20}
    - {level: red, min: 20}
rules:
  - {id: few_exits, when: "exits < 2 and kind in ['shop', 'hotel']", points: 10, basis: STD 1}
  - {id: big, when: "size_class >= 1", points: 5, basis: STD 2}
  - {id: dry, when: "not sprinkler", points: 5, basis: STD 3, controls: [fix]}
controls:
  tiers: {city: {zh: 市局}, station: {zh: 派出所}}
  responsible: {red: city, yellow: station, blue: station}
  measures:
    patrol: {text: {zh: 巡查}}
    fix: {text: {zh: 整改}}
  by_level: {red: [patrol], yellow: [patrol], blue: [patrol]}
inspection:
  last_inspection: last_check
  interval_days: {red: 30, yellow: 180, blue: 365}
"""

# (code, text to replace, replacement, where the finding must point: the first occurrence of this text)
CASES = [
    ("RG601", "    - {level: blue, max: 10}\n    - {level: yellow, min: 10, max: 20}\n",
     "    - {level: yellow, min: 10, max: 20}\n    - {level: blue, max: 10}\n", "{level: blue, max: 10}"),
    ("RG602", "{level: yellow, min: 10, max: 20}\n    - {level: red, min: 20}",
     "{level: red, min: 10, max: 20}\n    - {level: yellow, min: 20}", "yellow, min: 20"),
    ("RG603", "{level: yellow, min: 10, max: 20}\n    - {level: red, min: 20}",
     "{level: yellow, min: 10, max: 2000}\n    - {level: red, min: 2000}", "red, label"),
    ("RG604", "exits < 2 and kind", "exits < 0 and kind", '"exits < 0'),
    ("RG604", "size_class >= 1", "size_class >= 3", '"size_class >= 3'),
    ("RG604", "exits < 2 and kind", "exits < 2 and exits > 5 and kind", '"exits < 2'),
    ("RG605", "not sprinkler", "area >= 0 or sprinkler", '"area >= 0'),
    ("RG606", "  - {id: STD, title: {en: A standard}}\n",
     "  - {id: STD, title: {en: A standard}}\n  - {id: STD, title: {en: Again}}\n", "STD, title: {en: Again"),
    ("RG607", "  last_check: {type: date}\n", "  last_check: {type: date}\n  spare: {type: number}\n", "spare:"),
    ("RG608", "derive:\n", "  unused_t: {kind: keyed, entries: {a: 1}}\nderive:\n", "unused_t:"),
    ("RG609", "    fix: {text: {zh: 整改}}\n", "    fix: {text: {zh: 整改}}\n    idle: {text: {zh: 闲置}}\n", "idle:"),
    ("RG609", "station: {zh: 派出所}}", "station: {zh: 派出所}, county: {zh: 县局}}", "county:"),
    ("RG610", "yellow: [patrol], blue: [patrol]", "yellow: [patrol], blue: []", "blue, label"),
    ("RG611", "yellow: 180, blue: 365", "yellow: 180", "blue, label"),
    ("RG612", "yellow: station, blue: station}", "yellow: station}", "blue, label"),
    ("RG613", "[{max: 100, value: 0}, {min: 100, max: 1000, value: 1}, {min: 1000, value: 2}]",
     "[{min: 1000, value: 2}, {max: 100, value: 0}, {min: 100, max: 1000, value: 1}]", "{max: 100, value: 0}"),
    ("RG614", "{min: 100, max: 1000, value: 1}", "{min: 50, max: 1000, value: 1}", "{min: 50"),
    ("RG615", "{min: 100, max: 1000, value: 1}", "{min: 200, max: 1000, value: 1}", "{min: 200"),
    ("RG616", "points: 5, basis: STD 2}", "points: 5}", "big,"),
    ("RG617", "basis: STD 3", "basis: ISO9001 3", "ISO9001 3"),
    ("RG311", "  method: sum\n", "  method: sum\n  caps: {nogroup: 5}\n", "nogroup"),
    ("RG618", "  area: {type: number, min: 0}\n", "  area: {type: number, min: 0}\n  ａrea2: {type: number}\n", "ａrea2:"),
    ("RG618", "values: [shop, hotel, other]", "values: [shop, hotel, other, ｓhop]", "ｓhop]"),
    ("RG619", "{id: few_exits,", "{id: fеw_exits,", "fеw_exits"),  # a Cyrillic е
    ("RG619", "values: [shop, hotel, other]", "values: [shop, hotel, оther]", "оther]"),  # a Cyrillic о
]


def _findings(text: str):
    src = parse_pack(text, "p.yaml")
    try:
        program = compile_pack(src)
    except PackError:
        program = None
    return lint_pack(src, program)


def _position(text: str, anchor: str) -> tuple[int, int]:
    offset = text.index(anchor)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_clean_pack_has_no_findings():
    assert [f.render() for f in _findings(CLEAN)] == []


@pytest.mark.parametrize("code, old, new, anchor", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_lint_triggers_at_its_location(code, old, new, anchor):
    assert old in CLEAN
    text = CLEAN.replace(old, new, 1)
    found = [f for f in _findings(text) if f.code == code]
    assert found, f"{code} not reported; got {[f.render() for f in _findings(text)]}"
    line, col = _position(text, anchor)
    assert (found[0].location.line, found[0].location.col) == (line, col), found[0].render()
    assert found[0].location.file == "p.yaml"
    assert found[0].message("zh") != found[0].message("en") and found[0].message("zh")


def test_rule_findings_name_the_rule():
    text = CLEAN.replace("exits < 2 and kind", "exits < 0 and kind")
    (f,) = [f for f in _findings(text) if f.code == "RG604"]
    assert f.location.rule_id == "few_exits" and "[rule few_exits]" in f.render()
    assert "[规则 few_exits]" in f.render("zh")


def test_overlapping_table_bands_are_an_error_other_lints_warnings():
    text = CLEAN.replace("{min: 100, max: 1000, value: 1}", "{min: 50, max: 1000, value: 1}")
    severities = {f.code: f.severity for f in _findings(text)}
    assert severities == {"RG614": "error"}
    assert {f.severity for f in _findings(CLEAN.replace("basis: STD 3", "basis: X 3"))} == {"warning"}


@pytest.mark.parametrize("code, old, new, anchor", [
    ("RG308", "{level: yellow, min: 10, max: 20}", "{level: yellow, min: 12, max: 20}", "{level: yellow, min: 12"),
    ("RG309", "{level: yellow, min: 10, max: 20}", "{level: yellow, min: 8, max: 20}", "{level: yellow, min: 8"),
    ("RG306", "{level: red, min: 20}", "{level: crimson, min: 20}", "crimson"),
    ("RG307", "controls: [fix]", "controls: [fixx]", "fixx"),
    ("RG310", "{id: big,", "{id: dry,", "dry, when: \"not"),
    ("RG205", "kind in ['shop', 'hotel']", "kind in ['shop', 'motel']", "kind in"),
    ("RG204", "size_class >= 1", "size_klass >= 1", "size_klass"),
])
def test_compiler_findings_keep_their_codes_in_check(tmp_path, code, old, new, anchor):
    text = CLEAN.replace(old, new, 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    found = [f for f in check_pack(path).findings if f.code == code]
    assert found and found[0].severity == "error"
    line, col = _position(text, anchor)
    assert found[0].location.line == line
    assert found[0].location.col >= col
    assert found[0].message("zh")
    clean = tmp_path / "clean.yaml"
    clean.write_text(CLEAN, encoding="utf-8")
    assert not check_pack(clean).findings
