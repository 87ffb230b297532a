"""The example registries graded with every shipped pack: the committed outputs the golden test holds
the code to, byte for byte.

    python tests/golden/regenerate.py     # rewrite tests/golden/outputs/ after an intended change

Each example registry (``examples/<name>.csv``) is graded with every pack of ``rules/`` at a fixed
date into JSON Lines and CSV (``riskgrade.grade_file``, what ``riskgrade grade`` calls), with its
rejected rows as JSON Lines. The outputs are stored
gzip-compressed (no timestamp in the header, so a regeneration of the same bytes changes nothing).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = Path(__file__).resolve().parent / "outputs"
AS_OF = dt.date(2026, 11, 1)
REGISTRIES = ("venues", "chemicals", "small_venues", "vehicles", "outlets")
FORMATS = ("jsonl", "csv")


@functools.cache
def packs() -> list[Any]:
    import riskgrade

    return riskgrade.load_packs(ROOT / "rules")


def outputs(workdir: Path, registry: str, source: Path | None = None,
            formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """The files grading one registry writes, by golden name."""
    import riskgrade

    source = source or ROOT / "examples" / f"{registry}.csv"
    out: dict[str, bytes] = {}
    for fmt in formats:
        target = workdir / f"{registry}.{fmt}"
        rejects = workdir / f"{registry}.rejects.jsonl"
        riskgrade.grade_file(source, packs(), target, as_of=AS_OF, rejects_path=rejects)
        out[target.name] = target.read_bytes()
        out[rejects.name] = rejects.read_bytes()
    return out


def golden(name: str) -> bytes:
    return gzip.decompress((OUTPUTS / f"{name}.gz").read_bytes())


def main() -> int:
    import tempfile

    OUTPUTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for registry in REGISTRIES:
            for name, data in outputs(Path(tmp), registry).items():
                (OUTPUTS / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
                print(f"wrote {OUTPUTS.relative_to(ROOT) / name}.gz ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
