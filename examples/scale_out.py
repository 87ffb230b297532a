"""Grading past one machine: the same pure partition function on Dask, Spark and Ray.

``riskgrade.scale.grade_arrow(packs, as_of, batch)`` takes an Arrow batch and returns the long-form
grades as an Arrow table. Each engine below maps it over its partitions; compile the packs once on
the driver (a ``Program`` pickles) and ship them with the function.

    python examples/scale_out.py dask     # runs here: pip install 'riskgrade[dask]'
    python examples/scale_out.py spark    # needs pyspark >= 3.3 (mapInArrow)
    python examples/scale_out.py ray      # needs ray[data]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import riskgrade
from riskgrade.scale import grade_arrow

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 11, 1)
PACKS = riskgrade.load_packs(HERE.parent / "rules", pack="fire_safety")
INPUT = str(HERE / "venues.csv")


def on_dask() -> None:
    import dask

    from riskgrade.scale.dask import grade_dask, read_dask

    graded, rejects = grade_dask(read_dask(INPUT, blocksize="16KB"), PACKS, as_of=AS_OF)
    graded, rejects = dask.compute(graded, rejects)
    print(f"dask: {len(graded)} graded, {rejects['row'].count()} reject reasons")


def on_spark() -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    frame = spark.read.csv(INPUT, header=True, encoding="UTF-8")  # every column as text
    schema = riskgrade.grading.Grader(PACKS, riskgrade.GradeOptions(as_of=AS_OF, keep=())).schema

    def grade_batches(batches):  # runs on the executors
        for batch in batches:
            yield from grade_arrow(PACKS, AS_OF, batch).select(schema.names).to_batches()

    from pyspark.sql.pandas.types import from_arrow_schema

    graded = frame.mapInArrow(grade_batches, from_arrow_schema(schema))
    print(f"spark: {graded.count()} graded")


def on_ray() -> None:
    import ray

    ds = ray.data.read_csv(INPUT)
    graded = ds.map_batches(lambda batch: grade_arrow(PACKS, AS_OF, batch), batch_format="pyarrow")
    print(f"ray: {graded.count()} graded")


if __name__ == "__main__":
    {"dask": on_dask, "spark": on_spark, "ray": on_ray}[sys.argv[1] if len(sys.argv) > 1 else "dask"]()
