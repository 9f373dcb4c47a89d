"""One writer or many readers of the DuckDB warehouse, across every process on this machine.

DuckDB lets one process open a file for writing, and while it does, any other process that
opens the file (even read-only) fails at once with "Could not set lock on file". So a
scheduled run, a manual run, ``peerdata status`` and the profile builders would crash on each
other. ``warehouse_lock`` makes them wait instead: writers take an exclusive ``flock`` on
``<warehouse>.lock`` before opening DuckDB, readers a shared one. The operating system drops
the lock when its process ends, however it ends (SIGKILL included), so a killed run never
leaves the warehouse locked. The writer records its pid and program name in the lock file, so a
process that has to wait says who it is waiting for.

``flock`` is POSIX (Linux, macOS, WSL) and only serialises processes that share a filesystem
with working ``flock`` (a local disk, not every network share). Where the steps run on several
machines (``PEERDATA_EXECUTOR=celery``), or with ``PEERDATA_WAREHOUSE_LOCK=postgres``, each
process first takes the same lock in PostgreSQL (``base/advisory_lock.py``), then the file
lock. Every writer logs when it takes and when it releases the warehouse, naming itself, so a
run's event log shows who wrote when (docs/operations.md).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 3600  # how long a process waits for the warehouse before giving up
POLL_SECONDS = 0.2
BACKEND_ENV = "PEERDATA_WAREHOUSE_LOCK"
FILE, POSTGRES = "file", "postgres"


class WarehouseBusyError(TimeoutError):
    """The warehouse stayed locked by another process for longer than the wait allowed."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def lock_backend() -> str:
    """``file`` (this machine's processes) or ``postgres`` (every machine's), from
    ``PEERDATA_WAREHOUSE_LOCK``; by default ``postgres`` when the steps run on Celery workers."""
    configured = os.environ.get(BACKEND_ENV, "").strip().lower()
    if not configured:
        return POSTGRES if os.environ.get("PEERDATA_EXECUTOR", "").strip().lower() == "celery" else FILE
    if configured not in (FILE, POSTGRES):
        raise ValueError(f"{BACKEND_ENV}={configured!r}: use {FILE!r} or {POSTGRES!r}")
    return configured


@contextmanager
def warehouse_lock(warehouse: Path, exclusive: bool, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the warehouse for writing (``exclusive``) or reading until the block ends.

    Waits while another process holds a conflicting lock, saying once who holds it; raises
    WarehouseBusyError after ``wait_seconds``.
    """
    with _across_machines(Path(warehouse), exclusive, wait_seconds), _file_lock(Path(warehouse), exclusive, wait_seconds):
        if not exclusive:
            yield
            return
        from base.advisory_lock import holder_name

        log = _logger()
        log.info(f"warehouse lock taken: {holder_name(True)}")
        try:
            yield
        finally:
            log.info(f"warehouse lock released: {holder_name(True)}")


@contextmanager
def across_machines(name: str, exclusive: bool, wait_seconds: float, on_wait: Callable[[str], None]) -> Iterator[None]:
    """The PostgreSQL advisory lock ``name`` (``base/advisory_lock.py``) when the lock backend is
    ``postgres``; nothing with the file backend, where the caller's ``flock`` is enough."""
    if lock_backend() != POSTGRES:
        yield
        return
    from base.advisory_lock import advisory_lock

    with advisory_lock(name, exclusive, wait_seconds, POLL_SECONDS, on_wait):
        yield


@contextmanager
def _across_machines(warehouse: Path, exclusive: bool, wait_seconds: float) -> Iterator[None]:
    from base.advisory_lock import AdvisoryLockTimeout

    try:
        with across_machines(f"the warehouse {warehouse}", exclusive, wait_seconds,
                             lambda holder: _say_waiting(exclusive, holder)):
            yield
    except AdvisoryLockTimeout as exc:
        raise WarehouseBusyError(str(exc)) from exc


def _logger() -> logging.Logger:
    # The logger ``dagster.get_dagster_logger("peerdata.warehouse")`` returns, named without
    # importing Dagster: a run's event log shows it, and readers outside runs skip Dagster's cost.
    return logging.getLogger("dagster.builtin.peerdata.warehouse")


def _say_waiting(exclusive: bool, holder: str) -> None:
    want = "write to" if exclusive else "read"
    _logger().warning(f"waiting to {want} the warehouse: it is in use by {holder}")


@contextmanager
def _file_lock(warehouse: Path, exclusive: bool, wait_seconds: float) -> Iterator[None]:
    path = lock_path(warehouse)
    fd = _open(path, exclusive)
    if fd is None:  # a read-only folder with no lock file: nobody can be writing there
        yield
        return
    try:
        _acquire(fd, path, exclusive, wait_seconds)
        # Whatever the file says now is stale: a writer records itself, a reader clears it.
        _record_holder(fd, f"pid {os.getpid()} ({Path(sys.argv[0]).name})" if exclusive else "")
        yield
        if exclusive:
            _record_holder(fd, "")
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _open(path: Path, exclusive: bool) -> int | None:
    """The lock file's descriptor; for a reader in a read-only folder, read-only or None."""
    try:
        if exclusive:
            path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o664)
    except OSError as exc:
        if exclusive:
            raise OSError(
                exc.errno, f"Cannot write the warehouse: its folder {path.parent} is not writable ({exc.strerror})"
            ) from exc
    try:
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None


def _acquire(fd: int, path: Path, exclusive: bool, wait_seconds: float) -> None:
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            fcntl.flock(fd, mode)
            return
        except BlockingIOError:
            pass
        holder = _read_holder(fd)
        if time.monotonic() >= deadline:
            raise WarehouseBusyError(
                f"The warehouse {path.with_suffix('')} is still in use by {holder} after "
                f"{wait_seconds:.0f} s. If that process is hung, stop it; the lock is released "
                "as soon as it ends."
            )
        if not told:
            _say_waiting(exclusive, holder)
            told = True
        time.sleep(POLL_SECONDS)


def _record_holder(fd: int, text: str) -> None:
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode(), 0)
    except OSError:  # a reader's read-only descriptor: nothing to record
        pass


def _read_holder(fd: int) -> str:
    text = os.pread(fd, 400, 0).decode(errors="replace").strip()
    return text or "another process reading it"
