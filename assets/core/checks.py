"""The checks a staged core model must pass before it is published.

Three kinds, all reported as Dagster asset checks on the core tables:
- ``source_rows_valid``: no cell of the landed files was rejected (unknown symbol, unknown
  council code, duplicate row, ...); each rejected cell is named by file, row and column.
- a Great Expectations suite per table (``expectations/core_<table>.json``).
- the dbt tests of the core models (their YAML's ``data_tests``: ``models.core_tests``), run on
  the staged tables like the others, each a check named as dbt names it: a column's generic tests
  and the singular tests across core tables (``assets/dbt/tests/``, e.g. every fact row's indicator
  and area known), blocking unless the test's severity is ``warn``.
- ``inspections_file_current`` (a warning): Ofsted's inspections file is not more than six
  months older than the LAIT release (``inspection_coverage``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import dagster as dg
import duckdb

from assets.core.inspection_coverage import STALE_AFTER_MONTHS, inspection_coverage
from assets.core.build import describe_problems, source_problems
from assets.core.models import CoreTest, core_tests
from assets.metadata import markdown_table
from assets.validation.gx_suites import validate_frame
from base.settings import ReleaseFiles

CORE_KEY_PREFIX = "core"
GX_SUITE_CHECK = "great_expectations_suite"
SOURCE_ROWS_CHECK = "source_rows_valid"
SOURCE_ROWS_TABLE = "fact_indicator_value"  # the rejected cells are reported on the facts
SOURCE_ROWS_READS = "source_problem"  # ... and read from the staged rejected cells
INSPECTIONS_CURRENT_CHECK = "inspections_file_current"
# a failing dbt test shows this many of its rows (all of them are counted)
FAILING_SAMPLE = 20

# core table -> GX suite that validates it
GX_SUITES = {
    "dim_area": "core_dim_area",
    "dim_indicator": "core_dim_indicator",
    "indicator_topic": "core_indicator_topic",
    "dim_stat_neighbour": "core_dim_stat_neighbour",
    "fact_indicator_value": "core_fact_indicator_value",
    "inspection": "core_inspection",
}


@dataclass(frozen=True)
class CheckOutcome:
    """One evaluated check: the Dagster result plus what a failure message needs."""

    result: dg.AssetCheckResult
    blocking: bool
    message: str

    @property
    def failed_blocking(self) -> bool:
        return self.blocking and not self.result.passed


def check_specs() -> list[dg.AssetCheckSpec]:
    """Every check the core model declares, for the multi-asset's ``check_specs``."""
    specs = [
        dg.AssetCheckSpec(SOURCE_ROWS_CHECK, asset=[CORE_KEY_PREFIX, SOURCE_ROWS_TABLE], blocking=True,
                          description="No cell of the landed files was rejected (named by file, row, column)."),
    ]
    specs += [
        dg.AssetCheckSpec(GX_SUITE_CHECK, asset=[CORE_KEY_PREFIX, table], blocking=True,
                          description=f"Great Expectations suite expectations/{suite}.json passes.")
        for table, suite in GX_SUITES.items()
    ]
    specs += [
        dg.AssetCheckSpec(test.name, asset=[CORE_KEY_PREFIX, test.table], blocking=test.blocking,
                          description=test.description)
        for test in core_tests()
    ]
    specs.append(dg.AssetCheckSpec(
        INSPECTIONS_CURRENT_CHECK, asset=[CORE_KEY_PREFIX, "inspection"], blocking=False,
        description=f"Ofsted's inspections file is at most {STALE_AFTER_MONTHS} months older than the LAIT release "
                    "(a warning: the pages say how far it reaches)."))
    return specs


def run_checks(
    con: duckdb.DuckDBPyConnection, files: ReleaseFiles, tables: Collection[str] | None = None
) -> list[CheckOutcome]:
    """Evaluate the core checks against the staged tables in schema ``staging``: every check, or
    when ``tables`` is given those that check these staged tables (the rejected-cell check
    checks ``source_problem``)."""
    def wanted(table: str) -> bool:
        return tables is None or table in tables

    outcomes = [_source_rows(con, files)] if wanted(SOURCE_ROWS_READS) else []
    outcomes += [_gx(con, t, s) for t, s in GX_SUITES.items() if wanted(t)]
    outcomes += [inspections_current(con)] if wanted("inspection") else []
    return outcomes + [dbt_test_outcome(con, test) for test in core_tests() if wanted(test.table)]


