"""The monitor's SQLite store: an append-only event journal, rejects, snapshots and the pack.

WAL mode with ``synchronous=NORMAL``: a committed transaction survives the process being killed
(it may be lost only on power failure). Every accepted event is committed to ``events`` before it
is applied; its ``seq`` orders replay. ``id`` is unique, so a repeated event id is a duplicate.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any, Iterator

from ..errors import EngineError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL,
                                   body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejects (n INTEGER PRIMARY KEY, id TEXT, reason TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, state BLOB NOT NULL);
"""
KEEP_SNAPSHOTS = 2


class Journal:
    """One SQLite file. Not shared between threads; the Monitor holds the only connection."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise EngineError(f"cannot open the monitor database {self.path}: {exc}") from None

    # --- meta ---------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- appending ------------------------------------------------------------------------------------
    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def append(self, event_id: str, ts: int, body: str) -> int | None:
        """Append an event inside the open transaction; its seq, or None if the id is already there."""
        cur = self.db.execute("INSERT OR IGNORE INTO events (id, ts, body) VALUES (?, ?, ?)", (event_id, ts, body))
        return cur.lastrowid if cur.rowcount == 1 else None

    def has_event(self, event_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None

    def reject(self, event_id: str | None, reason: str, body: str) -> None:
        self.db.execute("INSERT INTO rejects (id, reason, body) VALUES (?, ?, ?)", (event_id, reason, body))

    # --- reading ----------------------------------------------------------------------------------------
    def events_after(self, seq: int) -> Iterator[tuple[int, str]]:
        """(seq, body) of every journalled event after ``seq``, in order."""
        cur = self.db.execute("SELECT seq, body FROM events WHERE seq > ? ORDER BY seq", (seq,))
        while rows := cur.fetchmany(4096):
            yield from rows

    def rejects(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT n, id, reason, body FROM rejects ORDER BY n").fetchall()
        return [{"n": n, "id": i, "reason": r, "body": b} for n, i, r, b in rows]

    def count(self, table: str) -> int:
        assert table in ("events", "rejects", "snapshots")
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def last_seq(self) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]

    # --- snapshots ---------------------------------------------------------------------------------------
    def save_snapshot(self, seq: int, state: dict[str, Any]) -> None:
        blob = zlib.compress(json.dumps(state, separators=(",", ":"), sort_keys=True).encode(), 1)
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT OR REPLACE INTO snapshots (seq, state) VALUES (?, ?)", (seq, blob))
        self.db.execute("DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC "
                        "LIMIT ?)", (KEEP_SNAPSHOTS,))
        self.db.execute("COMMIT")

    def latest_snapshot(self) -> tuple[int, dict[str, Any]] | None:
        row = self.db.execute("SELECT seq, state FROM snapshots ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return row[0], json.loads(zlib.decompress(row[1]))

    def close(self) -> None:
        self.rollback()
        self.db.close()


__all__ = ["Journal"]
