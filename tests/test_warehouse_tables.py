"""base.warehouse.table_exists and table_names on a hand-made connection: a schema of the warehouse,
a view, and the build's ``staging`` (an attached database, read as ``staging.<table>``)."""

from __future__ import annotations

import duckdb
import pytest

from base.warehouse import table_exists, table_names

pytestmark = pytest.mark.fast


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA core")
    connection.execute("CREATE TABLE core.release_history (release_id VARCHAR)")
    connection.execute("CREATE VIEW core.latest AS SELECT 1 AS one")
    connection.execute("ATTACH ':memory:' AS staging")
    connection.execute("CREATE TABLE staging.inspection (area_code INTEGER)")
    yield connection
    connection.close()


@pytest.mark.parametrize("qualified, exists", [
    ("core.release_history", True),
    ("core.latest", True),  # a view is read like a table
    ("staging.inspection", True),  # the attached database's main schema
    ("core.inspection", False),  # the same name in another schema
    ("staging.release_history", False),
    ("marts.benchmark", False),  # no such schema
])
def test_a_table_exists_where_a_query_would_find_it(con, qualified, exists):
    assert table_exists(con, qualified) is exists


def test_table_names_lists_every_schema_or_only_those_asked_for(con):
    assert table_names(con) == {"core.release_history", "core.latest", "main.inspection"}
    assert table_names(con, "core") == {"core.release_history", "core.latest"}
    assert table_names(con, "marts") == set()
