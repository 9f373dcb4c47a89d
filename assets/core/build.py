"""Build the core model aside, in ``staging``, and publish it into ``core`` in one step.

The build reads the landed files into ``src`` (see ``sources``) and then the extra indicator
sources (EES and local files, ``assets/sources``) into ``src.extra_*``, then runs the SQL files of
``assets/sql/core`` in name order; each writes ``staging.<table>`` and appends any rejected
cell to ``staging.source_problem`` (file, row, column, value, problem, severity). Nothing in
``core`` changes until ``publish`` copies every staging table in a single transaction, so a
failed or killed build leaves the last good core model readable and unchanged. The build runs in
stages (``SQL_STAGES``) and the publish in two steps (``copy_into_core``, ``finish_publish``), so
that ``checked_build`` can check each stage's tables while the next one runs.

``src`` and ``staging`` are in-memory databases attached to the warehouse connection under
those names: the build's working tables are never written to the warehouse file (only
``publish`` writes it), and nothing of a failed or killed build is left in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from base.settings import ReleaseFiles
from base.warehouse import table_exists

if TYPE_CHECKING:
    from assets.raw.landing import LandedRelease
    from assets.sources.config import ExtraSource

SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "core"
AREA_SUCCESSION_SQL = SQL_DIR.parent / "reference" / "area_succession.sql"
BUILD_AREAS = ("src", "staging")  # the in-memory databases a build works in

# staging table -> published core table
PUBLISHED_TABLES = {
    "dim_area": "dim_area",
    "area_succession_published": "area_succession",
    "dim_indicator": "dim_indicator",
    "indicator_topic": "indicator_topic",
    "indicator_conflict": "indicator_conflict",
    "dim_stat_neighbour": "dim_stat_neighbour",
    "fact_indicator_value": "fact_indicator_value",
    "inspection": "inspection",
    "inspection_source": "inspection_source",
    "self_evaluation": "self_evaluation",
    "self_evaluation_source": "self_evaluation_source",
    "period_quarantine": "period_quarantine",
    "value_status": "value_status",
    "source_problem": "source_problem",
}


# The SQL files run in three stages, by the number their names start with; the tables a stage
# writes are final when it ends, so ``checked_build`` checks them while the next stage runs.
SQL_STAGES = {
    "dimensions": range(0, 50),  # reference tables, areas, indicators, topics, periods, neighbours
    "facts": range(50, 60),  # the value rows, the facts and the quarantine
    "value_problems": range(60, 100),  # the rejected cells of the value rows
}


def build_staging(
    con: duckdb.DuckDBPyConnection,
    release_dir: Path,
    files: ReleaseFiles,
    extra_sources: Sequence[ExtraSource] = (),
    inspections: LandedRelease | None = None,
    self_evaluations: LandedRelease | None = None,
) -> dict[str, int]:
    """Load a landed release, the extra sources, the landed inspections and self-evaluations, and
    build every core table in schema ``staging``.

    Returns row counts by table.
    """
    counts = stage_sources(con, release_dir, files, extra_sources, inspections, self_evaluations)
    for stage in SQL_STAGES:
        run_sql_stage(con, stage)
    return counts | staged_counts(con)


def stage_sources(
    con: duckdb.DuckDBPyConnection,
    release_dir: Path,
    files: ReleaseFiles,
    extra_sources: Sequence[ExtraSource] = (),
    inspections: LandedRelease | None = None,
    self_evaluations: LandedRelease | None = None,
) -> dict[str, int]:
    """Open the build area and load the release's files, the council succession list, the extra
    sources (local files name councils, matched knowing which were abolished), the landed
    inspections (none: an empty ``core.inspection``) and the landed self-evaluations (none: an
    empty ``core.self_evaluation``) into ``src``.

    Returns row counts of the loaded files.
    """
    # Imported here: the readers need Polars, which loading the Dagster definitions does not.
    from assets.core.sources import load_release
    from assets.inspections.load import load_inspections
    from assets.self_evaluations.load import load_self_evaluations
    from assets.sources.load import load_extra_sources

    open_build_area(con)
    counts = load_release(con, release_dir, files)
    con.execute(AREA_SUCCESSION_SQL.read_text())
    return (counts | load_extra_sources(con, extra_sources) | load_inspections(con, inspections)
            | load_self_evaluations(con, self_evaluations))


def run_sql_stage(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    """Run the SQL files of ``assets/sql/core`` in one of ``SQL_STAGES``, in name order."""
    for sql_file in sql_files(stage):
        con.execute(sql_file.read_text())


def sql_files(stage: str) -> list[Path]:
    """The SQL files of one of ``SQL_STAGES``, in name order; a file in no stage is an error."""
    by_file = {path: path.name.split("_", 1)[0] for path in sorted(SQL_DIR.glob("*.sql"))}
    unplaced = [p.name for p, n in by_file.items() if not (n.isdigit() and any(int(n) in r for r in SQL_STAGES.values()))]
    if unplaced:
        raise ValueError(f"{SQL_DIR}: {', '.join(unplaced)} must start with a stage number of SQL_STAGES (00-99)")
    return [path for path, number in by_file.items() if int(number) in SQL_STAGES[stage]]


def staged_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every staging table that is published."""
    return {
        f"staging.{table}": con.execute(f"SELECT count(*) FROM staging.{table}").fetchall()[0][0]
        for table in PUBLISHED_TABLES
    }


