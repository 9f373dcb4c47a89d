"""The dbt project of the marts (``assets/dbt``) as Dagster sees it: its manifest and its asset keys.

``manifest_path()`` returns ``assets/dbt/target/manifest.json``, running dbt first when it is
missing or older than a file of the project (a clean clone, an edited model); partial parsing (on
in ``dbt_project.yml``) makes a re-parse after an edit cost only the files changed. No network is
needed: the project has no packages. ``MartsTranslator`` gives each mart the key ``marts/<table>``,
each intermediate model ``marts/intermediate/<table>`` (part of the marts step: ``key:marts/*``
selects it) and each source the key of the core asset that publishes it (``core/dim_area``), so
the lineage in Dagster is the one the SQL's ``ref()`` and ``source()`` declare.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt"
TARGET_DIR = PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
# dbt installed beside this Python (the project's environment), whether or not it is on PATH
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests", "analyses")


def dbt_env(**extra: str) -> dict[str, str]:
    """The environment dbt runs in: no usage statistics, the project's profile."""
    return {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_PROFILES_DIR": str(PROJECT_DIR), **extra}


def _newest_source_time() -> float:
    times = []
    for name in PROJECT_FILES:
        path = PROJECT_DIR / name
        if path.is_file():
            times.append(path.stat().st_mtime)
        elif path.is_dir():
            times += [p.stat().st_mtime for p in path.rglob("*") if p.is_file()]
    return max(times)


def manifest_path() -> Path:
    """The project's manifest, made again when a project file is newer than it.

    ``dbt compile`` of the analyses alone: it parses the project (the manifest) and compiles the
    analyses (``compiled_analysis``), opening no database.
    """
    if not MANIFEST.exists() or MANIFEST.stat().st_mtime < _newest_source_time():
        result = subprocess.run(
            [DBT_EXECUTABLE, "compile", "--quiet", "--select", "resource_type:analysis", "--project-dir", str(PROJECT_DIR)],
            env=dbt_env(), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"dbt could not compile {PROJECT_DIR}:\n{result.stdout}{result.stderr}")
    return MANIFEST


def compiled_analysis(name: str, catalog: str = "warehouse") -> str:
    """The SQL of ``analyses/<name>.sql`` as compiled, reading the warehouse attached as ``catalog``.

    The compiled SQL names every table in the profile's catalog, ``"warehouse"`` (the file name
    of the warehouse by default); a warehouse file of another name is its own catalog.
    """
    manifest_path()
    sql = (TARGET_DIR / "compiled" / "peerdata" / "analyses" / f"{name}.sql").read_text()
    return sql.replace('"warehouse".', f'"{catalog}".')


def key_of(schema: str, table: str) -> dg.AssetKey:
    """The asset key of the model written to ``<schema>.<table>``."""
    return dg.AssetKey(["marts", table] if schema == "marts" else ["marts", schema, table])


def relation_of(key: dg.AssetKey) -> str:
    """``<schema>.<table>`` of a model's asset key (the inverse of ``key_of``)."""
    return ".".join(key.path[-2:])


class MartsTranslator(DagsterDbtTranslator):
    """``marts/<table>``, ``marts/intermediate/<table>``, and the sources as the core assets (``core/<table>``)."""

    def __init__(self) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return key_of(dbt_resource_props["config"]["schema"], dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "marts"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:peerdata"]
