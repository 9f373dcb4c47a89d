"""The early-warning score of every council as of any date (``peerdata early-warning --as-of``).

The same rules as ``marts.early_warning`` and the backtest, on a read-only connection: the signal
(``signal_rule.sql``) and score (``score_rule.sql``) of every current council from the figures
published by the date only (the publication-lag rule of ``marts.series_position``), ranked and
banded by ``score_rank.sql``. The release carries revised values, so a past date's score uses
today's revision of the figures published by then (docs/methods.md, "Publication lag").
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from assets.marts.build import MACROS, sql_text

RULE_FILES = ("signal_headline.sql", "signal_rule.sql", "score_rule.sql", "score_rank.sql")


def scores_as_of(con: duckdb.DuckDBPyConnection, as_of: date) -> pl.DataFrame:
    """One row per current council, most warning first: rank, score, band, concerns as of ``as_of``."""
    con.execute(sql_text(MACROS))
    con.execute(sql_text("signal_as_of_date.sql"), {"as_of_date": as_of})
    for file_name in RULE_FILES:
        con.execute(sql_text(file_name))
    return pl.from_arrow(con.sql(sql_text("score_as_of_date.sql")).to_arrow_table())
