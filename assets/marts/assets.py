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

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import dbt_assets
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dbt.cli.main import dbtRunnerResult

from assets.marts.dbt import MartsTranslator, relation_of
from assets.dbt_project import PARTIAL_PARSE, PROJECT_DIR, manifest_path
from assets.marts.dbt_plugin import DATABASE_ENV
from assets.marts.dbt_runner import DbtInvocation
from assets.marts.publish import build_copy, publish
from assets.core.build import published_release_id
from assets.metadata import table_metadata, tag_run_with_release
from assets.resources import WarehouseResource
from base.warehouse_lock import warehouse_lock

# dbt's events that say a node finished (dagster-dbt makes them outputs and check results)
RESULT_EVENTS = frozenset({"LogModelResult", "LogTestResult"})
# ... and the one that says a model starts (logged as "building <table>")
START_EVENT = "LogStartLine"
NOTHING_PUBLISHED = "Nothing was published: the marts readers see are the last good ones."


def dbt_args(command: str, selection: list[str], target: Path) -> list[str]:
    """``dbt <command>`` of ``selection`` on the profile's database, its artifacts in ``target``.

    dbt's compiled SQL goes to ``target``, beside the copy and with it; the project's saved parse
    is copied there first, so dbt parses nothing. No JSON artifacts: the results come back in this
    process. No logging to the console or to files: the events reach the caller. The unit tests of
    the rules are left out: they test the SQL, not the data (tests/test_dbt_unit.py).
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PARTIAL_PARSE, target / PARTIAL_PARSE.name)
    return [command, *selection, "--exclude-resource-type", "unit_test",
            "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), "--target-path", str(target),
            "--log-path", str(target), "--log-level", "none", "--log-level-file", "none", "--no-write-json"]


def run_dbt(context: dg.AssetExecutionContext, command: str, database: Path) -> tuple[list, str | None]:
    """``dbt <command>`` on ``database`` of the models and checks selected in Dagster: the Dagster
    events, and what failed (None: nothing).

    The selection is the one dagster-dbt's own ``DbtCliResource.cli`` passes for this context (a
    subset of the marts, or their checks alone), and dagster-dbt turns dbt's result events into
    outputs and check results as it does for its subprocess.
    """
    params = get_updated_cli_invocation_params_for_context(context=context, manifest={},
                                                           dagster_dbt_translator=MartsTranslator())
    selection = list(params.selection_args)
    if params.indirect_selection:
        selection += ["--indirect-selection", params.indirect_selection]
    invocation = DbtInvocation(dbt_args(command, selection, database.parent / "dbt"), RESULT_EVENTS | {START_EVENT},
                               environment={DATABASE_ENV: str(database)})  # the database the profile's plugin opens
    events = []
    for raw in invocation:
        name, node = raw["info"]["name"], raw.get("data", {}).get("node_info", {})
        # LogStartLine ("START sql table model ..."), dbt's info-level event as a model starts
        if name == START_EVENT and node.get("resource_type") == "model":
            relation = node.get("node_relation", {})
            context.log.info(f"building {relation.get('schema')}.{relation.get('alias')}")
        elif name in RESULT_EVENTS:
            message = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
            events.extend(message.to_default_asset_events(
                manifest=params.manifest, dagster_dbt_translator=params.dagster_dbt_translator, context=context))
    return events, failure_description(invocation.result, events)


def failure_description(result: dbtRunnerResult, events: list) -> str | None:
    """Which tests failed, on which table, and which models could not be built, with dbt's
    messages (None: nothing failed).

    A failed test is named with the table its check is attached to in Dagster (its check result
    among ``events``), not the first table the test reads: a singular test reads several.
    """
    if result.success:
        return None
    if result.result is None:
        return f"dbt could not run: {result.exception}. {NOTHING_PUBLISHED}"
    checked_table = {e.check_name: relation_of(e.asset_key) for e in events if isinstance(e, dg.AssetCheckResult)}
    failed_tests: dict[str, list[str]] = {}
    errors = []
    for run in result.result.results:
        if str(run.status) not in ("fail", "error"):
            continue
        node = run.node
        if node.resource_type == "test" and str(run.status) == "fail":
            failed_tests.setdefault(checked_table.get(node.name, "a table"), []).append(node.name)
            continue
        errors.append(f"{node.schema}.{node.name}: {run.message}")
    lines = [f"{table} failed its blocking check(s) {', '.join(names)}" for table, names in failed_tests.items()]
    lines += errors
    return "; ".join(lines) + f". {NOTHING_PUBLISHED}"


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
