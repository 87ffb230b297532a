"""Grades as the output contract: Arrow tables, records, result objects."""
