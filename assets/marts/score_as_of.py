"""The early-warning score of every council as of any date (``peerdata early-warning --as-of``).

The first iteration's score, by the same rules as the backtest, on a read-only connection: the dbt
analysis ``assets/dbt/analyses/early_warning_as_of.sql`` calls the macro ``early_warning_as_of``,
which runs the signal rule, the score and the ranks (``assets/dbt/macros/``) on every current
council from the figures published by the date only (the publication-lag rule of
``marts.series_position``). It is compiled with the manifest (``assets/marts/dbt.py``), the date a
query parameter. The release carries revised values, so a past date's score uses today's revision
of the figures published by then (docs/methods.md, "Publication lag").
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from assets.dbt_project import compiled_analysis


def scores_as_of(con: duckdb.DuckDBPyConnection, as_of: date) -> pl.DataFrame:
    """One row per current council, most warning first: rank, score, band, concerns as of ``as_of``."""
    cursor = con.cursor()  # a connection of its own: the caller's may hold an unfinished result
    try:
        [(catalog,)] = cursor.execute("SELECT current_database()").fetchall()
        sql = compiled_analysis("early_warning_as_of", catalog)
        return pl.from_arrow(cursor.sql(sql, params={"as_of_date": as_of}).to_arrow_table())
    finally:
        cursor.close()
