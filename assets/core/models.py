"""The core model's SQL: the dbt models of ``assets/dbt/models/staging`` and ``models/core``, as dbt compiles them,
and the seeds of ``seeds/staging`` and ``seeds/core`` (lists of fixed values), read from their CSV.

The core is one dbt project with the marts (``assets/dbt``): one model per table, dependencies from
``ref()`` and ``source()``, each model's description, columns and tests in its YAML. The core step
runs the compiled models itself, in its build area (``assets/core/build.py``): the landed files are
read by Python into the in-memory ``src``, each model becomes a table of the in-memory ``staging``,
and the ``models/core`` ones are published into ``core`` in one transaction once checked. A dbt
process could not read those in-memory databases, and would cost more than the whole step (about
1.5 s; bench/RESULTS.md, "Core as dbt models"). dbt compiles the models (``manifest_path``), so the
SQL, the lineage and the docs are dbt's; the marts read the published tables through ``ref()``.
A seed is built as ``dbt seed`` would load it: its CSV read with the column types its YAML declares
(``seed_sql``), a table of ``staging`` like a model's (``seeds/core``'s are published).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter

from assets.dbt_project import PROJECT_DIR, TARGET_DIR, compiled_analysis, manifest_path

BUILD_LAYERS = ("staging", "core")  # the model and seed folders the core step builds; core's tables are published
VALUE_RULES = "value_rules"  # the analysis creating the SQL macros the models call (macros/value_rules.sql)
# As compiled, a model names its upstream models in the warehouse's schemas; in the build area
# they are tables of ``staging``.
COMPILED_SCHEMAS = ('"warehouse"."staging".', '"warehouse"."core".')
BUILD_SCHEMA = '"staging"."main".'


@dataclass(frozen=True)
class CoreModel:
    """One model (or seed) of the core step: its table, its folder, its SQL (reading the build area) and the models it reads."""

    name: str
    layer: str
    sql: str
    upstream: tuple[str, ...]
    description: str


@cache
def _manifest() -> dict:
    return json.loads(manifest_path().read_text())


@cache
def core_models() -> tuple[CoreModel, ...]:
    """The models and seeds of ``BUILD_LAYERS`` in an order that builds each after the models it reads."""
    manifest = _manifest()
    nodes = {
        node["name"]: node for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed") and node["fqn"][1] in BUILD_LAYERS
    }
    graph = {
        name: [uid.split(".")[-1] for uid in node.get("depends_on", {}).get("nodes", []) if uid.startswith(("model.", "seed."))]
        for name, node in nodes.items()
    }
    order = TopologicalSorter({name: sorted(graph[name]) for name in sorted(graph)}).static_order()
    return tuple(
        CoreModel(name, nodes[name]["fqn"][1], _sql(nodes[name]), tuple(graph[name]), nodes[name]["description"])
        for name in order
    )


def _sql(node: dict) -> str:
    return seed_sql(node) if node["resource_type"] == "seed" else build_area_sql(_compiled(node))


def _compiled(node: dict) -> str:
    return node.get("compiled_code") or (TARGET_DIR / "compiled" / "peerdata" / node["original_file_path"]).read_text()


def seed_sql(node: dict) -> str:
    """A seed's rows as ``dbt seed`` loads them: its CSV read with the column types its YAML declares
    (``config.column_types``), every column typed, in the file's order, an empty cell a null."""
    path = PROJECT_DIR / node["original_file_path"]
    types = node["config"].get("column_types") or {}
    with open(path, encoding="utf-8", newline="") as csv_file:
        header = next(csv.reader(csv_file), [])
    if list(types) != header:
        raise ValueError(f"{path}: the columns {header} must each have a type in config.column_types of its YAML, "
                         f"in the file's order (declared: {list(types)})")
    columns = ", ".join(f"{_quoted(name)}: {_quoted(data_type)}" for name, data_type in types.items())
    return f"SELECT * FROM read_csv({_quoted(str(path))}, header = true, auto_detect = false, columns = {{{columns}}})"


def _quoted(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def seed_table_sql(name: str) -> str:
    """The SQL of the seed ``name`` (``seed_sql``), for a reader outside the build (the council list)."""
    return seed_sql(next(node for node in _manifest()["nodes"].values()
                         if node["resource_type"] == "seed" and node["name"] == name))


def build_area_sql(sql: str) -> str:
    """Compiled SQL reading the models' tables from the build area instead of the warehouse."""
    for schema in COMPILED_SCHEMAS:
        sql = sql.replace(schema, BUILD_SCHEMA)
    return sql


def value_rules_sql() -> str:
    """The statements creating the value rules' SQL macros (blank_to_null, parse_number, ...)."""
    return compiled_analysis(VALUE_RULES)


def published_tables() -> tuple[str, ...]:
    """The tables the core step publishes: the models of ``models/core`` and the seeds of ``seeds/core``."""
    return tuple(model.name for model in published_models())


def published_models() -> tuple[CoreModel, ...]:
    """The models of ``models/core`` and the seeds of ``seeds/core``, in build order."""
    return tuple(model for model in core_models() if model.layer == "core")


def upstream_of(tables: set[str]) -> set[str]:
    """``tables`` and every model they read, directly or not: one pass over the build order backwards,
    where each model comes after every model that reads it. (dbt's own ``+model`` selection would need
    a dbt process, the cost the core step avoids; the manifest's ``parent_map`` holds the same edges as
    ``depends_on``, read into ``CoreModel.upstream``.)"""
    found = set(tables)
    for model in reversed(core_models()):
        if model.name in found:
            found.update(model.upstream)
    return found


@dataclass(frozen=True)
class CoreTest:
    """A dbt test of a core model: the SQL selecting the rows that fail it, and whether a failure blocks the publish."""

    name: str
    table: str
    sql: str
    description: str
    blocking: bool


def _checked_model(node: dict) -> str:
    """The model a test checks: the one a generic test is attached to, or the one a singular test's
    properties name (``config.meta.dagster.ref.name``, as the marts' singular tests do)."""
    if node.get("attached_node"):
        return node["attached_node"].split(".")[-1]
    return ((node["config"].get("meta") or {}).get("dagster") or {}).get("ref", {}).get("name", "")


def _test_description(node: dict) -> str:
    """A singular test's description from its properties; a generic test's from its name and column."""
    if node.get("description"):
        return node["description"]
    meta = node.get("test_metadata") or {}
    column = node.get("column_name")
    return f"dbt test {meta.get('name', node['name'])}" + (f" on {column}" if column else "")


@cache
def core_tests() -> tuple[CoreTest, ...]:
    """The dbt tests of the ``models/core`` tables (their YAML's ``data_tests``, generic and singular),
    compiled to read the build area, by name. A test of ``severity: warn`` does not block."""
    published = set(published_tables())
    tests = [
        CoreTest(node["name"], _checked_model(node), build_area_sql(_compiled(node)), _test_description(node),
                 blocking=node["config"].get("severity", "error").lower() != "warn")
        for node in _manifest()["nodes"].values()
        if node["resource_type"] == "test" and _checked_model(node) in published
    ]
    return tuple(sorted(tests, key=lambda test: test.name))
