"""Why a row was rejected, in Chinese: what a clerk reads in the rejects file and on the terminal with
``--lang zh``.

Reasons are made in English where the fault is found (reading, conversion, the engines), with a
stable code. Here each known English pattern becomes its Chinese sentence, fields are named by their
Chinese labels (with the id in brackets), and a reason no pattern knows keeps its English detail
after the Chinese title of its code, so that a clerk always sees what kind of problem it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..compiler.program import Program
from ..model.common import LocalText

TITLES_ZH = {
    "RG400": "无法使用的值", "RG401": "规则所需数据缺失", "RG402": "必填字段缺失", "RG403": "无法计算得分",
    "RG404": "无法读取的行", "RG405": "单位编号重复", "RG406": "无法判定是否适用",
}

_HINTS = {
    "a separator is missing or the line was cut short; complete the line": "缺少分隔符或该行不完整，请补全该行",
    "save the file as UTF-8 or pass its encoding": "请将文件另存为 UTF-8，或注明其编码",
    "fix or remove the line": "请修正或删除该行",
}

# (pattern over the English reason, Chinese template over its named groups; {f:label} names a field)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), z) for p, z in [
    (r"^expected a number, got (?P<v>.*)$", "应为数值，实际为 {v}"),
    (r"^not a number: (?P<v>.*)$", "不是数值：{v}"),
    (r"^not a finite number: (?P<v>.*)$", "不是有限的数值：{v}"),
    (r"^expected a whole number, got (?P<v>.*)$", "应为整数，实际为 {v}"),
    (r"^(?P<x>\S+) is below the minimum (?P<m>\S+)$", "{x} 小于下限 {m}"),
    (r"^(?P<x>\S+) is above the maximum (?P<m>\S+)$", "{x} 大于上限 {m}"),
    (r"^not a yes/no value: (?P<v>.*) \(use .*\)$", "不是“是/否”值：{v}（请填 是/否、有/无、1/0）"),
    (r"^unknown value (?P<v>.*) \(allowed: (?P<a>.*)\)$", "未知取值 {v}（可填：{a:values}）"),
    (r"^not a valid date: (?P<v>.*) \(use YYYY-MM-DD\)$", "不是有效日期：{v}（请按 YYYY-MM-DD 填写）"),
    (r"^not a JSON list of records \((?P<m>.*) at character (?P<p>\d+)\)$", "不是 JSON 记录列表（第 {p} 个字符处：{m}）"),
    (r"^expected a list of records, e\.g\. (?P<e>.*)$", "应为记录列表，例如 {e}"),
    (r"^record (?P<i>\d+) is not a mapping of fields$", "第 {i} 条记录不是“字段: 值”形式"),
    (r"^record (?P<i>\d+), '(?P<f>[^']*)': (?P<m>.*)$", "第 {i} 条记录的“{f}”：{m:reason}"),
    (r"^record (?P<i>\d+): required '(?P<f>[^']*)' is missing$", "第 {i} 条记录缺少必填项“{f}”"),
    (r"^rule (?P<r>\S+) needs data that is missing: (?P<f>.*)$", "规则 {r} 所需数据缺失：{f:labels}"),
    (r"^required field '(?P<f>[^']*)' is missing$", "必填，但未填写"),
    (r"^the score cannot be computed: data missing$", "数据缺失，无法计算得分"),
    (r"^line has (?P<a>\d+) cells?, header has (?P<b>\d+): (?P<h>.*)$", "该行有 {a} 个单元格，表头有 {b} 个：{h:hint}"),
    (r"^line is not valid (?P<e>\S+) text; (?P<h>.*)$", "该行不是有效的 {e} 文本：{h:hint}"),
    (r"^line is not valid JSON \((?P<m>.*) at column (?P<c>\d+)\); (?P<h>.*)$",
     "该行不是有效的 JSON（第 {c} 列：{m}）：{h:hint}"),
    (r"^line holds (?P<k>.*), not an object; .*$", "该行是 {k}，不是对象：每行应是描述一个对象的 {{…}}"),
    (r"^item is of type (?P<t>\S+), not a dict .*$", "该项类型为 {t}，不是“字段名: 值”的字典：每个对象请给一个字典"),
    (r"^row has a value in column (?P<c>\S+), which has no header; .*$",
     "该行在没有表头的 {c} 列有值：请为该列加上表头，或清空该单元格"),
    (r"^duplicate entity id: first seen at row (?P<n>\d+); .*$", "单位编号重复：第 {n} 行已出现；每个对象只能出现一次"),
    (r"^cannot tell whether pack (?P<p>\S+) applies: (?P<f>.*) missing \(strict grading\)$",
     "无法判定规则包 {p} 是否适用：缺少 {f:labels}（严格评级）"),
]]
_UNQUOTED_SEP = re.compile(r"^a value probably contains an unquoted (?P<s>.*); put that value in double quotes, "
                           r"or remove the extra separators$")
_FIELD_SPEC = re.compile(r"\{(\w+)(?::(\w+))?\}")


class ChineseRejects:
    """Rejects worded in Chinese, with the fields of ``programs`` named by their Chinese labels
    (satisfies ``results.rejects.Wording``)."""

    sep = "；"
    row_word = "第 {row} 行"
    headers = {"source": "来源文件", "row": "行号", "entity_id": "单位编号", "fields": "字段", "codes": "代码",
               "packs": "规则包", "reason": "原因", "problems": "问题明细"}

    def __init__(self, programs: Sequence[Program] = ()) -> None:
        self.labels: dict[str, LocalText | None] = {}
        self.values: dict[str, list[str]] = {}  # field -> its values as a clerk writes them
        for p in programs:
            for f in p.fields:
                self.labels.setdefault(f.name, f.label)
                if f.values and f.name not in self.values:
                    labels = f.value_labels or (None,) * len(f.values)
                    self.values[f.name] = [lb.zh if lb is not None and lb.zh else code
                                           for code, lb in zip(f.values, labels)]

    def field(self, name: str) -> str:
        """``建筑面积（building_area_m2）``, or the name alone when it has no Chinese label."""
        label = self.labels.get(name)
        text = label.zh if label is not None else None
        return f"{text}（{name}）" if text else name

    def reason(self, reason: str, code: str, field: str = "") -> str:
        for pattern, template in _PATTERNS:
            m = pattern.match(reason)
            if m is not None:
                return _FIELD_SPEC.sub(lambda spec: self._fill(m.groupdict(), spec, field), template)
        title = TITLES_ZH.get(code)
        return f"{title}：{reason}" if title else reason

    def _fill(self, groups: dict[str, str], spec: re.Match[str], field: str) -> str:
        value, how = groups.get(spec.group(1), ""), spec.group(2)
        if how == "values":  # the field's values by their Chinese names (any of them is accepted)
            names = self.values.get(field)
            return "；".join(names[:20]) + ("…" if len(names) > 20 else "") if names else value
        if how == "label":
            return f"“{self.field(value)}”"
        if how == "labels":
            return "、".join(self.field(v.strip()) for v in value.split(","))
        if how == "reason":
            return self.reason(value, "")
        if how == "hint":
            sep = _UNQUOTED_SEP.match(value)
            if sep is not None:
                shown = "制表符" if sep.group("s") == "tab" else sep.group("s")
                return f"某个值中可能含有未加引号的 {shown}：请给该值加上双引号，或删去多余的分隔符"
            return _HINTS.get(value, value)
        return value
