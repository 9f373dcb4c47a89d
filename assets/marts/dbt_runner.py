"""dbt run in this process (dbt's programmatic API, ``dbtRunner``), its events streamed as they come.

Why not dagster-dbt's ``DbtCliResource.cli`` (a dbt subprocess): the subprocess starts a Python and
imports dbt again, which this process has already imported with dagster-dbt: about 5 s of CPU of
a marts step that is mostly SQL (bench/RESULTS.md, "The marts step in one process"). The events
are dbt's structured log events, the same dicts a subprocess prints as JSON, so dagster-dbt turns
them into Dagster events as it does for its own subprocess (``assets/marts/assets.py``).

dbt runs in a worker thread; its events reach the caller through a queue, so the caller can log
each model as it starts. One invocation at a time per process (dbt's flags, adapter and
dbt-duckdb's database are process-wide): a lock makes a second one wait.
When a run is interrupted the caller stops reading; dbt's thread (a daemon) ends with the process,
and it only ever wrote the build copy, which write-audit-publish discards.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt_common.events.base_types import EventMsg
from dbt_common.events.functions import msg_to_dict

_DONE = object()
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class DbtInvocation:
    """One ``dbt <args>``: iterate it for dbt's events named in ``events`` (as dicts), then read ``result``.

    ``environment``: variables set for the invocation (the profile's plugin reads its database from
    one), under the same lock, so another invocation never sees them.
    """

    args: Sequence[str]
    events: frozenset[str]
    environment: Mapping[str, str] = field(default_factory=dict)
    result: dbtRunnerResult | None = field(default=None, init=False)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        events: queue.SimpleQueue = queue.SimpleQueue()
        worker = threading.Thread(target=self._invoke, args=(events,), name="dbt", daemon=True)
        worker.start()
        while (event := events.get()) is not _DONE:
            yield event
        worker.join()

    def _invoke(self, events: queue.SimpleQueue) -> None:
        try:
            with _ONE_AT_A_TIME, _environment(self.environment):
                try:
                    self.result = dbtRunner(callbacks=[lambda message: self._keep(message, events)]).invoke(list(self.args))
                finally:
                    _close_duckdb()
        finally:
            events.put(_DONE)

    def _keep(self, message: EventMsg, events: queue.SimpleQueue) -> None:
        # dbt fires an event for every query and cache step, too: only those asked for are converted
        if message.info.name in self.events:
            events.put(msg_to_dict(message))


@contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    """``variables`` set in ``os.environ`` for the block, the previous values restored after."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _close_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in the process after an invocation.

    dbt-duckdb holds its database in a class attribute for the next invocation (its subprocess
    would have exited). Released here (dbt has closed its cursors: nothing else refers to it), the
    database closes (its WAL checkpointed into the file) before the caller publishes or discards the
    file, and no handle outlives the build folder (``test_the_marts_step_leaves_no_database_open_in_its_process``).
    """
    DuckDBConnectionManager.close_all_connections()
