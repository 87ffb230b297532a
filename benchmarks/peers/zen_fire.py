"""The fire-safety pack's scoring as a GoRules zen-engine decision graph (JSON Decision Model).

The graph, as a zen author would draw it:

    input ─▶ derived (expression node) ─▶ points (decision table, collect)
          ─▶ vetoes (decision table, first) ─▶ level (expression node, the only output)

* ``derived`` computes the pack's derived values (crowded place, the GB 35181 6.5/6.6 places, key
  unit, height, too few exits, overdue inspection, the composite-element counts). zen's expression
  language has no unknown value — comparing ``null`` is a runtime error — so every test of an
  optional field is guarded (``x != null and x < 2``), and a derived condition that a rule negates
  is computed twice, as "certainly true" (``*_t``) and "certainly false" (``*_f``): that is the
  pack's three-valued logic spelled out.
* ``points`` holds one row per points rule (30 rules), unary tests on fields and derived values; a
  ``null`` input matches no test, as an unknown condition fires no rule in the pack.
* ``vetoes`` holds the eight ``set_level: red`` rules (GB 35181 ch. 6 and 8.2).
* ``level`` sums the points, bands the score, applies the veto and the raise/lower rules.

The grading date is a constant of the graph (the overdue cut-off), as ``as_of`` is a parameter of a
riskgrade grading. Evaluate through ``FireZen``: its fastest path is ``ZenEngine.evaluate(key, ...)``
with a loader returning a pre-built ``ZenDecisionContent``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

import zen

from .fire_inputs import (BANDS, CROWDED, FLAMMABLE_WORKS, HAZMAT, KEY_ALWAYS, KEY_MIN, LABOUR_STAFF, LEVELS,
                          PLACE_6_5, PLACE_6_6, POINTS, overdue_before)

KEY = "fire_safety.json"


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _num(field: str, test: str) -> str:
    """A guarded numeric test: false, not an error, when the field is missing."""
    return f"({field} != null and {field} {test})"


def derived_expressions(as_of: dt.date) -> list[tuple[str, str]]:
    """(key, zen expression) of the derived values, in order; later ones read earlier ones as ``$.key``."""
    cutoff = dt.datetime.combine(overdue_before(as_of), dt.time(), tzinfo=dt.timezone.utc).timestamp()
    key_terms = [f"venue_type in {_list(KEY_ALWAYS)}"] + [
        f"(venue_type == '{vt}' and {_num(f, f'>= {lo}')}" + (" and sells_combustibles == true)" if vt == "mall"
                                                               else ")")
        for vt, f, lo in KEY_MIN] + [
        f"(venue_type in {_list(FLAMMABLE_WORKS)} and stores_flammables == true)",
        f"(venue_type == 'factory' and {_num('workshop_staff', f'>= {LABOUR_STAFF}')})"]
    return [
        ("crowded", f"venue_type in {_list(CROWDED)}"),
        ("hazmat", f"venue_type in {_list(HAZMAT)} or (venue_type in {_list(FLAMMABLE_WORKS)}"
                   " and stores_flammables == true)"),
        ("p65_t", f"venue_type in {_list(PLACE_6_5)} or (underground == true and $.crowded)"),
        ("p66_t", f"venue_type in {_list(PLACE_6_6)} or (underground == true and $.crowded)"),
        ("p66_f", f"venue_type not in {_list(PLACE_6_6)} and (underground == false or not $.crowded)"),
        ("key_t", " or ".join(key_terms)),
        ("height", "building_height_m ?? (floors_above_ground != null ? floors_above_ground * 3 : null)"),
        ("short_t", f"{_num('exits', '< 2')} and ({_num('building_area_m2', '> 200')} or {_num('occupancy', '> 50')})"),
        ("short_f", f"{_num('exits', '>= 2')} or ({_num('building_area_m2', '<= 200')} and "
                    f"{_num('occupancy', '<= 50')})"),
        ("blocked_worst", "exits_blocked != false"),  # FS-C-7.3.3-B, on_missing: worst
        ("overdue", f"last_inspection != null and date(last_inspection) < {cutoff:.0f}"),
        ("e_lane", "fire_lane_blocked == true"),
        ("e_living", "people_living_on_premises == true"),
        ("e_exits", f"exits_blocked == true or $.short_t or {_num('exit_width_ratio', '< 1')}"),
        ("e_signs", "evacuation_signs_ok == false or emergency_lighting_ok == false"),
        ("e_sprinklers", "(sprinklers == 'missing' and $.p66_f) or sprinklers == 'faulty'"),
        ("e_alarm", "(fire_alarm == 'missing' and $.p66_f) or fire_alarm == 'faulty'"),
        ("composite", "($.e_lane ? 1 : 0) + ($.e_living ? 1 : 0) + ($.e_exits ? 1 : 0) + ($.e_signs ? 1 : 0)"
                      " + ($.e_sprinklers ? 1 : 0) + ($.e_alarm ? 1 : 0)"),
        ("composite_hazmat", "($.e_lane ? 1 : 0) + ($.e_living ? 1 : 0) + ($.e_sprinklers ? 1 : 0)"),
        ("crowded_or_hazmat", "$.crowded or $.hazmat"),
        ("raise", f"(({_num('fires_last_3_years', '>= 1')} and $.crowded) ? 1 : 0)"  # FS-R-FIRE-CROWD
                  " + ((venue_type == 'rental_housing' and ebike_indoor_charging == true) ? 1 : 0)"),  # -RENTAL-EBIKE
        ("lower", "(venue_type == 'office' and " + _num("building_area_m2", "< 5000")  # FS-L-OFFICE
         + " and sprinklers in ['ok', 'not_required'] and fire_alarm in ['ok', 'not_required']"
           " and evacuation_signs_ok == true and emergency_lighting_ok == true and extinguishers_ok == true"
           " and exits_blocked == false and fire_lane_blocked == false and people_living_on_premises == false"
           " and $.short_f and " + _num("exit_width_ratio", ">= 1") + " and electrical_faults == 0"
           " and open_hazards == 0 and fires_last_3_years == 0) ? 1 : 0"),
    ]


# (rule id, {input field: unary test}) of the points table; an empty cell is "any value"
POINT_ROWS: list[tuple[str, dict[str, str]]] = [
    ("FS-C-7.1.1", {"fire_lane_blocked": "true"}),
    ("FS-C-7.1.3", {"people_living_on_premises": "true"}),
    ("FS-C-7.3.3-B", {"blocked_worst": "true"}),
    ("FS-C-7.3.3-N", {"short_t": "true"}),
    ("FS-C-7.3.3-W", {"exit_width_ratio": "< 1"}),
    ("FS-C-7.3.6-S", {"evacuation_signs_ok": "false"}),
    ("FS-C-7.3.6-L", {"emergency_lighting_ok": "false"}),
    ("FS-C-7.4.5", {"sprinklers": "'missing'", "p66_f": "true"}),
    ("FS-C-7.4.6", {"sprinklers": "'faulty'"}),
    ("FS-C-7.8.1", {"fire_alarm": "'missing'", "p66_f": "true"}),
    ("FS-C-7.8.2", {"fire_alarm": "'faulty'"}),
    ("FS-M-EXT", {"extinguishers_ok": "false"}),
    ("FS-R-AREA-1", {"building_area_m2": "[1000..5000)"}),
    ("FS-R-AREA-2", {"building_area_m2": "[5000..20000)"}),
    ("FS-R-AREA-3", {"building_area_m2": ">= 20000"}),
    ("FS-R-HEIGHT-24", {"height": "(24..50]"}),
    ("FS-R-HEIGHT-50", {"height": "> 50"}),
    ("FS-R-UNDERGROUND", {"underground": "true"}),
    ("FS-R-OCC-1", {"occupancy": "[100..500)"}),
    ("FS-R-OCC-2", {"occupancy": "[500..2000)"}),
    ("FS-R-OCC-3", {"occupancy": ">= 2000"}),
    ("FS-R-KEY", {"key_t": "true"}),
    ("FS-R-CROWD", {"crowded": "true"}),
    ("FS-R-ELEC-1", {"electrical_faults": "[1..2]"}),
    ("FS-R-ELEC-3", {"electrical_faults": ">= 3"}),
    ("FS-R-GAS", {"gas_in_use": "true"}),
    ("FS-R-FIRE", {"fires_last_3_years": ">= 1"}),
    ("FS-R-HAZ-1", {"open_hazards": "[1..2]"}),
    ("FS-R-HAZ-3", {"open_hazards": ">= 3"}),
    ("FS-R-OVERDUE", {"overdue": "true"}),
    ("FS-R-GAS-ALARM", {"gas_in_use": "true", "gas_alarm_missing": "true"}),
    ("FS-R-GAS-HOSE", {"gas_in_use": "true", "gas_hose_defective": "true"}),
    ("FS-R-LPG-INDOOR", {"gas_in_use": "true", "lpg_cylinders_indoors": "true"}),
    ("FS-R-EBIKE", {"ebike_indoor_charging": "true"}),
    ("FS-R-RENTAL", {"venue_type": "'rental_housing'", "group_rental": "true"}),
    ("FS-R-RENTAL-PARTITION", {"venue_type": "'rental_housing'", "combustible_partitions": "true"}),
]

VETO_ROWS: list[tuple[str, dict[str, str]]] = [
    ("FS-D-6.1", {"hazmat": "true", "hazmat_site_not_isolated": "true"}),
    ("FS-D-6.2", {"hazmat_with_dwelling": "true"}),
    ("FS-D-6.3", {"venue_type": "'fuel_station'", "built_up_area": "true", "station_class": "1"}),
    ("FS-D-6.4", {"venue_type": "'factory', 'warehouse'", "fire_hazard_class": "'A', 'B'", "underground": "true"}),
    ("FS-D-6.7", {"hazmat": "true", "tank_protection_missing": "true"}),
    ("FS-D-6.8", {"crowded": "true", "hazmat_in_crowded_place": "true"}),
    ("FS-D-6.9", {"venue_type": "'kindergarten', 'elderly_care'", "vulnerable_floor_noncompliant": "true"}),
    ("FS-D-6.10", {"crowded": "true", "sandwich_panel_dwelling": "true"}),
    ("FS-D-6.5-N", {"p65_t": "true", "short_t": "true"}),
    ("FS-D-6.5-W", {"p65_t": "true", "exit_width_ratio": "< 0.8"}),
    ("FS-D-6.6-S", {"p66_t": "true", "sprinklers": "'missing'"}),
    ("FS-D-6.6-A", {"p66_t": "true", "fire_alarm": "'missing'"}),
    ("FS-C-8.2-b", {"hazmat": "true", "composite_hazmat": ">= 3"}),
    ("FS-C-8.2-c", {"crowded_or_hazmat": "true", "composite": ">= 4"}),
    ("FS-C-8.2-d", {"crowded_or_hazmat": "false", "composite": ">= 6"}),
]


def _table(node_id: str, hit_policy: str, rows: list[tuple[str, dict[str, str]]],
           outputs: dict[str, dict[str, str]], output_path: str) -> dict[str, Any]:
    """A decision table node: one input column per field any row tests, an output column ``rule``
    (the rule id) and one per entry of ``outputs`` (name → rule id → output expression)."""
    fields = list(dict.fromkeys(f for _, tests in rows for f in tests))
    cols = {f: f"{node_id}-i{k}" for k, f in enumerate(fields)}
    out_cols = {name: f"{node_id}-o{k}" for k, name in enumerate(["rule", *outputs])}
    rules = []
    for k, (rule_id, tests) in enumerate(rows):
        row = {"_id": f"{node_id}-r{k}", **{cols[f]: tests.get(f, "") for f in fields},
               out_cols["rule"]: f"'{rule_id}'"}
        row.update({out_cols[name]: values[rule_id] for name, values in outputs.items()})
        rules.append(row)
    return {"id": node_id, "type": "decisionTableNode", "name": node_id, "content": {
        "hitPolicy": hit_policy, "rules": rules,
        "inputs": [{"id": c, "name": f, "field": f} for f, c in cols.items()],
        "outputs": [{"id": c, "name": name, "field": name} for name, c in out_cols.items()],
        "passThrough": True, "inputField": None, "outputPath": output_path, "executionMode": "single"}}


def _expressions(node_id: str, pairs: list[tuple[str, str]], pass_through: bool) -> dict[str, Any]:
    return {"id": node_id, "type": "expressionNode", "name": node_id, "content": {
        "expressions": [{"id": f"{node_id}-{k}", "key": key, "value": value} for k, (key, value) in enumerate(pairs)],
        "passThrough": pass_through, "inputField": None, "outputPath": None, "executionMode": "single"}}


def level_expressions() -> list[tuple[str, str]]:
    band = " : ".join(f"$.score >= {lo} ? {rank}" for rank, lo in BANDS) + f" : {len(LEVELS) - 1}"
    return [
        ("score", "sum(map(points ?? [], #.points))"),
        ("rank", f"veto != null ? 0 : max([min([({band}) - raise + lower, {len(LEVELS) - 1}]), 0])"),
        ("level", f"{_list(LEVELS)}[$.rank]"),
    ]


def decision_graph(as_of: dt.date) -> dict[str, Any]:
    """The JDM document (a dict; ``json.dumps`` it for the engine or the GoRules editor)."""
    nodes = [
        {"id": "input", "type": "inputNode", "name": "entity", "content": {}},
        _expressions("derived", derived_expressions(as_of), pass_through=True),
        _table("points", "collect", POINT_ROWS, {"points": {k: str(v) for k, v in POINTS.items()}}, "points"),
        _table("vetoes", "first", VETO_ROWS, {}, "veto"),
        _expressions("level", level_expressions(), pass_through=False),
        {"id": "output", "type": "outputNode", "name": "grade", "content": {}},
    ]
    order = ["input", "derived", "points", "vetoes", "level", "output"]
    edges = [{"id": f"e{k}", "sourceId": a, "targetId": b, "type": "edge"} for k, (a, b) in enumerate(zip(order, order[1:]))]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


class FireZen:
    """The graph loaded once into a ``ZenEngine`` whose loader returns the pre-built content."""

    def __init__(self, as_of: dt.date):
        self.document = json.dumps(decision_graph(as_of))
        self.content = zen.ZenDecisionContent(self.document)
        content = self.content
        self.engine = zen.ZenEngine({"loader": lambda key: content})
        self.decision = self.engine.create_decision(self.document)

    def evaluate(self, entity: dict[str, Any]) -> dict[str, Any]:
        """The fastest path: ``engine.evaluate(key, entity)`` → ``{"score", "rank", "level"}``."""
        return self.engine.evaluate(KEY, entity)["result"]

    def evaluate_decision(self, entity: dict[str, Any]) -> dict[str, Any]:
        """``ZenDecision.evaluate`` on a decision made once by ``create_decision``."""
        return self.decision.evaluate(entity)["result"]

    def evaluate_batch(self, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``engine.evaluate_batch``; raises if any entity failed."""
        out = self.engine.evaluate_batch([{"key": KEY, "context": e} for e in entities])
        bad = next((r for r in out if not r.get("success")), None)
        if bad is not None:
            raise RuntimeError(f"zen-engine evaluate_batch failed: {bad.get('error')}")
        return [r["data"]["result"] for r in out]


def trivial_engine() -> Any:
    """A one-expression graph on the same input, loaded the same way: the binding's per-call floor,
    which bounds any graph's throughput through ``ZenEngine.evaluate``."""
    doc = {"contentType": "application/vnd.gorules.decision", "nodes": [
        {"id": "input", "type": "inputNode", "name": "entity", "content": {}},
        _expressions("one", [("short", "exits != null and exits < 2")], pass_through=False),
        {"id": "output", "type": "outputNode", "name": "out", "content": {}}],
        "edges": [{"id": "e0", "sourceId": "input", "targetId": "one", "type": "edge"},
                  {"id": "e1", "sourceId": "one", "targetId": "output", "type": "edge"}]}
    content = zen.ZenDecisionContent(json.dumps(doc))
    engine = zen.ZenEngine({"loader": lambda key: content})
    return lambda entity: engine.evaluate("one.json", entity)["result"]
