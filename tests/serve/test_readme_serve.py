"""The README's service section runs as written: ``riskgrade serve`` and its curl call, whose answer is
the one the README shows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from server import ROOT, Server

pytest.importorskip("fastapi")


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## HTTP service and workbench")
    return text[start:text.index("\n## ", start + 3)]


def test_readme_serve_and_curl_run_as_written(monkeypatch):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    text = section()
    serve = re.search(r"^    (riskgrade serve .*)$", text, re.M).group(1).split()
    curl = re.search(r"```bash\n(curl .*)\n```", text).group(1)
    monkeypatch.chdir(ROOT)
    server = Server(*serve[2:])  # riskgrade serve ... on a free port instead of 8000
    try:
        done = subprocess.run(["bash", "-c", curl.replace("127.0.0.1:8000", f"127.0.0.1:{server.port}")],
                              capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
    answer = json.loads(done.stdout)
    shown = re.search(r'"level": "(\w+)".*?"fired": (\[[^\]]*\])', text, re.S)
    fire = next(p for p in answer["packs"] if p["pack"] == "fire_safety")
    assert (answer["entity_id"], answer["level"], fire["fired"]) == ("H1", shown.group(1), json.loads(shown.group(2)))
