"""The team step-up: the Dagster instance on a real PostgreSQL server (run, event-log and schedule
storage via dagster-postgres), started by this test on 127.0.0.1 from Debian's postgresql
binaries. `.ci/run` installs them (`apt-get install -y postgresql`)."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest
import yaml
from servers import postgres_server
from test_operations_helpers import REPO, pipeline_env, run_peerdata, tail

INSTANCE_DIR = REPO / "pipeline" / "instance"


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1 with a password-protected user; its connection settings."""
    pytest.importorskip("dagster_postgres", reason="dagster-postgres is not installed (uv add dagster-postgres)")
    with postgres_server() as settings:
        yield settings


def test_instance_on_postgres_records_runs_checks_and_schedules(tmp_path, lait, postgres, monkeypatch):
    home, dagster_home = tmp_path / "home", tmp_path / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(INSTANCE_DIR / "postgres.dagster.yaml", dagster_home / "dagster.yaml")
    env = pipeline_env(home, lait / "current", dagster_home, **postgres)
    log = tmp_path / "materialize.log"
    assert run_peerdata(env, log, "materialize", "--select", "key:raw/* or key:core/*") == 0, tail(log)

    for key, value in postgres.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS
        fact = instance.get_latest_materialization_event(dg.AssetKey(["core", "fact_indicator_value"]))
        assert fact.run_id == run.run_id
        assert fact.asset_materialization.metadata["release_id"].value.startswith("lait-")
        check = dg.AssetCheckKey(dg.AssetKey(["raw", "lait_release"]), "bds_file_valid")
        record = instance.event_log_storage.get_latest_asset_check_execution_by_key([check])[check]
        assert record.run_id == run.run_id and record.evaluation.passed
    # Nothing fell back to the local SQLite files, and the password is nowhere on disk or in the output.
    assert not (dagster_home / "history").exists() and not (dagster_home / "storage" / "index.db").exists()
    password = postgres["DAGSTER_PG_PASSWORD"]
    assert password not in log.read_text(errors="replace")
    for folder in (home, dagster_home):
        for f in folder.rglob("*"):
            if f.is_file() and f.stat().st_size < 50_000_000:
                assert password.encode() not in f.read_bytes(), f


def test_cluster_samples_share_the_postgres_storage():
    """The k8s and celery samples keep storage exactly as the tested PostgreSQL instance does."""
    tested = yaml.safe_load((INSTANCE_DIR / "postgres.dagster.yaml").read_text())["storage"]
    for sample in ("k8s.dagster.yaml", "celery.dagster.yaml"):
        assert yaml.safe_load((INSTANCE_DIR / sample).read_text())["storage"] == tested, sample
