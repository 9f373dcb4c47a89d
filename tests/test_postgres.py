"""The team step-up: the Dagster instance on a real PostgreSQL server (run, event-log and schedule
storage via dagster-postgres), started by this test on 127.0.0.1 from Debian's postgresql
binaries. `.ci/run` installs them (`apt-get install -y postgresql`)."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import dagster as dg
import pytest
import yaml
from test_operations_helpers import REPO, pipeline_env, run_peerdata, tail

INSTANCE_DIR = REPO / "pipeline" / "instance"


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None)
    return Path(found).resolve().parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1 with a password-protected user; its connection settings."""
    pytest.importorskip("dagster_postgres", reason="dagster-postgres is not installed (uv add dagster-postgres)")
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found: apt-get install -y postgresql")
    # PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="peerdata-pg-"))
    settings = {
        "DAGSTER_PG_HOST": "127.0.0.1",
        "DAGSTER_PG_PORT": str(free_port()),
        "DAGSTER_PG_DB": "postgres",
        "DAGSTER_PG_USERNAME": "dagster",
        "DAGSTER_PG_PASSWORD": secrets.token_hex(16),
    }
    (root / "pw").write_text(settings["DAGSTER_PG_PASSWORD"])
    if as_user:
        shutil.chown(root, "postgres")
        shutil.chown(root / "pw", "postgres")

    def run(program: str, *args: str) -> None:
        subprocess.run([*as_user, str(bindir / program), *args], check=True, capture_output=True, text=True, cwd=root)

    run("initdb", "-D", str(root / "data"), "-U", "dagster", "--auth=scram-sha-256", f"--pwfile={root / 'pw'}")
    run("pg_ctl", "-D", str(root / "data"), "-l", str(root / "server.log"), "-w", "start", "-o",
        f"-p {settings['DAGSTER_PG_PORT']} -c listen_addresses=127.0.0.1 -k {root}")
    try:
        yield settings
    finally:
        run("pg_ctl", "-D", str(root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


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
