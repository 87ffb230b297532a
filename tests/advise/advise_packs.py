"""Packs with fixes, generated valid by construction, and entities for them: the ground on which the
advice is held to brute force. Every score method, vetoes, raises and lowers, derived values, bands
in any order, alternatives on one field, missing values, and rules whose firing helps."""

from __future__ import annotations

from hypothesis import strategies as st

# name -> (declaration, values an entity may take, values a fix may set)
FIELDS = {
    "b1": ("{type: boolean}", [True, False, None], [False, True]),
    "b2": ("{type: boolean}", [True, False, None], [True, False]),
    "n1": ("{type: integer, min: 0, max: 5}", [0, 1, 2, 3, 5, None], [0, 2, 4]),
    "n2": ("{type: number, min: 0}", [0.0, 1.5, 10.0, None], [0, 1, "n1"]),  # n1: copy that field's value
    "c1": ("{type: category, values: [p, q, r]}", ["p", "q", "r", None], ["p", "r"]),
}
CONDITIONS = ["b1", "not b1", "b2", "not b2", "n1 >= 2", "n1 < 3", "n2 > 1", "n2 == 0", "c1 == 'p'",
              "c1 in ['q', 'r']", "d1 > 3", "d2", "b1 and n1 > 1", "b2 or c1 == 'q'", "not (n2 > 1 and b2)",
              "n1 + n2 > 4", "coalesce(n1, 0) >= 1"]
DERIVE = "derive:\n  d1: 'n1 * 2 if b2 else n2'\n  d2: \"c1 == 'r' or n1 == 0\"\n"
LEVELS = ["red", "orange", "yellow", "blue"]
METHODS = ["sum", "deduct", "max", "product", "expr", "matrix"]


@st.composite
def fix_text(draw: st.DrawFn, values: list, start: list) -> str:
    out = []
    for _ in range(draw(st.integers(1, 2))):
        to = draw(st.sampled_from(values))
        cost = draw(st.sampled_from([0, 1, 2, 3, 5, 10]))
        days = draw(st.sampled_from([0, 1, 2]))
        when = ""
        if draw(st.integers(0, 3)) == 0:  # a fix for some starting values only (a repair, not an installation)
            known = [v for v in start if v is not None]
            when = f", from: [{', '.join(_yaml(v) for v in draw(st.lists(st.sampled_from(known), min_size=1, max_size=2)))}]"
        out.append(f"{{to: {_yaml(to)}{when}, action: {{zh: 整改, en: fix}}, cost: {cost}, days: {days}}}")
    return "[" + ", ".join(out) + "]"


def _yaml(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v) if isinstance(v, str) else str(v)


@st.composite
def packs(draw: st.DrawFn) -> str:
    lines = ["pack: gen", 'version: "1"', "title: {zh: 生成, en: Generated}", "owner: {zh: 测试}",
             f"on_missing: {draw(st.sampled_from(['ignore', 'worst']))}", "fields:"]
    fixable = draw(st.lists(st.sampled_from(sorted(FIELDS)), unique=True, min_size=1, max_size=5))
    for name, (decl, start, fix_values) in FIELDS.items():
        fix = f", fix: {draw(fix_text(fix_values, start))}" if name in fixable else ""
        lines.append(f"  {name}: {decl[:-1]}{fix}}}")
    lines.append(DERIVE.rstrip())
    lines.append("levels:")
    lines += [f"  - {{id: {lv}, label: {{zh: {lv}}}, color: {lv}}}" for lv in LEVELS]
    method = draw(st.sampled_from(METHODS))
    lines += ["score:", f"  method: {method}"]
    if method == "deduct":
        lines.append("  base: 20")
    if method == "expr":
        lines.append("  expr: 'rule_points + coalesce(n2, 0)'")
    if method == "matrix":
        lines += ["  likelihood: 'min(max(coalesce(n1, 1), 1), 3)'", "  severity: '2 if b1 else 1'",
                  "  matrix: [[1, 4], [5, 9], [12, 15]]"]
    cuts = sorted(draw(st.lists(st.sampled_from([2, 4, 6, 8, 10, 14, 20]), min_size=3, max_size=3, unique=True)))
    order = draw(st.permutations(LEVELS)) if draw(st.integers(0, 4)) == 0 else (
        LEVELS[::-1] if method != "deduct" else LEVELS)
    lines += ["  bands:", f"    - {{level: {order[0]}, max: {cuts[0]}}}",
              f"    - {{level: {order[1]}, min: {cuts[0]}, max: {cuts[1]}}}",
              f"    - {{level: {order[2]}, min: {cuts[1]}, max: {cuts[2]}}}",
              f"    - {{level: {order[3]}, min: {cuts[2]}}}"]
    lines.append("rules:")
    for i in range(draw(st.integers(1, 6))):
        effects = [f"points: {draw(st.sampled_from([1, 2, 3, 5, 8]))}"]
        extra = draw(st.sampled_from(["", "", "set_level", "raise", "lower"]))
        if extra == "set_level":
            effects.append(f"set_level: {draw(st.sampled_from(LEVELS[:3]))}")
        elif extra:
            effects.append(f"{extra}: 1")
        missing = draw(st.sampled_from(["", "", ", on_missing: worst"]))
        if draw(st.integers(0, 3)) == 0:  # a rule's own fix of one of the fields
            field = draw(st.sampled_from(sorted(FIELDS)))
            fix = draw(fix_text(FIELDS[field][2], FIELDS[field][1])).replace("{to:", f"{{field: {field}, to:")
            missing += f", fix: {fix}"
        lines.append(f"  - {{id: r{i}, when: \"{draw(st.sampled_from(CONDITIONS))}\", {', '.join(effects)}{missing}}}")
    return "\n".join(lines) + "\n"


@st.composite
def entities(draw: st.DrawFn) -> dict:
    return {name: draw(st.sampled_from(values)) for name, (_, values, _) in FIELDS.items()}
