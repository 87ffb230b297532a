"""Strategies for the reliability tests: packs valid by construction that use every part of the
format (tables of every kind, chained derived values, list fields, parameters of every type), and
entities whose values sit on band edges, at the ends of the float range and in any Unicode text.

Kept apart from the test modules so the differential, determinism and robustness figures draw
from one generator.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from hypothesis import strategies as st

from riskgrade.model.scoring import SCORE_METHODS
from riskgrade.table.convert import DATE_MAX, DATE_MIN

# Band and comparison edges the packs use; entities are drawn on them and just beside them.
EDGES = [0.0, 10.0, 20.0, 100.0]
EXTREMES = [0.0, -0.0, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324,
            sys.float_info.min, 1e-300, 0.1, 0.30000000000000004, 2.5, -2.5, 1e15 + 0.5, 9007199254740993.0]
NEAR_EDGES = [e + d for e in EDGES for d in (-1e-9, 0.0, 1e-9)]

HEADER = """
pack: wide
version: "1"
title: {en: Generated, zh: 生成的规则包}
owner: {en: Test, zh: 测试}
fields:
  x: {type: number}
  n: {type: integer}
  ok: {type: boolean}
  cat: {type: category, values: [甲, 乙, "c d"]}
  txt: {type: string}
  day: {type: date}
  rows:
    type: list
    items:
      v: {type: number}
      k: {type: category, values: [p, q]}
      s: {type: string}
parameters:
  limit: {type: number, default: 10}
  strict: {type: boolean, default: false}
  zone: {type: category, values: [north, south], default: north}
  tag: {type: string, default: 默认}
tables:
  by_cat: {kind: keyed, entries: {甲: 1.5, 乙: -2, "c d": 1.0e+308}, default: 0}
  cat_word: {kind: keyed, value: string, entries: {甲: hi, 乙: lo}}
  cat_flag: {kind: keyed, value: boolean, entries: {甲: true, "c d": false}}
  by_num: {kind: keyed, key: number, entries: {"0": 1, "10": 2, "2.5": 3, "-1": 4}, default: -1}
  zone_limit: {kind: keyed, entries: {north: 10, south: 20}}
  band_num:
    kind: banded
    bands: [{max: 0, value: -1}, {min: 0, max: 10, value: 1}, {min: 10, max: 20, value: 2}, {min: 100, value: 3}]
  band_word:
    kind: banded
    value: string
    bands: [{max: 10, value: low}, {min: 10, max: 100, value: mid}, {min: 100, value: 高}]
  band_flag:
    kind: banded
    value: boolean
    bands: [{min: 0, max: 20, value: true}, {min: 20, value: false}]
