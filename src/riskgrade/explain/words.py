"""A compiled condition in plain words, for panels who read a pack as a document (评分细则).

``exits < 2 and venue_type in ['ktv', 'bar']`` reads, with the pack's labels,
``安全出口数量 小于 2 且 场所类型 属于 “歌舞厅”、“酒吧”``. Names are shown by their label (the id when
there is none), category codes by their value label; the expression text stays beside the words in
every document, so nothing is lost in the translation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from ..expr import nodes as n

_OPS = {
    "zh": {"<": "小于", "<=": "不大于", ">": "大于", ">=": "不小于", "==": "为", "!=": "不为",
           "and": " 且 ", "or": " 或 ", "in": "属于", "not in": "不属于", "not": "并非", "true": "是",
           "false": "否", "list_sep": "、", "if": "{then}（若 {cond}，否则 {orelse}）"},
    "en": {"<": "is less than", "<=": "is at most", ">": "is more than", ">=": "is at least", "==": "is",
           "!=": "is not", "and": " and ", "or": " or ", "in": "is one of", "not in": "is none of",
           "not": "not", "true": "yes", "false": "no", "list_sep": ", ",
           "if": "{then} (if {cond}, else {orelse})"},
}
_ARITH = {"+": "+", "-": "−", "*": "×", "/": "÷", "//": "÷", "%": "mod", "**": "^"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "//": 2, "%": 2, "**": 3}
_CALLS = {
    "zh": {"days_since": "距 {0} 的天数", "years_since": "距 {0} 的年数", "is_missing": "{0} 缺失",
           "coalesce": "{0}（缺失时取 {1}）", "abs": "{0} 的绝对值", "min": "{all} 中最小者",
           "max": "{all} 中最大者", "round": "{0} 取整"},
    "en": {"days_since": "days since {0}", "years_since": "years since {0}", "is_missing": "{0} is missing",
           "coalesce": "{0} (or {1} when missing)", "abs": "the absolute value of {0}",
           "min": "the least of {all}", "max": "the greatest of {all}", "round": "{0} rounded"},
}
_AGGREGATES = {
    "zh": {"sum": "{list} 各项 {body} 之和", "count": "{list} 中 {body} 的项数", "count_all": "{list} 的项数",
           "any": "{list} 中有一项 {body}", "all": "{list} 中每一项 {body}", "min": "{list} 各项 {body} 的最小值",
           "max": "{list} 各项 {body} 的最大值"},
    "en": {"sum": "the sum of {body} over {list}", "count": "the number of {list} where {body}",
           "count_all": "the number of {list}", "any": "any of {list} where {body}",
           "all": "every one of {list} with {body}", "min": "the least {body} in {list}",
           "max": "the greatest {body} in {list}"},
}

_GROUPS = {"zh": "{list} 按 {key} 分组，每组：{values}", "en": "{list} grouped by {key}, per group: {values}"}

Labeller = Callable[[str, str], str]  # (scope, name) -> shown name


def in_words(node: n.Expr, lang: str = "zh", label: Labeller | None = None,
             value_label: Callable[[str, str], str | None] | None = None) -> str:
    """The expression ``node`` as words in ``lang`` ("zh" or "en").

    ``label(scope, name)`` shows a name (default: the name itself); ``value_label(field, code)`` shows
    a category code compared with ``field`` (default: the code).

    >>> from riskgrade import loads_pack
    >>> from riskgrade.api import EXAMPLE_PACK
    >>> rule = loads_pack(EXAMPLE_PACK).rules[0]
    >>> in_words(rule.when.node, "zh"), in_words(rule.when.node, "en")
    ('exits 小于 2', 'exits is less than 2')
    """
    return _Words(lang if lang in _OPS else "en", label or (lambda _s, name: name), value_label)(node)


class _Words:
    def __init__(self, lang: str, label: Labeller, value_label: Callable[[str, str], str | None] | None):
        self.lang, self.label, self.value_label = lang, label, value_label
        self.w = _OPS[lang]

    def __call__(self, node: n.Expr, field: str | None = None) -> str:
        if isinstance(node, n.Const):
            return self.const(node.value, field)
        if isinstance(node, n.Name):
            return self.label(node.scope, node.name)
        if isinstance(node, n.Compare):
            return self.compare(node)
        if isinstance(node, n.Logic):
            parts = [self._grouped(op, node.op) for op in node.operands]
            return self.w[node.op].join(parts)
        if isinstance(node, n.InList):
            subject = _field_of(node.operand)
            options = self.w["list_sep"].join(self.const(o, subject) for o in node.options)
            return f"{self(node.operand)} {self.w['not in' if node.negate else 'in']} {options}"
        if isinstance(node, n.Unary):
            inner = self(node.operand)
            if node.op == "neg":
                return f"−{inner}"
            if isinstance(node.operand, n.Name):  # a yes/no field: 设有喷淋：否 / not Sprinklers
                return f"{inner}：{self.w['false']}" if self.lang == "zh" else f"not {inner}"
            return f"{self.w['not']}（{inner}）" if self.lang == "zh" else f"not ({inner})"
        if isinstance(node, n.Arith):
            rank = _PRECEDENCE[node.op]
            return f"{self._operand(node.left, rank, False)} {_ARITH[node.op]} {self._operand(node.right, rank, True)}"
        if isinstance(node, n.IfElse):
            return self.w["if"].format(then=self(node.then), cond=self(node.cond), orelse=self(node.orelse))
        if isinstance(node, n.Lookup):
            return f"{self.label('table', node.table)}[{self(node.key)}]"
        if isinstance(node, n.Call):
            return self.call(node)
        if isinstance(node, n.GroupBy):
            return self.group_by(node)
        return self.aggregate(node)

    def group_by(self, node: n.GroupBy) -> str:
        values = "；".join(f"{name} = {self(expr)}" for name, expr in node.values) if self.lang == "zh" else \
            "; ".join(f"{name} = {self(expr)}" for name, expr in node.values)
        return _GROUPS[self.lang].format(list=self.label("field", node.list_name),
                                         key=self.label("item", node.key), values=values)

    def _operand(self, node: n.Expr, rank: int, right: bool) -> str:
        """An operand of arithmetic, in parentheses only where the order of operations needs them."""
        text = self(node)
        if isinstance(node, n.Arith) and (_PRECEDENCE[node.op] < rank or (right and _PRECEDENCE[node.op] == rank)):
            return f"({text})"
        return text

    def _grouped(self, node: n.Expr, parent: str) -> str:
        text = self(node)
        if isinstance(node, n.Logic) and node.op != parent:
            return f"（{text}）" if self.lang == "zh" else f"({text})"
        return text

    def const(self, value: Any, field: str | None = None) -> str:
        if isinstance(value, bool):
            return self.w["true" if value else "false"]
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            shown = self.value_label(field, value) if (field and self.value_label) else None
            return f"“{shown or value}”" if self.lang == "zh" else f"'{shown or value}'"
        return str(value)

    def compare(self, node: n.Compare) -> str:
        field = _field_of(node.left) or _field_of(node.right)
        left, right = self(node.left, field), self(node.right, field)
        return f"{left} {self.w[node.op]} {right}"

    def call(self, node: n.Call) -> str:
        args = [self(a) for a in node.args]
        pattern = _CALLS[self.lang].get(node.func)
        if pattern is None:
            return f"{node.func}({', '.join(args)})"
        return pattern.format(*args, all=self.w["list_sep"].join(args))

    def aggregate(self, node: n.Aggregate) -> str:
        words = _AGGREGATES[self.lang]
        shown = self.label("field", node.list_name)
        if node.body is None:
            return words["count_all" if node.func == "count" else node.func].format(list=shown, body="")
        return words[node.func].format(list=shown, body=self(node.body))


def _field_of(node: n.Expr) -> str | None:
    """The field a comparison is about, so that a code beside it is shown by its value label."""
    return node.name if isinstance(node, n.Name) and node.scope in ("field", "item") else None


def pack_labeller(program: Any, lang: str) -> tuple[Labeller, Callable[[str, str], str | None]]:
    """Name and value labels from a compiled pack's authored model (ids where it has none)."""
    pack = getattr(program, "model", None)
    names: dict[tuple[str, str], str] = {}
    values: dict[tuple[str, str], str] = {}
    if pack is not None:
        for name, spec in pack.fields.items():
            _add(names, values, "field", name, spec, lang)
            for item_name, item in (spec.items or {}).items():
                _add(names, values, "item", item_name, item, lang)
        for name, d in pack.derive.items():
            if d.label is not None:
                names[("derived", name)] = d.label.get(lang)
        for name, p in pack.parameters.items():
            if p.label is not None:
                names[("param", name)] = p.label.get(lang)

    def label(scope: str, name: str) -> str:
        return names.get((scope, name)) or name

    def value_label(field: str, code: str) -> str | None:
        return values.get((field, code))

    return label, value_label


def _add(names: dict[tuple[str, str], str], values: dict[tuple[str, str], str], scope: str, name: str,
         spec: Any, lang: str) -> None:
    if spec.label is not None:
        names[(scope, name)] = spec.label.get(lang)
    if isinstance(spec.values, Mapping):
        for code, text in spec.values.items():
            values[(name, code)] = text.get(lang)


__all__ = ["in_words", "pack_labeller"]
