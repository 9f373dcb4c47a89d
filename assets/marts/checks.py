"""Asset checks on the marts, from the named queries of ``assets/sql/marts/checks.sql``.

Each query returns the offending rows; the check fails when there is any, and its metadata
shows how many and the first few. All are blocking: a mart that fails them must not feed
the marts and profiles downstream.
"""

from __future__ import annotations

import dagster as dg

from assets.checks_sql import named_queries
from assets.marts.assets import mart
from assets.metadata import markdown_table
from pipeline.resources import WarehouseResource

CHECKS_FILE = "marts/checks.sql"

# check name -> mart table it checks
MART_CHECKS = {
    "benchmark_bands_are_a_to_d": "benchmark",
    "benchmark_ranks_within_1_to_rank_n": "benchmark",
    "benchmark_sn_n_within_0_to_10": "benchmark",
    "trend_one_row_per_series_with_data": "trend",
    "decline_flags_have_evidence": "decline_flags",
    "improvement_flags_have_evidence": "improvement_flags",
    "release_changes_are_changes": "release_changes",
}


def evaluate(warehouse: WarehouseResource, name: str) -> dg.AssetCheckResult:
    """Run one named check query and turn its offending rows into a check result."""
    sql = named_queries(CHECKS_FILE)[name]
    with warehouse.connect(read_only=True) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return dg.AssetCheckResult(
        passed=not rows,
        metadata={
            "failing_rows": dg.MetadataValue.int(len(rows)),
            "sample": dg.MetadataValue.md(markdown_table(columns, rows, limit=10)),
        },
    )


def mart_check(name: str, table: str) -> dg.AssetChecksDefinition:
    description = named_queries(CHECKS_FILE)[name].splitlines()[0]
    description = description[3:] if description.startswith("-- ") else name.replace("_", " ")

    @dg.asset_check(asset=mart(table), name=name, blocking=True, description=description)
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        return evaluate(warehouse, name)

    return check


MART_CHECK_DEFS = [mart_check(name, table) for name, table in MART_CHECKS.items()]
