"""Build the core model aside, in ``staging``, and publish it into ``core`` in one step.

The build reads the landed files into ``src`` (see ``sources``) and then the extra indicator
sources (EES and local files, ``assets/sources``) into ``src.extra_*``, then runs the dbt models
of ``assets/dbt/models/staging`` and ``models/core`` as dbt compiles them (``models``), each
after the models it reads; each writes ``staging.<model>``. The rejected cells (file, row,
column, value, problem, severity) are listed by one ``stg_*_problem`` model per source of
problems and gathered in ``source_problem``. Nothing in ``core`` changes until ``publish``
copies every table of ``models/core`` in a single transaction, so a failed or killed build
leaves the last good core model readable and unchanged. The build runs in stages (``STAGES``)
and the publish in two steps (``copy_into_core``, ``finish_publish``), so that
``checked_build`` can check each stage's tables while the next one runs.

``src`` and ``staging`` are in-memory databases attached to the warehouse connection under
those names: the build's working tables are never written to the warehouse file (only
``publish`` writes it), and nothing of a failed or killed build is left in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from assets.core.models import CoreModel, core_models, published_tables, seed_table_sql, upstream_of, value_rules_sql
from base.settings import ReleaseFiles
from base.warehouse import table_exists

if TYPE_CHECKING:
    from assets.raw.landing import LandedRelease
    from assets.sources.config import ExtraSource

AREA_SUCCESSION_SEED = "stg_area_succession"  # assets/dbt/seeds/staging/stg_area_succession.csv
BUILD_AREAS = ("src", "staging")  # the in-memory databases a build works in

# The core models run in three stages, each building what its checked tables need that an earlier
# stage did not (the last stage builds every model left); the tables a stage writes are final when
# it ends, so ``checked_build`` checks them while the next stage runs.
STAGES = {
    "dimensions": {"dim_area", "dim_indicator", "indicator_topic", "dim_stat_neighbour", "inspection"},
    "facts": {"fact_indicator_value"},
    "value_problems": {"source_problem"},
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
    build every core model in schema ``staging``.

    Returns row counts by table.
    """
    counts = stage_sources(con, release_dir, files, extra_sources, inspections, self_evaluations)
    for stage in STAGES:
        run_stage(con, stage)
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
    empty ``core.self_evaluation``) into ``src``; create the value rules the models call.

    Returns row counts of the loaded files.
    """
    # Imported here: the readers need Polars, which loading the Dagster definitions does not.
    from assets.core.sources import load_release
    from assets.inspections.load import load_inspections
    from assets.self_evaluations.load import load_self_evaluations
    from assets.sources.load import load_extra_sources

    open_build_area(con)
    counts = load_release(con, release_dir, files)
    load_area_succession(con)
    con.execute(value_rules_sql())
    return (counts | load_extra_sources(con, extra_sources) | load_inspections(con, inspections)
            | load_self_evaluations(con, self_evaluations))


def load_area_succession(con: duckdb.DuckDBPyConnection) -> None:
    """``src.area_succession``: the abolished councils and their successors (the seed
    ``stg_area_succession``), which the council list of the extra sources reads before the build
    (``assets/sql/sources/council_list.sql``)."""
    con.execute(f"CREATE OR REPLACE TABLE src.area_succession AS {seed_table_sql(AREA_SUCCESSION_SEED)}")


def run_stage(con: duckdb.DuckDBPyConnection, stage: str) -> set[str]:
    """Build the core models of one of ``STAGES`` as tables of ``staging``, each after those it reads.

    Returns the tables to publish it built (whose checks can run now)."""
    models = stage_models(stage)
    for model in models:
        con.execute(f'CREATE OR REPLACE TABLE staging."{model.name}" AS {model.sql}')
    return {model.name for model in models if model.layer == "core"}


def stage_models(stage: str) -> list[CoreModel]:
    """The models one of ``STAGES`` builds, in build order."""
    stages = list(STAGES)
    earlier = set().union(*(upstream_of(STAGES[s]) for s in stages[: stages.index(stage)]))
    wanted = upstream_of(STAGES[stage]) if stage != stages[-1] else {m.name for m in core_models()}
    return [model for model in core_models() if model.name in wanted - earlier]


def staged_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every staging table that is published."""
    return {
        f"staging.{table}": con.execute(f"SELECT count(*) FROM staging.{table}").fetchall()[0][0]
        for table in published_tables()
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
    """Rejected cells of the staging build, with the real file name in place of its role (also where a
    problem names another file by its role in angle brackets, e.g. ``<dictionary>``)."""
    names = files.as_dict()
    rows = con.execute(
        """
        SELECT file, source_row, column_name, value, problem FROM staging.source_problem
        WHERE severity = ? ORDER BY file, source_row NULLS LAST, column_name
        """,
        [severity],
    ).fetchall()
    return [
        {"file": names.get(f, f), "row": r, "column": c, "value": v, "problem": named_files(p, names)}
        for f, r, c, v, p in rows
    ]


def named_files(problem: str, names: dict[str, str]) -> str:
    for role, name in names.items():
        problem = problem.replace(f"<{role}>", name)
    return problem


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
        for table in published_tables():
            con.execute(f"CREATE OR REPLACE TABLE core.{table} AS FROM staging.{table}")
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
