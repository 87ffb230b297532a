"""Region profiles of the fire_safety pack: the parameter `region` selects the key-unit thresholds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import riskgrade
from riskgrade.errors import OptionError

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "fire_safety.yaml"
AS_OF = dt.date(2025, 6, 30)
MALL = dict(venue_type="mall", building_area_m2=2999, floors_above_ground=2, building_height_m=9, underground=False,
            sells_combustibles=True, occupancy=90, exits=2, exit_width_ratio=1.0, sprinklers="ok", fire_alarm="ok",
            fire_lane_blocked=False, exits_blocked=False, evacuation_signs_ok=True, emergency_lighting_ok=True,
            extinguishers_ok=True, electrical_faults=0, gas_in_use=False, people_living_on_premises=False,
            hazmat_with_dwelling=False, fires_last_3_years=0, open_hazards=0, last_inspection="2025-03-15")


@pytest.fixture(scope="module")
def program():
    return riskgrade.load_pack(PACK)


def _key_unit(program, region: str | None, **changes) -> bool | None:
    params = {"region": region} if region else None
    return riskgrade.grade({**MALL, **changes}, program, as_of=AS_OF, params=params).packs[0].derived["key_unit"]


def test_national_is_the_default(program):
    assert _key_unit(program, None) is True and _key_unit(program, "national") is True
    assert _key_unit(program, None, building_area_m2=999) is False


def test_fujian_mall_threshold_is_3000_m2(program):
    assert _key_unit(program, "fujian", building_area_m2=2999) is False
    assert _key_unit(program, "fujian", building_area_m2=3000) is True
    # Fujian's criterion does not ask for combustible goods; the national one does
    assert _key_unit(program, "fujian", building_area_m2=3000, sells_combustibles=False) is True
    assert _key_unit(program, "national", building_area_m2=3000, sells_combustibles=False) is False


def test_region_changes_the_grade_through_the_key_unit_points(program):
    pts = {r: riskgrade.grade(MALL, program, as_of=AS_OF, params={"region": r}).packs[0].score
           for r in ("national", "fujian")}
    assert pts["national"] - pts["fujian"] == 8  # FS-R-KEY


def test_underground_and_seat_criteria_of_the_provinces(program):
    assert _key_unit(program, "sichuan", building_area_m2=500, underground=True) is True
    assert _key_unit(program, "sichuan", building_area_m2=499, underground=True) is False
    assert _key_unit(program, "national", building_area_m2=500, underground=True) is False
    stadium = dict(venue_type="stadium", building_area_m2=12000, occupancy=2999, sells_combustibles=False)
    assert _key_unit(program, "national", **stadium) is True
    assert _key_unit(program, "fujian", **stadium) is False
    assert _key_unit(program, "fujian", **{**stadium, "occupancy": 3000}) is True


def test_region_examples_exist_at_the_province_limits():
    pack = yaml.safe_load(PACK.read_text(encoding="utf-8"))
    regions = {e.get("params", {}).get("region") for e in pack["examples"]}
    assert {"fujian", "sichuan", "beijing"} <= regions
    tables = [t for t in pack["tables"].values() if t["kind"] == "keyed" and "national" in t["entries"]]
    assert all(set(t["entries"]) == {"national", "fujian", "sichuan", "beijing"} for t in tables)


def test_unknown_region_is_an_option_error(program):
    with pytest.raises(OptionError):
        riskgrade.grade(MALL, program, as_of=AS_OF, params={"region": "atlantis"})


def test_cli_param_selects_the_region(tmp_path: Path):
    from riskgrade.cli.main import main

    src = tmp_path / "one.csv"
    src.write_text("entity_id," + ",".join(MALL) + "\nM1," + ",".join(str(v).lower() if isinstance(v, bool) else str(v)
                                                                   for v in MALL.values()) + "\n", encoding="utf-8")
    out = {}
    for region in ("national", "fujian"):
        dst = tmp_path / f"{region}.jsonl"
        assert main(["grade", str(src), "--rules", str(PACK), "--as-of", "2025-06-30", "--param", f"region={region}",
                     "-o", str(dst), "--quiet"]) == 0
        out[region] = dst.read_text(encoding="utf-8")
    assert '"key_unit": true' in out["national"] and '"key_unit": false' in out["fujian"]
