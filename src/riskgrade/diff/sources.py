"""Where the two versions of a pack come from: a file, a folder, or a git revision of either
(``REV:path``, e.g. ``HEAD~1:rules/`` or ``v0.1.0:rules/fire_safety.yaml``)."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from ..compiler import Program, compile_pack, load_packs
from ..errors import OptionError, PackError
from ..source.pack_source import parse_pack


def load_version(spec: str) -> list[Program]:
    """The packs of one side of a diff. A path that exists is read from disk; otherwise ``REV:path``
    is read from git (the working tree's repository)."""
    if Path(spec).exists():
        return load_packs(spec)
    rev, sep, path = spec.partition(":")
    if not sep or not rev:
        raise OptionError(f"{spec!r} is neither a pack file or folder nor a git revision REV:path")
    return _from_git(rev, path or ".")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, encoding="utf-8", check=False)
    except FileNotFoundError:
        raise OptionError("git is not installed; give pack files or folders instead of REV:path") from None
    if done.returncode != 0:
        raise OptionError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def _from_git(rev: str, path: str) -> list[Program]:
    # ls-tree paths are relative to the repository root; "./" makes them relative to the current folder
    rel = path if path.startswith(("./", "../")) else f"./{path}"
    listed = _git("ls-tree", "-r", "--name-only", "--full-name", rev, "--", rel).splitlines()
    # git show wants the full name; ls-tree gave it
    files = [f for f in listed if f.endswith((".yaml", ".yml")) and not PurePosixPath(f).stem.endswith("_test")]
    if not files:
        raise OptionError(f"no pack files (*.yaml) at {rev}:{path}")
    programs, diagnostics = [], []
    for f in files:
        shown = f"{rev}:{f}"
        text = _git("show", f"{rev}:{f}")
        try:
            programs.append(compile_pack(parse_pack(text, shown)))
        except PackError as exc:
            diagnostics += exc.diagnostics
    if diagnostics:
        raise PackError(diagnostics)
    return programs
