"""A compiled pack as Python source: one module with straight-line functions for one entity.

``module_source(program)`` writes, from the typed IR only:

- ``grade(raw, as_of, params)``: an entity's raw values (a dict, as a caller or a request gives
  them) converted field by field — the common types on a fast path, anything else through
  ``table.convert.convert_value``, so the values and the errors are those of the reference engine —
  then graded;
- ``grade_values(values, as_of, params)``: an entity whose values are already typed;
- ``core(as_of, params, f0, f1, …)``: the grading itself, the reference engine's steps
  (``backends.reference.grade_entity``) in its order: derived values, applicability, every rule,
  the score (``scoring.source``), band, vetoes and shifts, rejections, controls, the inspection
  interval; it returns the reference's record, with the derived values under ``derived`` (the shape
  of ``results.PackResult``; the backend lays them out flat for the other callers).

Expressions are lowered by ``expr.lower_python``; every literal goes through ``literal`` or a
module constant, locals are numbered, and ``check.check_source`` refuses any other name.
"""

from __future__ import annotations

from typing import Any

from ...compiler.program import CompiledAdjustment, CompiledExpr, CompiledField, CompiledRule, Program
from ...expr.lower_python import Lowering, Source, Unsupported, literal
from ...expr.nodes import Aggregate, Call, Expr, IfElse, Lookup, Name, Unary
from ...scoring.interval import adjustment_ids
from ...scoring.methods import implementation
from ...scoring.source import Fired, level_of

INT_LIMIT = 2**53  # integers up to this convert to float exactly


def module_source(program: Program) -> str:
    """The Python source of the compiled pack (raises ``Unsupported`` for what it cannot lower)."""
    gen = _Generator(program)
    body = gen.core() + gen.entry_points()
    header = [f"# riskgrade compiled pack {literal(program.pack_id)} {literal(program.version)}",
              f"# sha256 {program.sha256}",
              "# Generated from the compiled pack by riskgrade.backends.compiled; not to be edited.", ""]
    return "\n".join(header + gen.src.constants + [""] + body) + "\n"


