"""Faults while running: a run killed with SIGKILL mid-build, and a warehouse folder that is full
or read-only while publishing. Each leaves the last good outputs readable, and the next run
recovers with no manual clean-up."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from test_operations_helpers import (
    MART_TABLES,
    kill_group,
    pipeline_env,
    run_peerdata,
    start_peerdata,
    tail,
    wait_for_event,
    warehouse_tables,
)


def test_sigkill_during_core_then_marts_build_and_the_next_run_recovers(tmp_path, lait):
    home = tmp_path / "home"
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    env = pipeline_env(home, lait / "current")
    warehouse_only = ("materialize", "--select", "key:raw/* or key:core/* or key:marts/*")

    # 1. Killed once the release is staged, before the core model is published.
    log = tmp_path / "killed_in_core.log"
    process = start_peerdata(env, log, *warehouse_only)
    wait_for_event(log, "core_model - staged release", process)
    kill_group(process)
    assert warehouse_tables(warehouse) == {}, "a killed core build must publish nothing"

    # 2. The next run is killed while building the marts, after the core model was published.
    log = tmp_path / "killed_in_marts.log"
    process = start_peerdata(env, log, *warehouse_only)
    wait_for_event(log, "building marts.trend", process)
    kill_group(process)
    after_kill = warehouse_tables(warehouse)
    assert after_kill["core.fact_indicator_value"] > 600_000
    assert "marts.trend" not in after_kill, "the mart being written when the run was killed must not appear"

    # 3. The next run, with no clean-up, succeeds and leaves every mart built and checked.
    log = tmp_path / "recovered.log"
    assert run_peerdata(env, log, *warehouse_only) == 0, tail(log)
    recovered = warehouse_tables(warehouse)
    assert {t for t in recovered if t.startswith("marts.")} == {f"marts.{t}" for t in MART_TABLES}, (
        "after a run killed mid-marts, the next run must finish the marts of the published release"
    )
    # Whatever a reader could see after the kill was whole: the same rows as the finished build.
    assert {t: n for t, n in after_kill.items() if t != "core.release_history"} == {
        t: recovered[t] for t in after_kill if t != "core.release_history"
    }
    status = tmp_path / "status.log"
    assert run_peerdata(env, status, "status") == 0, tail(status)
    assert ", 0 failed," in status.read_text(), tail(status)


# --- a full or read-only warehouse folder -------------------------------------------------


@pytest.fixture
def marts_mount(tmp_path, lait, current_home):
    """A copy of the session's ``current_home`` (the current release landed and its core model
    published, as ``peerdata materialize --select "key:raw/* or key:core/*"`` leaves it) whose
    ``data/marts`` is a small tmpfs mount (root only), unmounted after."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs to fill or freeze data/marts needs root and mount(8)")
    home = tmp_path / "home"
    shutil.copytree(current_home, home)
    marts = home / "data" / "marts"
    size_mb = sum(f.stat().st_size for f in marts.iterdir()) // 2**20 + 4
    saved = tmp_path / "saved_marts"
    shutil.move(marts, saved)
    marts.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(marts)], check=False).returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        for f in saved.iterdir():
            shutil.copy(f, marts / f.name)
        yield home, pipeline_env(home, lait / "current")
    finally:
        subprocess.run(["umount", "-l", str(marts)], check=False)


def core_snapshot(warehouse: Path) -> tuple:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            """SELECT (SELECT list(release_id ORDER BY published_at) FROM core.release_history),
                      count(*), bit_xor(hash(indicator_code, area_code, period_label, value))
               FROM core.fact_indicator_value"""
        ).fetchall()[0]
    finally:
        con.close()


def test_disk_full_while_publishing_fails_clearly_and_keeps_the_warehouse(tmp_path, marts_mount):
    home, env = marts_mount
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    before = core_snapshot(warehouse)
    log = tmp_path / "full.log"
    assert run_peerdata(env, log, "materialize", "--force", "--select", "key:raw/* or key:core/*") == 1
    assert "No space left on device" in log.read_text(errors="replace"), tail(log)
    assert core_snapshot(warehouse) == before


def test_read_only_warehouse_folder_fails_clearly_and_keeps_the_warehouse(tmp_path, marts_mount):
    home, env = marts_mount
    marts = home / "data" / "marts"
    warehouse = marts / "warehouse.duckdb"
    before = core_snapshot(warehouse)
    subprocess.run(["mount", "-o", "remount,ro", str(marts)], check=True)
    log = tmp_path / "read_only.log"
    assert run_peerdata(env, log, "materialize", "--force", "--select", "key:raw/* or key:core/*") == 1
    text = log.read_text(errors="replace")
    assert f"Cannot write the warehouse: its folder {marts} is not writable (Read-only file system)" in text, tail(log)
    assert core_snapshot(warehouse) == before
    status = tmp_path / "status.log"
    assert run_peerdata(env, status, "status") == 0, tail(status)  # readers still read it
    assert f"release loaded: {before[0][-1]}" in status.read_text()
