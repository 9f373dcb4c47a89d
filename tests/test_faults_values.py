"""End to end, on the real release: a value out of range is refused naming file, row and column
with the warehouse, the pages and the check results unchanged; a page build that fails after the
warehouse was published leaves the previous site whole and says truthfully that it lags."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from test_bad_input import release_with, rewrite_bds
from test_operations_helpers import pipeline_env, run_peerdata, tail

from base.site import SiteLagsWarehouse, site_release
from pipeline.export import build_profile
from assets.resources import WarehouseResource


def site_files(profiles: Path) -> dict[str, str]:
    """Every file a reader of the site sees, by path, with a digest of its bytes."""
    return {str(p.relative_to(profiles)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(profiles.rglob("*")) if p.is_file()}


def warehouse_rows(warehouse: Path) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('core', 'marts') ORDER BY 1").fetchall()]
        return {t: con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM {t} AS x").fetchall()[0]
                for t in tables}


def check_results(dagster_home: Path) -> dict[str, tuple]:
    """The latest evaluated result (passed or failed, and its run) of every check on the marts and
    the profiles. A run that stops early leaves its later checks planned but never evaluated."""
    from pipeline.definitions import defs

    evaluated = {AssetCheckExecutionRecordStatus.SUCCEEDED, AssetCheckExecutionRecordStatus.FAILED}
    keys = [k for k in defs.resolve_asset_graph().asset_check_keys if k.asset_key.path[0] in ("marts", "profiles")]
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        latest = {k: instance.event_log_storage.get_asset_check_execution_history(k, limit=1, status=evaluated)
                  for k in keys}
    return {k.to_user_string(): (r[0].status.value, r[0].run_id) for k, r in latest.items() if r}


@pytest.fixture
def home(materialized_home, tmp_path):
    copy = tmp_path / "home"
    shutil.copytree(materialized_home, copy, symlinks=True)
    return copy


def test_a_value_of_1e999_is_refused_by_file_row_and_column_and_nothing_changes(home, tmp_path, lait):
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    # File row 42 (file_row_number 41) says 1e999: infinity as a double.
    rewrite_bds(lait, source / "bds_long_0.parquet",
                """SELECT * REPLACE (CASE WHEN file_row_number = 41 THEN '1e999' ELSE "Values" END AS "Values") FROM {src}""")
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    before = (warehouse_rows(warehouse), site_files(home / "profiles"), check_results(home / ".dagster_home"))
    assert before[2], "the materialized home has evaluated checks on the marts and the profiles"
    log = tmp_path / "run.log"
    assert run_peerdata(pipeline_env(home, source), log, "materialize", "--no-pdf") == 1, tail(log)
    text = log.read_text()
    assert "bds_long_0.parquet row 42, column Values (value '1e999'): a number out of range" in text, tail(log)
    assert "Traceback" not in text
    assert "the warehouse is unchanged" in text and "LAG" not in text, tail(log)
    after = (warehouse_rows(warehouse), site_files(home / "profiles"), check_results(home / ".dagster_home"))
    assert after == before


# Loaded at the start of the ``peerdata`` process (as ``sitecustomize``): the first council pages
# of a run are written (three: a part of the site, as far as the failure is concerned no different
# from half of it, and quicker to write), then the step fails, as the 1e999 case once made it fail.
FAULT = """
import assets.profiles.assets as profile_assets
real_build = profile_assets.build_councils
def fails_part_way(views, site, codes):
    real_build(views, site, codes[:3])
    raise ValueError("Out of range float values are not JSON compliant")
profile_assets.build_councils = fails_part_way
"""


def test_a_page_build_failing_after_the_warehouse_was_published_leaves_the_previous_site_whole(home, tmp_path, lait):
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    profiles = home / "profiles"
    shown = site_release(profiles)
    before = site_files(profiles)
    fault = tmp_path / "fault"
    fault.mkdir()
    (fault / "sitecustomize.py").write_text(FAULT)
    env = pipeline_env(home, lait / "2025-07-22")
    log = tmp_path / "run.log"
    assert run_peerdata(env | {"PYTHONPATH": f"{fault}:{env['PYTHONPATH']}"}, log, "materialize", "--no-pdf") == 1
    out = log.read_text()
    assert "Error in sitecustomize" not in out, tail(log)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        held = con.execute("SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1").fetchone()[0]
    assert held != shown
    assert "not JSON compliant" in out, tail(log)
    assert f"the warehouse now holds release {held}: this run published it before the failure" in out, tail(log)
    assert f"pages LAG the warehouse: it holds release {held}, the pages still show release {shown}" in out, tail(log)
    assert site_files(profiles) == before, "a failed page build must leave the previous site whole"
    # The index page (unchanged) loads the note beside the site and says its pages lag.
    assert '"../.profiles-builds/warehouse.js"' in (profiles / "index.html").read_text()
    assert f'{{"release_id": "{held}"}}' in (home / ".profiles-builds" / "warehouse.js").read_text()
    status = tmp_path / "status.log"
    assert run_peerdata(env, status, "status") == 0, tail(status)
    assert f"pages LAG the warehouse: it holds release {held}" in status.read_text(), tail(status)
    assert "FAILED   profiles/overviews:pages_show_warehouse_release" in status.read_text(), tail(status)
    with pytest.raises(SiteLagsWarehouse, match="run `peerdata materialize`"):
        build_profile(868, WarehouseResource(home=str(home), warehouse_path=str(warehouse)))
    # The next run without the fault builds and publishes the whole site of the new release.
    log = tmp_path / "next.log"
    assert run_peerdata(env, log, "materialize", "--no-pdf") == 0, tail(log)
    assert site_release(profiles) == held
