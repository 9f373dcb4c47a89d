"""Running unattended: the new-release sensor, the weekly checks schedule, and a manual run
started while another run is writing the warehouse."""

from __future__ import annotations

import importlib
import os
import shutil
import time
from datetime import datetime, timezone

import dagster as dg
import duckdb
import pytest
from conftest import OFSTED, resources_for
from test_operations_helpers import (
    kill_group,
    pipeline_env,
    run_peerdata,
    start_peerdata,
    tail,
    wait_for_event,
    warehouse_tables,
)

from pipeline.definitions import defs
from pipeline.sensors import new_release_sensor
from base.warehouse_lock import WarehouseBusyError, warehouse_lock


@pytest.fixture
def release_copy(tmp_path, lait):
    folder = tmp_path / "release"
    shutil.copytree(lait / "current", folder)
    for f in folder.iterdir():
        f.chmod(0o644)
    return folder


def tick(home, source_folder, monkeypatch, **env):
    """One sensor evaluation on ``home``'s instance and warehouse, the source at ``source_folder``
    (``env``: more environment, e.g. PEERDATA_INSPECTIONS); returns (result, seconds)."""
    monkeypatch.setenv("PEERDATA_SOURCE", str(source_folder))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    resources = resources_for(home, source_folder, inspections=os.environ.get("PEERDATA_INSPECTIONS", OFSTED))
    with dg.DagsterInstance.from_config(str(home / ".dagster_home")) as instance, dg.build_sensor_context(
            instance=instance, resources=resources, definitions=defs) as context:
        started = time.perf_counter()
        result = new_release_sensor(context)
        return result, time.perf_counter() - started


def test_definitions_turn_on_the_sensor_and_the_schedule():
    sensor = defs.get_sensor_def("new_release_sensor")
    schedule = defs.get_schedule_def("weekly_checks_schedule")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    # it starts refresh_all; observe_inputs makes the UI list it among the inputs' automations
    assert {target.job_name for target in sensor.targets} == {"refresh_all", "observe_inputs"}
    # the UI shows the release's freshness: a new release landed within 120 days (the default), warned from 90
    landing = defs.resolve_assets_def(["raw", "lait_release"]).specs_by_key[dg.AssetKey(["raw", "lait_release"])]
    assert (landing.freshness_policy.fail_window.to_timedelta().days,
            landing.freshness_policy.warn_window.to_timedelta().days) == (120, 90)
    job = defs.resolve_job_def("observe_inputs")
    assert dg.AssetKey(["inputs", "lait_release"]) in job.asset_layer.asset_graph.observable_asset_keys
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 6 * * 1", "Europe/London")
    assert schedule.job_name == "weekly_checks"


def test_sensor_starts_nothing_on_an_unchanged_source_then_exactly_what_a_change_needs(
        materialized_home, copy_home, release_copy, tmp_path, monkeypatch):
    """The first tick on a built home (as when `make dev` starts) starts no run; a changed
    extra-sources list starts the core and the marts only; changed inspections and a changed LAIT
    file start the whole refresh_all (landing decides)."""
    home = copy_home(materialized_home)
    unchanged, seconds = tick(home, release_copy, monkeypatch)
    assert isinstance(unchanged, dg.SkipReason) and "no run" in unchanged.skip_message
    assert seconds < 3, f"a tick must be cheap; it took {seconds:.2f} s"

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: []  # the same list, another file\n")
    extra, _ = tick(home, release_copy, monkeypatch, PEERDATA_EXTRA_SOURCES=str(sources))
    assert isinstance(extra, dg.RunRequest)
    assert {k.path[0] for k in extra.asset_selection} == {"core", "marts"}

    ofsted = tmp_path / "ofsted"
    shutil.copytree(OFSTED, ofsted)  # the same files elsewhere: the same data version, nothing more to do
    moved, _ = tick(home, release_copy, monkeypatch, PEERDATA_INSPECTIONS=str(ofsted))
    assert isinstance(moved, dg.RunRequest) and moved.run_key == extra.run_key  # still only the extra source
    with (ofsted / "ilacs_inspections.csv").open("a") as f:
        f.write("202,Camden,2023-10-02,2023-10-13,2023-11-28,standard,good,good,good,good,good\n")
    inspected, _ = tick(home, release_copy, monkeypatch)
    assert isinstance(inspected, dg.RunRequest) and inspected.asset_selection is None
    assert inspected.run_key != extra.run_key

    with (release_copy / "lait_data_dictionary.csv").open("a") as f:
        f.write('"99999","Extra","A new indicator"\n')
    changed, _ = tick(home, release_copy, monkeypatch)
    assert isinstance(changed, dg.RunRequest) and changed.asset_selection is None
    assert changed.run_key not in (extra.run_key, inspected.run_key)
    # The sensor only looks: nothing was landed beside the sources.
    assert sorted(p.name for p in release_copy.parent.iterdir()) == ["home", "ofsted", "release", "sources.yaml"]


def test_sensor_skips_with_the_reason_when_the_source_is_missing(materialized_home, copy_home, tmp_path, monkeypatch):
    result, _ = tick(copy_home(materialized_home), tmp_path / "nowhere", monkeypatch)
    assert isinstance(result, dg.SkipReason) and "neither an http(s) URL nor an existing folder" in result.skip_message


