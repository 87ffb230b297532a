"""The fire-safety pack's scoring as a plain durable_rules ruleset, fed one entity at a time.

One-shot grading, the pattern durable_rules supports for "every matching rule fires once": a host
without background threads (``SyncHost``), each entity asserted as a fact with a fresh id and a
discriminator field, the rules' actions recording which rule fired, the fact retracted right after.

Each rule of the pack is one durable rule whose condition is the pack's ``when`` written out in
durable's pattern language (``$and``/``$or`` of field tests; ``in`` as an ``$or`` of equalities).
A missing value is left out of the fact, and a test of a missing attribute does not match: that is
the pack's "an unknown condition fires no rule" for positive conditions; a negated derived value
(``not place_6_6``, ``not exits_short``) is written as the tests that make it certainly false.

Two things a Rete pattern cannot say are done in the action's Python afterwards, as a
durable_rules user would: ``height_m = coalesce(building_height_m, floors * 3)`` is tested as
"height in range, or height absent and floors in range", and the GB 35181 8.2 rules, which count
composite elements (``composite_count >= 4``), are counted from the element rules that fired. The
score, band, veto and raise/lower then follow the pack's precedence (``fire_inputs.final_level``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from durable import engine
from durable.engine import MessageNotHandledException, MessageObservedException

from .fire_inputs import (CROWDED, FLAMMABLE_WORKS, HAZMAT, KEY_ALWAYS, KEY_MIN, LABOUR_STAFF, PLACE_6_5, PLACE_6_6,
                          POINTS, final_level, overdue_before)

RULESET = "fire_safety"
KIND = {"_kind": "fire_venue"}  # every rule tests it, so no rule can match the state document


class SyncHost(engine.Host):
    """A host without the two background timer loops: every action runs inside ``assert_fact``."""

    def _run(self) -> None:
        pass


# --- condition builders (durable_rules JSON patterns) -------------------------------------------

def eq(field: str, value: Any) -> dict[str, Any]:
    return {field: value}


def one_of(field: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"$or": [{field: v} for v in values]} if len(values) > 1 else {field: values[0]}


def cmp(op: str, field: str, value: float | str) -> dict[str, Any]:
    return {f"${op}": {field: value}}


def between(field: str, lo: float, hi: float | None, hi_op: str = "lt", lo_op: str = "gte") -> dict[str, Any]:
    tests = [cmp(lo_op, field, lo)] + ([cmp(hi_op, field, hi)] if hi is not None else [])
    return {"$and": tests} if len(tests) > 1 else tests[0]


def both(*tests: dict[str, Any]) -> dict[str, Any]:
    return {"$and": list(tests)}


def either(*tests: dict[str, Any]) -> dict[str, Any]:
    return {"$or": list(tests)}


def not_one_of(field: str, values: tuple[str, ...]) -> dict[str, Any]:
    """``field`` is known and not in ``values`` (venue_type is required, so it is always known)."""
    return {"$and": [cmp("neq", field, v) for v in values]}


CROWDED_T = one_of("venue_type", CROWDED)
PLACE_6_5_T = either(one_of("venue_type", PLACE_6_5), both(eq("underground", True), CROWDED_T))
PLACE_6_6_T = either(one_of("venue_type", PLACE_6_6), both(eq("underground", True), CROWDED_T))
PLACE_6_6_F = both(not_one_of("venue_type", PLACE_6_6),
                   either(eq("underground", False), not_one_of("venue_type", CROWDED)))
EXITS_SHORT_T = both(cmp("lt", "exits", 2), either(cmp("gt", "building_area_m2", 200), cmp("gt", "occupancy", 50)))
EXITS_SHORT_F = either(cmp("gte", "exits", 2), both(cmp("lte", "building_area_m2", 200), cmp("lte", "occupancy", 50)))
HAZMAT_T = either(one_of("venue_type", HAZMAT), both(one_of("venue_type", FLAMMABLE_WORKS), eq("stores_flammables", True)))
KEY_UNIT_T = either(one_of("venue_type", KEY_ALWAYS), *[
    both(eq("venue_type", vt), cmp("gte", f, lo), *([eq("sells_combustibles", True)] if vt == "mall" else []))
    for vt, f, lo in KEY_MIN])
# the other key-unit criteria: a second durable rule recording the same pack rule (one rule with every
# criterion exceeds what durable_rules accepts in one condition: "Could not create ruleset", code 113)
KEY_UNIT_T2 = either(both(one_of("venue_type", FLAMMABLE_WORKS), eq("stores_flammables", True)),
                     both(eq("venue_type", "factory"), cmp("gte", "workshop_staff", LABOUR_STAFF)))


def height_between(lo: float, hi: float | None) -> dict[str, Any]:
    """``lo < coalesce(building_height_m, floors_above_ground * 3) <= hi`` (floors are whole numbers)."""
    floors_lo, floors_hi = int(lo // 3) + 1, (None if hi is None else int(hi // 3))
    return either(between("building_height_m", lo, hi, hi_op="lte", lo_op="gt"),
                  both({"$nex": {"building_height_m": 1}},
                       between("floors_above_ground", floors_lo, floors_hi, hi_op="lte", lo_op="gte")))


def rules(as_of: dt.date) -> dict[str, dict[str, Any]]:
    """Rule id -> condition. ``E-*`` are the composite elements the 8.2 rules count; ``ID#n`` is a
    further condition of rule ID."""
    cutoff = overdue_before(as_of).isoformat()  # ISO dates compare correctly as text
    return {
        # GB 35181 ch. 6 direct elements: vetoes
        "FS-D-6.1": both(HAZMAT_T, eq("hazmat_site_not_isolated", True)),
        "FS-D-6.2": eq("hazmat_with_dwelling", True),
        "FS-D-6.3": both(eq("venue_type", "fuel_station"), eq("built_up_area", True), eq("station_class", 1)),
        "FS-D-6.4": both(one_of("venue_type", ("factory", "warehouse")), one_of("fire_hazard_class", ("A", "B")),
                         eq("underground", True)),
        "FS-D-6.7": both(HAZMAT_T, eq("tank_protection_missing", True)),
        "FS-D-6.8": both(CROWDED_T, eq("hazmat_in_crowded_place", True)),
        "FS-D-6.9": both(one_of("venue_type", ("kindergarten", "elderly_care")),
                         eq("vulnerable_floor_noncompliant", True)),
        "FS-D-6.10": both(CROWDED_T, eq("sandwich_panel_dwelling", True)),
        "FS-D-6.5-N": both(PLACE_6_5_T, EXITS_SHORT_T),
        "FS-D-6.5-W": both(PLACE_6_5_T, cmp("lt", "exit_width_ratio", 0.8)),
        "FS-D-6.6-S": both(PLACE_6_6_T, eq("sprinklers", "missing")),
        "FS-D-6.6-A": both(PLACE_6_6_T, eq("fire_alarm", "missing")),
        # composite elements, with points
        "FS-C-7.1.1": eq("fire_lane_blocked", True),
        "FS-C-7.1.3": eq("people_living_on_premises", True),
        # on_missing: worst; "!= False" would not match an absent attribute, so say it outright
        "FS-C-7.3.3-B": either(eq("exits_blocked", True), {"$nex": {"exits_blocked": 1}}),
        "FS-C-7.3.3-N": EXITS_SHORT_T,
        "FS-C-7.3.3-W": cmp("lt", "exit_width_ratio", 1.0),
        "FS-C-7.3.6-S": eq("evacuation_signs_ok", False),
        "FS-C-7.3.6-L": eq("emergency_lighting_ok", False),
        "FS-C-7.4.5": both(eq("sprinklers", "missing"), PLACE_6_6_F),
        "FS-C-7.4.6": eq("sprinklers", "faulty"),
        "FS-C-7.8.1": both(eq("fire_alarm", "missing"), PLACE_6_6_F),
        "FS-C-7.8.2": eq("fire_alarm", "faulty"),
        "E-EXITS": either(eq("exits_blocked", True), EXITS_SHORT_T, cmp("lt", "exit_width_ratio", 1.0)),
        # management and risk factors
        "FS-M-EXT": eq("extinguishers_ok", False),
        "FS-R-AREA-1": between("building_area_m2", 1000, 5000),
        "FS-R-AREA-2": between("building_area_m2", 5000, 20000),
        "FS-R-AREA-3": cmp("gte", "building_area_m2", 20000),
        "FS-R-HEIGHT-24": height_between(24, 50),
        "FS-R-HEIGHT-50": height_between(50, None),
        "FS-R-UNDERGROUND": eq("underground", True),
        "FS-R-OCC-1": between("occupancy", 100, 500),
        "FS-R-OCC-2": between("occupancy", 500, 2000),
        "FS-R-OCC-3": cmp("gte", "occupancy", 2000),
        "FS-R-KEY": KEY_UNIT_T,
        "FS-R-KEY#2": KEY_UNIT_T2,
        "FS-R-CROWD": CROWDED_T,
        "FS-R-ELEC-1": between("electrical_faults", 1, 2, hi_op="lte"),
        "FS-R-ELEC-3": cmp("gte", "electrical_faults", 3),
        "FS-R-GAS": eq("gas_in_use", True),
        "FS-R-FIRE": cmp("gte", "fires_last_3_years", 1),
        "FS-R-FIRE-CROWD": both(cmp("gte", "fires_last_3_years", 1), CROWDED_T),
        "FS-R-HAZ-1": between("open_hazards", 1, 2, hi_op="lte"),
        "FS-R-HAZ-3": cmp("gte", "open_hazards", 3),
        "FS-R-OVERDUE": cmp("lt", "last_inspection", cutoff),
        "FS-R-GAS-ALARM": both(eq("gas_in_use", True), eq("gas_alarm_missing", True)),
        "FS-R-GAS-HOSE": both(eq("gas_in_use", True), eq("gas_hose_defective", True)),
        "FS-R-LPG-INDOOR": both(eq("gas_in_use", True), eq("lpg_cylinders_indoors", True)),
        "FS-R-EBIKE": eq("ebike_indoor_charging", True),
        "FS-R-RENTAL": both(eq("venue_type", "rental_housing"), eq("group_rental", True)),
        "FS-R-RENTAL-PARTITION": both(eq("venue_type", "rental_housing"), eq("combustible_partitions", True)),
        "FS-R-RENTAL-EBIKE": both(eq("venue_type", "rental_housing"), eq("ebike_indoor_charging", True)),
        "FS-L-OFFICE": both(
            eq("venue_type", "office"), cmp("lt", "building_area_m2", 5000),
            one_of("sprinklers", ("ok", "not_required")), one_of("fire_alarm", ("ok", "not_required")),
            eq("evacuation_signs_ok", True), eq("emergency_lighting_ok", True), eq("extinguishers_ok", True),
            eq("exits_blocked", False), eq("fire_lane_blocked", False), eq("people_living_on_premises", False),
            EXITS_SHORT_F, cmp("gte", "exit_width_ratio", 1.0), eq("electrical_faults", 0), eq("open_hazards", 0),
            eq("fires_last_3_years", 0)),
    }


def level_of(fired: set[str], entity: dict[str, Any]) -> tuple[str, float]:
    """(level, score) from the rules that fired: the 8.2 counts, the vetoes, the pack's precedence."""
    lane, living = "FS-C-7.1.1" in fired, "FS-C-7.1.3" in fired
    sprinklers = "FS-C-7.4.5" in fired or "FS-C-7.4.6" in fired
    elements = (lane + living + ("E-EXITS" in fired) + ("FS-C-7.3.6-S" in fired or "FS-C-7.3.6-L" in fired)
                + sprinklers + ("FS-C-7.8.1" in fired or "FS-C-7.8.2" in fired))
    venue_type = entity["venue_type"]
    crowded = venue_type in CROWDED
    hazmat = venue_type in HAZMAT or venue_type in FLAMMABLE_WORKS and entity.get("stores_flammables") is True
    veto = (any(r.startswith("FS-D-") for r in fired)
            or hazmat and lane + living + sprinklers >= 3                # FS-C-8.2-b
            or (crowded or hazmat) and elements >= 4                     # FS-C-8.2-c
            or not (crowded or hazmat) and elements >= 6)                # FS-C-8.2-d
    score = float(sum(POINTS[r] for r in fired if r in POINTS))
    raise_by = ("FS-R-FIRE-CROWD" in fired) + ("FS-R-RENTAL-EBIKE" in fired)
    return final_level(score, veto, raise_by, "FS-L-OFFICE" in fired), score


