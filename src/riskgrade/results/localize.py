"""The output contract's Chinese face, for the files people open (csv and xlsx with ``lang="zh"``).

Column headers become Chinese (``entity_id`` -> 单位编号, ``level`` -> 风险等级, a derived value -> its
label), levels are written as colour and label (``橙（较大风险）``), colours as 红/橙/黄/蓝, ``applies``
and other yes/no values as 是/否, the responsible tier by its name, data gaps by the fields' Chinese
labels. Machine formats (jsonl, parquet) keep the stable English ids whatever the language.

>>> from riskgrade.compiler.load import EXAMPLE_PACK, loads_pack
>>> zh = ChineseTables([loads_pack(EXAMPLE_PACK)])
>>> zh.level_text("demo", "red")
'红（重大风险）'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from ..compiler.program import Program
from ..model.common import LocalText
from ..resolve import CARRIED_ZH

HEADERS_ZH = {
    "entity_id": "单位编号", "pack": "规则包", "pack_version": "规则包版本", "pack_sha256": "规则包摘要（SHA-256）",
    "as_of": "评级日期", "applies": "是否适用", "level": "风险等级", "rank": "等级序号", "color": "颜色",
    "score": "得分", "fired": "触发的规则", "controls": "管控措施", "responsible": "责任层级",
    "inspection_interval_days": "检查周期（天）", "next_inspection": "下次检查日期", "inspection_overdue_days": "逾期天数",
    "inspection_modifiers": "检查周期调整", "data_gaps": "缺失数据", "explanation": "评级说明",
    "overall_level": "综合风险等级", "overall_rank": "综合等级序号", "overall_color": "综合颜色",
}
WIDE_PARTS_ZH = {"applies": "是否适用", "level": "风险等级", "score": "得分", "fired": "触发的规则"}
COLOURS_ZH = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
SHEETS_ZH = ("评级结果", "综合等级")


class ChineseTables:
    """Turns the long and wide tables of a run into their Chinese form (see the module docstring)."""

    def __init__(self, programs: Sequence[Program]) -> None:
        self.programs = {p.pack_id: p for p in programs}
        self.fields: dict[str, LocalText | None] = {}
        for p in programs:
            for f in p.fields:
                self.fields.setdefault(f.name, f.label)
        self.derived: dict[str, LocalText] = {}  # output column -> label
        for p in programs:
            for name, label in p.derived_labels.items():
                self.derived.setdefault(name, label)
                self.derived.setdefault(f"{p.pack_id}.{name}", label)

    # --- values --------------------------------------------------------------------------------

    def level_text(self, pack: str | None, level: str | None) -> str | None:
        """``橙（较大风险）``: the colour and the pack's Chinese label of the level."""
        if level is None:
            return None
        programs = [self.programs[pack]] if pack in self.programs else list(self.programs.values())
        for p in programs:
            for lv in p.levels:
                if lv.id == level:
                    return level_zh(lv.label.get("zh"), lv.color) or lv.id
        return level

    def field_label(self, name: str) -> str:
        label = self.fields.get(name)
        return (label.zh if label is not None else None) or name

    def _tier(self, pack: str | None, tier: str | None) -> str | None:
        p = self.programs.get(pack or "")
        if tier is None or p is None:
            return tier
        label = p.tiers.get(tier)
        return (label.zh if label is not None else None) or tier

    def _title(self, pack: str | None) -> str | None:
        p = self.programs.get(pack or "")
        return (p.title.zh or pack) if p is not None else pack

    # --- tables --------------------------------------------------------------------------------

    def long(self, table: pa.Table) -> pa.Table:
        """The long form in Chinese."""
        packs = table.column("pack").to_pylist() if "pack" in table.column_names else [None] * table.num_rows
        columns = []
        for name in table.column_names:
            col = table.column(name)
            if name == "level":
                col = _strings([self.level_text(p, v) for p, v in zip(packs, col.to_pylist())])
            elif name == "color":
                col = _strings([COLOURS_ZH.get(v, v) for v in col.to_pylist()])
            elif name == "responsible":
                col = _strings([self._tier(p, v) for p, v in zip(packs, col.to_pylist())])
            elif name == "data_gaps":
                col = pa.array([None if v is None else [self.field_label(f) for f in v] for v in col.to_pylist()],
                               pa.list_(pa.string()))
            elif name == "pack":
                col = _strings([self._title(v) for v in col.to_pylist()])
            columns.append(_yes_no(col))
        return _renamed(columns, [self._header(n) for n in table.column_names], table.column_names)

    def wide(self, table: pa.Table) -> pa.Table:
        """The wide form in Chinese."""
        columns = []
        for name in table.column_names:
            col = table.column(name)
            pack, _, part = name.rpartition(".")
            if name == "overall_level":
                col = _strings([self.level_text(None, v) for v in col.to_pylist()])
            elif name == "overall_color":
                col = _strings([COLOURS_ZH.get(v, v) for v in col.to_pylist()])
            elif pack in self.programs and part == "level":
                col = _strings([self.level_text(pack, v) for v in col.to_pylist()])
            columns.append(_yes_no(col))
        return _renamed(columns, [self._wide_header(n) for n in table.column_names], table.column_names)

    def _header(self, name: str) -> str:
        if name in HEADERS_ZH:
            return HEADERS_ZH[name]
        if name in CARRIED_ZH:
            return CARRIED_ZH[name]
        if name in self.derived:
            return self.derived[name].zh or name
        return self.field_label(name)

    def _wide_header(self, name: str) -> str:
        pack, _, part = name.rpartition(".")
        if pack in self.programs and part in WIDE_PARTS_ZH:
            return f"{self._title(pack)}·{WIDE_PARTS_ZH[part]}"
        return self._header(name)


def level_zh(label: str | None, color: str) -> str | None:
    """``橙（较大风险）`` from the label 较大风险 and the colour orange; a label that names its colour
    already (``橙色（较大风险）``) is kept as written."""
    colour = COLOURS_ZH.get(color)
    if not colour or not label or label.startswith(colour):
        return label
    return f"{colour}（{label}）"


def _strings(values: list[Any]) -> pa.Array:
    return pa.array(values, pa.string())


def _yes_no(col: Any) -> Any:
    """A yes/no column as 是/否 (other columns as they are)."""
    if not pa.types.is_boolean(col.type):
        return col
    return _strings([None if v is None else "是" if v else "否" for v in col.to_pylist()])


def _renamed(columns: list[Any], names: list[str], ids: list[str]) -> pa.Table:
    """A table with Chinese headers, made unique: a label two columns share gets the id in brackets."""
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    unique = [f"{n}（{orig}）" if seen[n] > 1 else n for n, orig in zip(names, ids)]
    return pa.Table.from_arrays(columns, names=unique)
