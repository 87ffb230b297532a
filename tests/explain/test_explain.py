"""Explanations agree with the grade, show each step of the precedence, and carry provenance."""

from __future__ import annotations

import datetime as dt

import riskgrade
from riskgrade.explain import explain, render_text

from tests.conftest import AS_OF, FULL_PACK


def _pack():
    return riskgrade.loads_pack(FULL_PACK, "full.yaml")


def test_explanation_agrees_with_the_grade():
    pack = _pack()
    entities = [
        {"kind": "x", "area": 50, "floors": 2, "sprinkler": True, "opened": "2020-01-01", "stock": []},
        {"kind": "y", "area": 5000, "floors": 9, "sprinkler": False, "opened": "1980-01-01",
         "stock": [{"substance": "cl", "tonnes": 9}]},
        {"kind": "x", "area": 50},
    ]
    for entity in entities:
        graded = riskgrade.grade(entity, pack, as_of=AS_OF).packs[0]
        e = explain(pack, entity, AS_OF)
        assert e["level"]["id"] == graded.level and e["score"]["value"] == graded.score
        assert [r["id"] for r in e["rules"]["fired"]] == graded.fired
        assert [c["id"] for c in e["controls"]] == graded.controls
        assert e["inspection"]["interval_days"] == graded.inspection_interval_days
        assert e["data_gaps"] == graded.data_gaps
        assert (e["pack"], e["pack_version"], e["pack_sha256"]) == (pack.pack_id, pack.version, pack.sha256)


def test_steps_vetoes_raises_caps_and_missing_data():
    e = explain(_pack(), {"kind": "y", "area": 5000, "floors": 9, "sprinkler": False, "opened": "1980-01-01",
                          "stock": [{"substance": "cl", "tonnes": 9}]}, dt.date(2026, 12, 1))
    steps = [s["step"] for s in e["level_steps"]]
    assert steps[0] == "band" and "veto" in steps and "raise" in steps and steps[-1] == "final"
    assert e["score"]["caps_applied"] == [{"group": "equipment", "points": 16.0, "cap": 12.0}]
    assert {a["id"]: a["applies"] for a in e["inspection"]["adjustments"]} == {"no_sprinkler": True, "winter": True}
    assert next(c for c in e["controls"] if c["id"] == "registry")["rules"] == ["major_hazard"]
    fired = {r["id"]: r for r in e["rules"]["fired"]}
    assert fired["major_hazard"]["inputs"]["ratio"] == 1.8 and fired["major_hazard"]["set_level"] == "red"
    text = render_text(e, "en")
    assert "major_hazard sets at least red" in text and "Inspection: every" in text
    missing = explain(_pack(), {"kind": "x"}, AS_OF)
    undecided = {r["id"]: r for r in missing["rules"]["undecided"]}
    assert undecided["tall"]["missing"] == ["floors"] and not undecided["tall"]["fired"]
    assert undecided["big"]["fired"]  # on_missing: worst
    assert "因数据缺失无法判定的规则" in render_text(missing, "zh")


def test_rejected_and_not_applicable_entities():
    pack = _pack()
    rejected = explain(pack, {"kind": "x", "area": -5}, AS_OF)
    assert rejected["rejected"][0]["field"] == "area"
    assert "cannot be graded" in render_text(rejected, "en")
    na = explain(pack, {"kind": "z"}, AS_OF)
    assert na["applies"] is False and "does not apply" in render_text(na, "en")
