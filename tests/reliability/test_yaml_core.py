"""Pack YAML is read by YAML 1.2's core schema: ``on``, ``no``, ``yes`` and ``off`` are words, not
booleans; ``017`` is seventeen; ``1_000`` and ``1:30`` are text. A panel writing a key ``on:`` or a
category value ``no`` gets what it wrote, or an error naming it — never a silent ``True``."""

from __future__ import annotations

import datetime as dt

import pytest

import riskgrade
from riskgrade import PackError
from riskgrade.source.yaml_source import load_yaml


@pytest.mark.parametrize("text, value", [
    ("on", "on"), ("off", "off"), ("yes", "yes"), ("no", "no"), ("Y", "Y"), ("n", "n"), ("ON", "ON"),
    ("true", True), ("False", False), ("TRUE", True), ("017", 17), ("0o17", 15), ("0x1F", 31), ("-3", -3),
    ("1_000", "1_000"), ("1:30", "1:30"), ("1e5", 100000.0), ("1.5", 1.5), (".5", 0.5), ("~", None),
    ("null", None), ("2026-01-01", dt.date(2026, 1, 1)), ("'on'", "on"), ('"017"', "017"),
])
def test_plain_scalars_follow_the_core_schema(text, value):
    data, _ = load_yaml(f"k: {text}\n{text}: k\n")
    assert data["k"] == value and type(data["k"]) is type(value)
    assert (value if isinstance(value, str) else str(value)) in data  # keys are read the same way


def test_a_key_on_is_an_unknown_key_named_on_not_true():
    pack = riskgrade.api.EXAMPLE_PACK + "on: 1\n"
    with pytest.raises(PackError) as info:
        riskgrade.loads_pack(pack, "p.yaml")
    (d,) = info.value.diagnostics
    assert d.code == "RG111" and "unknown key 'on'" in d.message and d.location.line == pack.count("\n")


def test_category_values_yes_and_no_stay_words():
    pack = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK.replace(
        "exits: {type: integer, min: 0}", "exits: {type: integer, min: 0}\n  gate: {type: category, values: [yes, no, on, off]}"))
    (gate,) = [f for f in pack.fields if f.name == "gate"]
    assert gate.values == ("yes", "no", "on", "off")
    result = riskgrade.grade_table([{"exits": 1, "gate": "no"}], pack, as_of=dt.date(2026, 1, 1))
    assert result.counts.graded == 1