def test_schedule_cron_comes_from_the_environment(monkeypatch):
    import pipeline.schedules

    monkeypatch.setenv("PEERDATA_SCHEDULE_CRON", "30 7 * * 3")
    try:
        schedule = importlib.reload(pipeline.schedules).weekly_checks_schedule
        assert schedule.cron_schedule == "30 7 * * 3"
        when = datetime(2026, 11, 25, 7, 30, tzinfo=timezone.utc)
        with dg.build_schedule_context(scheduled_execution_time=when) as context:
            requests = schedule.evaluate_tick(context).run_requests
        assert len(requests) == 1
        dg.validate_run_config(defs.resolve_job_def("weekly_checks"), requests[0].run_config)
    finally:
        monkeypatch.delenv("PEERDATA_SCHEDULE_CRON")
        importlib.reload(pipeline.schedules)


def test_a_reader_waits_for_the_writer_then_gives_up_naming_it(tmp_path):
    warehouse = tmp_path / "marts" / "warehouse.duckdb"
    with warehouse_lock(warehouse, exclusive=True):
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError, match=rf"in use by pid {os.getpid()} .* after 1 s"):
            with warehouse_lock(warehouse, exclusive=False, wait_seconds=1):
                pass
        assert time.monotonic() - started >= 1
    with warehouse_lock(warehouse, exclusive=False), warehouse_lock(warehouse, exclusive=False):
        pass  # readers share


# --- a built home with an on-disk Dagster instance, as `peerdata materialize` leaves it ------


@pytest.fixture(scope="module")
def served_home(tmp_path_factory, lait, materialized_home):
    """Everything built by `peerdata materialize` into a home with its own DAGSTER_HOME: a private
    copy of the session's ``materialized_home`` (conftest), which these tests change."""
    home = tmp_path_factory.mktemp("served") / "home"
    shutil.copytree(materialized_home, home)
    return home, pipeline_env(home, lait / "current")


def test_weekly_checks_rerun_every_check_without_rebuilding(served_home, lait, monkeypatch):
    home, env = served_home
    monkeypatch.setenv("DAGSTER_HOME", env["DAGSTER_HOME"])
    job_defs = dg.Definitions(
        assets=defs.assets, asset_checks=defs.asset_checks, jobs=defs.jobs,
        resources=resources_for(home, lait / "current"),
    )
    monkeypatch.setenv("PEERDATA_STALE_AFTER_DAYS", "100000")
    (published,) = duckdb.execute(  # the newest "Last Update" of the dictionary: Excel serial days
        "SELECT DATE '1899-12-30' + CAST(max(TRY_CAST(\"Last Update\" AS DOUBLE)) AS INTEGER) "
        "FROM read_csv(?, all_varchar = true, header = true)", [str(lait / "current" / "lait_data_dictionary.csv")]).fetchone()
    with dg.DagsterInstance.get() as instance:
        result = job_defs.resolve_job_def("weekly_checks").execute_in_process(instance=instance)
        assert result.success
        assert result.get_asset_materialization_events() == []
        evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
        assert {"bds_file_valid", "benchmark_bands_are_a_to_d", "release_is_fresh"} <= set(evaluations)
        assert all(e.passed for e in evaluations.values()), [n for n, e in evaluations.items() if not e.passed]
        age = (datetime.now().date() - published).days
        assert f"newest data published {published} ({age} days ago" in evaluations["release_is_fresh"].description

        monkeypatch.setenv("PEERDATA_STALE_AFTER_DAYS", "-1")
        stale = job_defs.resolve_job_def("weekly_checks").execute_in_process(instance=instance)
        evaluation = next(e for e in stale.get_asset_check_evaluations() if e.check_name == "release_is_fresh")
        assert stale.success and not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN


def last_published_at(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT max(published_at) FROM core.release_history").fetchall()[0][0]


def test_runs_started_together_wait_for_each_other_and_readers_wait_too(served_home, tmp_path):
    """A forced full run is building the core model; a core-only run and `peerdata status`
    start meanwhile. DuckDB would refuse them the file; instead each waits, and all succeed."""
    home, env = served_home
    before = warehouse_tables(home / "data" / "marts" / "warehouse.duckdb")
    before_at = last_published_at(home / "data" / "marts" / "warehouse.duckdb")
    full_log, core_log, status_log = tmp_path / "full.log", tmp_path / "core.log", tmp_path / "status.log"
    started = [start_peerdata(env, full_log, "materialize", "--force", "--select", "key:raw/* or key:core/* or key:marts/*")]
    try:
        wait_for_event(full_log, "core_model - staged release", started[0])
        started.append(start_peerdata(env, core_log, "materialize", "--select", "key:core/*"))
        started.append(start_peerdata(env, status_log, "status"))
        for process, log in zip(reversed(started), (status_log, core_log, full_log)):
            assert process.wait(timeout=300) == 0, tail(log)
    finally:
        for process in started:
            if process.poll() is None:
                kill_group(process)
    assert "waiting to read the warehouse" in status_log.read_text() or "waiting to write the warehouse" in core_log.read_text()
    after = warehouse_tables(home / "data" / "marts" / "warehouse.duckdb")
    # The same release republished: one core.release_history row per release (dd65398), its
    # published_at updated; every table keeps its row count.
    assert after == before
    assert last_published_at(home / "data" / "marts" / "warehouse.duckdb") > before_at
