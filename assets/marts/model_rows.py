"""The rows a dbt Python model worked out in Python, as the DuckDB relation the model returns.

The models (``assets/dbt/models/*/*.py``) used to return Arrow tables, but
``pyarrow.Table.from_pylist`` imports pandas: about 0.4 s of CPU inside the marts step, holding
the GIL that dbt's other threads need. A temporary table of the model's own DuckDB session,
filled by one ``INSERT``, takes milliseconds; its columns and DuckDB types are declared once,
in the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb


def rows_relation(session: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, str],
                  rows: Sequence[Sequence]) -> duckdb.DuckDBPyRelation:
    """``rows`` (tuples in the order of ``columns``: name -> DuckDB type) as a relation of ``session``."""
    table = f"{name}_rows"
    session.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    if rows:  # one statement: executemany runs one per row
        row = f"({', '.join('?' * len(columns))})"
        session.execute(f"INSERT INTO {table} VALUES {', '.join([row] * len(rows))}", [v for r in rows for v in r])
    return session.table(table)