def open_build_area(con: duckdb.DuckDBPyConnection) -> None:
    """Attach empty in-memory databases ``src`` and ``staging`` to ``con`` for a build.

    A schema of the same name in the warehouse file (left there by a killed build of an
    earlier version, which built in the file) would make ``staging.<table>`` ambiguous, so it
    is dropped first.
    """
    warehouse = con.execute("SELECT current_database()").fetchall()[0][0]
    for name in BUILD_AREAS:
        con.execute(f"DETACH DATABASE IF EXISTS {name}")
        con.execute(f'DROP SCHEMA IF EXISTS "{warehouse}".{name} CASCADE')
        con.execute(f"ATTACH ':memory:' AS {name}")


def discard_build_area(con: duckdb.DuckDBPyConnection) -> None:
    """Detach (and so free) the build's in-memory ``src`` and ``staging``."""
    for name in BUILD_AREAS:
        con.execute(f"DETACH DATABASE IF EXISTS {name}")


def source_problems(con: duckdb.DuckDBPyConnection, files: ReleaseFiles, severity: str) -> list[dict]:
    """Rejected cells of the staging build, with the real file name in place of its role."""
    names = files.as_dict()
    rows = con.execute(
        """
        SELECT file, source_row, column_name, value, problem FROM staging.source_problem
        WHERE severity = ? ORDER BY file, source_row NULLS LAST, column_name
        """,
        [severity],
    ).fetchall()
    return [
        {"file": names.get(f, f), "row": r, "column": c, "value": v, "problem": p}
        for f, r, c, v, p in rows
    ]


def describe_problems(problems: list[dict], limit: int = 20) -> str:
    """Problems as lines a person can act on: file, row, column, value and what is wrong."""
    lines = [
        f"{p['file']}"
        + (f" row {p['row']}" if p["row"] is not None else "")
        + f", column {p['column']}"
        + (f" (value {p['value']!r})" if p["value"] is not None else "")
        + f": {p['problem']}"
        for p in problems[:limit]
    ]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more")
    return "\n".join(lines)


def published_release_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The release whose core model is in the warehouse now, or None before the first publish."""
    if not table_exists(con, "core.release_history"):
        return None
    rows = con.execute("SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1").fetchall()
    return rows[0][0] if rows else None


def published_inspections_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The inspections landing whose rows are in ``core.inspection``, or None (none published, or
    published with no inspections configured)."""
    if not table_exists(con, "core.inspection_source"):
        return None
    rows = con.execute("SELECT DISTINCT landing_id FROM core.inspection_source").fetchall()
    return rows[0][0] if rows else None


def keep_previous_facts(con: duckdb.DuckDBPyConnection, release_id: str) -> None:
    """Before a different release replaces the facts, keep them as ``core.previous_fact_indicator_value``.

    ``core.previous_release`` names that release (empty before a second release). Re-publishing
    the same release keeps the earlier comparison. A rename, not a copy: it costs nothing.
    """
    published = published_release_id(con)
    if published is not None and published != release_id:
        con.execute("DROP TABLE IF EXISTS core.previous_fact_indicator_value")
        con.execute("ALTER TABLE core.fact_indicator_value RENAME TO previous_fact_indicator_value")
        con.execute("CREATE OR REPLACE TABLE core.previous_release AS SELECT ?::VARCHAR AS release_id", [published])
    con.execute("CREATE TABLE IF NOT EXISTS core.previous_release (release_id VARCHAR)")
    con.execute(
        "CREATE TABLE IF NOT EXISTS core.previous_fact_indicator_value AS FROM staging.fact_indicator_value LIMIT 0"
    )


def copy_into_core(con: duckdb.DuckDBPyConnection, release_id: str) -> None:
    """Open a transaction on ``con`` that copies every staging table into ``core`` and records
    the release; the caller ends it with ``COMMIT`` (``finish_publish``) or ``ROLLBACK``."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS core")
        keep_previous_facts(con, release_id)
        for staging_table, core_table in PUBLISHED_TABLES.items():
            con.execute(f"CREATE OR REPLACE TABLE core.{core_table} AS FROM staging.{staging_table}")
        con.execute(
            """
            CREATE TABLE IF NOT EXISTS core.release_history (
                release_id VARCHAR, published_at TIMESTAMP WITH TIME ZONE, fact_rows BIGINT)
            """
        )
        # One row per release: re-publishing it (an extra source added or changed) updates its row.
        con.execute("DELETE FROM core.release_history WHERE release_id = ?", [release_id])
        con.execute(
            "INSERT INTO core.release_history SELECT ?, now(), count(*) FROM core.fact_indicator_value",
            [release_id],
        )
    except BaseException:
        con.execute("ROLLBACK")
        raise


def finish_publish(con: duckdb.DuckDBPyConnection, commit: bool) -> None:
    """End the transaction ``copy_into_core`` opened (commit it, or roll it back, leaving
    ``core`` as it was) and free the build area."""
    con.execute("COMMIT" if commit else "ROLLBACK")
    discard_build_area(con)


def publish(con: duckdb.DuckDBPyConnection, release_id: str) -> None:
    """Copy every staging table into ``core`` and record the release, in one transaction."""
    copy_into_core(con, release_id)
    finish_publish(con, commit=True)
