"""Crash safety and replay: a killed process loses nothing and applies nothing twice; a replay of the
journal reproduces the state and the alerts byte for byte; restart = snapshot + journal tail."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading

from eventkit import LIFECYCLE_PACK, stream

from riskgrade.events import Monitor, alert_line


def run_all(db, events, **kw):
    with Monitor(db, pack_text=LIFECYCLE_PACK, **kw) as m:
        out = m.process(events, batch=64)
        return [alert_line(a) for o in out for a in o.alerts], m.digest(), [o.status for o in out]


def test_replay_reproduces_state_and_alerts_byte_for_byte(tmp_path):
    events = stream(seed=3, n=1500)
    alerts, digest, statuses = run_all(tmp_path / "a.sqlite", events)
    assert len(alerts) > 50 and statuses.count("accepted") > 1000
    kinds = {json.loads(a)["alert"] for a in alerts}
    assert {"hazard_overdue", "level_changed", "follow_up_due", "unscheduled_inspection"} <= kinds
    # 1. the journal's events, in journal order, into a fresh monitor: the same alerts, the same bytes
    db = sqlite3.connect(tmp_path / "a.sqlite")
    bodies = [b for (b,) in db.execute("SELECT body FROM events ORDER BY seq")]
    db.close()
    again, digest2, _ = run_all(tmp_path / "b.sqlite", bodies)
    assert again == alerts and digest2 == digest
    # 2. reopening rebuilds the same state from the journal alone (no snapshot) ...
    shutil.copy(tmp_path / "a.sqlite", tmp_path / "c.sqlite")
    db = sqlite3.connect(tmp_path / "c.sqlite")
    db.execute("DELETE FROM snapshots")
    db.commit()
    db.close()
    with Monitor(tmp_path / "c.sqlite") as m:
        assert m.digest() == digest
    # 3. ... and from a snapshot taken midway plus the journal tail
    with Monitor(tmp_path / "d.sqlite", pack_text=LIFECYCLE_PACK, snapshot_every=400) as m:
        m.process(events[:1000], batch=100)
        assert m.journal.count("snapshots") >= 1
    with Monitor(tmp_path / "d.sqlite", snapshot_every=400) as m:
        out = m.process(events[1000:], batch=100)
        assert m.digest() == digest
    tail = [alert_line(a) for o in out for a in o.alerts]
    assert tail == alerts[len(alerts) - len(tail):]


def test_sigkill_mid_stream_then_restart_equals_an_uninterrupted_run(tmp_path):
    events = stream(seed=11, n=2500)
    lines = [json.dumps(e) + "\n" for e in events]
    _, expected, statuses = run_all(tmp_path / "clean.sqlite", events)
    (tmp_path / "venues.yaml").write_text(LIFECYCLE_PACK, encoding="utf-8")
    db = tmp_path / "crash.sqlite"
    cmd = [sys.executable, "-m", "riskgrade.cli.main", "watch", "--db", str(db), "--rules",
           str(tmp_path / "venues.yaml"), "-", "--batch", "1", "--snapshot-every", "300"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    def send() -> None:  # the rest never arrives: the sender dies too
        try:
            proc.stdin.writelines(lines[:1800])
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    seen = 0
    while seen < 40:  # alerts are printed after their event is committed: the process is mid-stream
        assert proc.stdout.readline(), "watch ended early"
        seen += 1
    assert proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    sender.join()
    assert proc.returncode == -signal.SIGKILL
    with Monitor(db) as m:
        journalled = m.journal.count("events")
    assert 0 < journalled < statuses.count("accepted")
    # the sender starts again from the beginning: what was journalled is acknowledged, not re-applied
    done = subprocess.run(cmd[:-4] + [], input="".join(lines), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    summary = done.stderr.strip().splitlines()[-1]
    assert f"{journalled} duplicate" in summary
    with Monitor(db) as m:
        assert m.digest() == expected
        assert m.journal.count("events") == statuses.count("accepted")
        assert m.journal.count("rejects") == 0
