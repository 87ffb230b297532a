"""Imports run one way along the flow, and no modules import each other in a loop.

The layers, lowest first (docs/architecture.md draws the same picture). A module may import from
its own layer and the layers below it, never from a layer above; within a layer and within a
package any import is allowed as long as no loop forms. Every import counts, those inside functions
and under ``TYPE_CHECKING`` too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "riskgrade"

LAYERS = [
    ("errors", "_version"),  # the exception tree; the version
    ("model",),  # what experts write (pydantic), score methods declared
    ("source",),  # pack YAML with line:col marks
    ("table",),  # typed columns, raw chunks, cell conversion, ids seen
    ("expr",),  # parse, check, interpret, lower to numpy
    ("compiler",),  # named stages -> Program; pack files -> Programs
    ("resolve",),  # a registry's headers and values -> the packs' fields and codes; the column report
    ("scoring",),  # score methods per engine, interval arithmetic
    ("backends",),  # batch, reference, durable
    ("results", "explain"),  # the grades contract; explanations of one grade
    ("io",),  # entity files -> raw chunks; results -> files; graded files -> the contract
    ("grading",),  # options, the Grader, runs over a source
    ("plan", "diff", "lint", "packtest", "events", "scale", "advise"),  # consumers of grades and packs
    ("api",),  # the public functions
    ("cli", "serve"),  # thin shells over the API
    ("__init__",),  # the package's face
]
LEVEL = {name: i for i, names in enumerate(LAYERS) for name in names}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(("riskgrade",) + parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The riskgrade modules ``name`` imports (a package when a name is not a module of its own)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "riskgrade")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "riskgrade":
                continue
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
            found.update(subs or [target])
            if len(subs) < len(node.names):
                found.add(target)
    return {m for m in found if m in MODULES and m != name}


def _layer(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_has_a_layer():
    assert sorted({_layer(m) for m in MODULES} - set(LEVEL)) == []


def test_imports_run_one_way():
    against = [f"{module} -> {m}" for module in sorted(MODULES) for m in sorted(GRAPH[module])
               if LEVEL[_layer(m)] > LEVEL[_layer(module)]]
    assert against == [], "imports against the flow (move the shared piece down)"


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_walk_sees_imports_inside_functions_and_type_checking(tmp_path):
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..api import grade\n"
              "def f():\n    from ..io import write\n")
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert _imports("riskgrade.plan.probe", path) == {"riskgrade.api", "riskgrade.io.write"}


def test_import_riskgrade_loads_no_optional_heavy_library():
    code = ("import sys, riskgrade; print(','.join(sorted(m for m in ('openpyxl', 'pandas', 'dask', "
            "'distributed') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
