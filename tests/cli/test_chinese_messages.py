"""Pack authors' tools speak Chinese with --lang zh: test outcomes with levels as colour and label,
coverage, and the names-clash diagnostics of aliases and synonyms."""

from __future__ import annotations

from riskgrade.cli.main import main

PACK = """
pack: demo
version: "1"
title: {zh: 示例, en: Demo}
owner: {zh: 派出所}
fields:
  exits: {type: integer, min: 0, label: {zh: 安全出口数量}}
  kind: {type: category, values: {hotel: {zh: 宾馆}, shop: {zh: 商店}}, label: {zh: 场所类型}%s}
levels:
  - {id: red, label: {zh: 重大风险}, color: red}
  - {id: blue, label: {zh: 低风险}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - {id: few_exits, when: "exits < 2", points: 10, basis: X}
examples:
  - {id: one-exit, as_of: 2026-01-01, entity: {exits: 1}, expect: {level: blue}}
"""


def test_a_failing_case_and_the_coverage_read_in_chinese(tmp_path, capsys):
    (tmp_path / "demo.yaml").write_text(PACK % "", encoding="utf-8")
    assert main(["test", str(tmp_path / "demo.yaml"), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert "demo 1（" in out and "1 个用例，通过 0 个" in out
    assert "用例“one-exit”（reference 引擎）：等级应为 蓝（低风险），实际为 红（重大风险）" in out
    assert "规则覆盖：1/1（100%）；未覆盖：无" in out


def test_an_alias_that_names_two_fields_is_refused_where_it_is_written(tmp_path, capsys):
    (tmp_path / "demo.yaml").write_text(PACK % ", aliases: [安全出口数量], synonyms: {shop: [宾馆]}",
                                        encoding="utf-8")
    assert main(["check", str(tmp_path / "demo.yaml"), "--lang", "zh", "--no-tests"]) == 1
    out = capsys.readouterr().out
    assert "RG314" in out and "字段“kind”的名称“安全出口数量”也是字段“exits”的名称" in out
    assert "RG315" in out and "字段“kind”的“宾馆”同时对应取值“hotel”和“shop”" in out
