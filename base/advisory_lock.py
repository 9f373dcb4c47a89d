"""One writer or many readers across machines: a PostgreSQL advisory lock on a dedicated connection.

The file lock (``warehouse_lock``) serialises processes that share one machine's filesystem;
Celery workers on several machines do not. With ``PEERDATA_WAREHOUSE_LOCK=postgres`` (the
default when ``PEERDATA_EXECUTOR=celery``) every process also takes an advisory lock in the
PostgreSQL database of the Dagster instance (``DAGSTER_PG_HOST``, ``_PORT``, ``_DB``,
``_USERNAME``, ``_PASSWORD``): ``pg_advisory_lock`` (exclusive) for a writer,
``pg_advisory_lock_shared`` for a reader, keyed by the warehouse's path (the same on every
machine), held by a connection opened for nothing else. PostgreSQL drops a session's advisory
locks when the session ends, so a holder killed with SIGKILL releases it as soon as its socket
closes (a machine that vanishes: after the server's TCP keepalive, docs/operations.md). The
connection's ``application_name`` names the holder (pid, host, program), so a process that has to
wait says who holds the lock, as the file lock does.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

NAMESPACE = 0x5044  # the first of the lock's two keys: peerdata's warehouse locks ("PD")
PG_ENV = ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_DB", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD")


class AdvisoryLockTimeout(TimeoutError):
    """The advisory lock stayed held by another session for longer than the wait allowed."""


def holder_name(exclusive: bool) -> str:
    """What the lock records about its holder: ``write pid 1234 on host (program)``."""
    return f"{'write' if exclusive else 'read'} pid {os.getpid()} on {socket.gethostname()} ({Path(sys.argv[0]).name})"


def lock_key(name: str) -> int:
    """The second key, from the locked thing's name: a signed 32-bit CRC."""
    crc = zlib.crc32(name.encode())
    return crc - (1 << 32) if crc >= 1 << 31 else crc


def connect_settings() -> dict:
    """psycopg2 connection settings from the instance's ``DAGSTER_PG_*`` variables."""
    missing = [name for name in PG_ENV if not os.environ.get(name)]
    if missing:
        raise RuntimeError(
            f"the warehouse lock on PostgreSQL (PEERDATA_WAREHOUSE_LOCK=postgres) needs {', '.join(missing)}: "
            "the database of the Dagster instance (docs/operations.md)")
    return {"host": os.environ["DAGSTER_PG_HOST"], "port": int(os.environ["DAGSTER_PG_PORT"]),
            "dbname": os.environ["DAGSTER_PG_DB"], "user": os.environ["DAGSTER_PG_USERNAME"],
            "password": os.environ["DAGSTER_PG_PASSWORD"], "connect_timeout": 10,
            # a holder whose machine vanished is noticed by the server within about a minute
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


@contextmanager
def advisory_lock(name: str, exclusive: bool, wait_seconds: float, poll_seconds: float,
                  on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold the advisory lock ``name`` until the block ends; ``on_wait(holder)`` is called once if
    another session holds it; AdvisoryLockTimeout after ``wait_seconds``."""
    import psycopg2  # with dagster-postgres; imported here so the file lock needs no database driver

    key = lock_key(name)
    con = psycopg2.connect(application_name=holder_name(exclusive)[:63], **connect_settings())
    try:
        con.autocommit = True
        with con.cursor() as cur:
            _acquire(cur, key, exclusive, wait_seconds, poll_seconds, on_wait, name)
            yield
    finally:
        con.close()  # ending the session releases the lock


def _acquire(cur, key: int, exclusive: bool, wait_seconds: float, poll_seconds: float,
             on_wait: Callable[[str], None], name: str) -> None:
    take = "pg_try_advisory_lock" if exclusive else "pg_try_advisory_lock_shared"
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        cur.execute(f"SELECT {take}(%s, %s)", (NAMESPACE, key))
        if cur.fetchone()[0]:
            return
        holder = current_holder(cur, key)
        if time.monotonic() >= deadline:
            raise AdvisoryLockTimeout(
                f"{name} is still locked by {holder} after {wait_seconds:.0f} s (PostgreSQL advisory lock). If that "
                "process is hung, stop it; the lock is released as soon as its session ends.")
        if not told:
            on_wait(holder)
            told = True
        time.sleep(poll_seconds)


def current_holder(cur, key: int) -> str:
    """Who holds the lock: the ``application_name`` of the sessions holding it, as each recorded itself."""
    cur.execute(
        """SELECT string_agg(DISTINCT a.application_name, ', ') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s AND l.objsubid = 2""",
        (NAMESPACE, key & 0xFFFFFFFF))
    return cur.fetchone()[0] or "another process"
