"""Run the marts' SQL files against the warehouse, one transaction per mart.

Every mart is written by one or more files of ``assets/sql/marts``; the formatting macros of
``00_macros.sql`` are created first on the connection. All statements of a mart run inside a
single transaction, so a reader sees either the previous table or the new one, never a half.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "marts"
MACROS = "00_macros.sql"


def sql_text(file_name: str) -> str:
    return (SQL_DIR / file_name).read_text()


def write_mart(con: duckdb.DuckDBPyConnection, *sql_files: str) -> None:
    """Run ``sql_files`` in order in one transaction (schema ``marts`` created if missing)."""
    con.execute(sql_text(MACROS))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS marts")
        for file_name in sql_files:
            con.execute(sql_text(file_name))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
