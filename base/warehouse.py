"""The DuckDB warehouse file, opened under its lock, without Dagster.

``WarehouseFile`` is what the command line uses to read the warehouse (``peerdata profile``,
``export``, ``status``) without importing Dagster, which costs a second or more at start-up;
``assets.resources.WarehouseResource`` opens it through the same class inside runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from base.settings import Paths
from base.warehouse_lock import WAIT_SECONDS, warehouse_lock


@dataclass(frozen=True)
class WarehouseFile:
    """The warehouse at ``path`` and the home folder that holds ``data/`` and ``profiles/``."""

    home: Path
    path: Path

    @classmethod
    def from_env(cls) -> WarehouseFile:
        paths = Paths.from_env()
        return cls(home=paths.home, path=paths.warehouse)

    @property
    def paths(self) -> Paths:
        return Paths(home=self.home)

    @contextmanager
    def connect(
        self, read_only: bool = False, wait_seconds: float = WAIT_SECONDS
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection, holding the exclusive lock (writers) or a shared one (readers)."""
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with warehouse_lock(self.path, exclusive=not read_only, wait_seconds=wait_seconds):
            con = duckdb.connect(str(self.path), read_only=read_only)
            try:
                yield con
            finally:
                con.close()


def table_names(con: duckdb.DuckDBPyConnection, *schemas: str) -> set[str]:
    """``schema.table`` of every table and view the connection sees, or of those in ``schemas``."""
    rows = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    return {f"{schema}.{name}" for schema, name in rows if not schemas or schema in schemas}


def table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    """Whether ``qualified`` names a table or view, as a query would read it: ``schema.table`` (a
    core table before the first publish, or one an older warehouse predates, does not exist) or
    ``database.table`` for an attached database, such as the build's ``staging``."""
    first, name = qualified.split(".")
    return bool(con.execute(
        """SELECT count(*) FROM information_schema.tables WHERE table_name = $name
           AND (table_schema = $first OR (table_catalog = $first AND table_schema = 'main'))""",
        {"first": first, "name": name}).fetchall()[0][0])
