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
with working ``flock`` (a local disk, not every network share): the warehouse is one local
file by design (see docs/operations.md).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 3600  # how long a process waits for the warehouse before giving up
POLL_SECONDS = 0.2
# A child of Dagster's own "dagster.builtin" logger (what ``dagster.get_dagster_logger`` returns), so
# a run's event log shows the wait, without importing Dagster: readers outside runs skip its cost.
LOG = logging.getLogger("dagster.builtin.peerdata.warehouse")


class WarehouseBusyError(TimeoutError):
    """The warehouse stayed locked by another process for longer than the wait allowed."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def warehouse_lock(warehouse: Path, exclusive: bool, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the warehouse for writing (``exclusive``) or reading until the block ends.

    Waits while another process holds a conflicting lock, saying once who holds it; raises
    WarehouseBusyError after ``wait_seconds``.
    """
    path = lock_path(Path(warehouse))
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
            want = "write to" if exclusive else "read"
            LOG.warning(f"waiting to {want} the warehouse: it is in use by {holder}")
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
