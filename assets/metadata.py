"""Materialization metadata shared by every asset: row counts and small markdown previews."""

from __future__ import annotations

import dagster as dg
import duckdb


def markdown_table(columns: list[str], rows: list[tuple], limit: int = 20, total: int | None = None) -> str:
    """A markdown table of at most ``limit`` rows; ``|`` and newlines in cells are escaped.

    ``total``: how many rows there are when ``rows`` is a sample of them (default: ``len(rows)``).
    """

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return text.replace("|", "\\|").replace("\n", " ")[:120]

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows[:limit]]
    total = len(rows) if total is None else total
    if total > min(limit, len(rows)):
        lines.append(f"\n… {total - min(limit, len(rows))} more rows")
    return "\n".join(lines)


def column_schema(con: duckdb.DuckDBPyConnection, table: str, descriptions: dict[str, str]) -> dg.TableSchema:
    """The columns of ``table`` with their DuckDB types and ``descriptions``, in the table's order."""
    schema, name = table.split(".")
    columns = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
        "ORDER BY column_index", [schema, name]).fetchall()
    return dg.TableSchema(columns=[
        dg.TableColumn(column, data_type, description=descriptions.get(column)) for column, data_type in columns])


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, preview_rows: int = 5,
                   descriptions: dict[str, str] | None = None) -> dict:
    """Row count and a preview of the first rows of ``table``; with ``descriptions``, its column
    schema (``dagster/column_schema``, shown as the asset's columns in the UI)."""
    cursor = con.execute(f"SELECT * FROM {table} LIMIT {preview_rows}")
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    row_count = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    metadata = {
        "dagster/row_count": dg.MetadataValue.int(row_count),
        "table": dg.MetadataValue.text(table),
        "preview": dg.MetadataValue.md(markdown_table(columns, rows)),
    }
    if descriptions is not None:
        metadata["dagster/column_schema"] = column_schema(con, table, descriptions)
    return metadata


RELEASE_TAG = "peerdata/release_id"


def tag_run_with_release(context: dg.OpExecutionContext, release_id: str | None) -> None:
    """Tag the run with the release it landed, built or paged, so the UI's run list and filters
    show it (a tag can only be added once the release is known: the landing finds it)."""
    if release_id:
        context.instance.add_run_tags(context.run_id, {RELEASE_TAG: release_id})
