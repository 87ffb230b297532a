"""Column headers and fixed words of the ledger in Chinese and English."""

from __future__ import annotations

HEADERS: dict[str, tuple[str, str]] = {
    "entity_id": ("单位编号", "Entity ID"), "name": ("单位名称", "Name"), "city": ("市", "City"),
    "county": ("区县", "County"), "station": ("派出所", "Police station"), "grid": ("网格", "Grid"),
    "pack": ("风险类别", "Pack"), "owner": ("主管部门", "Owning department"),
    "level": ("风险等级", "Risk level"), "rank": ("等级序号", "Rank"), "score": ("风险分值", "Score"),
    "fired": ("触发规则", "Rules fired"), "controls": ("管控措施", "Control measures"),
    "responsible": ("管控层级", "Responsible tier"), "data_gaps": ("缺失数据", "Data gaps"),
    "inspection_interval_days": ("检查周期（天）", "Interval (days)"),
    "base_interval_days": ("基准周期（天）", "Base interval (days)"),
    "adjustments": ("周期调整", "Interval adjustments"),
    "next_inspection": ("下次检查", "Next inspection"), "overdue_days": ("逾期天数", "Days overdue"),
    "date": ("检查日期", "Date"), "slot": ("序号", "Slot"), "visit": ("第几次", "Visit"),
    "due": ("应检日期", "Due"), "overdue_days_at_end": ("期末逾期天数", "Days overdue at period end"),
    "reason": ("未排入原因", "Reason"), "officers": ("检查人员", "Officers"),
    "per_officer_per_day": ("人均日检查数", "Per officer per day"), "per_day": ("日检查能力", "Per day"),
    "workdays": ("工作日", "Working days"), "capacity": ("检查能力", "Capacity"), "demand": ("应检次数", "Demand"),
    "planned": ("已排入", "Planned"), "unplanned": ("未排入", "Unplanned"), "utilisation": ("负荷率", "Load"),
    "over_capacity": ("超负荷", "Over capacity"), "week_of": ("周（起）", "Week of"), "month": ("月份", "Month"),
    "repeat_visits": ("复查次数", "Repeat visits"), "entities": ("单位数", "Entities"),
    "not_applicable": ("不适用", "Not applicable"), "overdue": ("逾期未检", "Overdue inspections"),
    "open_hazards": ("未整改隐患", "Open hazards"), "with_open_hazards": ("有未整改隐患单位", "Entities with open hazards"),
    "jurisdiction": ("层级", "Jurisdiction level"), "unit": ("单位/辖区", "Unit"),
    "advice": ("整改建议", "Rectification advice"),
}
SHEETS: dict[str, tuple[str, str]] = {
    "summary": ("汇总", "Summary"), "workload": ("工作量", "Workload"), "weekly": ("周汇总", "Weekly"),
    "monthly": ("月审查", "Monthly review"), "unplanned": ("未排入", "Unplanned"), "plan": ("计划", "Plan"),
}
WORDS: dict[str, tuple[str, str]] = {
    "city": ("市", "city"), "county": ("区县", "county"), "station": ("派出所", "station"), "grid": ("网格", "grid"),
    "yes": ("是", "yes"), "no": ("否", "no"), "all": ("全部", "all"),
}


def text(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` (``zh`` or ``en``); unknown keys stand for themselves."""
    pair = table.get(key)
    return key if pair is None else pair[0 if lang == "zh" else 1]
