"""What both peer transcriptions of ``rules/fire_safety.yaml`` share: the pack's constants, the
entity records they are fed, and the pack's level precedence restated for the final step.

Transcribed from pack version ``PACK_VERSION``; when the pack changes, the agreement check in
``benchmarks/run.py`` (and ``tests/benchmarks/test_peers_agree.py``) fails until the peers follow.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping

PACK_ID = "fire_safety"
PACK_VERSION = "0.2.0"
LEVELS = ("red", "orange", "yellow", "blue")  # most severe first: rank 0 is red

# derive.crowded_place (Fire Protection Law art. 73), derive.hazmat_place, the 6.5 / 6.6 places
CROWDED = ("mall", "hotel", "stadium", "assembly_hall", "entertainment", "hospital", "elderly_care", "school",
           "kindergarten", "transport_terminal", "library", "exhibition_hall", "museum", "restaurant",
           "internet_cafe", "airport")
# derive.hazmat_place: fuel stations, and factories or stores of flammable goods (stores_flammables)
HAZMAT = ("fuel_station",)
FLAMMABLE_WORKS = ("factory", "warehouse")
PLACE_6_5 = ("entertainment", "mall")
PLACE_6_6 = ("hotel", "entertainment", "mall")
# derive.key_unit: always key units, and (venue type, field, minimum) from tables.key_unit_min
KEY_ALWAYS = ("stadium", "assembly_hall", "museum", "archive", "fuel_station", "government_office",
              "broadcast_telecom", "airport", "heritage_site")
# also key units: FLAMMABLE_WORKS with stores_flammables, and factories with workshop_staff >= LABOUR_STAFF
LABOUR_STAFF = 100
KEY_MIN = (("mall", "building_area_m2", 1000), ("hotel", "guest_rooms", 50),
           ("entertainment", "building_area_m2", 200), ("hospital", "beds", 50), ("elderly_care", "beds", 50),
           ("school", "boarding_beds", 100), ("kindergarten", "boarding_beds", 50),
           ("transport_terminal", "waiting_hall_m2", 500), ("library", "building_area_m2", 2000),
           ("exhibition_hall", "building_area_m2", 2000))
# score.bands, most severe first: (level rank, minimum score)
BANDS = ((0, 60), (1, 40), (2, 20))
OVERDUE_DAYS = 365  # FS-R-OVERDUE: days_since(last_inspection) > 365

# Points rules whose condition is a plain test of one or two fields or derived values; each peer
# states the condition in its own language. (rule id, points)
POINTS = {
    "FS-C-7.1.1": 8, "FS-C-7.1.3": 10, "FS-C-7.3.3-B": 12, "FS-C-7.3.3-N": 8, "FS-C-7.3.3-W": 6,
    "FS-C-7.3.6-S": 4, "FS-C-7.3.6-L": 4, "FS-C-7.4.5": 8, "FS-C-7.4.6": 8, "FS-C-7.8.1": 6, "FS-C-7.8.2": 6,
    "FS-M-EXT": 4, "FS-R-AREA-1": 3, "FS-R-AREA-2": 6, "FS-R-AREA-3": 10, "FS-R-HEIGHT-24": 5,
    "FS-R-HEIGHT-50": 10, "FS-R-UNDERGROUND": 6, "FS-R-OCC-1": 3, "FS-R-OCC-2": 6, "FS-R-OCC-3": 10,
    "FS-R-KEY": 8, "FS-R-CROWD": 5, "FS-R-ELEC-1": 4, "FS-R-ELEC-3": 10, "FS-R-GAS": 3, "FS-R-FIRE": 6,
    "FS-R-HAZ-1": 4, "FS-R-HAZ-3": 10, "FS-R-OVERDUE": 3, "FS-R-GAS-ALARM": 5, "FS-R-GAS-HOSE": 4,
    "FS-R-LPG-INDOOR": 8, "FS-R-EBIKE": 8, "FS-R-RENTAL": 10, "FS-R-RENTAL-PARTITION": 8,
}

FIELDS = ("venue_type", "building_area_m2", "floors_above_ground", "building_height_m", "underground",
          "sells_combustibles", "guest_rooms", "beds", "boarding_beds", "waiting_hall_m2", "occupancy", "exits",
          "exit_width_ratio", "sprinklers", "fire_alarm", "fire_lane_blocked", "exits_blocked",
          "evacuation_signs_ok", "emergency_lighting_ok", "extinguishers_ok", "electrical_faults", "gas_in_use",
          "people_living_on_premises", "hazmat_with_dwelling", "fires_last_3_years", "open_hazards",
          "last_inspection", "gas_alarm_missing", "gas_hose_defective", "lpg_cylinders_indoors",
          "ebike_indoor_charging", "workshop_staff", "stores_flammables", "fire_hazard_class",
          "hazmat_site_not_isolated", "built_up_area", "station_class", "tank_protection_missing",
          "hazmat_in_crowded_place", "vulnerable_floor_noncompliant", "sandwich_panel_dwelling", "group_rental",
          "combustible_partitions")


def overdue_before(as_of: dt.date) -> dt.date:
    """An inspection strictly before this day is overdue (``days_since(d) > 365`` on ``as_of``)."""
    return as_of - dt.timedelta(days=OVERDUE_DAYS)


def entity_record(row: Mapping[str, Any], keep_missing: bool) -> dict[str, Any]:
    """One entity as the peers take it: the pack's fields only, dates as ISO text (JSON has no date).

    ``keep_missing`` keeps a missing value as ``None`` (JSON null, for zen-engine); otherwise the key
    is left out, which is how durable_rules sees a missing attribute (it does not match ``null``)."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = row.get(name)
        if value is None:
            if keep_missing:
                out[name] = None
            continue
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def entity_records(rows: Iterable[Mapping[str, Any]], keep_missing: bool) -> list[dict[str, Any]]:
    return [entity_record(r, keep_missing) for r in rows]


def final_level(score: float, veto: bool, raise_by: int, lower_by: int) -> str:
    """The pack's precedence: score band, then the veto (red, a floor), then raise − lower, clamped."""
    band = next((rank for rank, lo in BANDS if score >= lo), len(LEVELS) - 1)
    if veto:
        return LEVELS[0]  # every veto of this pack is red, the top of the scale: no shift moves it
    return LEVELS[min(max(band - raise_by + lower_by, 0), len(LEVELS) - 1)]
