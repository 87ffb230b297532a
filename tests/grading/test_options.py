"""The options of a run: built once, validated once, as keywords or as one object."""

from __future__ import annotations

import datetime as dt

import pytest

import riskgrade
from riskgrade.api import EXAMPLE_PACK

AS_OF = dt.date(2026, 1, 1)


@pytest.mark.parametrize("options, message", [
    ({"as_of": "not a date"}, "as_of"),
    ({"as_of": dt.datetime(2026, 1, 1, 12, 30)}, "not a date and time"),
    ({"as_of": AS_OF, "chunk_rows": 0}, "chunk_rows"),
    ({"as_of": AS_OF, "chunk_row": 10}, "chunk_row"),
    ({}, "as_of"),
])
def test_bad_options_are_option_errors_naming_the_option(options, message):
    with pytest.raises(riskgrade.OptionError, match=message):
        riskgrade.GradeOptions(**options)


def test_parameters_are_checked_against_the_packs():
    pack = riskgrade.loads_pack(EXAMPLE_PACK)
    with pytest.raises(riskgrade.OptionError, match="unknown parameter"):
        riskgrade.grade_table([{"exits": 1}], pack, as_of=AS_OF, params={"region": "north"})


def test_an_options_object_and_keywords_give_the_same_grades():
    pack = riskgrade.loads_pack(EXAMPLE_PACK)
    rows = [{"entity_id": "A", "exits": 1, "name": "甲"}]
    options = riskgrade.GradeOptions(as_of=AS_OF, keep=["name"])
    by_object = riskgrade.grade_table(rows, pack, options).to_records()
    by_keywords = riskgrade.grade_table(rows, pack, as_of=AS_OF, keep=["name"]).to_records()
    assert by_object == by_keywords and by_object[0]["name"] == "甲"
    # keywords change a copy of the object, never the object
    assert riskgrade.grade_table(rows, pack, options, keep=[], keep_if_present=()).to_records()[0].get("name") is None
    assert options.keep == ("name",)
