"""Asset checks on the marts, from the named queries of ``assets/sql/marts/checks.sql``.

Each query returns the offending rows; the check fails when there is any, and its metadata
shows how many and the first few. All are blocking: a mart that fails them must not feed
the marts and profiles downstream. They run in the ``marts`` multi-asset (``assets.py``), right
after the mart they check, or on their own in the weekly checks.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from assets.checks_sql import named_queries
from assets.marts.keys import mart
from assets.metadata import markdown_table

CHECKS_FILE = "marts/checks.sql"

# check name -> mart table it checks
MART_CHECKS = {
    "benchmark_bands_are_a_to_d": "benchmark",
    "benchmark_ranks_within_1_to_rank_n": "benchmark",
    "benchmark_sn_n_within_0_to_10": "benchmark",
    "trend_one_row_per_series_with_data": "trend",
    "release_changes_are_changes": "release_changes",
    "benchmark_small_councils_never_ranked": "benchmark",
    "headline_indicator_covers_every_service_area": "headline_indicator",
    "series_signal_one_row_per_series_with_a_known_signal": "series_signal",
    "series_signal_small_councils_never_flagged": "series_signal",
    "concerns_ranked_from_1_with_a_sentence": "concerns",
    "backtest_inspection_scored_as_of_the_start": "backtest_inspection",
    "backtest_summary_figures_in_range": "backtest_summary",
    "backtest_roc_points_in_the_unit_square": "backtest_roc",
    "backtest_flag_shares_in_range": "backtest_flag",
    "backtest_persistence_figures_in_range": "backtest_persistence",
    "early_warning_one_row_per_council": "early_warning",
    "lines_of_enquiry_are_tied_to_evidence": "lines_of_enquiry",
    "service_area_evidence_eight_rows_per_council": "service_area_evidence",
    "self_evaluation_check_one_row_per_view_with_a_sentence": "self_evaluation_check",
    "learn_from_never_the_council_itself_and_at_most_three": "learn_from",
}


def checks_of(table: str) -> list[str]:
    """The names of the checks on ``marts.<table>``."""
    return [name for name, checked in MART_CHECKS.items() if checked == table]


def description(name: str) -> str:
    """The first comment line of the check's query, or its name in words."""
    first = named_queries(CHECKS_FILE)[name].splitlines()[0]
    return first[3:] if first.startswith("-- ") else name.replace("_", " ")


def checked_asset(name: str) -> dg.AssetKey:
    """The key of the mart a check checks."""
    return mart(MART_CHECKS[name])


def mart_check_specs() -> list[dg.AssetCheckSpec]:
    """Every mart check, for the ``marts`` multi-asset's ``check_specs``."""
    return [
        dg.AssetCheckSpec(name, asset=checked_asset(name), blocking=True, description=description(name))
        for name in MART_CHECKS
    ]


def evaluate(con: duckdb.DuckDBPyConnection, name: str) -> dg.AssetCheckResult:
    """Run one named check query and turn its offending rows into a check result."""
    cursor = con.execute(named_queries(CHECKS_FILE)[name])
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    return dg.AssetCheckResult(
        asset_key=checked_asset(name),
        check_name=name,
        passed=not rows,
        metadata={
            "failing_rows": dg.MetadataValue.int(len(rows)),
            "sample": dg.MetadataValue.md(markdown_table(columns, rows, limit=10)),
        },
    )
