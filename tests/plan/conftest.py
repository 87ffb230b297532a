"""The plan tests' pack, compiled once."""

from __future__ import annotations

import pytest
from plan_helpers import PLAN_PACK


@pytest.fixture(scope="session")
def plan_pack():
    import riskgrade

    return riskgrade.loads_pack(PLAN_PACK, "venues.yaml")
