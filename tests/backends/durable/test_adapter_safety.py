"""Runs ``adapter_cases.py`` in a child under ``python -X faulthandler``: a crash of the engine kills
only the child, and fails this test with the child's traceback instead of passing silently."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def test_adapter_cases_under_faulthandler():
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:warnings",
         str(HERE / "adapter_cases.py")], capture_output=True, text=True, cwd=HERE.parent.parent, timeout=300)
    assert proc.returncode == 0, f"rc={proc.returncode}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert " passed" in proc.stdout and "failed" not in proc.stdout
