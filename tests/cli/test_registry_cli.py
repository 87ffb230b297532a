"""A bureau's registry through ``riskgrade grade`` and ``riskgrade map``: misnamed columns named on
stderr with their suggestion, ``--strict`` refusing before anything is written, Chinese csv and xlsx
a clerk can read (headers, levels, colours, GB18030), one rejects line per row, ``--keep`` adding to
the carried columns, and overdue inspections visible."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

import riskgrade
from riskgrade.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "rules")
VENUES = ROOT / "examples" / "venues.csv"
AS_OF = "2026-11-01"


@pytest.fixture(scope="module")
def fire_safety():
    return riskgrade.load_packs(RULES, pack=["fire_safety"])


def _registry(tmp_path: Path, renames: dict[str, str], rows: int = 12) -> Path:
    """The first rows of the example venues with some headers renamed."""
    with open(VENUES, encoding="utf-8-sig", newline="") as f:
        data = [row for _, row in zip(range(rows + 1), csv.reader(f))]
    data[0] = [renames.get(h, h) for h in data[0]]
    path = tmp_path / "registry.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(data)
    return path


def _grade(*args: str) -> int:
    return main(["grade", *args, "--rules", RULES, "--pack", "fire_safety", "--as-of", AS_OF])


def test_misnamed_columns_are_named_on_stderr_with_their_suggestion(tmp_path, capsys):
    src = _registry(tmp_path, {"building_area_m2": "building_area", "exits": "exit_count", "occupancy": "Occupancy"})
    assert _grade(str(src), "-o", str(tmp_path / "out.jsonl")) == 0
    err = capsys.readouterr().err
    assert "building_area: not a field of any pack — did you mean building_area_m2 (Floor area)?" in err
    assert "exit_count: not a field of any pack — did you mean exits (Number of safety exits)?" in err
    assert "Occupancy → occupancy" in err  # a case difference is a match, shown as one
    assert "exits (Number of safety exits) — rules that cannot decide: FS-D-6.5-N" in err
    assert "graded as of 2026-11-01" in err  # not strict: graded, and the report says what it lacked
    assert _grade(str(src), "-o", str(tmp_path / "out.jsonl"), "--lang", "zh", "--quiet") == 0
    err = capsys.readouterr().err
    assert "exit_count：不是任何规则包的字段——是否应为 exits（安全出口数量）？" in err


def test_strict_exits_1_and_writes_nothing(tmp_path, capsys):
    src = _registry(tmp_path, {"exits": "exit_count"})
    out, rejects = tmp_path / "out.xlsx", tmp_path / "rejects.csv"
    assert _grade(str(src), "-o", str(out), "--rejects", str(rejects), "--strict") == 1
    err = capsys.readouterr().err
    assert "not graded (strict)" in err and "exit_count" in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.csv"]
    fixed = _registry(tmp_path, {})  # the example's own headers serve the pack: strict passes
    assert _grade(str(fixed), "-o", str(out), "--strict", "--quiet") == 0 and out.exists()


def test_a_mapping_file_is_used_and_reported(tmp_path, capsys):
    src = _registry(tmp_path, {"exits": "出口数", "entity_id": "档案编号"})
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  出口数: exits\n  档案编号: entity_id\n", encoding="utf-8")
    assert _grade(str(src), "--map", str(mapping), "-o", str(tmp_path / "out.jsonl"), "--strict") == 0
    err = capsys.readouterr().err
    assert "by the mapping file (1): 出口数 → exits (Number of safety exits)" in err
    ids = [json.loads(line)["entity_id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids[0] == "FS-330112-000001"
    mapping.write_text("columns:\n  出口数: exit\n", encoding="utf-8")
    assert _grade(str(src), "--map", str(mapping), "-o", str(tmp_path / "out2.jsonl")) == 2
    assert f"{mapping}:2:8 (/columns/出口数): 'exit' is not a field" in capsys.readouterr().err
    assert not (tmp_path / "out2.jsonl").exists()


def test_riskgrade_map_suggests_and_the_confirmed_mapping_grades(tmp_path, capsys):
    src = _registry(tmp_path, {"exits": "exit_count", "entity_id": "档案编号", "venue_type": "场所类型"})
    mapping = tmp_path / "mapping.yaml"
    assert main(["map", str(src), "--rules", RULES, "--pack", "fire_safety", "-o", str(mapping)]) == 1
    text = mapping.read_text(encoding="utf-8")
    assert "  场所类型: venue_type  # the field's Chinese label — 场所类型" in text
    assert "  # exit_count: exits  # close — 安全出口数量: check, then remove the #" in text
    assert "  # 档案编号: entity_id  # close" in text
    assert "2 column(s) and 0 value(s) to check" in capsys.readouterr().err
    mapping.write_text(text.replace("  # exit_count: exits", "  exit_count: exits")
                       .replace("  # 档案编号: entity_id", "  档案编号: entity_id"), encoding="utf-8")
    assert _grade(str(src), "--map", str(mapping), "-o", str(tmp_path / "out.jsonl"), "--strict", "--quiet") == 0
    assert main(["map", str(src), "--rules", RULES, "--pack", "fire_safety", "--map", str(mapping)]) == 0


def test_chinese_xlsx_has_chinese_headers_levels_and_coloured_level_cells(tmp_path):
    out = tmp_path / "评级.xlsx"
    assert _grade(str(VENUES), "-o", str(out), "--lang", "zh", "--quiet") == 1
    book = load_workbook(out)
    assert book.sheetnames == ["评级结果", "综合等级"]
    sheet = book["评级结果"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["单位编号", "单位名称", "地址", "所属市", "所属县（区）", "管辖派出所", "所属网格", "规则包"]
    assert {"风险等级", "颜色", "得分", "下次检查日期", "逾期天数", "缺失数据"} <= set(header)
    level, colour = header.index("风险等级"), header.index("颜色")
    fills = {"红（重大风险）": "00FF0000", "橙（较大风险）": "00FFA500", "黄（一般风险）": "00FFFF00", "蓝（低风险）": "001E90FF"}
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        assert row[level].value in fills and row[colour].value == row[level].value[0]
        assert row[level].fill.fgColor.rgb == fills[row[level].value]
        seen.add(row[level].value)
    assert len(seen) >= 3
    wide = [c.value for c in book["综合等级"][1]]
    assert "综合风险等级" in wide and "消防安全风险分级（起步版）·风险等级" in wide


def test_chinese_gb18030_csv_and_rejects(tmp_path, capsys):
    out, rejects = tmp_path / "评级.csv", tmp_path / "未评级.csv"
    assert _grade(str(VENUES), "-o", str(out), "--rejects", str(rejects), "--lang", "zh", "--encoding", "gb18030",
                  "--quiet") == 1
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("gb18030").splitlines()))
    assert rows[0]["风险等级"] in ("红（重大风险）", "橙（较大风险）", "黄（一般风险）", "蓝（低风险）")
    assert rows[0]["是否适用"] == "是"
    lines = list(csv.DictReader(rejects.read_bytes().decode("gb18030").splitlines()))
    assert len(lines) == 6 and list(lines[0]) == ["来源文件", "行号", "单位编号", "字段", "代码", "规则包", "原因"]
    assert lines[0]["原因"] == "建筑面积（building_area_m2） = '-120'：-120 小于下限 0"
    assert "未评级：第 19 行（FS-330105-000005）：建筑面积（building_area_m2） = '-120'：-120 小于下限 0" in \
        capsys.readouterr().err


def test_rejects_are_one_line_per_row_with_every_reason(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("entity_id,venue_type,building_area_m2,exits\nA,spa,-5,x\nB,hotel,10,2\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    assert _grade(str(src), "-o", str(tmp_path / "out.jsonl"), "--rejects", str(rejects), "--quiet") == 1
    (line,) = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
    assert (line["row"], line["fields"]) == (2, ["venue_type", "building_area_m2", "exits"])
    assert line["reason"].count(";") == 2 and len(line["problems"]) == 3


@pytest.mark.parametrize("name", ["level", "pack", "score", "entity_id", "inspection_overdue_days", "key_unit"])
def test_keep_refuses_a_column_the_results_already_have(fire_safety, name):
    with pytest.raises(riskgrade.OptionError, match=f"{name}.*written twice"):
        riskgrade.grade_table(VENUES, fire_safety, as_of=dt.date(2026, 11, 1), keep=[name])


def test_keep_of_a_result_column_exits_2_before_writing(tmp_path, capsys):
    assert _grade(str(VENUES), "-o", str(tmp_path / "out.parquet"), "--keep", "level") == 2
    assert "'level' is a column the results already have" in capsys.readouterr().err
    assert not (tmp_path / "out.parquet").exists()


def test_keep_adds_to_the_carried_columns(tmp_path):
    out = tmp_path / "out.jsonl"
    assert _grade(str(VENUES), "-o", str(out), "--keep", "open_hazards", "--quiet") == 1
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert list(first)[:9] == ["entity_id", "name", "address", "city", "county", "station", "grid", "open_hazards",
                               "pack"]


def test_overdue_days_are_in_the_output_and_zero_when_not_due(fire_safety):
    pack = fire_safety
    rows = [{"entity_id": "late", "venue_type": "office", "exits": 2, "last_inspection": "2025-01-01"},
            {"entity_id": "fresh", "venue_type": "office", "exits": 2, "last_inspection": "2026-10-01"},
            {"entity_id": "never", "venue_type": "office", "exits": 2}]
    records = riskgrade.grade_table(rows, pack, as_of=dt.date(2026, 11, 1)).to_records()
    got = {r["entity_id"]: (r["next_inspection"], r["inspection_overdue_days"]) for r in records}
    due = got["late"][0]
    assert got["late"][1] == (dt.date(2026, 11, 1) - due).days > 0
    assert got["fresh"][1] == 0 and got["fresh"][0] > dt.date(2026, 11, 1)
    assert got["never"] == (dt.date(2026, 11, 1), 0)  # never inspected: due on the grading date
    one = riskgrade.grade(rows[0], pack, as_of=dt.date(2026, 11, 1)).packs[0]
    assert (one.next_inspection, one.inspection_overdue_days) == got["late"]


def test_a_chinese_results_file_is_for_people_and_plan_says_so(fire_safety, tmp_path):
    result = riskgrade.grade_table(VENUES, fire_safety, as_of=dt.date(2026, 11, 1))
    result.write(tmp_path / "zh.csv", lang="zh")
    with pytest.raises(riskgrade.InputError, match="--lang zh"):
        riskgrade.load_graded(tmp_path / "zh.csv")
    result.write(tmp_path / "ids.csv")
    assert len(riskgrade.load_graded(tmp_path / "ids.csv")) == result.counts.graded


def test_the_readme_plan_recipe_plans_and_the_ledger_shows_the_overdue_days(tmp_path, capsys):
    """--keep adds to the carried columns, so the graded file keeps its stations and the plan places
    visits (the recipe once planned nothing); the ledger's 逾期天数 are the results' overdue days."""
    graded, ledger = tmp_path / "graded.jsonl", tmp_path / "ledger.xlsx"
    assert main(["grade", str(VENUES), "--rules", RULES, "--as-of", AS_OF, "-o", str(graded),
                 "--keep", "open_hazards", "--quiet"]) == 1
    capsys.readouterr()
    main(["plan", str(graded), "--rules", RULES, "--from", "2026-11-02", "--to", "2026-11-30",
          "--capacity", str(ROOT / "examples" / "capacity.csv"), "-o", str(ledger)])
    planned = int(capsys.readouterr().err.split(" planned")[0].rsplit("= ", 1)[1])
    assert planned > 100
    records = [json.loads(line) for line in graded.read_text(encoding="utf-8").splitlines()]
    overdue = {r["entity_id"]: r["inspection_overdue_days"] for r in records if r["pack"] == "fire_safety"}
    riskgrade.write_ledger(tmp_path / "plain.xlsx", graded, riskgrade.load_packs(RULES))
    sheet = load_workbook(tmp_path / "plain.xlsx")["消防安全风险分级（起步版）"]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    shown = {r[header.index("单位编号")]: r[header.index("逾期天数")] for r in rows}
    assert shown == {k: v for k, v in overdue.items() if k in shown} and len(shown) > 200
