"""``fix:`` in a pack: what the model accepts, what the compiler makes of it, and the lints that
catch a fix that cannot do its job — each problem located at its line and column."""

from __future__ import annotations

import pytest

import riskgrade
from riskgrade.lint.check import check_pack

PACK = """
pack: p
version: "1"
title: {{zh: 示例}}
owner: {{zh: 派出所}}
basis: [{{id: STD, title: {{zh: 标准}}}}]
fields:
  exits: {{type: integer, min: 0{exits}}}
  blocked: {{type: boolean{blocked}}}
  kind: {{type: category, values: [shop, ktv]{kind}}}
  checked: {{type: date{checked}}}
  stock: {{type: list, items: {{t: {{type: number}}}}{stock}}}
levels:
  - {{id: red, label: {{zh: 重大风险}}, color: red}}
  - {{id: blue, label: {{zh: 低风险}}, color: blue}}
score:
  method: sum
  bands: [{{level: red, min: 10}}, {{level: blue, max: 10}}]
rules:
  - {{id: few, when: "exits < 2 and kind == 'ktv'", points: 10, basis: STD 1{rule}}}
  - {{id: blk, when: "blocked", points: 10, basis: STD 2}}
  - {{id: old, when: "days_since(checked) > 365 or sum(stock, t) > 1", points: 10, basis: STD 3}}
"""


def text(**parts: str) -> str:
    keys = ("exits", "blocked", "kind", "checked", "stock", "rule")
    return PACK.format(**{k: parts.get(k, "") for k in keys})


def fix(to: str, **extra: str) -> str:
    more = "".join(f", {k}: {v}" for k, v in extra.items())
    return f"{{to: {to}, action: {{zh: 整改, en: Fix}}, cost: 100, days: 2{more}}}"


def test_fixes_compile_to_the_field_and_typed_value_they_set():
    program = riskgrade.loads_pack(text(
        exits=f", fix: {fix(2, by='{zh: 房东, en: the landlord}')}",
        blocked=f", fix: [{fix('false', on_the_spot='true')}, {fix('no', id='blocked-door')}]",
        kind=f", fix: {fix('shop')}", checked=f", fix: {fix('as_of')}",
        rule=f", fix: {fix(3, field='exits')}"), "p.yaml")
    got = [(f.id, f.field, f.value, f.to, f.rule, f.on_the_spot) for f in program.fixes]
    assert got == [("exits", "exits", 2.0, "2", None, False), ("blocked", "blocked", False, "false", None, True),
                   ("blocked-door", "blocked", False, "false", None, False), ("kind", "kind", "shop", "shop", None, False),
                   ("checked", "checked", None, "as_of", None, False), ("few", "exits", 3.0, "3", "few", False)]
    assert program.fixes[0].by.get("en") == "the landlord"


def test_a_fix_may_apply_to_some_values_only_and_set_a_date_from_the_grading_date():
    import datetime as dt

    program = riskgrade.loads_pack(text(kind=f", fix: {fix('shop', **{'from': '[ktv]'})}",
                                        checked=f", fix: {fix(repr('as_of + 365'))}"), "p.yaml")
    kind, checked = program.fixes
    assert kind.from_values == ("ktv",) and checked.to == "as_of + 365"
    assert checked.value_on(dt.date(2026, 1, 1)) == dt.date(2027, 1, 1)
    with pytest.raises(riskgrade.PackError, match="'from' cannot be a value of this field: unknown value 'bar'"):
        riskgrade.loads_pack(text(kind=f", fix: {fix('shop', **{'from': '[bar]'})}"), "p.yaml")


@pytest.mark.parametrize("parts, where, message", [
    ({"exits": f", fix: {fix(-1)}"}, ":8:", "'to' cannot be a value of this field: -1 is below the minimum 0"),
    ({"kind": f", fix: {fix('bar')}"}, ":10:", "unknown value 'bar' (allowed: shop, ktv)"),
    ({"rule": f", fix: {fix(2)}"}, ":20:", "name the field this fix changes ('field: …'); the rule reads exits, kind"),
    ({"rule": f", fix: {fix(2, field='nope')}"}, ":20:", "fix of an unknown field 'nope'"),
    ({"rule": f", fix: {fix(2, field='stock')}"}, ":20:", "'stock' is a list field"),
    ({"exits": f", fix: {fix(2, id='same')}", "blocked": f", fix: {fix('false', id='same')}"}, ":9:",
     "fix id 'same' is used twice"),
    ({"exits": f", fix: {fix('checked')}"}, ":8:", "'to' names field 'checked', whose values (date) cannot be those "
                                                   "of a integer field"),
])
def test_a_fix_the_compiler_cannot_use_is_a_located_error(parts, where, message):
    with pytest.raises(riskgrade.PackError) as exc:
        riskgrade.loads_pack(text(**parts), "p.yaml")
    (d,) = exc.value.diagnostics
    assert d.code in ("RG320", "RG321") and message in d.message and where in str(d.location)


@pytest.mark.parametrize("parts, message", [
    ({"stock": f", fix: {fix(1)}"}, "a list field cannot have a fix"),
    ({"exits": f", fix: {fix(2, field='exits')}"}, "'field' is only for a rule's fix"),
    ({"exits": ", fix: {to: 2, action: 加, cost: -5, days: 1}"}, "greater than or equal to 0"),
    ({"exits": ", fix: {action: 加, cost: 5, days: 1}"}, "missing required key 'to'"),
])
def test_the_model_refuses_a_malformed_fix(parts, message):
    with pytest.raises(riskgrade.PackError) as exc:
        riskgrade.loads_pack(text(**parts), "p.yaml")
    assert any(message in d.message for d in exc.value.diagnostics), exc.value.diagnostics


def test_lints_catch_fixes_that_cannot_do_their_job(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(text(blocked=f", fix: {fix('true')}", exits=f", fix: {fix(1)}",
                         rule=f", fix: {fix('false', field='blocked')}") + """
  - {id: unused_field_rule, when: "kind == 'ktv'", points: 1, basis: STD 4}
""", encoding="utf-8")
    found = {(f.code, f.location.pointer) for f in check_pack(path, run_tests=False).findings if f.code.startswith("RG64")}
    assert found == {("RG642", "/fields/blocked/fix"),  # blocked = true still fires blk
                     ("RG641", "/rules/0/fix")}  # rule few's fix changes blocked, which it does not read
    # exits = 1 still fires "few" only for ktv: not a verdict the lint can give
    path.write_text(text(checked=f", fix: {fix('as_of')}").replace(
        'when: "days_since(checked) > 365 or sum(stock, t) > 1"', 'when: "sum(stock, t) > 1"'), encoding="utf-8")
    codes = [f.code for f in check_pack(path, run_tests=False).findings]
    assert "RG640" in codes