class FireDurable:
    """The ruleset on a private ``SyncHost``; ``grade(entity)`` → (level, score)."""

    _names = itertools.count()

    def __init__(self, as_of: dt.date):
        self.host = SyncHost()
        self.name = f"{RULESET}_{next(self._names)}"  # ruleset names are process-wide and immutable
        self._fired: set[str] = set()
        self._ids = itertools.count()
        definition = {rid: {"all": [{"m": {"$and": [KIND, cond]}}], "run": self._action(rid)}
                      for rid, cond in rules(as_of).items()}
        self.host.register_rulesets({self.name: definition})

    def _action(self, rule_id: str) -> Any:
        fired = self._fired

        recorded = rule_id.split("#")[0]  # "FS-R-KEY#2" records FS-R-KEY

        def action(c: Any) -> None:  # exactly one parameter: two would make durable treat it as async
            fired.add(recorded)
        return action

    def grade(self, entity: dict[str, Any]) -> tuple[str, float]:
        """Assert the entity as a fact, collect the rules that fired, retract it."""
        self._fired.clear()
        fact = {**entity, **KIND, "id": f"v{next(self._ids)}"}
        try:
            state = self.host.assert_fact(self.name, fact)
        except MessageNotHandledException:
            state = None  # no rule matched: the fact was not stored
        except MessageObservedException as exc:  # durable's 32-bit id hash collided: a lost entity
            raise RuntimeError(f"durable_rules rejected entity as already seen: {exc}") from exc
        else:
            self.host.retract_fact(self.name, {"id": fact["id"]})
        if state and state.get("exception"):  # action errors are swallowed into the state
            raise RuntimeError(f"durable_rules action failed: {state['exception']}")
        return level_of(set(self._fired), entity)
