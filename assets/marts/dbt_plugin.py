"""A dbt-duckdb plugin that opens the DuckDB file named by the environment at connect time.

The profile (``assets/dbt/profiles.yml``) names a constant path, ``warehouse.duckdb``: dbt hashes
the profile into its partial-parsing state, so a path that changed with every build (a fresh copy
of the warehouse, a test's temporary home) would make every invocation re-parse the whole
project. The constant gives the catalog its name (``warehouse``), and this plugin swaps in the file
to open, ``PEERDATA_DBT_DATABASE`` (set by ``assets/marts/assets.py`` for each invocation; an
in-memory database when unset, as when the manifest is parsed), read-only when
``PEERDATA_DBT_READ_ONLY`` is set. The file opened must be named ``warehouse.duckdb`` too, so that
its catalog is the one the compiled SQL names.
"""

from __future__ import annotations

import os
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

DATABASE_ENV = "PEERDATA_DBT_DATABASE"
READ_ONLY_ENV = "PEERDATA_DBT_READ_ONLY"


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        creds.path = os.environ.get(DATABASE_ENV, ":memory:")
        if os.environ.get(READ_ONLY_ENV):
            config["access_mode"] = "READ_ONLY"
