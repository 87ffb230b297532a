"""``riskgrade advise`` end to end, and the advice where people read it: explain and the ledger."""

from __future__ import annotations

import json

import openpyxl
import pyarrow.parquet as pq
import pytest

import riskgrade
from riskgrade.cli.main import main

PACK = """
pack: venues
version: "1"
title: {zh: 场所消防, en: Venue fire safety}
owner: {zh: 派出所, en: Police station}
fields:
  area: {type: number, min: 0, label: {zh: 建筑面积, en: Floor area}}
  accidents: {type: integer, min: 0, label: {zh: 近三年事故, en: Accidents}}
  exits_blocked:
    type: boolean
    label: {zh: 疏散通道堵塞, en: Escape route blocked}
    fix: {to: false, action: {zh: 清理疏散通道, en: Clear the escape route}, cost: 0, days: 0, on_the_spot: true,
          by: {zh: 经营单位, en: the operator}}
  extinguishers_ok:
    type: boolean
    fix: {to: true, action: {zh: 配齐灭火器, en: Provide extinguishers}, cost: 600, days: 2}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: orange, label: {zh: 较大风险, en: High}, color: orange}
  - {id: yellow, label: {zh: 一般风险, en: Medium}, color: yellow}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 30}, {level: orange, min: 20, max: 30}, {level: yellow, min: 10, max: 20}, {level: blue, max: 10}]
rules:
  - {id: blocked, when: "exits_blocked", set_level: red, hazard: {zh: 疏散通道堵塞, en: Blocked escape route}}
  - {id: no_ext, when: "not extinguishers_ok", points: 10}
  - {id: big, when: "area > 1000", points: 10}
  - {id: accident, when: "accidents > 0", set_level: orange, hazard: {zh: 发生过事故, en: Past accident}}
"""
CSV = """entity_id,name,station,area,accidents,exits_blocked,extinguishers_ok
A,甲歌厅,北站,1500,0,是,否
B,乙商店,北站,1500,2,是,否
C,丙超市,南站,100,0,否,是
D,丁网吧,南站,abc,0,否,是
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "venues.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "venues.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def _advise(files, *extra):
    return main(["advise", str(files / "venues.csv"), "--rules", str(files / "venues.yaml"), "--as-of", "2026-11-01",
                 *extra])


def test_advise_writes_a_record_per_entity_and_reports_the_rejected_row(files, capsys):
    out = files / "advice.jsonl"
    assert _advise(files, "-o", str(out), "--target", "blue", "--lang", "zh") == 1  # a row was rejected
    err = capsys.readouterr().err
    assert "未评级：" in err and "第 5 行" in err and "读入 4 行 = 评级 3 行 + 未评级 1 行" in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["entity_id"], r["name"], r["level"], r["reachable"], r["reaches_level"]) for r in records] == [
        ("A", "甲歌厅", "red", False, "yellow"), ("B", "乙商店", "red", False, "orange"), ("C", "丙超市", "blue", True, "blue")]
    a, b, _ = records
    assert [f["id"] for f in a["fixes"]] == ["exits_blocked", "extinguishers_ok"] and a["total_cost"] == 600
    assert a["fixes"][0] == {"id": "exits_blocked", "field": "exits_blocked", "to": "false", "action": "清理疏散通道",
                             "cost": 0.0, "days": 0.0, "by": "经营单位", "on_the_spot": True, "rule": None,
                             "local_choice": False}
    assert [x["rule"] for x in a["blocked_by"]] == ["big"]
    assert [x["rule"] for x in b["blocked_by"]] == ["accident", "big"]
    assert b["blocked_by"][0]["text"] == "规则 accident（发生过事故）：一票否决，至少为较大风险，所依据的事实（近三年事故）不在可整改之列"


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_advise_writes_every_format_with_english_texts(files, suffix, capsys):
    out = files / f"advice{suffix}"
    assert _advise(files, "-o", str(out), "--lang", "en") == 1
    if suffix == ".parquet":
        rows = pq.read_table(out).to_pylist()
        assert rows[0]["fixes"][0]["action"] == "Clear the escape route" and rows[0]["summary"].startswith("To reach High")
    elif suffix == ".csv":
        text = out.read_text(encoding="utf-8-sig")
        assert "To reach High: Clear the escape route (on the spot, the operator, 0 yuan)" in text
    else:
        sheet = openpyxl.load_workbook(out).worksheets[0]
        head = [c.value for c in sheet[1]]
        assert head[:4] == ["entity_id", "name", "station", "pack"] and sheet.max_row == 4


def test_chinese_csv_has_chinese_headers_levels_and_sentences_and_the_ledger_reads_it_back(files, capsys):
    out = files / "整改建议.csv"
    assert _advise(files, "-o", str(out), "--lang", "zh") == 1
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].replace('"', "").split(",")[:6] == ["单位编号", "单位名称", "管辖派出所", "规则包", "风险等级", "目标等级"]
    assert "红（重大风险）" in lines[1] and "清理疏散通道（现场整改，经营单位，0 元）" in lines[1]
    from riskgrade.advise import read_summaries

    program = riskgrade.load_pack(files / "venues.yaml")
    read = read_summaries(out, [program])
    assert read[("venues", "A")] == "降至较大风险：清理疏散通道（现场整改，经营单位，0 元）。合计 0 元，0 天。"


def test_an_unknown_target_is_a_usage_error(files, capsys):
    assert _advise(files, "-o", str(files / "a.jsonl"), "--target", "green") == 2
    assert "'green' is not a level of pack 'venues' (levels: red, orange, yellow, blue)" in capsys.readouterr().err
    assert not (files / "a.jsonl").exists()


def test_explain_ends_with_the_advice(files, capsys):
    entity = '{"entity_id": "B", "area": 1500, "accidents": 2, "exits_blocked": true, "extinguishers_ok": false}'
    assert main(["explain", entity, "--rules", str(files / "venues.yaml"), "--as-of", "2026-11-01",
                 "--lang", "zh", "--target", "blue"]) == 0
    text = capsys.readouterr().out
    section = text[text.index("整改建议"):]
    assert section.startswith("整改建议（目标：低风险）") and "无法通过整改达到低风险" in section
    assert "规则 accident（发生过事故）：一票否决，至少为较大风险" in section
    assert "清理疏散通道：疏散通道堵塞 (exits_blocked) → 否（现场整改，由经营单位实施，0 元，0 天）" in section
    assert "整改后为较大风险" in section
    assert main(["explain", entity, "--rules", str(files / "venues.yaml"), "--as-of", "2026-11-01",
                 "--format", "json"]) == 0
    (expl,) = json.loads(capsys.readouterr().out)["explanations"]
    assert expl["advice"]["target_level"] == "orange" and expl["advice"]["reachable"]
    assert expl["advice"]["fixes"][0]["action"] == {"zh": "清理疏散通道", "en": "Clear the escape route"}
    assert main(["explain", entity, "--rules", str(files / "venues.yaml"), "--no-advice"]) == 0
    assert "Rectification" not in capsys.readouterr().out


def test_the_ledger_gets_the_advice_column_from_a_file_or_worked_out(files, capsys):
    advice = files / "advice.jsonl"
    _advise(files, "-o", str(advice), "--lang", "zh")
    plan = ["plan", str(files / "venues.csv"), "--grade", "--rules", str(files / "venues.yaml"),
            "--from", "2026-11-02", "--to", "2026-11-06"]
    for extra in (["--advice", str(advice)], ["--advise"]):
        ledger = files / "ledger.xlsx"
        assert main(plan + ["-o", str(ledger)] + extra) == 0
        sheet = openpyxl.load_workbook(ledger)["场所消防"]
        head = [c.value for c in sheet[1]]
        column = {sheet.cell(r, 1).value: sheet.cell(r, head.index("整改建议") + 1).value for r in range(2, 5)}
        assert column["A"] == "降至较大风险：清理疏散通道（现场整改，经营单位，0 元）。合计 0 元，0 天。"
        assert column["C"] == "已为低风险，无需整改即达目标"
    assert main(plan + ["-o", str(files / "plan.csv"), "--advise"]) == 2
    assert "write the ledger with -o FILE.xlsx" in capsys.readouterr().err