"""

NUM_LEAVES = ["x", "n", "by_cat[cat]", "by_num[x]", "band_num[x]", "zone_limit[zone]", "limit",
              "days_since(day)", "years_since(day)", "count(rows)", "sum(rows, v)", "max(rows, v * 2)",
              "min(rows, v)", "count(rows, k == 'p')", "sum(rows, v if k == 'q' else None)"]
BOOL_LEAVES = ["ok", "strict", "cat == '甲'", "cat in ['乙', 'c d']", "txt == '火 é 🔥'",
               "txt != tag", "day < '2000-02-29'", "is_missing(x)", "any(rows, v > 10)",
               "all(rows, s == 'ok')", "zone == 'south'", "cat_flag[cat]", "band_flag[x]",
               "cat_word[cat] == 'hi'", "band_word[x] in ['mid', '高']", "x == -0.0", "x >= 1e308"]
# Derived values chained three deep: d1 reads fields, d2 reads d1, d3 reads d2 (and a parameter).
DERIVED = {"d1": NUM_LEAVES, "d2": ["d1", "band_num[d1]", "by_num[d1]"], "d3": ["d2", "d2 * limit"]}


def _num(x: float) -> str:
    return repr(x) if x >= 0 and repr(x)[0] != "-" else f"({x!r})"


def numbers_from(leaves: list[str]) -> st.SearchStrategy[str]:
    """Number expressions over ``leaves`` and literal edges, with every arithmetic operator."""
    literal = st.sampled_from(EDGES + [1e308, -0.0, 5e-324, 0.5]).map(_num)
    return st.recursive(
        st.sampled_from(leaves) | literal,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda x: f"({x} ** 2)"),
            inner.map(lambda x: f"({x} ** 0.5)"),
            inner.map(lambda x: f"abs({x})"),
            st.tuples(inner, st.integers(-3, 3)).map(lambda t: f"round({t[0]}, {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} if {t[1]} > 0 else None)"),
        ),
        max_leaves=5,
    )


def booleans_from(nums: st.SearchStrategy[str], leaves: list[str]) -> st.SearchStrategy[str]:
    """Boolean expressions: comparisons of ``nums`` (often against an edge exactly) and ``leaves``."""
    edge = st.sampled_from(EDGES).map(_num)
    cmp = st.tuples(nums, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), nums | edge).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}")
    return st.recursive(
        st.sampled_from(leaves) | cmp,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda t: f"({t[0]} and {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} or {t[1]})"),
            inner.map(lambda x: f"(not {x})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        ),
        max_leaves=4,
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class PackSpec:
    """The parts of a generated pack that vary; ``render`` turns it into YAML text.

    Drawn as a structure so that a failing example shrinks part by part (fewer rules, a simpler
    condition, another method), and so that a test can pin one part (``pack_specs(method=...)``)."""

    derive: tuple[tuple[str, str], ...]
    method: str
    score: tuple[str, ...]  # the method's own keys, as YAML lines under ``score:``
    cuts: tuple[float, float, float]  # band edges: blue < cuts[0] <= yellow < cuts[1] <= orange < cuts[2] <= red
    rules: tuple[str, ...]
    applies_when: str | None
    on_missing: str


@st.composite
def pack_specs(draw: st.DrawFn, method: st.SearchStrategy[str] | None = None,
               applies: st.SearchStrategy[bool] | None = None) -> PackSpec:
    """A pack valid by construction: every score method and effect, bands cut at the edges.

    ``method`` and ``applies`` (whether there is an ``applies_when``) default to the usual mix."""
    derive = {}
    for name, leaves in DERIVED.items():
        derive[name] = draw(numbers_from(leaves))
    derive["d4"] = draw(st.sampled_from(["band_word[d3]", "cat_word[cat]", "txt", "tag"]))
    derive["d5"] = draw(booleans_from(numbers_from(["d3", "x"]), ["d4 == 'mid'", "d4 == tag", "ok"]))
    nums = numbers_from(NUM_LEAVES + ["d1", "d2", "d3"])
    conditions = booleans_from(nums, BOOL_LEAVES + ["d5", "d4 == 'low'"])
    name = draw(st.sampled_from(list(SCORE_METHODS)) if method is None else method)  # every declared method, each with its keys
    declared = SCORE_METHODS[name]
    rules = [_rule(draw, i, conditions) for i in range(draw(st.integers(1, 6)))]
    score = []
    if "base" in declared.requires:
        score.append("  base: 100")
    if "caps" in declared.allows and draw(st.booleans()):
        score.append("  caps: {g1: 6}")
    if "expr" in declared.requires:
        score.append(f"  expr: {_quote(draw(nums))}")
    if "matrix" in declared.requires:
        score += ["  likelihood: 'coalesce(n, 1)'", "  severity: 'count(rows) + 1'",
                  "  matrix: [[1, 2, 3], [2, 4, 6], [3, 6, 9]]"]
    cuts = sorted(draw(st.lists(st.sampled_from([-5.0, 0.0, 2.5, 5.0, 10.0, 20.0, 100.0]),
                                min_size=3, max_size=3, unique=True)))
    has_applies = draw(applies) if applies is not None else draw(st.integers(0, 3)) == 0
    applies_when = draw(conditions) if has_applies else None
    on_missing = draw(st.sampled_from(["ignore", "ignore", "worst", "error"]))
    return PackSpec(tuple(derive.items()), name, tuple(score), (cuts[0], cuts[1], cuts[2]), tuple(rules),
                    applies_when, on_missing)


def render(spec: PackSpec) -> str:
    """The YAML text of a generated pack."""
    c = spec.cuts
    score = [f"  method: {spec.method}", *spec.score, "  bands:",
             f"    - {{level: blue, max: {c[0]}}}",
             f"    - {{level: yellow, min: {c[0]}, max: {c[1]}}}",
             f"    - {{level: orange, min: {c[1]}, max: {c[2]}}}",
             f"    - {{level: red, min: {c[2]}}}"]
    applies = f"applies_when: {_quote(spec.applies_when)}\n" if spec.applies_when is not None else ""
    derive_yaml = "".join(f"  {k}: {_quote(v)}\n" for k, v in spec.derive)
    return (HEADER + applies + f"on_missing: {spec.on_missing}\nderive:\n{derive_yaml}" + _TAIL.format(
        score="\n".join(score), rules="\n".join(spec.rules)))


def packs() -> st.SearchStrategy[str]:
    """YAML text of a pack that compiles (``pack_specs`` rendered)."""
    return pack_specs().map(render)


def _rule(draw: st.DrawFn, i: int, conditions: st.SearchStrategy[str]) -> str:
    effects: dict[str, object] = {"points": draw(st.sampled_from([0, 1, 2.5, 5, 10, -3, "1.0e+300"]))}
    if draw(st.booleans()):
        effects["group"] = "g1"
    if draw(st.integers(0, 4)) == 0:
        effects["set_level"] = draw(st.sampled_from(["red", "orange", "yellow", "blue"]))
    if draw(st.integers(0, 4)) == 0:
        effects["raise"] = draw(st.integers(1, 2))
    if draw(st.integers(0, 4)) == 0:
        effects["lower"] = draw(st.integers(1, 2))
    if draw(st.integers(0, 3)) == 0:
        effects["controls"] = "[" + ", ".join(draw(st.lists(st.sampled_from(["c1", "c2"]), min_size=1,
                                                            max_size=2, unique=True))) + "]"
    if draw(st.integers(0, 3)) == 0:
        effects["on_missing"] = draw(st.sampled_from(["worst", "error", "ignore"]))
    if not any(effects.get(k) for k in ("points", "set_level", "raise", "lower", "controls")):
        effects["points"] = 1  # a rule needs an effect
    body = ", ".join(f"{k}: {v}" for k, v in effects.items())
    return f"  - {{id: r{i}, when: {_quote(draw(conditions))}, {body}}}"


_TAIL = """
levels:
  - {{id: red, label: {{en: R, zh: 红}}, color: red}}
  - {{id: orange, label: {{en: O}}, color: orange}}
  - {{id: yellow, label: {{en: Y}}, color: yellow}}
  - {{id: blue, label: {{en: B}}, color: blue}}
