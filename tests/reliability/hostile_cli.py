"""Hostile and careless command lines, each with the exit code and the words its one line on stderr
must hold. Shared by ``test_hostile_cli.py`` and ``benchmarks/robustness.py``.

A case is built in a fresh folder (``make(folder) -> argv``) so the cases can run in any order; the
files it needs are written there. Exit 2: usage or environment; 1: findings (rejected rows, pack
errors); 0: all graded.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
FIRE = str(ROOT / "rules" / "fire_safety.yaml")
DEMO = """pack: demo
version: "1"
title: {en: Demo}
owner: {en: Station}
fields:
  exits: {type: integer, min: 0}
  last: {type: date}
levels:
  - {id: red, label: {en: Major}, color: red}
  - {id: blue, label: {en: Low}, color: blue}
score: {method: sum, bands: [{level: red, min: 10}, {level: blue, max: 10}]}
rules:
  - {id: few, when: "exits < 2", points: 10}
inspection:
  interval_days: {red: 30, blue: 365}
  last_inspection: last
"""


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], list[str]]
    code: int
    words: str  # what stderr (or stdout, for check) must say


def _rules(d: Path, text: str = DEMO) -> str:
    path = d / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _csv(d: Path, body: str = "a,1,2026-01-01\nb,3,\n", name: str = "in.csv") -> str:
    path = d / name
    path.write_text("entity_id,exits,last\n" + body, encoding="utf-8")
    return str(path)


def _grade(d: Path, src: str, out: str, *extra: str) -> list[str]:
    return ["grade", src, "--rules", _rules(d), "--as-of", "2026-06-30", "-o", out, "--quiet", *extra]


def _graded(d: Path) -> str:
    import riskgrade

    out = d / "g.jsonl"
    riskgrade.grade_file(ROOT / "examples" / "venues.csv", riskgrade.load_packs(FIRE), out, as_of="2026-11-01")
    return str(out)


def _xlsx(d: Path, prolog: bytes) -> str:
    from openpyxl import Workbook

    plain = d / "plain.xlsx"
    book = Workbook()
    book.active.append(["entity_id", "exits"])
    book.active.append(["a", 1])
    book.save(plain)
    out = d / "in.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", prolog + b"<worksheet", 1)
            zout.writestr(item, data)
    return str(out)


def _parquet(d: Path) -> str:
    path = d / "in.parquet"
    pq.write_table(pa.table({"entity_id": ["a", "b"], "exits": pa.array([1, 2 ** 64 - 1], pa.uint64())}), path)
    return str(path)


def _jsonl(d: Path) -> str:
    path = d / "in.jsonl"
    path.write_text('{"entity_id": "a", "exits": 1}\n{"x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
                    '{"entity_id": "c", "exits": ' + "9" * 5000 + "}\n", encoding="utf-8")
    return str(path)


def _fifo_rules(d: Path) -> str:
    folder = d / "rules"
    folder.mkdir()
    (folder / "ok.yaml").write_text(DEMO, encoding="utf-8")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    return str(folder)


def _capacity(d: Path) -> str:
    path = d / "cap.csv"
    path.write_text("station,officers,per_officer_per_day\n上城区南星派出所,1e20,3\n", encoding="utf-8")
    return str(path)


def _same_file(d: Path) -> list[str]:
    src = _csv(d)
    os.link(src, d / "hard.csv")
    return _grade(d, src, str(d / "hard.csv"))


CASES = [
    Case("-o onto the input", lambda d: _grade(d, _csv(d), str(d / "in.csv")), 2, "input file"),
    Case("--rejects onto the input", lambda d: _grade(d, _csv(d), str(d / "o.csv"), "--rejects", str(d / "in.csv")),
         2, "input file"),
    Case("-o and --rejects one file", lambda d: _grade(d, _csv(d), str(d / "o.csv"), "--rejects", str(d / "o.csv")),
         2, "same file"),
    Case("-o a hard link to the input", _same_file, 2, "input file"),
    Case("--rejects in a missing folder", lambda d: _grade(d, _csv(d), str(d / "keep.csv"), "--rejects",
                                                           str(d / "missing" / "r.csv")), 2, "does not exist"),
    Case("-o /dev/full", lambda d: _grade(d, _csv(d), "/dev/full"), 2, "device"),
    Case("-o an unknown format", lambda d: _grade(d, _csv(d), str(d / "o.txt")), 2, "extension"),
    Case("plan onto its input", lambda d: ["plan", _graded(d), "--rules", FIRE, "--from", "2026-11-02",
                                           "--to", "2026-11-30", "-o", str(d / "g.jsonl")], 2, "input file"),
    Case("plan to year 9999", lambda d: ["plan", _graded(d), "--rules", FIRE, "--from", "2026-11-02",
                                         "--to", "9999-12-31"], 2, "longer than 10 years"),
    Case("plan with a capacity of 1e20", lambda d: ["plan", _graded(d), "--rules", FIRE, "--from", "2026-11-02",
                                                    "--to", "2026-11-30", "--capacity", _capacity(d)], 2,
         "column 'officers'"),
    Case("diff onto its entities", lambda d: ["diff", FIRE, FIRE, "--entities", _csv(d), "--as-of", "2026-11-01",
                                              "-o", str(d / "in.csv")], 2, "input file"),
    Case("map onto its input", lambda d: ["map", _csv(d), "--rules", _rules(d), "-o", str(d / "in.csv")], 2,
         "input file"),
    Case("xlsx declaring a DTD", lambda d: _grade(d, _xlsx(d, b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
                                                  str(d / "o.jsonl")), 2, "DTD"),
    Case("parquet uint64 maximum", lambda d: _grade(d, _parquet(d), str(d / "o.jsonl")), 1, "2^53"),
    Case("--chunk-rows 0", lambda d: _grade(d, _csv(d), str(d / "o.jsonl"), "--chunk-rows", "0"), 2, "chunk_rows"),
    Case("--input-encoding nope", lambda d: _grade(d, _csv(d), str(d / "o.jsonl"), "--input-encoding", "nope"), 2,
         "unknown encoding"),
    Case("--input-encoding rot13", lambda d: _grade(d, _csv(d), str(d / "o.jsonl"), "--input-encoding", "rot13"), 2,
         "not a text encoding"),
    Case("--input-encoding utf-16 on UTF-8", lambda d: _grade(d, _csv(d), str(d / "o.jsonl"), "--input-encoding",
                                                              "utf-16"), 2, "not valid utf-16"),
    Case("--encoding rot13 for the output", lambda d: _grade(d, _csv(d), str(d / "o.csv"), "--encoding", "rot13"), 2,
         "not a text encoding"),
    Case("--as-of 9999-01-01", lambda d: _grade(d, _csv(d), str(d / "o.jsonl")) + ["--as-of", "9999-01-01"], 2,
         "outside 1800-01-01"),
    Case("a date of 9999-12-31", lambda d: _grade(d, _csv(d, "a,3,9999-12-31\n"), str(d / "o.xlsx")), 1,
         "outside 1800-01-01"),
    Case("digits of other scripts", lambda d: _grade(d, _csv(d, "a,１７６７,\nb,١٧٦٧,\nc,1_767,\n"), str(d / "o.csv")),
         1, "digits 0-9"),
    Case("a date with garbage after it", lambda d: _grade(d, _csv(d, "a,1,2025-02-21 garbage\n"), str(d / "o.csv")),
         1, "not a valid date"),
    Case("JSON nested 100,000 deep and 5,000 digits", lambda d: _grade(d, _jsonl(d), str(d / "o.jsonl")), 1,
         "deeper than 64 levels"),
    Case("a CSV cell of 2 MB", lambda d: _grade(d, _csv(d, 'a,1,\nb,"' + "x" * (2 << 20) + '",\n'),
                                                str(d / "o.jsonl")), 1, "not a number"),
    Case("an id with escape sequences", lambda d: _grade(d, _csv(d, '"\x1b[2J\x1b[31mX\x9b",x,\n'),
                                                         str(d / "o.jsonl")), 1, "\\u001b[2J"),
    Case("a binary file named .csv", lambda d: _grade(d, str(_binary(d)), str(d / "o.jsonl")), 2,
         "neither UTF-8 nor GB18030"),
    Case("an empty file", lambda d: _grade(d, str(_empty(d)), str(d / "o.jsonl")), 2, "empty"),
    Case("a folder as input", lambda d: _grade(d, str(d), str(d / "o.jsonl")), 2, "extension"),
    Case("check a pipe and /dev/zero", lambda d: ["check", _fifo_rules(d), "--no-tests"], 1, "RG100"),
    Case("check points .nan", lambda d: ["check", _rules(d, DEMO.replace("points: 10", "points: .nan")), "--no-tests"],
         1, "finite number"),
    Case("check a key on:", lambda d: ["check", _rules(d, DEMO + "on: 1\n"), "--no-tests"], 1, "unknown key 'on'"),
    Case("grade with a broken pack", lambda d: ["grade", _csv(d), "--rules", _rules(d, DEMO.replace("blue: 365", "blue: -5")),
                                                "-o", str(d / "o.jsonl")], 1, "greater than or equal to 1"),
    Case("explain a date of 9999", lambda d: ["explain", json.dumps({"exits": 1, "last": "9999-12-31"}), "--rules",
                                              _rules(d), "--as-of", "2026-06-30"], 1, "outside 1800-01-01"),
    Case("explain a missing input", lambda d: ["explain", "--row", "x", "--input", str(d / "nope.csv"), "--rules",
                                               _rules(d)], 2, "no such file"),
]


def _empty(d: Path) -> Path:
    path = d / "empty.csv"
    path.write_bytes(b"")
    return path


def _binary(d: Path) -> Path:
    path = d / "junk.csv"
    path.write_bytes(bytes(range(128, 256)) * 40)
    return path


def run(case: Case, folder: Path) -> tuple[int, str]:
    """Run one case in-process; the exit code and what it printed (stderr, then stdout)."""
    import contextlib
    import io

    from riskgrade.cli.main import main

    argv = case.make(folder)
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(argv)
    return code, err.getvalue() + out.getvalue()


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder
