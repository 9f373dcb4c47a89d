"""marts.release_changes on two hand-made releases: periods matched by meaning (a relabel and a
status change are their own kinds, not a dropped and a new period) and a value given to more
decimals apart from a real revision. Every expected row is worked out by hand below; the same
rule on the two real releases is checked in test_new_release.py."""

from __future__ import annotations

import subprocess

import duckdb
import pytest

from assets.dbt_project import DBT_EXECUTABLE, PROJECT_DIR, dbt_env
from pipeline.status import print_change_counts

pytestmark = pytest.mark.fast

# (indicator, area, label, start year, end year, kind, status, order, value) of each release
BEFORE = [
    ("A", 1, "2018 (Revised)", 2018, 2018, "calendar", "revised", 20184, 24.6),
    ("A", 1, "2024 (prov)", 2024, 2024, "calendar", "provisional", 20241, 12.0),
    ("A", 1, "2019", 2019, 2019, "calendar", "final", 20192, 47.0),
    ("A", 2, "2019", 2019, 2019, "calendar", "final", 20192, 16.100000000000001),  # a float artefact: 16.1
    ("A", 3, "2019", 2019, 2019, "calendar", "final", 20192, 13.7),
    ("A", 1, "2016", 2016, 2016, "calendar", "final", 20162, 5.0),
    ("B", 1, "2019", 2019, 2019, "calendar", "final", 20192, 0.2),  # B has 2 dps: 0.20
]
AFTER = [
    ("A", 1, "2018 (Rev)", 2018, 2018, "calendar", "revised", 20184, 24.62),
    ("A", 1, "2024", 2024, 2024, "calendar", "final", 20242, 10.0),
    ("A", 1, "2019", 2019, 2019, "calendar", "final", 20192, 47.1),
    ("A", 2, "2019", 2019, 2019, "calendar", "final", 20192, 16.11),
    ("A", 3, "2019", 2019, 2019, "calendar", "final", 20192, 13.76),
    ("A", 1, "2025", 2025, 2025, "calendar", "final", 20252, 6.0),
    ("B", 1, "2019", 2019, 2019, "calendar", "final", 20192, 0.21),
    ("C", 1, "2025", 2025, 2025, "calendar", "final", 20252, 1.0),
]

# (change, indicator, area, label now, label before): by hand.
EXPECTED = {
    ("relabelled_period", "A", None, "2018 (Rev)", "2018 (Revised)"),  # same year and status
    ("period_status_changed", "A", None, "2024", "2024 (prov)"),  # provisional -> final
    ("dropped_period", "A", None, "2016", None),
    ("new_period", "A", None, "2025", None),
    ("new_indicator", "C", None, None, None),
    # 24.62 is 24.6 to one decimal: more precise, across the relabel
    ("precision_changed", "A", 1, "2018 (Rev)", "2018 (Revised)"),
    ("revised_value", "A", 1, "2024", "2024 (prov)"),  # 12 -> 10
    ("revised_value", "A", 1, "2019", "2019"),  # 47 may be 47.0 (trailing zeros dropped): a revision
    ("precision_changed", "A", 2, "2019", "2019"),  # 16.1 (artefact) -> 16.11
    ("revised_value", "A", 3, "2019", "2019"),  # 13.76 is 13.8 to one decimal, not 13.7
    ("revised_value", "B", 1, "2019", "2019"),  # 0.20 -> 0.21 at B's 2 dps
}


def facts(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    con.execute(f"""CREATE TABLE {table} (indicator_code VARCHAR, area_code INTEGER, period_label VARCHAR,
        period_start_year INTEGER, period_end_year INTEGER, period_kind VARCHAR, period_status VARCHAR,
        period_order INTEGER, value DOUBLE, value_status VARCHAR DEFAULT 'ok', raw_value VARCHAR)""")
    con.executemany(f"INSERT INTO {table} (indicator_code, area_code, period_label, period_start_year, "
                    "period_end_year, period_kind, period_status, period_order, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows)


@pytest.fixture(scope="module")
def release_changes_sql(tmp_path_factory) -> str:
    """The dbt model marts.release_changes as dbt compiles it, reading an in-memory database."""
    target = tmp_path_factory.mktemp("dbt")
    subprocess.run([DBT_EXECUTABLE, "compile", "--quiet", "--select", "release_changes", "--project-dir", str(PROJECT_DIR),
                    "--target-path", str(target)], env=dbt_env(), check=True, capture_output=True)
    sql = next(target.rglob("compiled/**/release_changes.sql")).read_text()
    return sql.replace('"warehouse".', '"memory".')


@pytest.fixture
def con(release_changes_sql):
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA core; CREATE SCHEMA marts")
        facts(con, "core.fact_indicator_value", AFTER)
        facts(con, "core.previous_fact_indicator_value", BEFORE)
        con.execute("""
            CREATE TABLE core.release_history AS SELECT * FROM (VALUES ('old', TIMESTAMPTZ '2025-07-22'),
                ('new', TIMESTAMPTZ '2026-04-01')) t(release_id, published_at);
            CREATE TABLE core.previous_release AS SELECT 'old' AS release_id;
            CREATE TABLE core.dim_indicator AS SELECT * FROM (VALUES ('A', 'Indicator A', NULL::INTEGER),
                ('B', 'Indicator B', 2), ('C', 'Indicator C', 1)) t(indicator_code, indicator_name, dps);
            CREATE TABLE marts.indicator_name AS SELECT indicator_code, indicator_name FROM core.dim_indicator;
            CREATE TABLE core.dim_area AS SELECT * FROM (VALUES (1, 'One'), (2, 'Two'), (3, 'Three')) t(area_code, area_name);
            CREATE TABLE marts.signal_history (release_id VARCHAR, signal VARCHAR, indicator_code VARCHAR,
                area_code INTEGER, latest_period VARCHAR, sentence VARCHAR);
            CREATE TABLE marts.series_signal (indicator_code VARCHAR, area_code INTEGER, signal VARCHAR, reason VARCHAR);
        """)
        con.execute(f"CREATE TABLE marts.release_changes AS {release_changes_sql}")
        yield con


def test_periods_matched_by_meaning_and_precision_apart_from_revisions(con):
    assert set(con.execute("SELECT change, indicator_code, area_code, period_label, previous_period_label "
                           "FROM marts.release_changes").fetchall()) == EXPECTED


def test_status_counts_each_kind(con, capsys):
    print_change_counts(con)
    counts = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()[1:]}
    assert counts == {"new_indicator": "1", "dropped_indicator": "0", "new_period": "1", "dropped_period": "1",
                      "relabelled_period": "1", "period_status_changed": "1", "revised_value": "4",
                      "precision_changed": "2", "concern_raised": "0", "concern_cleared": "0",
                      "strength_raised": "0", "strength_cleared": "0"}
