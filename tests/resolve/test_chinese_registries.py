"""A bureau's registry with Chinese headers (the packs' labels), Chinese category labels, 是/否, a
mapping file for its own id and jurisdiction headers, saved as GB18030, grades exactly as the
English example it was made from — through the API and through the CLI, for every pack."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import riskgrade
from riskgrade.cli.main import main

from registries import EXAMPLES, REGISTRIES, ROOT, write_chinese_registry

AS_OF = dt.date(2026, 11, 1)
COMPARED = ("applies", "level", "score", "fired")


@pytest.fixture(scope="module")
def packs():
    return riskgrade.load_packs(ROOT / "rules")


@pytest.fixture(scope="module")
def english(packs):
    """The English example registries' grades (each graded once for the module)."""
    cache = {}

    def grades(name):
        if name not in cache:
            cache[name] = riskgrade.grade_table(EXAMPLES / f"{name}.csv", packs, as_of=AS_OF)
        return cache[name]
    return grades


def _grades(records):
    return {(r["entity_id"], r["pack"]): tuple(r[k] for k in COMPARED) for r in records}


@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_chinese_registry_grades_as_the_english_one_through_the_api(packs, english, tmp_path, name):
    source, mapping = write_chinese_registry(name, packs, tmp_path)
    chinese = riskgrade.grade_table(source, packs, as_of=AS_OF, mapping=mapping)
    assert _grades(chinese.to_records()) == _grades(english(name).to_records())
    assert [r.row for r in chinese.rejects] == [r.row for r in english(name).rejects]
    report = chinese.report
    assert {m.how for m in report.used} >= {"label_zh", "mapping"}
    # only the columns no pack knows are unused, and they are the English example's unknown ones too
    assert [m.header for m in report.unused] == [m.header for m in english(name).report.unused]


@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_chinese_registry_grades_as_the_english_one_through_the_cli(packs, english, tmp_path, capsys, name):
    source, mapping = write_chinese_registry(name, packs, tmp_path)
    out = tmp_path / "zh.jsonl"
    assert main(["grade", str(source), "--map", str(mapping), "-o", str(out), "--rules", str(ROOT / "rules"),
                 "--as-of", AS_OF.isoformat(), "--quiet"]) == 1  # 1: the example's deliberately bad rows
    read = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert _grades(read) == _grades(english(name).to_records()) and read
    # --quiet prints what is wrong with the columns: what the English registry's report finds wrong
    err = capsys.readouterr().err
    problems = [line.split(": ", 1)[1] for line in err.splitlines() if line.startswith(f"{source}: ")]
    assert problems == english(name).report.problems()


def test_explain_a_row_of_the_chinese_registry_in_chinese(packs, english, tmp_path, capsys):
    source, mapping = write_chinese_registry("venues", packs, tmp_path)
    red = next(r for r in english("venues").to_records() if r["pack"] == "fire_safety" and r["level"] == "red")
    assert main(["explain", "--row", red["entity_id"], "--input", str(source), "--map", str(mapping),
                 "--rules", str(ROOT / "rules"), "--pack", "fire_safety", "--as-of", AS_OF.isoformat(),
                 "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{red['entity_id']}：按“消防安全风险分级（起步版）”")
    assert "最终等级：红（重大风险）" in text and "《重大火灾隐患判定方法》" in text
    # rules by their titles and fields by their labels: no expression and no field id is printed
    assert " and " not in text and "exits_short" not in text and "building_area_m2" not in text
