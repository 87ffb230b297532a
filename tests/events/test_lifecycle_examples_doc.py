"""Every proposed lifecycle section in rules/lifecycle_examples.md compiles against its pack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import riskgrade

RULES = Path(__file__).parent.parent.parent / "rules"
DOC = (RULES / "lifecycle_examples.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^## (\w+)\n.*?```yaml\n(.*?)```", DOC, flags=re.S | re.M)


def test_every_shipped_pack_has_a_proposal():
    assert sorted(name for name, _ in BLOCKS) == sorted(p.stem for p in RULES.glob("*.yaml")
                                                        if not p.stem.endswith("_test"))


@pytest.mark.parametrize("name,block", BLOCKS, ids=[n for n, _ in BLOCKS])
def test_proposal_compiles_with_its_pack(name, block):
    text = (RULES / f"{name}.yaml").read_text(encoding="utf-8-sig")
    program = riskgrade.loads_pack(text.rstrip() + "\n" + block, f"{name}.yaml")
    assert program.lifecycle is not None and program.lifecycle.overdue_alert
