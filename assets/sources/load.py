"""Write the rows of every extra source into ``src.extra_value``, ``src.extra_indicator`` and
``src.extra_problem``; the tables are always created, empty when no source is listed.

Runs after the LAIT files are in ``src`` (``assets.core.sources.load_release``): local files
name councils, which are matched against the release's council list ``src.councils``, and may
name England and the regions as comparators.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl

from assets.sources.config import EesSource, ExtraSource, LocalSource
from assets.sources.ees import ees_rows
from assets.sources.local import local_rows
from assets.sources.rows import ExtraRows

SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "sources"
COUNCIL_LIST_SQL = SQL_DIR / "council_list.sql"
COMPARATOR_LIST_SQL = SQL_DIR / "comparator_list.sql"


def source_rows(source: ExtraSource, councils: pl.DataFrame, comparators: pl.DataFrame) -> ExtraRows:
    if isinstance(source, EesSource):
        return ees_rows(source)
    if isinstance(source, LocalSource):
        return local_rows(source, councils, comparators)
    raise TypeError(f"unknown source type {type(source).__name__}")


def load_extra_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[ExtraSource]) -> dict[str, int]:
    """Read every source and write the three ``src.extra_*`` tables; returns row counts."""
    councils = con.sql(COUNCIL_LIST_SQL.read_text()).pl() if sources else pl.DataFrame()
    comparators = con.sql(COMPARATOR_LIST_SQL.read_text()).pl() if sources else pl.DataFrame()
    rows = ExtraRows.combine([source_rows(s, councils, comparators) for s in sources])
    counts = {}
    for table, frame in [("extra_value", rows.values), ("extra_indicator", rows.indicators),
                         ("extra_problem", rows.problems)]:
        con.register("extra_frame", frame.to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE src.{table} AS FROM extra_frame")
        con.unregister("extra_frame")
        counts[f"src.{table}"] = frame.height
    return counts
