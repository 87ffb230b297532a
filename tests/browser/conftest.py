"""One Chromium for every browser test (Debian's, driven by Playwright); the tests skip with the reason
when it is not installed (``.ci/run`` installs it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("RISKGRADE_CHROMIUM", "/usr/bin/chromium")
# Screenshots and the printed notice, for a person to look at after the run.
SHOTS = Path(os.environ.get("RISKGRADE_SHOTS", "/tmp/riskgrade-shots"))


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium fonts-wqy-zenhei")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    return SHOTS
