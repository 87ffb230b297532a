"""The shipped example registries grade to the committed outputs, byte for byte (JSON Lines, CSV and
the rejects), from the UTF-8 and the GB18030 copy alike (the latter checked on JSON Lines). After an intended change of the output,
run ``python tests/golden/regenerate.py`` and commit what it writes."""

from __future__ import annotations

import pytest
from regenerate import REGISTRIES, ROOT, golden, outputs


def _first_difference(got: bytes, want: bytes) -> str:
    for number, (a, b) in enumerate(zip(got.splitlines(), want.splitlines()), 1):
        if a != b:
            return f"line {number}:\n got: {a[:300]!r}\nwant: {b[:300]!r}"
    return f"lengths differ: got {len(got)} bytes, want {len(want)}"


@pytest.mark.parametrize("registry", REGISTRIES)
def test_example_registry_grades_to_the_golden_outputs(registry, tmp_path):
    for name, data in outputs(tmp_path, registry).items():
        want = golden(name)
        assert data == want, f"{name} differs from tests/golden/outputs/{name}.gz: {_first_difference(data, want)}"


@pytest.mark.parametrize("registry", REGISTRIES)
def test_gb18030_copy_grades_to_the_same_outputs(registry, tmp_path):
    source = ROOT / "examples" / f"{registry}_gb18030.csv"
    for name, data in outputs(tmp_path, registry, source, ("jsonl",)).items():
        assert data == golden(name), f"{name} from the GB18030 copy differs from the UTF-8 copy's"
