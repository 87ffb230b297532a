"""The columnar layer between reading and grading: typed columns with explicit missingness, raw
chunks as readers yield them, cell → typed value conversion, and the ids a run has seen."""

from .chunks import RawChunk, SourceReject
from .columns import EPOCH, Codes, Column, ListColumn, Table, Tri, day_number, from_day_number, take_column

__all__ = ["EPOCH", "Codes", "Column", "ListColumn", "RawChunk", "SourceReject", "Table", "Tri", "day_number",
           "from_day_number", "take_column"]
