"""Events and entity status over HTTP (``--db``): token-protected, idempotent by event id, rejects with
reasons; and the service refuses to start with ``--db`` and no token."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from riskgrade.events.monitor import EXAMPLE_PACK
from server import Server

pytest.importorskip("fastapi")
TOKEN = "events-token-93a"
AUTH = {"authorization": f"Bearer {TOKEN}"}
# a severity the example pack gives a deadline to, whatever it calls it
SEVERITY = next(iter(yaml.safe_load(EXAMPLE_PACK)["lifecycle"]["rectification"]["deadline_hours"]))
HAZARD = {"id": "e1", "type": "hazard_found", "at": "2026-01-01T08:00:00", "entity": "V1", "hazard": "H1",
          "severity": SEVERITY, "officer": "王伟"}
TICK = {"id": "t1", "type": "tick", "at": "2026-01-02T09:00:00"}


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("event-rules")
    (folder / "vehicles.yaml").write_text(EXAMPLE_PACK, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def api(rules, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "state.sqlite"
    server = Server("--rules", str(rules), "--db", str(db), token=TOKEN)
    yield server
    server.stop()


def test_refuses_to_start_with_a_database_and_no_token(rules, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "RISKGRADE_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "riskgrade.cli.main", "serve", "--rules", str(rules),
                           "--db", str(tmp_path / "s.sqlite"), "--port", "1"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "RISKGRADE_TOKEN" in done.stderr and "--insecure-no-auth" in done.stderr


def test_events_need_the_token(api):
    for headers in ({}, {"authorization": "Bearer nope"}, {"authorization": TOKEN}):
        r = api.client.post("/v1/events", json=[HAZARD], headers=headers)
        assert r.status_code == 401 and r.json()["code"] == "RG703"
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_events_are_idempotent_and_rejects_say_why(api):
    first = api.client.post("/v1/events", json=[HAZARD, TICK], headers=AUTH).json()
    assert first["counts"] == {"accepted": 2, "duplicate": 0, "rejected": 0}
    assert {a["alert"] for o in first["outcomes"] for a in o["alerts"]} == {"hazard_overdue", "level_changed"}
    lines = "\n".join([json.dumps(HAZARD), '{"id": "x2", "type": "inspection"}', "not json", ""])
    again = api.client.post("/v1/events", content=lines.encode(), headers={**AUTH, "content-type": "application/x-ndjson"})
    outcomes = again.json()["outcomes"]
    assert [o["status"] for o in outcomes] == ["duplicate", "rejected", "rejected"]
    assert "entity" in outcomes[1]["reason"] and outcomes[2]["reason"].startswith("malformed")
    bad = api.client.post("/v1/events", content=b"[{", headers={**AUTH, "content-type": "application/json"})
    assert bad.status_code == 400 and bad.json()["code"] == "RG701"


def test_entity_status_and_the_overview_of_overdue_hazards(api):
    api.client.post("/v1/events", json=[HAZARD, TICK], headers=AUTH)
    status = api.client.get("/v1/entities/V1").json()
    assert status["entity"] == "V1" and [h["hazard"] for h in status["open_hazards"]] == ["H1"]
    assert status["open_hazards"][0]["status"] == "overdue"
    missing = api.client.get("/v1/entities/nobody")
    assert missing.status_code == 404 and missing.json()["code"] == "RG708"
    nothing = api.client.get("/v1/registry")  # no registry graded on this server
    assert nothing.status_code == 404 and nothing.json()["code"] == "RG712"
    page = api.client.get("/").text
    assert 'id="hazards"' in page and ">V1</a>" in page and "H1" in page


def test_a_pack_whose_own_tests_fail_is_not_served(tmp_path):
    from riskgrade.api import EXAMPLE_PACK as DEMO

    (tmp_path / "demo.yaml").write_text(DEMO + """examples:
  - {id: wrong, as_of: 2026-01-01, entity: {exits: 1}, expect: {level: blue}}
""", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "riskgrade.cli.main", "serve", "--rules", str(tmp_path),
                           "--port", "1"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "RG5" in done.stderr and "wrong" in done.stderr
