"""The advice on every shipped pack, in the situations a station meets: a veto whose cause must be
fixed before anything else counts, a finding cleared on the spot, a licence or a stock put right,
and levels set by facts no rectification changes. Each plan is applied and the entity graded again
with the reference engine: it lands where the advice says."""

from __future__ import annotations

from pathlib import Path

import pytest

import riskgrade
from riskgrade.table.convert import convert_entity

RULES = Path(__file__).resolve().parents[2] / "rules"


@pytest.fixture(scope="module")
def packs():
    return {p.pack_id: p for p in riskgrade.load_packs(RULES)}


def example(program, example_id, **changes):
    found = next(e for e in program.examples if e.id == example_id)
    return {**found.entity, **changes}, found.as_of


def advise(program, entity, as_of, target=None):
    (plan,) = riskgrade.advise(entity, program, target, as_of=as_of)
    fixes = {f.id: f for f in program.fixes}
    values, _ = convert_entity(program.fields, entity)
    fixed = {**entity, **{fixes[f.id].field: fixes[f.id].value_on(as_of, values) for f in plan.fixes}}
    assert riskgrade.grade(fixed, program, as_of=as_of).pack(program.pack_id).level == plan.reaches_level
    return plan


def ids(plan):
    return [f.id for f in plan.fixes]


def test_fire_a_red_ktv_leaves_its_veto_only_by_the_exit_it_lacks_then_clears_the_blocked_one(packs):
    program = packs["fire_safety"]
    ktv, as_of = example(program, "veto-6.5-ktv-one-exit", exits_blocked=True, fires_last_3_years=0)
    plan = advise(program, ktv, as_of)
    # clearing the blocked exit is far cheaper, but the veto (one exit) holds the level at red
    assert (plan.level, plan.target_level, plan.reachable) == ("red", "orange", True)
    assert ids(plan) == ["exits"] and plan.reaches_level == "yellow" and plan.total_cost == 80000
    lowest = advise(program, ktv, as_of, "blue")
    assert ids(lowest) == ["exits", "exits_blocked"] and lowest.reaches_level == "blue"
    assert [f.on_the_spot for f in lowest.fixes] == [False, True]
    assert lowest.summary("zh") == ("降至低风险：增设安全出口（产权单位，80,000 元，90 天）；清理疏散通道、拆除安全出口"
                                    "锁闭装置（现场整改，经营单位，500 元）。合计 80,500 元，90 天。")


def test_fire_a_venue_graded_by_its_size_and_past_fires_cannot_be_rectified_to_blue(packs):
    program = packs["fire_safety"]
    ktv, as_of = example(program, "veto-6.5-ktv-one-exit", exits_blocked=True)  # a fire in the last 3 years
    plan = advise(program, ktv, as_of, "blue")
    assert not plan.reachable and plan.reaches_level == "orange" and ids(plan) == ["exits"]
    assert "FS-R-FIRE-CROWD" in [b.rule for b in plan.blocked_by]


def test_chemicals_an_enterprise_red_for_its_serious_accidents_is_not_reachable_and_says_why(packs):
    program = packs["hazardous_chemicals"]
    enterprise, as_of = example(program, "veto-direct-red-4-serious-accidents")
    plan = advise(program, enterprise, as_of)
    assert (plan.level, plan.target_level, plan.reachable, plan.reaches_level) == ("red", "orange", False, "red")
    assert plan.fixes == ()
    veto = plan.blocked_by[0]
    assert veto.rule == "DR-4" and veto.effect == "set_level:red" and "serious_accidents_3y" in veto.fields
    assert "一票否决，至少为红色（重大风险）" in veto.text("zh") and "不在可整改之列" in veto.text("zh")
    assert plan.summary("en").startswith(f"{plan.label('orange', 'en')} cannot be reached by rectification: rule DR-4")


def test_small_venue_a_lodging_with_a_blocked_exit_clears_it_on_the_spot(packs):
    program = packs["nine_small_venues"]
    lodging, as_of = example(program, "veto-lodging-exit-blocked")
    plan = advise(program, lodging, as_of)
    assert plan.level == "red" and ids(plan) == ["exits_blocked"] and plan.fixes[0].on_the_spot
    assert plan.reaches_level == "blue" and plan.total_cost == 0


def test_road_a_hazmat_vehicle_without_its_permit_and_a_driver_with_12_points(packs):
    program = packs["road_transport"]
    vehicle, as_of = example(program, "hazmat-vehicle-without-permit")
    plan = advise(program, vehicle, as_of)
    assert plan.level == "red" and ids(plan) == ["transport_permit_valid"] and plan.reaches_level == "blue"
    assert plan.total_days <= 1  # vehicles are put right within 24 hours
    driver, as_of = example(program, "driver-12-points")
    plan = advise(program, driver, as_of)
    assert not plan.reachable and plan.reaches_level == "red" and [b.rule for b in plan.blocked_by] == ["RT-D-12"]


def test_outlet_stock_above_twice_the_licence_is_brought_down_to_the_licensed_quantity(packs):
    program = packs["dangerous_goods_outlets"]
    outlet, as_of = example(program, "retail-overstock-above-2x")
    plan = advise(program, outlet, as_of)
    assert plan.level == "red" and [(f.field, f.to) for f in plan.fixes] == [("stock_quantity", "licensed_quantity")]
    assert plan.reaches_level == "blue"
    expired, as_of = example(program, "retail-licence-expired-yesterday")
    plan = advise(program, expired, as_of)
    assert [(f.field, f.to) for f in plan.fixes] == [("licence_valid_until", "as_of + 365")]


def test_every_shipped_pack_declares_fixes_marked_as_local_estimates(packs):
    assert sorted(packs) == ["dangerous_goods_outlets", "fire_safety", "hazardous_chemicals", "nine_small_venues",
                             "road_transport"]
    for program in packs.values():
        assert program.fixes and all(f.local_choice and f.action.zh and f.action.en and f.by for f in program.fixes)
