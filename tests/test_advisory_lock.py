"""The warehouse lock across machines: a PostgreSQL advisory lock (``base/advisory_lock.py``)
taken before the file lock when ``PEERDATA_WAREHOUSE_LOCK=postgres``, on a real server started on
127.0.0.1 (``tests/servers.py``). One writer or many readers; a waiter names the holder; a holder
killed with SIGKILL releases it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg2
import pytest
from servers import postgres_server
from test_operations_helpers import REPO

from base.advisory_lock import NAMESPACE, connect_settings, lock_key
from base.warehouse_lock import WarehouseBusyError, warehouse_lock

HOLD = """
import sys, time
from base.warehouse_lock import warehouse_lock
with warehouse_lock(sys.argv[1], exclusive=sys.argv[2] == "write"):
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as settings:
        yield settings


@pytest.fixture
def locked_env(postgres, monkeypatch, tmp_path):
    for key, value in {**postgres, "PEERDATA_WAREHOUSE_LOCK": "postgres"}.items():
        monkeypatch.setenv(key, value)
    return {**os.environ, "PYTHONPATH": str(REPO)}


def hold(env: dict, warehouse, mode: str) -> subprocess.Popen:
    """A process holding the warehouse lock (``write`` or ``read``) until killed."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse), mode], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held", process.stderr.read()
    return process


def advisory_holders(warehouse, name: str | None = None) -> list[str]:
    """The application names of the sessions holding the warehouse's advisory lock (or the lock
    ``name``), read from the server."""
    with psycopg2.connect(**connect_settings()) as con, con.cursor() as cur:
        cur.execute("""SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                       WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s""",
                    (NAMESPACE, lock_key(name or f"the warehouse {warehouse}") & 0xFFFFFFFF))
        return sorted(name for (name,) in cur.fetchall())


def test_one_writer_across_machines_named_while_others_wait_and_released_by_sigkill(locked_env, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    writer = hold(locked_env, warehouse, "write")
    try:
        assert advisory_holders(warehouse) == [f"write pid {writer.pid} on {os.uname().nodename} (-c)"]
        # A reader waits on the PostgreSQL lock (the file lock's message would not name the host) and gives up.
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError, match=f"locked by write pid {writer.pid} on {os.uname().nodename}"):
            with warehouse_lock(warehouse, exclusive=False, wait_seconds=1.5):
                pass
        assert time.monotonic() - started >= 1.5
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        deadline = time.monotonic() + 10
        while advisory_holders(warehouse) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert advisory_holders(warehouse) == []  # the server dropped the killed session's lock
        with warehouse_lock(warehouse, exclusive=True, wait_seconds=5):
            assert advisory_holders(warehouse) == [f"write pid {os.getpid()} on {os.uname().nodename} "
                                                   f"({os.path.basename(sys.argv[0])})"[:63]]
    finally:
        if writer.poll() is None:
            writer.kill()


def test_readers_share_and_a_writer_waits_for_all_of_them(locked_env, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    readers = [hold(locked_env, warehouse, "read") for _ in range(2)]
    try:
        assert len(advisory_holders(warehouse)) == 2
        with pytest.raises(WarehouseBusyError) as refused:
            with warehouse_lock(warehouse, exclusive=True, wait_seconds=1):
                pass
        assert all(f"read pid {r.pid} on" in str(refused.value) for r in readers), refused.value
        readers[0].kill()
        readers[0].wait(timeout=30)
        with pytest.raises(WarehouseBusyError, match=f"read pid {readers[1].pid} on"):
            with warehouse_lock(warehouse, exclusive=True, wait_seconds=1):
                pass
    finally:
        for reader in readers:
            reader.kill()
            reader.wait(timeout=30)
    with warehouse_lock(warehouse, exclusive=True, wait_seconds=10):
        pass


def test_the_lock_on_postgres_names_what_it_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("PEERDATA_WAREHOUSE_LOCK", "postgres")
    monkeypatch.delenv("DAGSTER_PG_HOST", raising=False)
    with pytest.raises(RuntimeError, match="needs DAGSTER_PG_HOST"):
        with warehouse_lock(tmp_path / "warehouse.duckdb", exclusive=True):
            pass


HOLD_SITE = """
import sys, time
from pathlib import Path
from base.site import site_lock
with site_lock(Path(sys.argv[1]), exclusive=True):
    print("held", flush=True)
    time.sleep(600)
"""


def test_the_profile_site_lock_is_taken_in_postgres_too(locked_env, tmp_path):
    """A step publishing the profile site holds its lock in PostgreSQL as well as by flock, so a
    step on another machine (here: a session asking the server directly) cannot take it meanwhile."""
    profiles = tmp_path / "home" / "profiles"
    name = f"the profile site lock {tmp_path / 'home' / '.profiles-builds' / 'site.lock'}"
    publisher = subprocess.Popen([sys.executable, "-c", HOLD_SITE, str(profiles)], env=locked_env, cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert publisher.stdout.readline().strip() == "held", publisher.stderr.read()
        assert advisory_holders(None, name) == [f"write pid {publisher.pid} on {os.uname().nodename} (-c)"]
        with psycopg2.connect(**connect_settings()) as con, con.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock_shared(%s, %s)", (NAMESPACE, lock_key(name)))
            assert cur.fetchone() == (False,)  # another machine's writer of pages must wait
    finally:
        publisher.kill()
        publisher.wait(timeout=30)
    deadline = time.monotonic() + 10
    while advisory_holders(None, name) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert advisory_holders(None, name) == []
