"""The pack as a document (评分细则) and conditions in words: what the workbench's pack page shows."""

from __future__ import annotations

import doctest
import pathlib

import pytest

import riskgrade
from riskgrade.explain import document, in_words, pack_document, words

RULES = pathlib.Path(__file__).parents[2] / "rules"

PACK = """
pack: words
version: "1"
title: {zh: 措辞, en: Words}
owner: {zh: 派出所, en: Police station}
basis:
  - {id: GB1, title: {zh: 某标准, en: A standard}}
fields:
  use: {type: category, values: {ktv: {zh: 歌舞厅, en: Karaoke}, shop: {zh: 商店, en: Shop}}, label: {zh: 用途, en: Use}}
  exits: {type: integer, min: 0, label: {zh: 安全出口数, en: Exits}}
  sprinklers: {type: boolean, label: {zh: 设有喷淋, en: Sprinklers}}
derive:
  a: "exits * 2 + 1"
  b: "(exits + 1) * 2 - (exits - 1)"
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10, local_choice: true}, {level: blue, max: 10}]
rules:
  - {id: r1, when: "use in ['ktv'] and (exits < 2 or not sprinklers)", points: 10, basis: GB1 6.5,
     local_choice: true, hazard: {zh: 出口不足, en: Too few exits}}
  - {id: r2, when: "not sprinklers", set_level: red, basis: other}
"""


def test_conditions_read_with_labels_and_value_labels():
    doc = pack_document(riskgrade.loads_pack(PACK))
    r1, r2 = doc["rules"]
    assert r1["words"]["zh"] == "用途 属于 “歌舞厅” 且 （安全出口数 小于 2 或 设有喷淋：否）"
    assert r1["words"]["en"] == "Use is one of 'Karaoke' and (Exits is less than 2 or not Sprinklers)"
    assert r1["expr"] == "use in ['ktv'] and (exits < 2 or not sprinklers)"
    assert r1["basis_title"] == {"zh": "某标准", "en": "A standard"} and r1["local_choice"] is True
    assert r2["set_level"] == "red" and r2["basis_title"] is None and r2["local_choice"] is False
    assert [(b["level"], b["local_choice"]) for b in doc["bands"]] == [("blue", False), ("red", True)]
    assert [d["words"]["zh"] for d in doc["derive"]] == ["安全出口数 × 2 + 1", "(安全出口数 + 1) × 2 − (安全出口数 − 1)"]
    assert doc["fields"][0]["values"][0] == {"code": "ktv", "label": {"zh": "歌舞厅", "en": "Karaoke"}}


@pytest.mark.parametrize("path", riskgrade.api.pack_files(RULES), ids=lambda p: p.stem)
def test_every_shipped_pack_becomes_a_document(path):
    (program,) = riskgrade.load_packs(path)
    doc = pack_document(program)
    assert [r["id"] for r in doc["rules"]] == [r.id for r in program.rules]
    assert all(r["words"]["zh"] and r["words"]["en"] for r in doc["rules"])
    assert len(doc["bands"]) == len(program.score.bands)


def test_read_entities_keeps_cells_as_read(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text("entity_id,exits\nA,1\nB,x\n", encoding="utf-8")
    table = riskgrade.read_entities(f)
    assert table.column("entity_id").to_pylist() == ["A", "B"] and table.num_rows == 2


def test_docstring_examples_run():
    for module in (document, words):
        failed, _ = doctest.testmod(module)
        assert failed == 0
    assert in_words  # exported from riskgrade.explain
