"""The JSON API against a real server process: answers agree with the library, every error is problem
details with the library's codes and locations, writes need the token, bodies and time are bounded."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import socket
import time

import pyarrow.parquet as pq
import pytest

import riskgrade
from server import EXAMPLES, RULES, Server, bumped_pack

pytest.importorskip("fastapi")
TOKEN = "test-token-5f1c"
AS_OF = dt.date(2026, 11, 1)
HOTEL = {"entity_id": "H1", "venue_type": "hotel", "guest_rooms": 80, "exits": 1}


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    for f in RULES.glob("*.yaml"):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def api(rules, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "serve.log"
    server = Server("--rules", str(rules), "--max-body", "1M", "--read-timeout", "3", "--no-tests", token=TOKEN,
                    log=log)
    yield server
    server.stop()
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")  # every error was handled


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


def test_openapi_document_is_valid_and_complete(api):
    from openapi_spec_validator import validate

    spec = api.client.get("/openapi.json").json()
    validate(spec)
    assert {"/v1/grade", "/v1/grade/batch", "/v1/packs", "/v1/packs/{pack_id}", "/v1/packs/{pack_id}/schema",
            "/v1/diff", "/v1/events", "/v1/entities/{entity_id}", "/v1/reload"} <= set(spec["paths"])
    assert spec["paths"]["/v1/events"]["post"]["security"] == [{"bearer": []}]
    docs = api.client.get("/docs")
    assert docs.status_code == 200 and "/v1/grade/batch" in docs.text and "cdn" not in docs.text.lower()


def test_grade_one_entity_agrees_with_the_library(api):
    r = api.client.post("/v1/grade", params={"as_of": AS_OF.isoformat()}, json=HOTEL)
    assert r.status_code == 200
    expected = riskgrade.grade(HOTEL, riskgrade.load_packs(RULES), as_of=AS_OF)
    assert r.json() == json.loads(expected.model_dump_json())


def test_explain_adds_each_packs_explanation(api):
    r = api.client.post("/v1/grade", params={"as_of": AS_OF.isoformat(), "explain": "true", "pack": "fire_safety"},
                        json=HOTEL)
    body = r.json()
    fired = [f["id"] for f in body["explanation"]["fire_safety"]["rules"]["fired"]]
    assert fired == body["packs"][0]["fired"] and [p["pack"] for p in body["packs"]] == ["fire_safety"]


def test_grade_errors_are_problem_details_with_codes_and_locations(api):
    bad = problem(api.client.post("/v1/grade", content=b'{"exits": 1,\n "venue_type": }'), 400, "RG701")
    assert bad["errors"][0]["line"] == 2 and bad["errors"][0]["col"] == 16
    problem(api.client.post("/v1/grade", json=[1, 2]), 422, "RG709")
    assert problem(api.client.post("/v1/grade", params={"pack": "nope"}, json=HOTEL), 404, "RG704")["pack"] == "nope"
    value = problem(api.client.post("/v1/grade", json={**HOTEL, "exits": "many"}), 422, "RG400")
    assert value["errors"][0]["field"] == "exits" and "many" in value["detail"]
    problem(api.client.post("/v1/grade", params={"as_of": "1st of May"}, json=HOTEL), 422, "RG709")
    problem(api.client.post("/v1/grade", params={"param": "planet=mars"}, json=HOTEL), 422, "RG709")
    big = {"notes": "x" * (1024 * 1024 + 10)}
    problem(api.client.post("/v1/grade", json=big), 413, "RG702")


def test_batch_of_entities_accounts_for_every_row(api):
    rows = [HOTEL, {"entity_id": "H2", "venue_type": "hotel", "exits": -1}, {"entity_id": "H3", "venue_type": "mall"}]
    r = api.client.post("/v1/grade/batch", params={"as_of": AS_OF.isoformat(), "pack": "fire_safety"}, json=rows)
    body = r.json()
    assert body["counts"] == {"rows_in": 3, "graded": 2, "rejected": 1}
    assert [x["entity_id"] for x in body["records"]] == ["H1", "H3"]
    (reject,) = body["rejects"]
    (why,) = reject["problems"]
    assert (reject["row"], reject["entity_id"], why["field"], why["code"]) == (2, "H2", "exits", "RG400")


def test_batch_upload_matches_the_cli_and_becomes_the_overview(api):
    expected = riskgrade.grade_table(EXAMPLES / "venues.csv", riskgrade.load_packs(RULES), as_of=AS_OF)
    with open(EXAMPLES / "venues.csv", "rb") as f:
        r = api.client.post("/v1/grade/batch", params={"as_of": AS_OF.isoformat(), "form": "wide"},
                            files={"file": ("venues.csv", f, "text/csv")})
    body = r.json()
    assert body["counts"] == {"rows_in": 300, "graded": 294, "rejected": 6}
    assert body["records"] == json.loads(json.dumps(expected.to_records(wide=True), default=str))
    assert [x["row"] for x in body["rejects"]] == [x.row for x in expected.rejects]
    overview = api.client.get("/v1/registry").json()
    assert overview["counts"] == body["counts"] and overview["name"] == "venues.csv"
    assert sum(overview["overall"].values()) == 294


def test_batch_raw_body_to_a_parquet_answer(api):
    data = (EXAMPLES / "vehicles.csv").read_bytes()
    r = api.client.post("/v1/grade/batch", params={"as_of": AS_OF.isoformat(), "output": "parquet",
                                                   "pack": "road_transport"},
                        content=data, headers={"content-type": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(r.content))
    rows_in = int(r.headers["x-riskgrade-rows-in"])
    assert rows_in == int(r.headers["x-riskgrade-graded"]) + int(r.headers["x-riskgrade-rejected"])
    assert table.num_rows == int(r.headers["x-riskgrade-graded"]) > 0


def test_batch_errors(api):
    problem(api.client.post("/v1/grade/batch", content=b"[{", headers={"content-type": "application/json"}),
            400, "RG701")
    problem(api.client.post("/v1/grade/batch", json={"a": 1}), 422, "RG709")
    problem(api.client.post("/v1/grade/batch", params={"pack": "nope"}, json=[]), 404, "RG704")
    problem(api.client.post("/v1/grade/batch", content=b"a,b\n1,2\n", headers={"content-type": "text/plain"}),
            415, "RG705")
    problem(api.client.post("/v1/grade/batch", content=b"x" * (1024 * 1024 + 1), headers={"content-type": "text/csv"}),
            413, "RG702")
    problem(api.client.post("/v1/grade/batch", files={"other": ("a.csv", b"a\n1\n")}), 422, "RG709")
    problem(api.client.post("/v1/grade/batch", params={"format": "parquet"}, content=b"not parquet",
                            headers={"content-type": "application/octet-stream"}), 422, "RG400")


def test_packs_metadata_schema_and_document(api):
    packs = api.client.get("/v1/packs").json()["packs"]
    by_id = {p["id"]: p for p in packs}
    program = riskgrade.load_packs(RULES / "fire_safety.yaml")[0]
    assert by_id["fire_safety"]["sha256"] == program.sha256
    one = api.client.get("/v1/packs/fire_safety").json()
    assert (one["version"], one["sha256"]) == (program.version, program.sha256)
    schema = api.client.get("/v1/packs/fire_safety/schema").json()
    assert "venue_type" in schema["properties"]
    doc = api.client.get("/v1/packs/fire_safety/document").json()
    assert [r["id"] for r in doc["rules"]] == [r.id for r in program.rules]
    for path in ("/v1/packs/nope", "/v1/packs/nope/schema", "/v1/packs/nope/document"):
        problem(api.client.get(path), 404, "RG704")


def test_diff_of_an_uploaded_pack_against_the_served_one(api, rules):
    new = bumped_pack(rules / "fire_safety.yaml")
    served = riskgrade.load_packs(rules / "fire_safety.yaml")[0].version
    with open(EXAMPLES / "venues.csv", "rb") as entities:
        r = api.client.post("/v1/diff", params={"as_of": AS_OF.isoformat()},
                            files={"new": ("fire_safety_v2.yaml", new.encode()), "entities": ("venues.csv", entities)})
    assert r.status_code == 200, r.text
    (pack,) = r.json()["packs"]
    assert pack["pack"] == "fire_safety" and pack["population"] == 300
    assert pack["new"]["version"] == "9.9.9" and pack["old"]["version"] == served and pack["moved_count"] > 0
    broken = problem(api.client.post("/v1/diff", files={"new": ("bad.yaml", b"pack: x\nversion: 1\nlevels: [\n")}),
                     422, "RG101")
    assert broken["errors"][0]["file"] == "bad.yaml" and broken["errors"][0]["line"] > 0
    problem(api.client.post("/v1/diff", data={"new": "nope"}, files={"x": ("a.csv", b"a\n")}), 404, "RG704")
    problem(api.client.post("/v1/diff", json={"new": "fire_safety"}), 415, "RG705")
    problem(api.client.post("/v1/diff", files={"new": ("big.yaml", b"#" * (1024 * 1024 + 1))}), 413, "RG702")


def test_writes_need_the_token_and_reload_is_atomic(api, rules):
    problem(api.client.post("/v1/reload"), 401, "RG703")
    problem(api.client.post("/v1/reload", headers={"authorization": "Bearer wrong"}), 401, "RG703")
    auth = {"authorization": f"Bearer {TOKEN}"}
    before = api.client.get("/v1/packs").json()
    broken = rules / "zz_broken.yaml"
    broken.write_text(riskgrade.api.EXAMPLE_PACK.replace('"exits < 2"', '"exits <"'), encoding="utf-8")
    try:
        failed = problem(api.client.post("/v1/reload", headers=auth), 422, "RG201")
        assert failed["errors"][0]["file"].endswith("zz_broken.yaml") and failed["errors"][0]["line"] > 0
        assert api.client.get("/v1/packs").json() == before  # the old packs keep serving
    finally:
        broken.unlink()
    fresh = api.client.post("/v1/reload", headers=auth).json()
    assert fresh["generation"] == before["generation"] + 1
    problem(api.client.post("/v1/events", headers=auth, json=[]), 404, "RG711")
    problem(api.client.get("/v1/entities/X"), 404, "RG711")


def test_no_cors_by_default_and_security_headers(api):
    r = api.client.get("/v1/packs", headers={"origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = api.client.options("/v1/grade", headers={"origin": "http://evil.example",
                                                    "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in pre.headers
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_a_body_that_never_arrives_times_out(api):
    with socket.create_connection(("127.0.0.1", api.port)) as s:
        s.sendall(b"POST /v1/grade HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{\"exits\"")
        s.settimeout(15)
        started = time.monotonic()
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 12


def test_pages_load_nothing_from_elsewhere(api):
    for path in ("/", "/packs", "/packs/fire_safety", "/diff", "/docs", "/?lang=en"):
        html = api.client.get(path).text
        assert re.findall(r'(?:src|href|action)="(?!/)[^"#]', html) == [], path  # only this app's own paths
    for asset in ("/static/workbench.css", "/static/workbench.js"):
        assert api.client.get(asset).status_code == 200


def test_what_a_registry_holds_is_shown_as_text_never_run(api):
    evil = "<script>alert(1)</script>"
    rows = [{"entity_id": "X<b>1</b>", "name": evil, "venue_type": "mall", "exits": 0, "occupancy": 3000,
             "county": evil}]
    assert api.client.post("/v1/grade/batch", params={"as_of": AS_OF.isoformat()}, json=rows).status_code == 200
    for path in ("/", "/entities/X<b>1</b>"):
        html = api.client.get(path).text
        assert evil not in html and "&lt;script&gt;" in html, path


def test_a_registry_in_its_own_words_with_a_mapping_and_strict(api):
    data = (EXAMPLES / "venues_zh.csv").read_bytes()
    mapping = (EXAMPLES / "venues_zh_mapping.yaml").read_bytes()
    query = {"as_of": AS_OF.isoformat(), "strict": "true", "form": "wide", "lang": "zh"}
    r = api.client.post("/v1/grade/batch", params=query,
                        files={"file": ("场所台账.csv", data), "mapping": ("mapping.yaml", mapping)})
    body = r.json()
    assert body["counts"] == {"rows_in": 300, "graded": 294, "rejected": 6}
    first = body["records"][0]["entity_id"]
    page = api.client.get(f"/entities/{first}").text  # found under its Chinese header, explained mapped
    assert 'id="overall-level"' in page and "table class=\"list fired\"" in page
    refused = problem(api.client.post("/v1/grade/batch", params=query, files={"file": ("场所台账.csv", data)}),
                      422, "RG714")
    assert refused["errors"] and all(e["code"] == "RG714" for e in refused["errors"])
    bad = problem(api.client.post("/v1/grade/batch", params=query, files={
        "file": ("场所台账.csv", data), "mapping": ("mapping.yaml", b"columns:\n  nope_column: not_a_field\n")}),
        422, "RG713")
    assert bad["errors"][0]["line"] == 2
