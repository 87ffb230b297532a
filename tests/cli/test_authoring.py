"""The authoring commands end to end: check (lint, bilingual, json), test (case files, coverage),
explain, grade --explain, schema (committed schemas current)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from riskgrade.cli.main import main
from riskgrade.cli.schema import REGENERATE, render_all

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "lint"))
from test_lints import CLEAN  # noqa: E402

CASES = """\
pack: lintme
cases:
  - id: calm
    as_of: 2026-01-01
    entity: {exits: 3, area: 50, kind: shop, sprinkler: true}
    expect: {level: blue, fired: [], score: 0, interval_days: 365}
  - id: crowded-shop
    as_of: 2026-01-01
    entity: {exits: 1, area: 500, kind: shop, sprinkler: true}
    expect: {level: yellow, fired: [few_exits, big]}
"""


def _pack(tmp_path: Path, text: str = CLEAN, cases: str | None = CASES) -> Path:
    path = tmp_path / "lintme.yaml"
    path.write_text(text, encoding="utf-8")
    if cases is not None:
        (tmp_path / "lintme_test.yaml").write_text(cases, encoding="utf-8")
    return path


def test_check_is_clean_and_exit_0(tmp_path, capsys):
    assert main(["check", str(_pack(tmp_path))]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().err


def test_check_collects_lints_and_compiler_errors_bilingual(tmp_path, capsys):
    text = CLEAN.replace("basis: STD 3", "basis: X 3").replace("controls: [fix]", "controls: [fixx]")
    path = _pack(tmp_path, text)
    assert main(["check", str(path), "--format", "json", "--lang", "zh"]) == 1
    report = json.loads(capsys.readouterr().out)
    codes = {d["code"]: d for d in report["diagnostics"]}
    assert {"RG307", "RG617"} <= set(codes)
    d = codes["RG617"]
    assert d["file"] == str(path) and d["line"] == 30 and d["rule_id"] == "dry" and d["severity"] == "warning"
    assert d["message"] == d["messages"]["zh"] and "未在“basis”中声明" in d["message"]
    assert "not declared" in d["messages"]["en"]
    assert "未知管控措施" in codes["RG307"]["messages"]["zh"]


def test_check_warnings_pass_unless_strict(tmp_path, capsys):
    path = _pack(tmp_path, CLEAN.replace("basis: STD 3", "basis: X 3"))
    assert main(["check", str(path)]) == 0
    assert main(["check", str(path), "--strict"]) == 1
    out = capsys.readouterr().out
    assert f"{path}:30:" in out and "RG617 [rule dry]" in out


def test_check_runs_case_files_and_usage_errors(tmp_path, capsys):
    bad_cases = CASES.replace("expect: {level: yellow", "expect: {level: red")
    path = _pack(tmp_path, cases=bad_cases)
    assert main(["check", str(path), "--format", "json"]) == 1
    diags = json.loads(capsys.readouterr().out)["diagnostics"]
    failed = [d for d in diags if d["code"] == "RG501"]  # the wrong level, once per engine
    assert len(failed) == 3 and {d["file"] for d in failed} == {str(tmp_path / "lintme_test.yaml")}
    assert {d["message"].split("(")[1].split(" ")[0] for d in failed} == {"reference", "batch", "durable"}
    assert failed[0]["line"] == 7  # the case's line in the case file
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2


def test_case_file_errors_are_located(tmp_path, capsys):
    path = _pack(tmp_path, cases=CASES.replace("    as_of: 2026-01-01\n    entity: {exits: 3", "    entity: {exits: 3", 1)
                 .replace("expect: {level: blue", "expekt: {level: blue"))
    assert main(["check", str(path), "--format", "json"]) == 1
    diags = [d for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["code"] == "RG503"]
    assert diags and all(d["file"].endswith("lintme_test.yaml") and d["line"] >= 3 for d in diags)


def test_test_command_reports_coverage(tmp_path, capsys):
    path = _pack(tmp_path)
    assert main(["test", str(path), "--format", "json"]) == 0
    (pack,) = json.loads(capsys.readouterr().out)["packs"]
    assert pack["cases"] == 2 and pack["failed"] == 0 and pack["pack_sha256"]
    assert pack["coverage"]["rules"]["not_covered"] == ["dry"]
    assert pack["coverage"]["levels"]["not_covered"] == ["red"]
    assert main(["test", str(path)]) == 0
    assert "not covered: dry" in capsys.readouterr().out


def test_test_command_fails_on_a_failing_case(tmp_path, capsys):
    path = _pack(tmp_path, cases=CASES.replace("score: 0", "score: 5"))
    assert main(["test", str(path)]) == 1
    assert "expected score 5.0, got 0.0" in capsys.readouterr().out


def test_explain_inline_and_row(tmp_path, capsys):
    path = _pack(tmp_path, cases=None)
    entity = '{"entity_id": "A1", "exits": 1, "area": 500, "kind": "shop"}'
    assert main(["explain", entity, "--rules", str(path), "--as-of", "2026-01-01", "--format", "json"]) == 0
    (e,) = json.loads(capsys.readouterr().out)["explanations"]
    assert e["entity_id"] == "A1" and e["level"]["id"] == "yellow" and e["pack_sha256"]
    assert [r["id"] for r in e["rules"]["fired"]] == ["few_exits", "big"]
    assert e["rules"]["fired"][0]["inputs"] == {"exits": 1, "kind": "shop"}
    assert [r["id"] for r in e["rules"]["undecided"]] == ["dry"]
    csv = tmp_path / "e.csv"
    csv.write_text("entity_id,exits,area,kind,sprinkler\nB,5,50,hotel,false\nA1,1,500,shop,\n", encoding="utf-8")
    assert main(["explain", "--row", "A1", "--input", str(csv), "--rules", str(path), "--as-of", "2026-01-01",
                 "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "A1：按“测试”（lintme 1" in text and "最终等级：黄（一般）" in text and "因数据缺失无法判定的规则" in text
    assert main(["explain", "--row", "ZZ", "--input", str(csv), "--rules", str(path)]) == 2
    assert main(["explain", "--rules", str(path)]) == 2


def test_grade_explain_adds_a_column_matching_the_grade(tmp_path):
    out = tmp_path / "g.jsonl"
    code = main(["grade", str(ROOT / "examples" / "venues.csv"), "--rules", str(ROOT / "rules" / "fire_safety.yaml"),
                 "--as-of", "2026-11-01", "-o", str(out), "--explain", "--quiet"])
    assert code in (0, 1)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all("explanation" in r for r in rows)
    for r in rows:
        e = json.loads(r["explanation"])
        assert e["entity_id"] == r["entity_id"] and e["pack_sha256"] == r["pack_sha256"]
        if r["applies"]:
            assert e["level"]["id"] == r["level"]
            assert [f["id"] for f in e["rules"]["fired"]] == r["fired"]


def test_committed_schemas_are_current():
    from riskgrade.api import load_packs

    expected = render_all(load_packs(ROOT / "rules"))
    stale = [name for name, text in expected.items()
             if not (ROOT / "schemas" / name).is_file()
             or (ROOT / "schemas" / name).read_text(encoding="utf-8") != text]
    assert not stale, f"schemas/ is stale ({', '.join(stale)}): run `{REGENERATE}`"


def test_schema_command_writes_entity_schemas(tmp_path):
    path = _pack(tmp_path, cases=None)
    assert main(["schema", "--rules", str(path), "-o", str(tmp_path / "s")]) == 0
    schema = json.loads((tmp_path / "s" / "entities" / "lintme.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["exits"] == {"type": ["integer", "null"], "minimum": 0}
    assert schema["properties"]["kind"]["enum"] == ["shop", "hotel", "other", None]
    assert schema["properties"]["last_check"]["format"] == "date"
    assert (tmp_path / "s" / "pack_test.schema.json").is_file()
    shutil.rmtree(tmp_path / "s")


def test_cases_run_without_the_durable_engine_where_it_cannot_load(tmp_path, capsys, monkeypatch):
    from riskgrade import packtest
    from riskgrade.errors import EngineError

    def unavailable():
        raise EngineError("durable-rules cannot be imported on this Python")
    packtest.usable_engines.cache_clear()
    monkeypatch.setattr(packtest, "load_engine", unavailable)
    try:
        path = _pack(tmp_path, cases=CASES.replace("expect: {level: yellow", "expect: {level: red"))
        assert main(["test", str(path), "--format", "json"]) == 1
        report = json.loads(capsys.readouterr().out)["packs"][0]
        messages = [p["message"] for f in report["failures"] for p in f["problems"]]
        assert len(messages) == 2 and not any("durable" in m for m in messages)
        assert main(["test", str(_pack(tmp_path, cases=CASES))]) == 0  # a warning: the run still passes
        assert "RG504" in capsys.readouterr().out
    finally:
        packtest.usable_engines.cache_clear()
