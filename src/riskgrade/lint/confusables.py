"""Lint: names and ids that look like others but are not: full-width letters and digits (``ｘ`` is not
``x``: an input-method slip), and Cyrillic or Greek letters that look Latin (Cyrillic ``Р1`` is not
``P1``: a copy from another document). Either makes a rule read a field nobody fills, or a code
no data ever matches, while every page shows the name the panel meant.

Chinese names are fine; only characters with a Latin look-alike are reported.
"""

from __future__ import annotations

import unicodedata
from typing import Iterator

from ..model import Pack
from .context import LintContext

# Cyrillic and Greek letters that look like a Latin letter, with the letter they look like.
LOOKALIKES: dict[str, str] = {
    **dict(zip("АВЕКМНОРСТХУЅІЈаеорсухіјѕԁԛԝһӏ", "ABEKMHOPCTXYSIJaeopcyxijsdqwhl")),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοινρτυχ", "ABEZHIKMNOPTYXoivptux")),
}
# Full-width forms of ASCII; only letters and digits are reported (full-width brackets and commas
# belong in Chinese text).
_FULL_WIDTH_FIRST, _FULL_WIDTH_LAST = "\uff01", "\uff5e"
_WHAT_ZH = {"pack": "规则包", "parameter": "参数", "field": "字段", "item field": "列表子字段", "table": "查找表",
            "derived value": "派生值", "level": "等级", "rule": "规则", "control measure": "管控措施",
            "tier": "责任层级", "basis": "依据文件", "modifier": "检查周期调整", "campaign": "专项行动",
            "category value": "分类取值"}


def confusable_ids(ctx: LintContext) -> None:
    for what, ident, pointer, key in _identifiers(ctx.pack):
        wide = [ch for ch in ident if _FULL_WIDTH_FIRST <= ch <= _FULL_WIDTH_LAST and unicodedata.normalize("NFKC", ch).isalnum()]
        if wide:
            ctx.report("RG618", pointer, key=key, what=what, what_zh=_WHAT_ZH[what], id=ident,
                       chars=" ".join(wide), plain=unicodedata.normalize("NFKC", ident))
        alike = [ch for ch in ident if ch in LOOKALIKES]
        if alike:
            ctx.report("RG619", pointer, key=key, what=what, what_zh=_WHAT_ZH[what], id=ident,
                       chars=", ".join(f"{ch} ({unicodedata.name(ch, 'U+%04X' % ord(ch)).title()})" for ch in alike),
                       plain="".join(LOOKALIKES.get(ch, ch) for ch in ident))


def _identifiers(pack: Pack) -> Iterator[tuple[str, str, str, bool]]:
    """(kind, identifier, JSON pointer, whether the pointer names a key) of every name and id."""
    yield "pack", pack.pack, "/pack", False
    for name in pack.parameters:
        yield "parameter", name, f"/parameters/{name}", True
    for name, spec in pack.fields.items():
        yield "field", name, f"/fields/{name}", True
        yield from _values(spec.values, f"/fields/{name}/values")
        for item, sub in (spec.items or {}).items():
            yield "item field", item, f"/fields/{name}/items/{item}", True
            yield from _values(sub.values, f"/fields/{name}/items/{item}/values")
    for name in pack.tables:
        yield "table", name, f"/tables/{name}", True
    for name in pack.derive:
        yield "derived value", name, f"/derive/{name}", True
    for i, level in enumerate(pack.levels):
        yield "level", level.id, f"/levels/{i}/id", False
    for i, rule in enumerate(pack.rules):
        yield "rule", rule.id, f"/rules/{i}/id", False
    for name in pack.controls.measures:
        yield "control measure", name, f"/controls/measures/{name}", True
    for name in pack.controls.tiers:
        yield "tier", name, f"/controls/tiers/{name}", True
    for i, doc in enumerate(pack.basis):
        yield "basis", doc.id, f"/basis/{i}/id", False
    if pack.inspection is not None:
        for i, m in enumerate(pack.inspection.modifiers):
            yield "modifier", m.id, f"/inspection/modifiers/{i}/id", False
        for i, c in enumerate(pack.inspection.campaigns):
            yield "campaign", c.id, f"/inspection/campaigns/{i}/id", False


def _values(values: object, pointer: str) -> Iterator[tuple[str, str, str, bool]]:
    if isinstance(values, dict):  # codes with labels: the codes are keys
        for value in values:
            yield "category value", value, f"{pointer}/{value}", True
    elif isinstance(values, list):
        for i, value in enumerate(values):
            yield "category value", value, f"{pointer}/{i}", False
