"""The marts: every model of the dbt project ``assets/dbt`` as a Dagster asset, every dbt test as a check.

One ``@dbt_assets`` multi-asset, ``marts``, runs ``dbt build`` on the selected models in one step:
each model in the order its ``ref()`` and ``source()`` give, each followed by its tests. The models
are described once, in ``assets/dbt/models/<layer>/<table>.yml`` (description, columns, tests),
and their rules in ``docs/methods.md``.

Write-audit-publish: the step holds the warehouse's exclusive lock (``pipeline/warehouse_lock.py``;
the ``duckdb_writer`` pool serialises runs too), copies the warehouse aside, lets dbt build and
test the marts in the copy, and publishes the copy in one step only when every model was built
and every test passed (``assets/marts/publish.py``). A failed test (every test is blocking: dbt
skips what is downstream of it) or an error publishes nothing: readers keep the last good marts.
A run of checks alone (the weekly checks) tests a copy of the warehouse as it is and rebuilds nothing.
(No ``from __future__ import annotations`` here: Dagster reads the ``context`` annotation.)
"""

import contextlib
import os
import sys
from functools import cached_property
from importlib import metadata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliInvocation, DbtCliResource, dbt_assets
from packaging.version import Version

from assets.marts.dbt import MartsTranslator, relation_of
from assets.dbt_project import DBT_EXECUTABLE, PROJECT_DIR, manifest_path
from assets.marts.dbt_plugin import DATABASE_ENV
from assets.marts.publish import build_copy, publish
from assets.core.build import published_release_id
from assets.metadata import table_metadata, tag_run_with_release
from assets.resources import WarehouseResource
from base.warehouse_lock import warehouse_lock



class MartsDbtCli(DbtCliResource):
    """dagster-dbt's dbt command line, without two costs at the start of every marts step that this
    step has no use for (about 4.5 s of CPU a step together; bench/RESULTS.md, "The marts step"):

    - the dbt version is the installed dbt-core's (dbt runs from this environment:
      ``DBT_EXECUTABLE``), read from its metadata instead of by running ``dbt --version`` (a whole
      dbt start-up, 2.8 s of CPU);
    - no dbt adapter in this process (1.8 s: it loads the profile and dbt's own macros): dagster-dbt
      uses it only to fetch column metadata, which the step does not ask for; dbt's own process
      has its adapter as always.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 (the library's signature)
        return None


DBT = MartsDbtCli(project_dir=str(PROJECT_DIR), profiles_dir=str(PROJECT_DIR), dbt_executable=DBT_EXECUTABLE)


@contextmanager
def dbt_database(path: Path) -> Iterator[None]:
    """dbt (a subprocess, given this process's environment) opens ``path``."""
    before = os.environ.get(DATABASE_ENV)
    os.environ[DATABASE_ENV] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DATABASE_ENV, None)
        else:
            os.environ[DATABASE_ENV] = before


def run_dbt(context: dg.AssetExecutionContext, command: str, database: Path) -> tuple[list, str | None]:
    """``dbt <command>`` of the selection on ``database``: the Dagster events, and what failed (None: nothing).

    dbt's artifacts of the run (run_results.json, compiled SQL, logs) go beside the copy, and with it.
    The unit tests of the rules are left out: they test the SQL, not the data (tests/test_dbt_unit.py).
    """
    with dbt_database(database):
        # dbt's debug log goes nowhere: its file would go with the copy's folder unread
        invocation = DBT.cli([command, "--exclude-resource-type", "unit_test", "--log-level-file", "none"], context=context,
                             raise_on_error=False, target_path=database.parent / "dbt")
        events = []
        # dagster-dbt re-emits each dbt line on stdout (the console of `peerdata materialize`);
        # they go with Dagster's event lines instead, to stderr (its log file, or the run's logs).
        with contextlib.redirect_stdout(sys.stderr):
            for event in invocation.stream_raw_events():
                info, data = event.raw_event["info"], event.raw_event.get("data", {})
                node = data.get("node_info", {})
                # LogStartLine ("START sql table model ..."), dbt's info-level event as a model starts:
                # NodeStart is debug-level, absent from dbt's output at the default log level
                if info["name"] == "LogStartLine" and node.get("resource_type") == "model":
                    relation = node.get("node_relation", {})
                    context.log.info(f"building {relation.get('schema')}.{relation.get('alias')}")
                events.extend(event.to_default_asset_events(
                    manifest=invocation.manifest, dagster_dbt_translator=invocation.dagster_dbt_translator,
                    context=context, target_path=invocation.target_path, project=invocation.project))
    return events, None if invocation.is_successful() else failure_description(invocation)


def failure_description(invocation: DbtCliInvocation) -> str:
    """Which tests failed and which models could not be built, with dbt's messages."""
    results = invocation.get_artifact("run_results.json")["results"]
    nodes = invocation.manifest["nodes"]
    failed_tests: dict[str, list[str]] = {}
    errors = []
    for result in results:
        if result["status"] not in ("fail", "error"):
            continue
        node = nodes[result["unique_id"]]
        if node["resource_type"] == "test":
            checked = (node.get("attached_node") or next(iter(node["depends_on"]["nodes"]), "")).split(".")[-1]
            if result["status"] == "fail":
                failed_tests.setdefault(checked, []).append(node["name"])
                continue
        errors.append(f"{node['schema']}.{node['name']}: {result.get('message')}")
    lines = [f"marts.{table} failed its blocking check(s) {', '.join(names)}" for table, names in failed_tests.items()]
    lines += errors
    return "; ".join(lines) + ". Nothing was published: the marts readers see are the last good ones."


def with_table_metadata(events: list, context: dg.AssetExecutionContext, warehouse: Path) -> Iterator:
    """The events of a published build, each model's output with its row count and preview."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for event in events:
            if isinstance(event, dg.Output):
                key = context.asset_key_for_output(event.output_name)
                event = event.with_metadata({**event.metadata, **table_metadata(con, relation_of(key))})
            yield event


# The marts step's models: the core ones are built by the core step (assets/core/build.py).
MARTS_MODELS = "fqn:peerdata.intermediate fqn:peerdata.marts"


@dbt_assets(manifest=manifest_path(), select=MARTS_MODELS, dagster_dbt_translator=MartsTranslator(), name="marts",
            pool="duckdb_writer")
def marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> Iterator:
    """The selected dbt models and their tests, built and tested in a copy of the warehouse, then published.

    How: see the module docstring (write-audit-publish under the warehouse lock). All checks are
    blocking: when one fails, dbt skips the models downstream of it, nothing is published and the
    step fails naming the check; the previous marts stay as they were.
    """
    path = Path(warehouse.warehouse_path)
    rebuilding = bool(context.selected_asset_keys)
    with warehouse_lock(path, exclusive=rebuilding), build_copy(path, clear_stale=rebuilding) as build:
        with duckdb.connect(str(build), read_only=True) as con:
            tag_run_with_release(context, published_release_id(con))
        # build: each model then its tests, skipping what is downstream of a failure; test: every
        # selected test on the marts as they are, each on its own (the weekly checks)
        events, failure = run_dbt(context, "build" if rebuilding else "test", build)
        if failure is not None:
            yield from (e for e in events if isinstance(e, dg.AssetCheckResult))
            raise dg.Failure(description=failure)
        if rebuilding:
            publish(build, path)
            yield from with_table_metadata(events, context, path)
        else:
            yield from events
