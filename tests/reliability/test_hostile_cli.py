"""Every hostile command line ends in one clear line and the right exit code: 2 for usage or the
environment, 1 for findings; never a traceback, never an "internal error" (which would be a bug
the catch-all hid), and no temporary file left behind."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hostile_cli import CASES, ROOT, fresh, run

if not hasattr(os, "mkfifo"):  # pragma: no cover - POSIX only
    CASES = [c for c in CASES if "pipe" not in c.name]


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_command_line_ends_cleanly(case, tmp_path):
    folder = fresh(tmp_path / "case")
    code, said = run(case, folder)
    assert "Traceback" not in said and "internal error" not in said, said[-2000:]
    assert code == case.code, said[-2000:]
    assert case.words in said, said[-2000:]
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")]
    assert "\x1b" not in said and "\x9b" not in said


def test_the_real_command_prints_no_traceback_even_at_exit(tmp_path):
    """The process as a user starts it: what is printed while Python shuts down counts too."""
    by_name = {c.name: c for c in CASES}
    for name in ("-o onto the input", "a date of 9999-12-31", "xlsx declaring a DTD"):
        folder = fresh(tmp_path / name.replace(" ", "_"))
        argv = by_name[name].make(folder)
        done = subprocess.run([sys.executable, "-m", "riskgrade.cli.main", *argv], capture_output=True, text=True,
                              timeout=120, cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        assert done.returncode == by_name[name].code and "Traceback" not in done.stderr, done.stderr
