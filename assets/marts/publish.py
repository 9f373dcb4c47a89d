"""Write-audit-publish for the marts: built and tested in a copy of the warehouse, published in one step.

The marts are built by dbt, which opens the DuckDB file through its own connection (dbt-duckdb, in
the step's process: ``assets/marts/dbt_runner.py``). So the
marts step (``assets/marts/assets.py``), holding the warehouse's lock, copies the warehouse into
a fresh folder beside it (``build_copy``), lets dbt build and test the marts in the copy, and only
when every model and every test has passed, moves the copy over the warehouse (``publish``: one
``rename``, atomic on a POSIX filesystem). On a failed test, an error or a killed process, the
warehouse is untouched: readers never see a half-built or failed mart; the copy goes with its
folder, and a killed run's folder goes at the next rebuild.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

BUILD_FOLDER = ".marts-build"
# The catalog the compiled SQL names (assets/dbt/profiles.yml): the copy carries this file name.
BUILD_FILE = "warehouse.duckdb"


def _checkpoint(path: Path) -> None:
    """Fold a write-ahead log left by a process that did not close the file into the file."""
    if path.with_name(path.name + ".wal").exists():
        duckdb.connect(str(path)).close()


@contextmanager
def build_copy(warehouse: Path, clear_stale: bool) -> Iterator[Path]:
    """A copy of ``warehouse`` (the caller holds its lock) in a fresh folder, removed afterwards.

    With ``clear_stale`` (the caller holds the exclusive lock), the folders of killed runs go first.
    """
    parent = warehouse.parent / BUILD_FOLDER
    if clear_stale:
        shutil.rmtree(parent, ignore_errors=True)
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=parent))
    try:
        if clear_stale:
            _checkpoint(warehouse)
        shutil.copyfile(warehouse, folder / BUILD_FILE)
        yield folder / BUILD_FILE
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(build: Path, warehouse: Path) -> None:
    """Replace ``warehouse`` by the tested ``build`` in one step (the caller holds the exclusive lock)."""
    _checkpoint(build)
    with open(build, "rb") as f:
        os.fsync(f.fileno())
    os.replace(build, warehouse)
