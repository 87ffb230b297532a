"""Small files read whole (rule packs, pack tests, a capacity table, one entity as JSON), safely: only
regular files, never more than a limit, and the limit checked before the file is read.

A pipe named ``rules/x.yaml`` would block ``open`` until something writes to it, and ``/dev/zero``
(or a symbolic link to it) never ends; a 1.5 GB file would be read whole before any size check.

>>> read_limited(__file__, 1 << 20).startswith(b'"')
True
"""

from __future__ import annotations

import os
import stat


class RefusedFile(Exception):
    """A file that is not read: ``reason`` says why, in words for the user."""

    def __init__(self, reason: str, too_large: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Raises RefusedFile for a pipe, a
    device, a socket or a larger file, and OSError (FileNotFoundError …) when it cannot be opened."""
    info = os.stat(path)  # follows symbolic links: a link to /dev/zero is a device
    _check(info, limit)
    # O_NONBLOCK: should a pipe take the file's place between the two looks, opening it cannot hang
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        _check(os.fstat(fd), limit)
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise RefusedFile(_too_large(limit), too_large=True)
    return data


def _check(info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a pipe" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a file")
        raise RefusedFile(f"this is {kind}, not a regular file")
    if info.st_size > limit:
        raise RefusedFile(_too_large(limit), too_large=True)


def _too_large(limit: int) -> str:
    return f"file is larger than {limit // 1024 // 1024} MiB" if limit >= 1 << 20 else \
        f"file is larger than {limit:,} bytes"


__all__ = ["RefusedFile", "read_limited"]
