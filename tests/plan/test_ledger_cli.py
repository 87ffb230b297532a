"""The ledger workbook (opened with openpyxl) and the ``riskgrade plan`` command end to end."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from plan_helpers import PLAN_PACK, grade, venue

from riskgrade.cli.main import main
from riskgrade.plan import Capacity, StationCapacity, plan_inspections, write_ledger

MON = dt.date(2026, 7, 6)
KEEP = ["name", "city", "county", "station", "grid", "open_hazards"]


def _rows():
    return [venue(f"E{i:02}", exits=i % 4, open_hazards=i % 2, station=["北站", "南站"][i % 2]) for i in range(12)]


@pytest.mark.parametrize("lang, names, header", [
    ("zh", ["汇总", "场所检查", "工作量", "周汇总", "月审查", "未排入", "计划-北站"], "风险等级"),
    ("en", ["Summary", "Venue inspection", "Workload", "Weekly", "Monthly review", "Unplanned", "Plan-北站"],
     "Risk level"),
])
def test_ledger_sheets_headers_fills(plan_pack, tmp_path, lang, names, header):
    g = grade(_rows(), plan_pack, as_of=dt.date(2026, 7, 1), keep=KEEP)
    cap = Capacity.from_rows([StationCapacity("北站", 1, 1), StationCapacity("南站", 1, 0)])
    plan = plan_inspections(g, plan_pack, start=MON, end=MON + dt.timedelta(days=4), capacity=cap)
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, g, plan_pack, plan=plan, lang=lang)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == names  # 南站 has no capacity: nothing planned, no daily sheet
    ws = wb[names[1]]
    head = [c.value for c in ws[1]]
    assert header in head and ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}13"
    level_col = head.index(header) + 1
    fills = {ws.cell(r, level_col).value: ws.cell(r, level_col).fill.fgColor.rgb for r in range(2, 14)}
    red, blue = ("重大风险", "低风险") if lang == "zh" else ("Major", "Low")
    assert fills[red] == "00FF0000" and fills[blue] == "001E90FF" and len(fills) == 4
    assert ws.cell(2, level_col).value == red  # most severe first
    work = wb[names[2]]
    rows = {r[0]: r for r in work.iter_rows(min_row=2, values_only=True)}
    assert rows["南站"][-1] == ("是" if lang == "zh" else "yes")  # no capacity, demand 6: over capacity
    assert work.cell(3 if list(rows)[1] == "南站" else 2, 1).fill.fgColor.rgb == "00FFC7CE"
    summary = [c.value for c in wb[names[0]][1]]
    assert summary[:4] == (["层级", "单位/辖区", "风险类别", "单位数"] if lang == "zh"
                           else ["Jurisdiction level", "Unit", "Pack", "Entities"])


def test_ledger_without_a_plan_and_bad_names(plan_pack, tmp_path):
    g = grade(_rows(), plan_pack, keep=KEEP)
    write_ledger(tmp_path / "l.xlsx", g, plan_pack)
    assert openpyxl.load_workbook(tmp_path / "l.xlsx").sheetnames == ["汇总", "场所检查"]
    import riskgrade

    with pytest.raises(riskgrade.OutputError, match="xlsx"):
        write_ledger(tmp_path / "l.csv", g, plan_pack)
    with pytest.raises(riskgrade.OptionError, match="lang"):
        write_ledger(tmp_path / "l.xlsx", g, plan_pack, lang="fr")


@pytest.fixture()
def files(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "venues.yaml").write_text(PLAN_PACK, encoding="utf-8")
    lines = [json.dumps({**r, "last_inspection": None}, ensure_ascii=False) for r in _rows()]
    (tmp_path / "venues.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "capacity.csv").write_text("station,officers,per_officer_per_day\n北站,1,1\n南站,2,1\n",
                                           encoding="utf-8")
    return tmp_path


def test_cli_plan_from_entities_and_from_graded(files, capsys):
    args = ["--rules", str(files / "rules"), "--from", "2026-07-06", "--to", "2026-07-10",
            "--capacity", str(files / "capacity.csv")]
    out = files / "plan.jsonl"
    code = main(["plan", str(files / "venues.jsonl"), "--grade", "--as-of", "2026-07-01", "-o", str(out), *args])
    assert code == 1  # 北站 has 6 due and 5 slots: one visit is left over
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sum(r["status"] == "planned" for r in rows) == 11 and sum(r["status"] == "unplanned" for r in rows) == 1
    assert "over capacity (1): 北站" in capsys.readouterr().err
    assert main(["grade", str(files / "venues.jsonl"), "--rules", str(files / "rules"), "--as-of", "2026-07-01",
                 "-o", str(files / "graded.csv"), "--quiet"]) == 0
    code = main(["plan", str(files / "graded.csv"), "-o", str(files / "ledger.xlsx"), "--lang", "en", *args])
    assert code == 1 and "Workload" in openpyxl.load_workbook(files / "ledger.xlsx").sheetnames


def test_cli_plan_bad_capacity_file_is_located(files, capsys):
    (files / "capacity.csv").write_text("station,officers,per_officer_per_day\n北站,two,1\n", encoding="utf-8")
    code = main(["plan", str(files / "venues.jsonl"), "--grade", "--rules", str(files / "rules"), "--from",
                 "2026-07-06", "--to", "2026-07-10", "--capacity", str(files / "capacity.csv")])
    assert code == 2 and "row 2, column 'officers': not a number: 'two'" in capsys.readouterr().err
