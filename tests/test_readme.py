"""Every command the README shows runs as written.

The README's fenced ``bash`` (``sh``, ``shell``, ``console``) blocks are run in order, as a newcomer
would type them, in one temporary folder holding a copy of ``examples/`` and ``rules/`` (so nothing
is written into the checkout); ``python`` blocks are run there too. ``pip install`` lines are
skipped (the package under test is installed already). A block that cannot run on its own — one that
needs a server running, or the test suite itself — is marked in the README by a comment on the line
before its fence::

    <!-- readme-test: skip (why) -->

A command passes when it exits 0 or 1 (1 is "findings": rejected rows, unplanned visits), prints no
traceback, and every file it names with ``-o``/``--output``/``--rejects`` exists afterwards. Indented
blocks are not run: they show a command's shape (``riskgrade status ENTITY_ID …``), not one to type.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHELL = ("bash", "sh", "shell", "console")
FENCE = re.compile(r"^(?P<skip><!-- readme-test: skip[^>]*-->\n)?```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```",
                   re.M | re.S)
OUTPUT_FLAGS = ("-o", "--output", "--rejects")


def blocks(text: str) -> list[tuple[str, str, bool]]:
    """(language, body, skipped) of every fenced block, in order."""
    return [(m.group("lang"), m.group("body"), bool(m.group("skip"))) for m in FENCE.finditer(text)]


def commands(body: str) -> list[str]:
    """The commands of a shell block: continuation lines joined, blank lines, comments, a leading
    ``$ `` prompt and ``pip install`` lines left out."""
    out, pending = [], ""
    for line in body.splitlines():
        line = pending + line.removeprefix("$ ")
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        pending = ""
        if line.strip() and not line.lstrip().startswith("#") and not line.lstrip().startswith("pip install"):
            out.append(line.strip())
    return out


def named_outputs(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in OUTPUT_FLAGS]


def _snapshot() -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for d in ("examples", "rules") for p in (ROOT / d).rglob("*") if p.is_file()}


def test_the_readme_parses_into_commands():
    found = blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    shell = [c for lang, body, skip in found if lang in SHELL and not skip for c in commands(body)]
    assert any(c.startswith("riskgrade grade examples/venues.csv") for c in shell)
    assert any(c.startswith("riskgrade plan ") for c in shell)
    assert commands("pip install .\nriskgrade x \\\n  --y z  # note\n\n# c\n") == ["riskgrade x    --y z  # note"]


def test_every_readme_command_runs_as_written(tmp_path):
    for folder in ("examples", "rules"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    bindir = str(Path(sys.executable).parent)  # this checkout's riskgrade, not another one on PATH
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    before = _snapshot()
    ran = 0
    for lang, body, skip in blocks((ROOT / "README.md").read_text(encoding="utf-8")):
        if skip:
            continue
        if lang == "python":
            done = subprocess.run([sys.executable, "-c", body], cwd=tmp_path, env=env, capture_output=True,
                                  text=True, timeout=600)
            assert done.returncode == 0, f"python block failed:\n{body}\n{done.stderr[-3000:]}"
            ran += 1
            continue
        if lang not in SHELL:
            continue
        for command in commands(body):
            done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                                  timeout=600)
            assert done.returncode in (0, 1), f"{command}\nexit {done.returncode}\n{done.stderr[-3000:]}"
            assert "Traceback" not in done.stderr, f"{command}\n{done.stderr[-3000:]}"
            for path in named_outputs(command):
                assert (tmp_path / path).is_file(), f"{command}: wrote no {path}\n{done.stderr[-3000:]}"
            ran += 1
    assert ran >= 5
    assert _snapshot() == before, "a README command wrote into the checkout"
