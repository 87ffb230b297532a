"""The benchmark data: packs and their generators, generated files, the all-packs file, chunks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import riskgrade
from riskgrade.compiler import Program
from riskgrade.io.read import open_entities
from riskgrade.table.chunks import RawChunk

from .common import BENCH, CHUNK, SEED

# pack id -> its generator; a generator not listed here is matched by "rules/<pack>.yaml" in its docstring
GENERATORS = {"fire_safety": "generate_venues.py", "hazardous_chemicals": "generate_chemicals.py",
              "road_transport": "generate_vehicles.py", "nine_small_venues": "generate_small_venues.py"}
IDENTITY = ("entity_id", "name", "city", "county", "station", "grid")


def find_generator(pack_id: str) -> Path | None:
    """The generator of a pack's entities: by the table above, else by the pack file its docstring names."""
    named = BENCH / GENERATORS.get(pack_id, f"generate_{pack_id}.py")
    if named.exists():
        return named
    for path in sorted(BENCH.glob("generate_*.py")):
        if f"rules/{pack_id}.yaml" in path.read_text(encoding="utf-8")[:2000]:
            return path
    return None


def discover(rules_dir: Path) -> tuple[list[tuple[Program, Path, Path]], list[dict[str, str]]]:
    """(pack, generator, pack file) of the packs to measure, and the packs skipped with the reason."""
    measured, skipped = [], []
    for path in riskgrade.api.pack_files(rules_dir):
        try:
            program = riskgrade.load_pack(path)
        except riskgrade.PackError as exc:
            skipped.append({"pack": path.stem, "reason": f"does not compile ({len(exc.diagnostics)} problems)"})
            continue
        gen = find_generator(program.pack_id)
        if gen is None:
            skipped.append({"pack": program.pack_id, "reason": "no data generator in benchmarks/"})
        else:
            measured.append((program, gen, path))
    return measured, skipped


def generate(gen: Path, n: int, out: Path) -> None:
    """Run a generator (``--n N --seed S --out FILE``); a failure is reported with its stderr."""
    proc = subprocess.run([sys.executable, str(gen), "--n", str(n), "--seed", str(SEED), "--out", str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{gen.name} failed: {proc.stderr.strip()[-500:]}")


def exact_batches(path: Path, columns: list[str], size: int) -> Iterator[pa.Table]:
    """The file's rows as tables of exactly ``size`` rows (the last may be shorter)."""
    pending: list[pa.Table] = []
    have = 0
    for rb in pq.ParquetFile(path).iter_batches(batch_size=size, columns=columns):
        pending.append(pa.Table.from_batches([rb]))
        have += rb.num_rows
        while have >= size:
            whole = pa.concat_tables(pending)
            yield whole.slice(0, size)
            pending, have = [whole.slice(size)], have - size
    if have:
        yield pa.concat_tables(pending)


def combine(files: dict[str, Path], programs: list[Program], out: Path) -> list[str]:
    """One file in which every row carries every pack's fields, so that every pack grades every row.

    Identity columns come from the first pack's data. A field declared by two packs is taken from
    the first pack's data; the returned notes name such fields."""
    notes, taken, plan = [], set(), []
    for p in programs:
        names = set(pq.read_schema(files[p.pack_id]).names)
        cols = [c for c in (IDENTITY if not plan else ()) if c in names]
        for f in p.fields:
            if f.name in taken:
                notes.append(f"field '{f.name}' of {p.pack_id} is shared: taken from the first pack's data")
            elif f.name in names:
                cols.append(f.name)
        taken.update(cols)
        plan.append((files[p.pack_id], cols))
    streams = [exact_batches(path, cols, CHUNK) for path, cols in plan]
    writer = None
    try:
        for parts in zip(*streams):
            table = pa.table({name: t.column(name) for t in parts for name in t.column_names})
            if writer is None:
                writer = pq.ParquetWriter(out, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return notes


def write_csv(parquet: Path, out: Path) -> None:
    with pacsv.CSVWriter(out, pq.read_schema(parquet)) as writer:
        for rb in pq.ParquetFile(parquet).iter_batches(batch_size=CHUNK):
            writer.write_batch(rb)


def chunks_of(path: Path, n: int) -> Iterator[RawChunk]:
    """The file's first ``n`` rows as raw chunks, as the CLI reads them."""
    left = n
    for chunk in open_entities(path, chunk_rows=CHUNK):
        if left <= 0:
            return
        if chunk.table.num_rows > left:
            chunk = RawChunk(chunk.table.slice(0, left), chunk.row_numbers[:left])
        left -= chunk.table.num_rows
        yield chunk


def write_prefix(path: Path, n: int, out: Path) -> None:
    """The first ``n`` rows of a Parquet file, as another Parquet file."""
    writer = None
    left = n
    try:
        for table in exact_batches(path, pq.read_schema(path).names, CHUNK):
            if left <= 0:
                break
            table = table.slice(0, left)
            left -= table.num_rows
            writer = writer or pq.ParquetWriter(out, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()

