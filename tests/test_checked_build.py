"""The core build that checks each stage while the next one runs (assets/core/checked_build.py).

Compared with the plain order (build everything, then check, then publish) on the real current
release: the same core tables, and every declared core check evaluated exactly once with the same
result. A check that fails or raises in the worker leaves the published core model as it was.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.core import checked_build
from assets.core.build import STAGES, build_staging, publish, stage_models
from assets.core.checks import check_specs, run_checks
from assets.core.models import core_models, published_tables
from assets.dbt_project import PROJECT_DIR
from base.settings import ReleaseFiles

LAIT = Path(__file__).resolve().parents[2] / "shared" / "lait"

pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")


def check_key(outcome) -> tuple[str, str]:
    return outcome.result.asset_key.to_user_string(), outcome.result.check_name


def core_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every published core table, and a hash of the facts' rows."""
    counts = {t: con.execute(f"SELECT count(*) FROM core.{t}").fetchall()[0][0] for t in published_tables()}
    counts["fact hash"] = con.execute(
        "SELECT sum(hash(indicator_code, area_code, period_label, value, value_status, period_order)) "
        "FROM core.fact_indicator_value"
    ).fetchall()[0][0]
    return counts


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[dict, dict]:
    """The plain order, in a warehouse of its own: core rows and each check's result."""
    con = duckdb.connect(str(tmp_path_factory.mktemp("plain") / "w.duckdb"))
    build_staging(con, LAIT / "current", ReleaseFiles())
    outcomes = run_checks(con, ReleaseFiles())
    publish(con, "current")
    yield core_rows(con), {check_key(o): o.result.passed for o in outcomes}
    con.close()


def test_every_core_model_is_built_once_after_the_models_its_sql_refs():
    """The stages build each model of models/staging and models/core (and each seed of seeds/staging and
    seeds/core) once, after every model its SQL file names in ref() (read from the file, not from the
    manifest), and each stage's checked tables."""
    built: list[str] = []
    for stage, checked in STAGES.items():
        for model in stage_models(stage):
            sql_files = list((PROJECT_DIR / "models").glob(f"*/{model.name}.sql"))
            if not sql_files:  # a seed: a CSV, reading no model
                assert list((PROJECT_DIR / "seeds").glob(f"*/{model.name}.csv")), model.name
            sql = sql_files[0].read_text() if sql_files else ""
            refs = set(re.findall(r"ref\('(\w+)'\)", sql))
            if model.name == "source_problem":  # its refs are a Jinja list of the problem models
                refs = set(re.findall(r"'(stg_\w+_problem)'", sql))
            assert refs <= set(built), (model.name, refs - set(built))
            built.append(model.name)
        assert checked <= set(built), stage
    assert sorted(built) == sorted(m.name for m in core_models())
    assert {"stg_value_problem", "source_problem"} <= set(built[-8:])
    assert len(published_tables()) == 14


def test_same_tables_and_every_check_once_as_the_plain_order(plain, tmp_path):
    expected_rows, expected_checks = plain
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    build = checked_build.build_check_publish(con, LAIT / "current", "current", ReleaseFiles())
    assert build.published
    keys = [check_key(o) for o in build.outcomes]
    declared = {(spec.asset_key.to_user_string(), spec.name) for spec in check_specs()}
    assert sorted(keys) == sorted(declared)  # each declared check, once
    assert {check_key(o): o.result.passed for o in build.outcomes} == expected_checks
    assert core_rows(con) == expected_rows
    assert con.execute("SELECT release_id FROM core.release_history").fetchall() == [("current",)]
    assert con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name IN ('src', 'staging')").fetchall() == [(0,)]


def test_a_failed_check_publishes_nothing(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert checked_build.build_check_publish(con, LAIT / "2025-07-22", "july", ReleaseFiles()).published
    before = core_rows(con)

    def fact_rows_fail(cursor, files, tables):
        """The real checks, with the facts' join check failing."""
        return [
            replace(o, result=dg.AssetCheckResult(check_name=o.result.check_name, asset_key=o.result.asset_key,
                                                  passed=False, severity=dg.AssetCheckSeverity.ERROR))
            if o.result.check_name == "fact_rows_join_known_indicator_and_area" else o
            for o in run_checks(cursor, files, tables)
        ]

    monkeypatch.setattr(checked_build, "run_checks", fact_rows_fail)
    build = checked_build.build_check_publish(con, LAIT / "current", "current", ReleaseFiles())
    assert not build.published
    failed = {check_key(o) for o in build.outcomes if o.failed_blocking}
    assert failed == {("core/fact_indicator_value", "fact_rows_join_known_indicator_and_area")}
    assert core_rows(con) == before
    assert con.execute("SELECT release_id FROM core.release_history").fetchall() == [("july",)]


def test_a_check_that_raises_publishes_nothing(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert checked_build.build_check_publish(con, LAIT / "2025-07-22", "july", ReleaseFiles()).published
    before = core_rows(con)

    def broken(cursor, files, tables):
        if "source_problem" in tables:
            raise RuntimeError("check crashed")
        return run_checks(cursor, files, tables)

    monkeypatch.setattr(checked_build, "run_checks", broken)
    with pytest.raises(RuntimeError, match="check crashed"):
        checked_build.build_check_publish(con, LAIT / "current", "current", ReleaseFiles())
    assert core_rows(con) == before
    assert con.execute("SELECT release_id FROM core.release_history").fetchall() == [("july",)]


def test_a_core_models_dbt_tests_fail_on_a_broken_staged_table():
    """dim_area's YAML tests, run as the core step runs them: a repeated code, a missing code and an
    unknown kind each fail their test; the kind that is never missing passes its not_null; two
    current councils are fewer than the 140 plausible."""
    from assets.core.checks import dbt_test_outcome
    from assets.core.models import core_tests

    con = duckdb.connect()
    con.execute("ATTACH ':memory:' AS staging")
    con.execute("CREATE TABLE staging.dim_area AS SELECT * FROM (VALUES (301, 'la', true), (301, 'la', true),"
                " (NULL, 'county', false)) AS t(area_code, area_kind, is_current)")
    passed = {test.name: dbt_test_outcome(con, test).result.passed for test in core_tests() if test.table == "dim_area"}
    assert passed == {
        "unique_dim_area_area_code": False,
        "not_null_dim_area_area_code": False,
        "accepted_values_dim_area_area_kind__la__region__london_subregion__england": False,
        "not_null_dim_area_area_kind": True,
        "current_council_count_is_plausible": False,
    }


def test_the_models_upstream_of_a_table_are_those_its_sql_files_ref_directly_or_not():
    """upstream_of against the refs read from the SQL files (a seed refs nothing), followed by hand."""
    from assets.core.models import upstream_of

    def refs(name: str) -> set[str]:
        files = list((PROJECT_DIR / "models").glob(f"*/{name}.sql"))
        sql = files[0].read_text() if files else ""
        return set(re.findall(r"ref\('(\w+)'\)", sql)) | set(re.findall(r"'(stg_\w+_problem)'", sql))

    for table in published_tables():
        expected, todo = set(), [table]
        while todo:
            name = todo.pop()
            if name not in expected:
                expected.add(name)
                todo += refs(name)
        assert upstream_of({table}) == expected, table
    assert {"stg_region_spelling", "stg_area_succession"} <= upstream_of({"dim_area"}) and \
        "fact_indicator_value" not in upstream_of({"dim_area"})
