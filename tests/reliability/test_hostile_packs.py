"""Hostile rule packs: each is refused with a located diagnostic, and nothing runs.

Every payload that could execute tries to create a file named ``pwned`` in the current folder or
to start a process; the side-effect test loads them all in an empty folder and checks that the
folder is still empty and that this process has no new child.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import riskgrade
from riskgrade import PackError
from riskgrade.source import yaml_source

BASE = """pack: p
version: "1"
title: {en: T}
owner: {en: O}
fields:
  area: {type: number}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: blue, label: {en: B}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - {id: big, when: WHEN, points: 10}
"""
WHEN_LINE = 14


def with_when(expr: str) -> str:
    return BASE.replace("WHEN", json.dumps(expr, ensure_ascii=False))


def _laughs(levels: int, width: int) -> str:
    lines = ["a0: &a0 [lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * width)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def _long_text_aliases(copies: int) -> str:
    text = "x" * (1 << 20)
    head = BASE + f"examples:\n  - {{id: e0, as_of: 2026-01-01, entity: {{t: &t '{text}'}}, expect: {{level: red}}}}\n"
    return head + "".join(f"  - {{id: e{i}, as_of: 2026-01-01, entity: {{t: *t}}, expect: {{level: red}}}}\n"
                          for i in range(1, copies))


SANE = with_when("area > 1")

# name -> (pack text, expected code, expected line or None for a file-level diagnostic)
HOSTILE_YAML = {
    "python/object/apply": ("pack: !!python/object/apply:os.system ['touch pwned']\n", "RG102", 1),
    "python/object/new": ("pack: !!python/object/new:subprocess.Popen [['touch', 'pwned']]\n", "RG102", 1),
    "python/name": ("pack: !!python/name:os.system\n", "RG102", 1),
    "python/module": ("pack: !!python/module:os\n", "RG102", 1),
    "binary": ("pack: !!binary dG91Y2ggcHduZWQ=\n", "RG102", 1),
    "set": ("pack: !!set {a, b}\n", "RG102", 1),
    "local tag": ("version: 1\npack: !exec touch pwned\n", "RG102", 2),
    "%TAG to python": ("%TAG !p! tag:yaml.org,2002:python/\n---\npack: !p!object/apply:os.system [x]\n",
                       "RG102", 3),
    "tag on a key": ("? !!python/object/apply:os.system ['touch pwned']\n: 1\n", "RG102", 1),
    "merge key": ("a: &a {x: 1}\nb: {<<: *a}\n", "RG102", 2),
    "billion laughs": (_laughs(9, 9), "RG103", None),
    "long text aliased 40x": (_long_text_aliases(40), "RG103", None),
    "deep flow nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "RG104", 1),
    "deep block nesting": ("".join("  " * i + "k:\n" for i in range(300)) + "  " * 300 + "1\n", "RG104", 65),
    "deep mapping nesting": ("a: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", "RG104", 1),
    "null byte": (BASE.replace("pack: p", "pack: p\x00"), "RG101", 1),
    "C0 control": (BASE.replace("title: {en: T}", "title: {en: T\x07}"), "RG101", 3),
    "duplicate key": (BASE + "pack: q\n", "RG105", 15),
    "not a mapping": ("- a\n- b\n", "RG110", 1),
    # numbers that are not numbers, or sums past what a float holds: the score would be None and
    # the entity silently least severe
    "points .nan": (SANE.replace("points: 10", "points: .nan"), "RG113", 14),
    "points .inf": (SANE.replace("points: 10", "points: -.inf"), "RG113", 14),
    "points that overflow": (SANE.replace("points: 10}", "points: 1.0e+308}\n  - {id: b2, when: 'area > 2', "
                                          "points: 1.0e+308}"), "RG316", 15),
    "base that overflows": (SANE.replace("method: sum", "method: sum\n  base: 1.7e+308").replace(
        "points: 10", "points: 1.0e+308"), "RG316", 15),
    "band min .inf": (SANE.replace("{level: red, min: 10}", "{level: red, min: .inf}"), "RG113", 12),
    "matrix .nan": (SANE.replace("method: sum", "method: matrix\n  likelihood: '1'\n  severity: '1'\n"
                                 "  matrix: [[.nan]]"), "RG113", 14),
    "table entry .nan": (SANE + "tables: {t: {kind: keyed, entries: {a: .nan}}}\n", "RG113", 15),
    "negative interval": (SANE + "inspection: {interval_days: {blue: -5}}\n", "RG113", 15),
    "interval of 8,000 years": (SANE + "inspection: {interval_days: {blue: 3000000}}\n", "RG113", 15),
    "multiplier .inf": (SANE + "inspection:\n  interval_days: {blue: 5}\n  modifiers: [{id: m, when: 'area > 1', "
                        "multiply: .inf}]\n", "RG113", 17),
}

HOSTILE_EXPRESSIONS = {
    "__import__": ("__import__('os').system('touch pwned') == 0", "RG201"),
    "dunder attribute": ("area.__class__.__bases__ == 1", "RG201"),
    "().__class__": ("().__class__.__mro__ == 1", "RG201"),
    "dunder name": ("__builtins__ == 1", "RG201"),
    "lambda": ("(lambda: __import__('os').system('touch pwned'))() == 0", "RG201"),
    "list comprehension": ("[c for c in ().__class__.__bases__] == 1", "RG201"),
    "generator": ("any(x for x in [1])", "RG203"),
    "dict comprehension": ("{k: 1 for k in [1]} == 1", "RG201"),
    "f-string": ("f'{area}' == 'a'", "RG201"),
    "walrus": ("(a := 1) > 0", "RG201"),
    "starred call": ("max(*[1, 2]) > 0", "RG201"),
    "keyword call": ("round(area, ndigits=1) > 0", "RG201"),
    "eval": ("eval('1') == 1", "RG206"),
    "open": ("open('pwned', 'w') == 1", "RG206"),
    "getattr": ("getattr(area, 'real') > 1", "RG206"),
    "10 ** 10 ** 10": ("10 ** 10 ** 10 > area", "RG203"),
    "9**9**9": ("9**9**9 > area", "RG203"),
    "exponent from data": ("2 ** area > 1", "RG203"),
    "round to 400 digits": ("round(area, 400) > 1", "RG203"),
    "huge literal": ("area > " + "9" * 3000, "RG203"),
    "very long": (" + ".join(["area"] * 1200) + " > 0", "RG113"),
    "very deep parentheses": ("(" * 300 + "area" + ")" * 300 + " > 0", "RG201"),
    "very deep not": ("not " * 60 + "area > 0", "RG201"),
    "many parts": (" + ".join(["1"] * 900) + " > area", "RG201"),
    "null byte": ("area > 1\x00", "RG201"),
    "bidi override in text": ("'safe\u202e' == 'x' or area > 1", "RG201"),
    "bidi isolate": ("area > 1 \u2066and area < 0\u2069", "RG201"),
    "zero-width space in text": ("'a\u200bb' == 'x' or area > 1", "RG201"),
    "bytes": ("b'x' == 'x'", "RG201"),
    "ellipsis": ("... == 1", "RG201"),
    "complex": ("1j == 1", "RG201"),
    "yield": ("(yield) == 1", "RG201"),
    "await": ("(await area) == 1", "RG201"),
    "bitwise": ("(1 << 100000) > area", "RG201"),
    "slice": ("area[1:2] > 0", "RG204"),
    "is": ("area is None", "RG201"),
}


def diagnostics(text: str) -> list[riskgrade.Diagnostic]:
    with pytest.raises(PackError) as info:
        riskgrade.loads_pack(text, "hostile.yaml")
    return info.value.diagnostics


@pytest.mark.parametrize("name", HOSTILE_YAML)
def test_hostile_yaml_is_refused_with_a_location(name):
    text, code, line = HOSTILE_YAML[name]
    diags = diagnostics(text)
    assert code in {d.code for d in diags}, [str(d) for d in diags]
    d = next(d for d in diags if d.code == code)
    assert d.location.file == "hostile.yaml"
    if line is not None:
        assert d.location.line == line, str(d)


@pytest.mark.parametrize("name", HOSTILE_EXPRESSIONS)
def test_hostile_expression_is_refused_inside_its_rule(name):
    expr, code = HOSTILE_EXPRESSIONS[name]
    (d,) = diagnostics(with_when(expr))
    assert d.code == code, str(d)
    assert (d.location.file, d.location.line, d.location.rule_id) == ("hostile.yaml", WHEN_LINE, "big")
    assert d.location.col >= 21  # inside the quoted expression, not at the start of the line


def test_check_locates_a_value_that_is_not_a_number(tmp_path, capsys):
    from riskgrade.cli.main import main

    bad = tmp_path / "bad.yaml"
    bad.write_text(HOSTILE_YAML["points .nan"][0], encoding="utf-8")
    assert main(["check", str(bad), "--format", "json", "--no-tests"]) == 1
    (d,) = [d for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["severity"] == "error"]
    assert (d["code"], d["line"], d["pointer"], d["rule_id"]) == ("RG113", 14, "/rules/0/points", "big")


def test_a_file_over_16_mib_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "w", encoding="utf-8") as f:
        f.write(BASE.replace("WHEN", "'area > 1'"))
        f.write(("# " + "x" * 1022 + "\n") * (yaml_source.MAX_BYTES // 1024 + 1))
    with pytest.raises(PackError) as info:
        riskgrade.load_pack(path)
    (d,) = info.value.diagnostics
    assert (d.code, d.location.file) == ("RG106", str(path))


def test_a_huge_pack_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:  # 1.5 GB, sparse: reading it whole would take seconds and the memory
        f.write(b"pack: p\n")
        f.seek(1_500_000_000)
        f.write(b"\xff")  # read whole, it would be refused as not UTF-8 instead
    with pytest.raises(PackError) as info:
        riskgrade.load_pack(path)
    assert [(d.code, d.message) for d in info.value.diagnostics] == [("RG106", "file is larger than 16 MiB")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_check_neither_hangs_on_a_pipe_nor_reads_a_device_for_ever(tmp_path, capsys):
    """A pipe named *.yaml would block opening until something writes to it; a link to /dev/zero
    never ends. Both are refused by what they are, before anything is read."""
    from riskgrade.cli.main import main

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ok.yaml").write_text(SANE, encoding="utf-8")
    os.mkfifo(rules / "pipe.yaml")
    (rules / "zero.yaml").symlink_to("/dev/zero")
    assert main(["check", str(rules), "--no-tests", "--format", "json"]) == 1
    found = {Path(d["file"]).name: (d["code"], d["message"])
             for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["severity"] == "error"}
    assert found == {"pipe.yaml": ("RG100", "this is a pipe, not a regular file"),
                     "zero.yaml": ("RG100", "this is a device, not a regular file")}
    assert main(["check", str(rules / "pipe.yaml"), "--no-tests"]) == 1


def test_extreme_literals_that_fit_a_float_are_accepted():
    assert riskgrade.loads_pack(with_when("area > 1e308 or area < -1.7976931348623157e308 or area == 5e-324"))
    assert riskgrade.loads_pack(with_when("round(area, 15) > 0 and round(area, -15) >= 0"))


def _children() -> set[int]:
    pid = os.getpid()
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(p) for p in text.split()}
    return found


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_no_file_or_process_is_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before_files, before_children = _listing(tmp_path), _children()
    tmp_before = set(os.listdir("/tmp"))
    # the payloads that could run something (the bombs are covered above and only cost time here)
    texts = [t for t, code, _ in HOSTILE_YAML.values() if code not in ("RG103", "RG104")]
    texts += [with_when(e) for e, _ in HOSTILE_EXPRESSIONS.values()]
    for text in texts:
        with pytest.raises(PackError):
            riskgrade.loads_pack(text, "hostile.yaml")
    for i, text in enumerate(texts[:12]):  # the same through a file, as `riskgrade check` reads them
        path = tmp_path / f"p{i}.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(PackError):
            riskgrade.load_pack(path)
        path.unlink()
    assert _listing(tmp_path) == before_files == []
    assert _children() <= before_children
    assert not {n for n in set(os.listdir("/tmp")) - tmp_before if "pwned" in n}