score:
{score}
rules:
{rules}
controls:
  measures: {{c1: {{text: 一}}, c2: {{text: two}}}}
  by_level: {{red: [c1], orange: [c2]}}
  tiers: {{t: {{en: tier}}}}
  responsible: {{red: t, orange: t}}
inspection:
  interval_days: {{red: 30, orange: 90, yellow: 180, blue: 365}}
  last_inspection: day
  modifiers:
    - {{id: m, when: 'ok', multiply: 0.5, max_days: 60}}
  campaigns:
    - {{id: w, from: '11-01', to: '03-31', multiply: 0.5}}
"""

maybe = lambda s: st.none() | s  # noqa: E731
numbers = st.sampled_from(EXTREMES + NEAR_EDGES) | st.floats(allow_nan=False, allow_infinity=False)
texts = st.sampled_from(["火 é 🔥", "默认", "", " ", "ok", "a'b", "\u202e", "x\x00y"]) | st.text(max_size=6)
entities = st.fixed_dictionaries({
    "x": maybe(numbers),
    "n": maybe(st.integers(-3, 30) | st.sampled_from([2**53, -(2**53), 10**15])),
    "ok": maybe(st.booleans()),
    "cat": maybe(st.sampled_from(["甲", "乙", "c d"])),
    "txt": maybe(texts),
    # dates across the range entity data may hold, its ends, and just beyond them (rejected)
    "day": maybe(st.dates(DATE_MIN, DATE_MAX) | st.sampled_from(
        [dt.date(2000, 2, 29), dt.date(2026, 6, 30), dt.date(2026, 7, 1), DATE_MIN, DATE_MAX,
         DATE_MIN - dt.timedelta(days=1), DATE_MAX + dt.timedelta(days=1), dt.date(1, 1, 1),
         dt.date(9999, 12, 31)])),
    "rows": maybe(st.lists(st.fixed_dictionaries({
        "v": maybe(numbers), "k": maybe(st.sampled_from(["p", "q"])), "s": maybe(texts)}), max_size=3)),
})
params = st.fixed_dictionaries({
    "limit": st.sampled_from([10, 0, -0.0, 1e308, 2.5]),
    "strict": st.booleans(),
    "zone": st.sampled_from(["north", "south"]),
    "tag": st.sampled_from(["默认", "火 é 🔥", ""]),
})
