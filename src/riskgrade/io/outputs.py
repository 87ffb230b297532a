"""Output paths checked before anything is read or written: an output never replaces an input, two
outputs are never one file, and every output can be created where it is asked for.

Paths are compared as the operating system sees them: resolved (symbolic links followed, ``..``
removed) and, where the file exists, by device and inode, so that a hard link or a second name for
the same file is caught too. Only paths are compared: a DataFrame or a list of dicts is no file.

>>> check_outputs({"-o": "graded.jsonl"}, ["venues.csv"])  # nothing in common, folder exists
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import OutputError

PathLike = str | os.PathLike[str]


def check_outputs(outputs: Mapping[str, PathLike | None], inputs: Iterable[Any] = ()) -> None:
    """Raise OutputError unless every output (``{"-o": path, "--rejects": path}``; None = not
    asked for) is a new or replaceable file in an existing folder, is none of ``inputs`` (paths;
    other sources are skipped) and is not another output."""
    given = [(label, Path(path)) for label, path in outputs.items() if path is not None]
    sources = [Path(s) for s in inputs if isinstance(s, (str, os.PathLike))]
    for label, path in given:
        _check_place(label, path)
        for source in sources:
            if same_file(path, source):
                raise OutputError(f"{path}: {label} names the input file {str(source)!r}; write the "
                                  "results to another file (an input is never replaced)")
    for i, (label, path) in enumerate(given):
        for other_label, other in given[i + 1:]:
            if same_file(path, other):
                raise OutputError(f"{path}: {label} and {other_label} name the same file; give each "
                                  "output a file of its own")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same resolved path, or the same device and inode."""
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop: compare what can be stat'ed below
        pass
    try:
        sa, sb = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _check_place(label: str, path: Path) -> None:
    if path.is_dir():
        raise OutputError(f"{path}: {label} names a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {str(folder)!r} for {label} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot create files in {str(folder)!r} for {label} (no permission)")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path}: {label} names a device, pipe or socket, not a file; give a file name")
