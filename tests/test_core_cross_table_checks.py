"""The core's checks across tables (singular dbt tests in assets/dbt/tests/), run as the core step runs
them: on a staged core of four councils built by hand, each fails on the one fault planted for it,
with a message naming the table, what the check asks and how many rows break it, and passes on the
core without it.
"""

from __future__ import annotations

import duckdb
import pytest

from assets.core.checks import dbt_test_outcome
from assets.core.models import core_tests

pytestmark = pytest.mark.fast

CROSS_TABLE = {  # check -> (core table it is shown on, blocks the publish)
    "fact_rows_join_known_indicator_and_area": ("fact_indicator_value", True),
    "ten_neighbours_per_current_council": ("dim_stat_neighbour", True),
    "current_council_count_is_plausible": ("dim_area", True),
    "percentages_within_0_100": ("fact_indicator_value", False),
}


def staged_core(councils: int = 150) -> duckdb.DuckDBPyConnection:
    """A sound staged core: ``councils`` current councils (codes 301...), each with the next 10 councils
    (wrapping round) as its neighbours, one percentage indicator and one count, a value of each per
    council (50% and 1000)."""
    con = duckdb.connect()
    con.execute("ATTACH ':memory:' AS staging")
    con.execute(f"""
        CREATE TABLE staging.dim_area AS
        SELECT 300 + i AS area_code, 'Council ' || i AS area_name, 'la' AS area_kind, true AS is_current
        FROM range(1, {councils} + 1) AS t(i)""")
    con.execute(f"""
        CREATE TABLE staging.dim_stat_neighbour AS
        SELECT 300 + i AS area_code, 300 + (i + r - 1) % {councils} + 1 AS neighbour_code, r AS neighbour_rank
        FROM range(1, {councils} + 1) AS a(i), range(1, 11) AS n(r)""")
    con.execute("CREATE TABLE staging.dim_indicator AS SELECT * FROM (VALUES ('Pct', true), ('Count', false))"
                " AS t(indicator_code, is_percentage)")
    con.execute("""
        CREATE TABLE staging.fact_indicator_value AS
        SELECT indicator_code, area_code, '2024/25' AS period_label,
               CASE WHEN is_percentage THEN 50.0 ELSE 1000.0 END AS value
        FROM staging.dim_indicator, staging.dim_area""")
    return con


def outcomes(con: duckdb.DuckDBPyConnection) -> dict:
    return {test.name: dbt_test_outcome(con, test) for test in core_tests() if test.name in CROSS_TABLE}


def test_each_cross_table_check_is_a_core_dbt_test_on_its_table():
    tests = {test.name: (test.table, test.blocking) for test in core_tests() if test.name in CROSS_TABLE}
    assert tests == CROSS_TABLE


def test_every_cross_table_check_passes_on_a_sound_core():
    assert {name: o.result.passed for name, o in outcomes(staged_core()).items()} == dict.fromkeys(CROSS_TABLE, True)


def test_a_fact_of_an_unknown_indicator_or_area_fails_the_join_check():
    con = staged_core()
    con.execute("INSERT INTO staging.fact_indicator_value VALUES ('Gone', 301, '2024/25', 1.0), ('Count', 999, '2024/25', 2.0)")
    outcome = outcomes(con)["fact_rows_join_known_indicator_and_area"]
    assert not outcome.result.passed and outcome.failed_blocking
    assert outcome.message == ("core.fact_indicator_value: Every fact row's indicator is in dim_indicator and its area "
                               "in dim_area. (fact_rows_join_known_indicator_and_area) failed: 2 row(s)")
    assert "unknown indicator" in outcome.result.metadata["sample"].value
    assert "unknown area" in outcome.result.metadata["sample"].value


def test_nine_neighbours_or_a_neighbour_not_a_council_fails_the_neighbour_check():
    con = staged_core()
    con.execute("DELETE FROM staging.dim_stat_neighbour WHERE area_code = 301 AND neighbour_rank = 10")
    con.execute("INSERT INTO staging.dim_area VALUES (9, 'A region', 'region', false)")
    con.execute("UPDATE staging.dim_stat_neighbour SET neighbour_code = 9 WHERE area_code = 302 AND neighbour_rank = 1")
    outcome = outcomes(con)["ten_neighbours_per_current_council"]
    assert outcome.failed_blocking
    # council 301 has 9 neighbours; council 302's first neighbour is a region
    assert outcome.message.endswith("(ten_neighbours_per_current_council) failed: 2 row(s)")
    assert outcome.message.startswith("core.dim_stat_neighbour: Every current council has exactly 10")


def test_fewer_than_140_current_councils_fails_the_count_check():
    con = staged_core(councils=139)
    outcome = outcomes(con)["current_council_count_is_plausible"]
    assert outcome.failed_blocking
    assert outcome.message == ("core.dim_area: At least 140 current councils (England has 153; fewer means the "
                               "council list lost rows). (current_council_count_is_plausible) failed: 1 row(s)")
    assert "139" in outcome.result.metadata["sample"].value
    assert outcomes(staged_core(councils=140))["current_council_count_is_plausible"].result.passed


def test_a_percentage_above_100_is_a_warning_that_does_not_block():
    con = staged_core()
    con.execute("UPDATE staging.fact_indicator_value SET value = 120 WHERE indicator_code = 'Pct' AND area_code = 301")
    con.execute("UPDATE staging.fact_indicator_value SET value = -1 WHERE indicator_code = 'Pct' AND area_code = 302")
    con.execute("UPDATE staging.fact_indicator_value SET value = 5000 WHERE indicator_code = 'Count'")  # not a percentage
    outcome = outcomes(con)["percentages_within_0_100"]
    assert not outcome.result.passed and not outcome.failed_blocking
    assert outcome.result.severity.value == "WARN"
    assert outcome.message.endswith("(percentages_within_0_100) failed: 2 row(s)")


def test_a_check_failing_on_many_rows_counts_them_all_and_shows_a_sample():
    """Every one of the 150 councils' percentages out of range: the message counts 150 (as a
    count of the planted rows says), the sample shows the first 20 and says how many more."""
    con = staged_core()
    con.execute("UPDATE staging.fact_indicator_value SET value = 101 WHERE indicator_code = 'Pct'")
    planted = con.execute("SELECT count(*) FROM staging.fact_indicator_value WHERE value = 101").fetchone()[0]
    outcome = outcomes(con)["percentages_within_0_100"]
    assert outcome.message.endswith(f"(percentages_within_0_100) failed: {planted} row(s)")
    assert outcome.result.metadata["failing_rows"].value == planted == 150
    sample = outcome.result.metadata["sample"].value
    assert sample.count("\n| ") == 20  # 20 rows after the header line and its "|---|" separator
    assert sample.endswith(f"… {planted - 20} more rows")