def _source_rows(con: duckdb.DuckDBPyConnection, files: ReleaseFiles) -> CheckOutcome:
    errors = source_problems(con, files, "error")
    warnings = source_problems(con, files, "warning")
    quarantined = con.execute("SELECT count(*) FROM staging.period_quarantine").fetchall()[0][0]
    columns = ["file", "row", "column", "value", "problem"]
    message = describe_problems(errors)
    return CheckOutcome(
        dg.AssetCheckResult(
            check_name=SOURCE_ROWS_CHECK,
            asset_key=[CORE_KEY_PREFIX, SOURCE_ROWS_TABLE],
            passed=not errors,
            severity=dg.AssetCheckSeverity.ERROR,
            description=message or None,
            metadata={
                "rejected_cells": len(errors),
                "warnings": len(warnings),
                "quarantined_rows": quarantined,
                "rejected": dg.MetadataValue.md(markdown_table(columns, [tuple(p.values()) for p in errors], 50)),
                "warning_list": dg.MetadataValue.md(
                    markdown_table(columns, [tuple(p.values()) for p in warnings], 50)
                ),
            },
        ),
        blocking=True,
        message=message,
    )


def _gx(con: duckdb.DuckDBPyConnection, table: str, suite: str) -> CheckOutcome:
    frame = con.sql(f"SELECT * FROM staging.{table}").to_arrow_table()
    report = validate_frame(suite, frame, source_label=f"core.{table}")
    message = "" if report.success else report.failure_message()
    return CheckOutcome(
        dg.AssetCheckResult(
            check_name=GX_SUITE_CHECK,
            asset_key=[CORE_KEY_PREFIX, table],
            passed=report.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=message or None,
            metadata=report.to_metadata(),
        ),
        blocking=True,
        message=message,
    )


def inspections_current(con: duckdb.DuckDBPyConnection) -> CheckOutcome:
    """A warning when Ofsted's staged inspections file is over six months older than the release."""
    coverage = inspection_coverage(con, "staging")
    warning = coverage.warning() if coverage else None
    message = f"core.inspection: {coverage.sentence()}. {warning}" if warning else ""
    return CheckOutcome(
        dg.AssetCheckResult(
            check_name=INSPECTIONS_CURRENT_CHECK, asset_key=[CORE_KEY_PREFIX, "inspection"], passed=not warning,
            severity=dg.AssetCheckSeverity.WARN, description=message or None,
            metadata={"coverage": coverage.sentence() if coverage else "no inspections loaded",
                      "months_behind_release": coverage.months_behind if coverage and coverage.months_behind is not None
                      else -1}),
        blocking=False, message=message)


def dbt_test_outcome(con: duckdb.DuckDBPyConnection, test: CoreTest) -> CheckOutcome:
    """The outcome of a core model's dbt test on its staged table: passed when it selects no row;
    a failure names the table, what the test asks and how many rows break it, with a sample.

    Only the sample is fetched: the failing rows are counted by the database (a broken file can
    fail a test on every one of its rows).
    """
    cursor = con.execute(test.sql)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchmany(FAILING_SAMPLE + 1)
    failing = len(rows) if len(rows) <= FAILING_SAMPLE else con.execute(f"SELECT count(*) FROM ({test.sql})").fetchone()[0]
    message = f"core.{test.table}: {test.description} ({test.name}) failed: {failing} row(s)" if rows else ""
    return CheckOutcome(
        dg.AssetCheckResult(
            check_name=test.name, asset_key=[CORE_KEY_PREFIX, test.table], passed=not rows,
            severity=dg.AssetCheckSeverity.ERROR if test.blocking else dg.AssetCheckSeverity.WARN,
            description=message or None,
            metadata={"failing_rows": failing,
                      "sample": dg.MetadataValue.md(markdown_table(columns, rows, FAILING_SAMPLE, total=failing))},
        ),
        blocking=test.blocking,
        message=message,
    )
