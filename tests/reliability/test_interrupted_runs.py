"""Nothing half-written: ``riskgrade grade`` killed mid-write (SIGKILL) or interrupted (SIGINT) leaves
the output path holding the previous file byte for byte — or nothing, if there was none — and an
interrupt leaves no temporary file behind."""

from __future__ import annotations

import os
import runpy
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = 300_000

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture(scope="module")
def big_input(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "venues.parquet"
    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate_venues.py"))["main"]
    assert generate(["--n", str(ROWS), "--seed", "5", "--out", str(path)]) == 0
    return path


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def start_and_wait_for_writing(src: Path, out: Path) -> subprocess.Popen:
    """Start a grading run and return once its temporary output file has data in it."""
    cmd = [sys.executable, "-m", "riskgrade.cli.main", "grade", str(src), "--rules", str(ROOT / "rules"), "--pack", "fire_safety",
           "--as-of", "2026-11-01", "-o", str(out), "--chunk-rows", "5000", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tmps = temp_files(out.parent)
        if tmps and tmps[0].stat().st_size > 0:
            return proc
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it was interrupted: {proc.stderr.read().decode()[-500:]}")
        time.sleep(0.01)
    proc.kill()
    pytest.fail("no temporary output appeared within 60 s")


@pytest.mark.parametrize("old", [b'{"entity_id": "old"}\n', None], ids=["old file", "no file"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_an_interrupted_run_leaves_the_old_file_or_nothing(big_input, tmp_path, sig, old):
    out = tmp_path / "graded.jsonl"
    if old is not None:
        out.write_bytes(old)
    proc = start_and_wait_for_writing(big_input, out)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if old is None:
        assert not out.exists()
    else:
        assert out.read_bytes() == old
    if sig == signal.SIGINT:
        assert proc.returncode == 130, err.decode()[-500:]
        assert temp_files(tmp_path) == [], "an interrupted run left its temporary file"
    else:
        assert proc.returncode == -signal.SIGKILL
        # a killed process cannot clean up: its temporary file stays, hidden, never at the output path
        assert all(p.name.startswith(".graded.jsonl.") for p in temp_files(tmp_path))


def test_a_completed_run_replaces_the_old_file_whole(big_input, tmp_path):
    """The counterpart: left alone, the same run replaces the old file with the complete new one."""
    out = tmp_path / "graded.jsonl"
    out.write_bytes(b"old\n")
    src = tmp_path / "small.parquet"
    import pyarrow.parquet as pq

    pq.write_table(pq.read_table(big_input).slice(0, 2000), src)
    done = subprocess.run([sys.executable, "-m", "riskgrade.cli.main", "grade", str(src), "--rules",
                           str(ROOT / "rules"), "--pack", "fire_safety", "--as-of", "2026-11-01", "-o", str(out), "--quiet"],
                          capture_output=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr.decode()[-500:]
    assert len(out.read_bytes().splitlines()) == 2000 and temp_files(tmp_path) == []
    assert os.stat(out).st_size > 100_000