class _Generator:
    def __init__(self, program: Program):
        self.p = program
        self.src = Source()
        self.fields = {f.name: f"f{j}" for j, f in enumerate(program.fields)}
        self.names: dict[tuple[str, str], str] = {("field", n): v for n, v in self.fields.items()}
        self.names.update((("param", n), f"p{k}") for k, n in enumerate(program.params))
        self.derived_nodes = dict(program.derive)
        self.index = {f.name: j for j, f in enumerate(program.fields)}
        self.missing = {f.name: (f"m{j}" if f.kind == "list" else f"f{j} is None")
                        for j, f in enumerate(program.fields)}
        # data gaps as bits of ``gaps``, in the order of the names they stand for (fields, items)
        self.gap_bit = {f.name: program.field_gaps[j] for j, f in enumerate(program.fields)}

    # --- pieces -----------------------------------------------------------------------------------

    def value(self, cexpr: CompiledExpr, rule_points: str | None = None) -> str:
        names = dict(self.names)
        if rule_points is not None:
            names[("rule_points", "rule_points")] = rule_points
        return Lowering(self.src, names, self.p.tables, may_be_int=self.may_be_int).value(cexpr.node)

    def may_be_int(self, node: Expr) -> bool:
        """Whether a number may be a Python int (a table's value): arithmetic then converts, as the
        interpreter's ``float(result)`` does."""
        if isinstance(node, Lookup):
            t = self.p.tables[node.table]
            values = [*t.entries.values(), t.default, *(b[2] for b in t.bands)]
            return any(type(v) is int for v in values)
        if isinstance(node, IfElse):
            return self.may_be_int(node.then) or self.may_be_int(node.orelse)
        if isinstance(node, Call) and node.func in ("coalesce", "min", "max", "abs"):
            return any(self.may_be_int(a) for a in node.args)
        if isinstance(node, Unary):
            return self.may_be_int(node.operand)
        if isinstance(node, Aggregate) and node.func in ("min", "max") and node.body is not None:
            return self.may_be_int(node.body)
        if isinstance(node, Name) and node.scope == "derived":
            return self.may_be_int(self.derived_nodes[node.name].node)
        return False

    def note_gaps(self, cexpr: CompiledExpr) -> None:
        """Each input the expression reads that is missing becomes a data gap (a bit of ``gaps``)."""
        for name in sorted(cexpr.fields, key=lambda n: self.index.get(n, -1)):
            if name in self.index:
                self.src.line(f"if {self.missing[name]}: gaps |= {literal(1 << self.gap_bit[name])}")

    def missing_list(self, names: Any) -> str:
        """A list expression of the missing ones among ``names`` (sorted), for a message."""
        ordered = sorted(n for n in names if n in self.index)
        pairs = "".join(f"({literal(n)}, {self.missing[n]}), " for n in ordered)
        return f"[n for n, m in ({pairs}) if m]"

    def required_reasons(self, among: Any = None) -> str:
        """A list expression of the RG402 reasons for required fields that are missing."""
        parts = [f"[({literal(f.name)}, None, {literal(_required_message(f.name))}, 'RG402')] if f{j} is None else []"
                 for j, f in enumerate(self.p.fields) if f.required and (among is None or f.name in among)]
        return " + ".join(f"({p})" for p in parts) or "[]"

    # --- the grading -------------------------------------------------------------------------------

    def core(self) -> list[str]:
        p, src = self.p, self.src
        args = "".join(f", {v}" for v in self.fields.values())
        src.line("as_of_md = (as_of.month, as_of.day)")
        src.line("gaps = 0")
        for k, name in enumerate(p.params):
            src.line(f"p{k} = params.get({literal(name)})")
        for j, f in enumerate(p.fields):
            if f.kind == "list":
                subs = " or ".join(f"r.get({literal(s.name)}) is None" for s in f.items) or "False"
                src.line(f"m{j} = f{j} is None or any({subs} for r in f{j})")
        for k, (name, cexpr) in enumerate(p.derive):
            local = f"d{k}"
            src.line(f"{local} = {self.value(cexpr)}")
            self.names[("derived", name)] = local
        derived = ", 'derived': {" + ", ".join(f"{literal(name)}: d{k}" for k, (name, _) in enumerate(p.derive)) + "}"
        empty = (f"{{'pack': PACK, 'pack_version': VERSION, 'pack_sha256': SHA256, 'applies': APPLIES, "
                 f"'level': None, 'rank': None, 'color': None, 'score': None, 'fired': [], 'controls': [], "
                 f"'responsible': None, 'inspection_interval_days': None, 'next_inspection': None, "
                 f"'inspection_overdue_days': None, 'inspection_modifiers': [], 'data_gaps': mask_names(gaps, DATA_GAPS, GAP_NAMES){derived}}}")
        if p.applies_when is not None:
            a = self.value(p.applies_when)
            with src.block(f"if {a} is None:"):
                self.note_gaps(p.applies_when)
                src.line(f"undecided = {self.required_reasons(p.applies_when.fields)}")
                src.line("if undecided: return {'rejected': undecided}")
            src.line(f"if {a} is not True: return {empty.replace('APPLIES', a)}")  # False, or None: undecided
        fired = self.rules()
        src.line(f"score = {implementation(p.score.method, 'compiled')(p, src, fired, self.value)}")
        src.line("if score is not None and not -INF < score < INF: score = None")
        score = "score"
        with src.block(f"if {score} is None:"):
            src.line("pass")
            for c in (p.score.expr, p.score.likelihood, p.score.severity):
                if c is not None:
                    self.note_gaps(c)
            if p.on_missing == "error":
                src.line("reasons.append(('score', None, 'the score cannot be computed: data missing', 'RG403'))")
        band = level_of(p, src, score)
        n = len(p.levels)
        src.line(f"level = min(max(min({band}, veto) - shift, 0), {literal(n - 1)})")
        src.line("if veto < level: level = veto")
        src.line(f"reasons += {self.required_reasons()}")
        src.line("if reasons: return {'rejected': reasons}")
        src.line("controls |= LEVEL_CONTROLS[level]")
        days, due, applied = self.schedule()
        src.line(f"return {{'pack': PACK, 'pack_version': VERSION, 'pack_sha256': SHA256, 'applies': True, "
                 f"'level': LEVEL_IDS[level], 'rank': level + 1, 'color': COLORS[level], 'score': {score}, "
                 f"'fired': fired, 'controls': mask_names(controls, MEASURE_IDS, CONTROL_NAMES), "
                 f"'responsible': RESPONSIBLE[level], "
                 f"'inspection_interval_days': {days}, 'next_inspection': {due}, "
                 f"'inspection_overdue_days': {'None' if due == 'None' else f'overdue_days({due}, as_of)'}, "
                 f"'inspection_modifiers': {applied}, "
                 f"'data_gaps': mask_names(gaps, DATA_GAPS, GAP_NAMES){derived}}}")
        self.constants()
        return [f"def core(as_of, params{args}):"] + src.lines + [""]

    def rules(self) -> Fired:
        src, n, score = self.src, len(self.p.levels), self.p.score
        totals = [src.temp("g") for _ in score.groups]
        group = {g: totals[i] for i, g in enumerate(score.groups)}
        src.line("fired = []")
        src.line("reasons = []")
        src.line(f"veto = {literal(n)}")
        src.line("shift = 0")
        src.line("controls = 0")
        for total in totals:
            src.line(f"{total} = 0.0")
        for rule in self.p.rules:
            h = f"h{rule.index}"
            since = src.mark()
            src.rename(self.value(rule.when), h, since)
            if rule.on_missing == "worst":  # h is set below where unknown: no later expression may reuse it
                src.shared = {k: v for k, v in src.shared.items() if v != h}
            with src.block(f"if {h}:"):
                self.effects(rule, group)
            with src.block(f"elif {h} is None:"):
                self.note_gaps(rule.when)
                if rule.on_missing == "error":
                    message = literal(f"rule {rule.id} needs data that is missing: ")
                    src.line(f"reasons.append(({literal(rule.id)}, None, {message} + "
                             f"(', '.join({self.missing_list(rule.when.fields)}) or '?'), 'RG401'))")
                if rule.on_missing == "worst":
                    src.line(f"{h} = True")
                    self.effects(rule, group)
        return Fired([f"h{r.index}" for r in self.p.rules], totals)

    def effects(self, rule: CompiledRule, group: dict[str, str]) -> None:
        src = self.src
        src.line(f"fired.append({literal(rule.id)})")
        if rule.points:
            src.line(f"{group[rule.group]} += {literal(rule.points)}")
        if rule.set_level is not None:
            src.line(f"if {literal(rule.set_level)} < veto: veto = {literal(rule.set_level)}")
        if rule.raise_ or rule.lower:
            src.line(f"shift += {literal(rule.raise_ - rule.lower)}")
        if rule.controls:
            src.line(f"controls |= {literal(sum(1 << m for m in set(rule.controls)))}")
        if getattr(rule, "gap", None) is not None:  # the rule names data it needs in data_gaps
            src.line(f"gaps |= {literal(1 << rule.gap)}")

    def schedule(self) -> tuple[str, str, str]:
        insp, src = self.p.inspection, self.src
        if insp is None:
            return "None", "None", "[]"
        src.line("interval = INTERVALS[level]")
        src.line("applied = []")
        for m in insp.modifiers:
            assert m.when is not None
            hit = self.value(m.when)
            with src.block(f"if {hit} is None:"):
                src.line("pass")
                self.note_gaps(m.when)
            with src.block(f"if {hit} and interval is not None:"):
                self.adjust(m)
        for c in insp.campaigns:
            assert c.window is not None
            start, end = (src.constant(tuple(x)) for x in c.window)
            window = (f"{start} <= as_of_md <= {end}" if c.window[0] <= c.window[1]
                      else f"(as_of_md >= {start} or as_of_md <= {end})")
            levels = "" if c.levels is None else f" and level in {src.constant(frozenset(c.levels))}"
            with src.block(f"if interval is not None and {window}{levels}:"):
                self.adjust(c)
        src.line("days = finish(interval)")  # scoring.interval: whole days, at least one, at most its cap
        last = self.fields.get(insp.last_inspection or "", "None")
        src.line(f"due = None if days is None else as_of if {last} is None else {last} + timedelta(days=days)")
        src.line("if days is None: applied = []")
        return "days", "due", "applied"

    def adjust(self, adj: CompiledAdjustment) -> None:
        if adj.multiply is not None:
            self.src.line(f"interval = interval * {literal(adj.multiply)}")
        if adj.max_days is not None:
            self.src.line(f"interval = min(interval, {literal(float(adj.max_days))})")
        self.src.line(f"applied.append({literal(adj.id)})")

    def constants(self) -> None:
        p, c = self.p, self.src.constants
        insp = p.inspection
        c += [f"PACK = {literal(p.pack_id)}", f"VERSION = {literal(p.version)}", f"SHA256 = {literal(p.sha256)}",
              f"DATA_GAPS = {self.src.value_text(tuple(p.gap_names))}",
              f"MEASURE_IDS = {self.src.value_text(tuple(m for m, _ in p.measures))}",
              f"LEVEL_IDS = {self.src.value_text(tuple(lv.id for lv in p.levels))}",
              f"COLORS = {self.src.value_text(tuple(lv.color for lv in p.levels))}",
              f"RESPONSIBLE = {self.src.value_text(tuple(p.responsible))}",
              f"LEVEL_CONTROLS = {self.src.value_text(tuple(sum(1 << m for m in set(ms)) for ms in p.level_controls))}",
              f"INTERVALS = {self.src.value_text(tuple(None if d is None else float(d) for d in insp.intervals))}"
              if insp is not None else "INTERVALS = ()",
              f"ADJUSTMENTS = {self.src.value_text(tuple(adjustment_ids(insp)))}",
              "GAP_NAMES = {}  # data gaps and controls by bit mask, as built (bounded: see mask_names)",
              "CONTROL_NAMES = {}"]

    # --- reading an entity ------------------------------------------------------------------------

    def entry_points(self) -> list[str]:
        fields = self.p.fields
        self.src.constants += [f"FIELD{j} = {self.field_spec(f)}" for j, f in enumerate(fields)]
        args = "".join(f", f{j}" for j in range(len(fields)))
        lines = []
        for j, f in enumerate(fields):
            if f.kind == "list":
                lines += self.list_reader(j, f)
        lines += ["def grade(raw, as_of, params):", "    errors = None"]
        for j, f in enumerate(fields):
            lines += ["    " + line for line in self.convert(j, f)]
        lines += ["    if errors is not None:", "        return {'rejected': errors}",
                  f"    return core(as_of, params{args})", "",
                  "def grade_values(values, as_of, params):",
                  "    get = values.get",
                  f"    return core(as_of, params{''.join(f', get({literal(f.name)})' for f in fields)})", ""]
        return lines

    def field_spec(self, f: CompiledField) -> str:
        items = "(" + "".join(self.field_spec(s) + ", " for s in f.items) + ")"
        return (f"field({literal(f.name)}, {literal(f.kind)}, {self.src.value_text(f.values)}, "
                f"{literal(f.min)}, {literal(f.max)}, {literal(f.required)}, {items})")

    def convert(self, j: int, f: CompiledField) -> list[str]:
        """Statements that leave field j's typed value in ``f{j}``: a value already of its type passes
        with one test, a few common forms are read inline, anything else goes through the reference
        conversion (which also words the error)."""
        out = f"f{j}"
        ready, cases = self.fast_cases(f, out, f"x{j}", f"read{j}")
        slow = ["try:", f"    {out} = conv(FIELD{j}, {out})", "except ValueError as exc:",
                "    errors = (errors or []) + " + f"[({literal(f.name)}, {out}, str(exc), 'RG400')]",
                f"    {out} = None"]
        lines = [f"{out} = raw.get({literal(f.name)})",
                 f"if {out} is not None and not ({ready}):" if ready else f"if {out} is not None:"]
        for i, (condition, value) in enumerate(cases):
            lines += [f"    {'el' if i else ''}if {condition}:", f"        {out} = {value}"]
        lines += (["    else:"] + [f"        {x}" for x in slow]) if cases else [f"    {x}" for x in slow]
        if f.default is not None:  # (a value that could not be read rejects the entity: no default then matters)
            lines.append(f"if {out} is None: {out} = {self.src.value_text(f.default)}")
        return lines

    def list_reader(self, j: int, f: CompiledField) -> list[str]:
        """``read{j}(value)``: a list of records read on the fast path, or None for anything unusual
        (the caller then converts it the reference way, which words the error)."""
        lines = [f"def read{j}(v):", "    if v.__class__ is str:", "        try:", "            v = loads(v)",
                 "        except ValueError:", "            return None",
                 "    if v.__class__ is not list:", "        return None", "    out = []", "    for r in v:",
                 "        if r.__class__ is not dict:", "            return None"]
        for k, sub in enumerate(f.items):
            y = f"f{k}"
            ready, cases = self.fast_cases(sub, y, f"x{k}", None)
            lines += [f"        {y} = r.get({literal(sub.name)})",
                      f"        if {y} is None:", f"            {'return None' if sub.required else 'pass'}"]
            if ready:
                lines += [f"        elif {ready}:", "            pass"]
            for condition, value in cases:
                lines += [f"        elif {condition}:", f"            {y} = {value}"]
            lines += ["        else:", "            return None"]
        record = ", ".join(f"{literal(sub.name)}: f{k}" for k, sub in enumerate(f.items))
        return lines + [f"        out.append({{{record}}})", "    return out", ""]

    def fast_cases(self, f: CompiledField, v: str, temp: str, reader: str | None) -> tuple[str, list[tuple[str, str]]]:
        """How a raw value ``v`` is read without the conversion: the test that it is already what the
        field holds, and (condition, value) pairs for common forms that are read inline (``temp``
        is a scratch local)."""
        if f.kind in ("number", "integer"):
            low, high = f.min, f.max
            if f.kind == "integer":  # a whole number is held exactly up to 2^53 (table.convert refuses more)
                low = -float(INT_LIMIT) if low is None else max(float(low), -float(INT_LIMIT))
                high = float(INT_LIMIT) if high is None else min(float(high), float(INT_LIMIT))
            lo = literal(float(low)) if low is not None else "-INF"
            hi = literal(float(high)) if high is not None else "INF"
            lo_cmp, hi_cmp = ("<=" if low is not None else "<"), ("<=" if high is not None else "<")
            whole = f" and {v}.is_integer()" if f.kind == "integer" else ""
            ready = f"{v}.__class__ is float and {lo} {lo_cmp} {v} {hi_cmp} {hi}{whole}"
            if (f.min is None or float(f.min).is_integer()) and (f.max is None or float(f.max).is_integer()):
                ilo = literal(-INT_LIMIT if f.min is None else max(int(f.min), -INT_LIMIT))
                ihi = literal(INT_LIMIT if f.max is None else min(int(f.max), INT_LIMIT))
                return ready, [(f"{v}.__class__ is int and {ilo} <= {v} <= {ihi}", f"float({v})")]
            return ready, []
        if f.kind == "boolean":
            return f"{v} is True or {v} is False", []
        if f.kind == "category":
            plain = frozenset(x for x in (f.values or ()) if x and x == x.strip())
            return f"{v}.__class__ is str and {v} in {self.src.constant(plain)}", []
        if f.kind == "string":
            return "", [(f"{v}.__class__ is str and ({temp} := {v}.strip())", temp)]
        if f.kind == "date":
            return (f"{v}.__class__ is date and DATE_MIN <= {v} <= DATE_MAX",
                    [(f"{v}.__class__ is str and len({v}) == 10 and {v}[4] == '-' and {v}[7] == '-' and {v}.isascii() "
                      f"and ({temp} := iso_date({v})) is not None and DATE_MIN <= {temp} <= DATE_MAX", temp)])
        if f.kind == "list" and reader is not None:
            return "", [(f"({temp} := {reader}({v})) is not None", temp)]
        raise Unsupported(f"no conversion for fields of kind {f.kind}")


def _required_message(name: str) -> str:
    return f"required field '{name}' is missing"
