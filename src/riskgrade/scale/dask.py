"""Map the partition function over a Dask DataFrame (``pip install riskgrade[dask]``)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, Mapping, Sequence

import pyarrow as pa

from ..compiler import Program
from ..errors import EngineError, OptionError
from ..grading import Counts, GradeOptions, Grader
from ..grading.run import KEEP_REJECTS, for_people, rejects_wording, result_writer
from ..io.outputs import check_outputs
from ..io.write import ResultWriter, rejects_for_file
from ..results.rejects import REJECTS_SCHEMA, RowReject, from_table
from .partition import grade_arrow_with_rejects


def _dask() -> Any:
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover - depends on the installation
        raise EngineError("the Dask engine needs the extra: pip install 'riskgrade[dask]'") from None
    return dask, dd


def read_dask(path: str, *, blocksize: str = "64MB", encoding: str | None = None) -> Any:
    """A Dask DataFrame of raw entity rows: Parquet as stored, CSV with every column as text."""
    _, dd = _dask()
    if str(path).endswith((".parquet", ".pq")):
        return dd.read_parquet(path)
    return dd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], blocksize=blocksize,
                       encoding=encoding or "utf-8-sig")


def _dask_options(options: GradeOptions | None, settings: Mapping[str, Any]) -> GradeOptions:
    options = GradeOptions.of(options, **settings)
    unsupported = [name for name in ("explain", "sheet") if getattr(options, name)]
    if unsupported:
        raise OptionError(f"the Dask engine does not support {', '.join(unsupported)}; grade with the batch engine")
    return options


def grade_dask(ddf: Any, packs: Sequence[Program], options: GradeOptions | None = None,
               **settings: Any) -> tuple[Any, Any]:
    """Lazily grade every partition: (graded long form, rejected rows), both Dask DataFrames.

    Options as for ``riskgrade.grade_table`` (a ``GradeOptions`` and/or its fields as keywords).
    Rejected rows carry ``source = "partition N"`` and their row number within that partition.
    Compute both in one ``dask.compute`` call so that each partition is graded once.
    """
    dask, dd = _dask()
    options = _dask_options(options, settings)
    grader = Grader(list(packs), options)  # the options checked against the packs before any task runs
    graded, rejected = [], []
    for i, part in enumerate(ddf.to_delayed()):
        pair = dask.delayed(_grade_part, nout=2)(list(packs), options, part, i)
        graded.append(pair[0])
        rejected.append(pair[1])
    meta_graded = _pandas(Grader(list(packs), GradeOptions.of(options, keep=None)).schema.empty_table())
    meta_rejects = _pandas(REJECTS_SCHEMA.empty_table())
    return (dd.from_delayed(graded, meta=_with_kept(meta_graded, ddf, options, grader)),
            dd.from_delayed(rejected, meta=meta_rejects))


def _with_kept(meta: Any, ddf: Any, options: GradeOptions, grader: Grader) -> Any:
    present = grader.resolver.plan([str(c) for c in ddf.columns]).targets
    kept = list(dict.fromkeys([c for c in options.keep_if_present if c in present] + list(options.keep or ())))
    for i, name in enumerate(kept, 1):
        meta.insert(i, name, meta["entity_id"].copy())
    return meta


def _grade_part(packs: list[Program], options: GradeOptions, frame: Any, index: int) -> tuple[Any, Any]:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    graded, rejects = grade_arrow_with_rejects(packs, options, table, None, 1, f"partition {index}")
    return _pandas(graded), _pandas(rejects)


def _pandas(table: pa.Table) -> Any:
    """Arrow-backed pandas columns, so a partition's dtypes never depend on its nulls."""
    import pandas as pd

    return table.to_pandas(types_mapper=pd.ArrowDtype)


def grade_file_dask(source: str, packs: Sequence[Program], output: str, options: GradeOptions | None = None, *,
                    scheduler: str | None = None, rejects_path: str | None = None, blocksize: str = "64MB",
                    **settings: Any) -> tuple[Counts, list[RowReject]]:
    """Grade a CSV or Parquet file on a Dask cluster (``scheduler`` address, or a local cluster) into
    ``output``; partitions are written in order, atomically, like the local engine's output, and the
    rejected rows streamed into ``rejects_path`` as the local engine writes them (the first
    ``KEEP_REJECTS`` are returned). The outputs are checked before any task runs: neither may be the
    input, nor the other output. Options: as for ``grade_dask``."""
    options = _dask_options(options, settings)
    check_outputs({"the output": output, "the rejects file": rejects_path}, [source])
    dask, _ = _dask()
    from distributed import Client, LocalCluster

    cluster = None if scheduler else LocalCluster(processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        ddf = read_dask(source, blocksize=blocksize, encoding=options.encoding)
        graded, rejected = grade_dask(ddf, packs, options)
        counts, kept = Counts(), []
        wording = rejects_wording(options.lang, packs)
        with ExitStack() as stack:
            writer = stack.enter_context(result_writer(output, options.lang, options.output_encoding,
                                                       options.escape_formulas))
            rejects_writer = (stack.enter_context(ResultWriter(rejects_path, encoding=options.output_encoding,
                                                               escape_formulas=options.escape_formulas))
                              if rejects_path is not None else None)
            wrote_rejects = False
            g_parts, r_parts = graded.to_delayed(), rejected.to_delayed()
            for g_part, r_part in zip(g_parts, r_parts):
                g_frame, r_frame = dask.compute(g_part, r_part)
                table = pa.Table.from_pandas(g_frame, preserve_index=False)
                writer.write(*for_people(writer, options.lang, packs, table, None))
                part_rejects = from_table(pa.Table.from_pandas(r_frame, preserve_index=False))
                if rejects_writer is not None:
                    rejects_writer.write(rejects_for_file(part_rejects, rejects_writer.format, wording))
                kept += part_rejects[: max(0, KEEP_REJECTS - len(kept))]
                wrote_rejects = wrote_rejects or bool(part_rejects)
                n_rejected = len({(r.source, r.row) for r in part_rejects})
                counts.graded += table.num_rows // max(1, len(packs))
                counts.rejected += n_rejected
            if rejects_writer is not None and not wrote_rejects:  # a file with its header, saying "none"
                rejects_writer.write(rejects_for_file([], rejects_writer.format, wording))
        counts.rows_in = counts.graded + counts.rejected
        return counts, kept
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
