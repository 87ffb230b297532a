"""Advice in the files people open (csv and xlsx with ``lang="zh"``): Chinese headers, levels as
colour and label (``橙（较大风险）``), yes/no as 是/否, and the fixes and the findings in the way as
sentences instead of JSON. Machine formats (jsonl, parquet) keep the records of ``ADVICE_SCHEMA``."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from ..compiler.program import Program
from ..resolve import CARRIED_ZH
from ..results.localize import HEADERS_ZH, ChineseTables
from .results import Advice

ADVICE_HEADERS_ZH = {
    "target_level": "目标等级", "reachable": "能否通过整改达到", "reaches_level": "整改后等级",
    "total_cost": "费用合计（元）", "total_days": "用时合计（天）", "fixes": "整改措施", "blocked_by": "无法整改的事项",
    "exact": "是否精确求解", "summary": "整改建议",
}


def chinese_table(advice: list[Advice], kept: tuple[str, ...], programs: Sequence[Program]) -> pa.Table:
    """The advice records as a table for people reading Chinese."""
    zh = ChineseTables(programs)
    titles = {p.pack_id: p.title.zh or p.pack_id for p in programs}

    def level(a: Advice, lv: str) -> str | None:
        return zh.level_text(a.pack, lv)

    def yes(v: bool) -> str:
        return "是" if v else "否"

    columns: dict[str, list[object]] = {"entity_id": [a.entity_id for a in advice]}
    for name in kept:
        columns[name] = [None if a.kept.get(name) is None else str(a.kept.get(name)) for a in advice]
    columns.update({
        "pack": [titles.get(a.pack, a.pack) for a in advice], "level": [level(a, a.level) for a in advice],
        "target_level": [level(a, a.target_level) for a in advice], "reachable": [yes(a.reachable) for a in advice],
        "reaches_level": [level(a, a.reaches_level) for a in advice], "total_cost": [a.total_cost for a in advice],
        "total_days": [a.total_days for a in advice],
        "fixes": ["；".join(f.step("zh") for f in a.fixes) for a in advice],
        "blocked_by": ["；".join(b.text("zh") for b in a.blocked_by) for a in advice],
        "exact": [yes(a.exact) for a in advice], "summary": [a.summary("zh") for a in advice],
    })
    headers = [ADVICE_HEADERS_ZH.get(n) or HEADERS_ZH.get(n) or CARRIED_ZH.get(n) or n for n in columns]
    numbers = ("total_cost", "total_days")
    return pa.table([pa.array(v, pa.float64() if n in numbers else pa.string()) for n, v in columns.items()],
                    names=headers)
