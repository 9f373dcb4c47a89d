"""The dbt seeds (assets/dbt/seeds/<layer>/<table>.csv, lists of fixed values), loaded as the core step
loads them (assets/core/models.py seed_sql: the CSV read with the YAML's column types): the values and
types read back, every test of their YAML passes on them and fails on a broken copy, and a CSV whose
columns do not match the declared types is refused naming the file.
"""

from __future__ import annotations

import duckdb
import pytest

from assets.core.models import _manifest, build_area_sql, core_models, seed_sql

pytestmark = pytest.mark.fast


def seeds() -> dict[str, str]:
    return {model.name: model.sql for model in core_models() if model.sql.startswith("SELECT * FROM read_csv")}


def seed_tests() -> dict[str, str]:
    """Every dbt test of a seed: name -> its compiled SQL, reading the build area."""
    return {node["name"]: build_area_sql(node["compiled_code"]) for node in _manifest()["nodes"].values()
            if node["resource_type"] == "test" and (node.get("attached_node") or "").startswith("seed.")}


@pytest.fixture
def staging() -> duckdb.DuckDBPyConnection:
    """The seeds as tables of the build area's ``staging``, as the core step's stages write them."""
    con = duckdb.connect()
    con.execute("ATTACH ':memory:' AS staging")
    for name, sql in seeds().items():
        con.execute(f'CREATE TABLE staging."{name}" AS {sql}')
    return con


def test_the_fixed_lists_are_the_four_seeds():
    assert {model.name: model.layer for model in core_models() if model.name in seeds()} == {
        "value_status": "core", "stg_region_spelling": "staging", "stg_ees_time_identifier": "staging",
        "stg_area_succession": "staging"}


def test_the_seeds_read_back_with_their_declared_types_and_nulls(staging):
    def rows(sql: str) -> list[tuple]:
        return staging.execute(sql).fetchall()

    # an empty cell is a null, not an empty string: 'ok' has no symbol; '..' and '-' are symbols
    assert rows("SELECT value_status, symbol FROM staging.value_status WHERE symbol IS NULL OR symbol IN ('-', '..')"
                " ORDER BY 1") == [("not_available", "-"), ("not_recorded", ".."), ("ok", None)]
    assert rows("SELECT count(*), count(DISTINCT symbol) FROM staging.value_status") == [(9, 8)]
    assert rows("SELECT region_name, london_subregion FROM staging.stg_region_spelling"
                " WHERE spelling_key IN ('london (inner)', 'north east') ORDER BY 1") == [
        ("London", "Inner London"), ("North East", None)]
    # Cumbria (909) became Cumberland (942) and Westmorland and Furness (943) in 2023
    assert rows("SELECT successor_code, year_of_change FROM staging.stg_area_succession WHERE predecessor_code = 909"
                " ORDER BY 1") == [(942, 2023), (943, 2023)]
    assert rows("SELECT digits FROM staging.stg_ees_time_identifier WHERE identifier_key = 'academic year'") == [(6,)]
    types = dict(rows("SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
                      " WHERE table_catalog = 'staging' AND column_name IN ('successor_code', 'digits', 'symbol')"))
    assert types == {"stg_area_succession.successor_code": "INTEGER", "stg_ees_time_identifier.digits": "INTEGER",
                     "value_status.symbol": "VARCHAR"}


def test_every_seed_test_passes_on_its_csv(staging):
    tests = seed_tests()
    assert len(tests) >= 10  # not_null, unique, accepted_values and one key across columns
    assert {name: staging.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0] for name, sql in tests.items()} \
        == dict.fromkeys(tests, 0)


def test_a_seed_test_fails_on_a_broken_list(staging):
    staging.execute("INSERT INTO staging.stg_region_spelling VALUES ('north east', 'Northumbria', NULL)")
    staging.execute("INSERT INTO staging.stg_area_succession VALUES (909, 942, 2024)")
    failing = {name for name, sql in seed_tests().items()
               if staging.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]}
    assert failing == {
        "unique_stg_region_spelling_spelling_key",
        "accepted_values_stg_region_spelling_region_name__North_East__North_West__Yorkshire_and_The_Humber__East_Midlands__West_Midlands__East_of_England__London__South_East__South_West",
        "unique_combination_of_columns_stg_area_succession_predecessor_code__successor_code",
    }


def test_a_csv_whose_columns_are_not_the_declared_types_is_refused(tmp_path):
    csv = tmp_path / "list.csv"
    csv.write_text("code,name,year\n1,a,2020\n")
    node = {"original_file_path": str(csv), "config": {"column_types": {"code": "integer", "name": "varchar"}}}
    with pytest.raises(ValueError, match=r"list\.csv: the columns \['code', 'name', 'year'\] must each have a type"):
        seed_sql(node)
