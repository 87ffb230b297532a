"""The parts of ``benchmarks/run.py``: data, measurements, the peer comparison, the report."""
