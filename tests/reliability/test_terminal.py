"""Nothing the data holds reaches the terminal as a control character: an entity id carrying
``ESC [2J`` (clear the screen), a C1 ``CSI`` or a right-to-left override is printed spelled out, in
every command's text and JSON output; and a failure is one line, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskgrade.api import EXAMPLE_PACK
from riskgrade.cli import main as cli_main
from riskgrade.cli.main import main

HOSTILE_ID = "\x1b[2J\x1b[31mEVIL\x07\x9b6n\u202eFS-1\r"
CONTROL = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(127, 160))] + ["\u202e"]


@pytest.fixture
def rules(tmp_path: Path) -> str:
    path = tmp_path / "demo.yaml"
    path.write_text(EXAMPLE_PACK, encoding="utf-8")
    return str(path)


def raw(text: str) -> list[str]:
    return [c for c in CONTROL if c in text]


def test_a_hostile_id_is_spelled_out_in_rejects_and_explanations(tmp_path, rules, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"entity_id": HOSTILE_ID, "exits": "x"}) + "\n"
                   + json.dumps({"entity_id": HOSTILE_ID + "2", "exits": 1}) + "\n", encoding="utf-8")
    assert main(["grade", str(src), "--rules", rules, "--as-of", "2026-01-01", "-o", str(tmp_path / "o.jsonl")]) == 1
    shown = capsys.readouterr()
    assert raw(shown.err) == [] and "\\u001b[2J\\u001b[31mEVIL" in shown.err
    entity = json.dumps({"entity_id": HOSTILE_ID, "exits": 1})
    assert main(["explain", entity, "--rules", rules, "--as-of", "2026-01-01"]) == 0
    assert raw(capsys.readouterr().out) == []
    assert main(["explain", entity, "--rules", rules, "--as-of", "2026-01-01", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert raw(out) == [] and json.loads(out)["explanations"][0]["entity_id"] == HOSTILE_ID  # still JSON
    # the output file keeps the id as it was given (normalised for comparison, not rewritten)
    assert json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))["entity_id"] == HOSTILE_ID + "2"


def test_an_error_message_quoting_the_data_is_spelled_out_too(tmp_path, rules, capsys):
    missing = tmp_path / f"{HOSTILE_ID.strip()}.csv"
    assert main(["grade", str(missing), "--rules", rules, "-o", str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err
    assert raw(err) == [] and "no such file" in err


def test_a_bug_is_one_line_and_exit_2(rules, monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli_main.commands()["check"], "run", broken)
    assert main(["check", rules]) == 2
    err = capsys.readouterr().err
    assert "internal error (ZeroDivisionError: boom)" in err and "Traceback" not in err
    assert err.count("\n") == 1
