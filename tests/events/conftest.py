"""Fixtures: a Monitor on a fresh database with the lifecycle test pack, and an event builder."""

from __future__ import annotations

import pytest

from eventkit import LIFECYCLE_PACK, Feed


@pytest.fixture
def feed() -> Feed:
    return Feed()


@pytest.fixture
def monitor(tmp_path):
    from riskgrade.events import Monitor

    m = Monitor(tmp_path / "state.sqlite", pack_text=LIFECYCLE_PACK)
    yield m
    m.close()
