"""Writers shared by the registry generators (generate_vehicles.py, generate_small_venues.py).

A generator yields chunks as ``(pyarrow.Table, {row: (column, bad value)})``; the writers here put
them into .csv (any encoding), .jsonl, .parquet or .xlsx, writing the deliberate bad values into the
rows named. List fields travel as JSON text in the table (one cell in CSV and xlsx, as a registry
export holds them) and as real JSON arrays in JSON Lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

XLSX_MAX_ROWS = 1_048_575
Hits = dict[int, tuple[str, object]]
Chunks = Iterable[tuple[pa.Table, Hits]]


def bad_positions(n: int, bad: float, seed: int) -> np.ndarray:
    """Sorted row positions that get a deliberate error: a fraction below 1, a count from 1 up."""
    k = min(n, int(round(bad * n)) if bad < 1 else int(bad))
    return np.sort(np.random.default_rng([seed, 7_777_777]).choice(n, k, replace=False)) if k else np.array([], int)


def text_column(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype(object), type=pa.string(), mask=missing)


def column(values: np.ndarray, missing: np.ndarray) -> pa.Array:
    """An Arrow column of the right type from numpy values (dates as date32) with empty cells."""
    if values.dtype.kind == "M":
        return pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=missing)
    if values.dtype.kind in "USO":
        return text_column(values, missing)
    return pa.array(values, mask=missing)


def spoil(table: pa.Table, hits: Hits, text_columns: Iterable[str]) -> pa.Table:
    """The table with the bad values written in. ``text_columns`` (every column that may receive text)
    become string columns, in every chunk, so that CSV and Parquet keep one type per column."""
    for col in text_columns:
        i = table.schema.get_field_index(col)
        if not pa.types.is_string(table.schema.field(col).type):
            table = table.set_column(i, col, pc.cast(table[col], pa.string()))
    by_col: dict[str, dict[int, object]] = {}
    for row, (col, value) in hits.items():
        by_col.setdefault(col, {})[row] = value
    for col, rows in by_col.items():
        values = table[col].to_pylist()
        for row, value in rows.items():
            values[row] = value
        i = table.schema.get_field_index(col)
        table = table.set_column(i, col, pa.array(values, type=table.schema.field(col).type))
    return table


def csv_bytes(table: pa.Table) -> bytes:
    """CSV text without quotes where no value needs them (as most registry exports look)."""
    import pyarrow.csv as pacsv

    for style in ("none", "needed"):
        buf = pa.BufferOutputStream()
        try:
            pacsv.write_csv(table, buf, pacsv.WriteOptions(include_header=False, quoting_style=style))
        except pa.ArrowInvalid:
            continue
        return buf.getvalue().to_pybytes()
    raise AssertionError("unreachable: quoting 'needed' always succeeds")


class Writer:
    """Writes the chunks of one registry; ``columns`` in order, ``lists`` are JSON-text columns."""

    def __init__(self, columns: list[str], lists: Iterable[str] = (), text_columns: Iterable[str] = ()):
        self.columns = columns
        self.lists = set(lists)
        self.text_columns = list(text_columns)

    def write(self, path: Path, chunks: Chunks, encoding: str = "utf-8") -> None:
        kind = path.suffix.lower()
        writers: dict[str, Callable[[Path, Chunks, str], None]] = {
            ".csv": self.csv, ".jsonl": self.jsonl, ".parquet": self.parquet, ".xlsx": self.xlsx}
        writers[kind](path, chunks, encoding)

    def csv(self, path: Path, chunks: Chunks, encoding: str) -> None:
        utf8 = encoding.lower().replace("-", "").replace("_", "") == "utf8"
        with open(path, "wb") as out:
            out.write((",".join(self.columns) + "\n").encode(encoding))
            for table, hits in chunks:
                data = csv_bytes(spoil(table, hits, self.text_columns) if hits else table)
                out.write(data if utf8 else data.decode("utf-8").encode(encoding))

    def _rows(self, table: pa.Table, hits: Hits) -> Iterator[dict]:
        for i, row in enumerate(table.to_pylist()):
            for name in self.lists:
                if row.get(name) is not None:
                    row[name] = json.loads(row[name])
            if i in hits:
                col, value = hits[i]
                row[col] = value
            yield row

    def jsonl(self, path: Path, chunks: Chunks, encoding: str) -> None:
        with open(path, "w", encoding=encoding, newline="\n") as out:
            for table, hits in chunks:
                out.writelines(json.dumps(r, ensure_ascii=False, default=_iso) + "\n" for r in self._rows(table, hits))

    def parquet(self, path: Path, chunks: Chunks, encoding: str) -> None:
        import pyarrow.parquet as pq

        writer = None
        try:
            for table, hits in chunks:
                table = spoil(table, hits, self.text_columns)  # one schema for every chunk
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema, compression="zstd")
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()

    def xlsx(self, path: Path, chunks: Chunks, encoding: str) -> None:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(path.stem[:31])
        ws.append(self.columns)
        for table, hits in chunks:
            for i, row in enumerate(table.to_pylist()):  # list columns stay JSON text in a cell
                if i in hits:
                    row[hits[i][0]] = hits[i][1]
                ws.append([row[c] for c in self.columns])
        wb.save(path)


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def parse_args(doc: str, default_ref: dt.date, argv: list[str] | None) -> argparse.Namespace:
    """The command line every generator shares: --n --seed --out --bad-rows --missing --encoding."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of rows (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output file: .csv, .jsonl, .parquet or .xlsx")
    ap.add_argument("--bad-rows", type=float, default=0.0,
                    help="rows with a deliberate error: a fraction below 1, a count from 1 up (default 0)")
    ap.add_argument("--missing", type=float, default=0.04, help="share of empty optional cells (default 0.04)")
    ap.add_argument("--encoding", default="utf-8", help="text encoding for .csv/.jsonl, e.g. gb18030")
    ap.add_argument("--ref-date", type=dt.date.fromisoformat, default=default_ref,
                    help="date the registry was extracted (dates are drawn around it)")
    args = ap.parse_args(argv)
    args.out = Path(args.out)
    if args.out.suffix.lower() not in (".csv", ".jsonl", ".parquet", ".xlsx"):
        ap.error(f"unknown output format '{args.out.suffix}': use .csv, .jsonl, .parquet or .xlsx")
    if args.n < 0 or not 0 <= args.missing < 1 or args.bad_rows < 0:
        ap.error("--n, --missing and --bad-rows must not be negative (and --missing below 1)")
    if args.out.suffix.lower() == ".xlsx" and args.n > XLSX_MAX_ROWS:
        ap.error(f"xlsx holds at most {XLSX_MAX_ROWS} rows: write .csv or .parquet instead")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    return args
